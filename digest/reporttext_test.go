package digest

import (
	"strings"
	"testing"

	"github.com/luohu/reformbot/store"
)

// A difficulty reported with photos and no words reads 未填写说明 with the
// attachments' count in the message, the workbook and the bulletin, never
// "区编办：" with nothing after it.
func TestEmptyReportTextIsSaid(t *testing.T) {
	in := testInput(t)
	found := false
	for i, r := range in.Reports {
		if r.MeasureID == "1.1.1" && r.Unit == "区编办" && r.Period == apr {
			in.Reports[i].Text = " "
			in.Reports[i].Attachments = []store.Attachment{{Kind: store.Photo}, {Kind: store.Photo}}
			found = true
		}
	}
	if !found {
		t.Fatal("the fixture lost 1.1.1 区编办's April difficulty")
	}
	const said = "（未填写说明，附件2个）"
	d := Build(in)
	if msg := d.PlainText(); !strings.Contains(msg, "｜区编办："+said) {
		t.Errorf("message lacks 区编办：%s:\n%s", said, msg)
	}
	f := workbookOf(t, d)
	for _, sheet := range []string{SheetDifficulty, SheetDetail} {
		rows, _ := f.GetRows(sheet)
		ok := false
		for _, row := range rows {
			ok = ok || len(row) > 6 && row[0] == "1.1.1" && strings.Contains(strings.Join(row, "|"), "区编办|") && strings.Contains(strings.Join(row, "|"), said)
			ok = ok || sheet == SheetDifficulty && len(row) > 3 && row[0] == "1.1.1" && row[3] == said
		}
		if !ok {
			t.Errorf("sheet %s lacks 1.1.1 区编办 %s: %q", sheet, said, rows)
		}
	}
	bl := NewBulletin(in, BulletinInfo{Number: 1})
	if text := sectionText(bl, "存在的困难和问题"); !strings.Contains(text, "推进事权下放（区编办）"+said) || strings.Contains(text, "“”") {
		t.Errorf("bulletin difficulties:\n%s", text)
	}
}
