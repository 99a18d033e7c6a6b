package digest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/luohu/reformbot/store"
)

// A returned report counts as not reported and is listed with the office's
// comment; 督办 are counted per unit, in text, JSON and the workbook.
func TestReturnedAndUrged(t *testing.T) {
	in := testInput(t)
	var returned store.Report
	for i := range in.Reports {
		in.Reports[i].ID = int64(i + 1)
		if r := in.Reports[i]; r.MeasureID == "1.1.1" && r.Unit == "区法制办" && r.Period == apr {
			returned = r
		}
	}
	before := Build(in)
	in.Returned = []store.Review{{ReportID: returned.ID, Kind: store.ReviewReturned, Comment: "请补充 <数据> & 图片",
		At: at(apr, 27), MeasureID: "1.1.1", Unit: "区法制办", Period: apr}}
	in.Urges = []store.Urge{
		{Unit: "区发改局", Period: apr, Text: "快"}, {Unit: "区发改局", Period: apr, Text: "再快"},
		{Unit: "区编办", Period: apr, Text: "请补报"}, {Unit: "区编办", Period: "2017-03", Text: "上月的不算"},
	}
	d := Build(in)
	if d.Totals.Reported != before.Totals.Reported-1 || d.Totals.Missing != before.Totals.Missing+1 {
		t.Errorf("totals %+v; want one fewer reported than %+v", d.Totals, before.Totals)
	}
	if len(d.Returned) != 1 || d.Returned[0].Unit != "区法制办" || d.Returned[0].MeasureID != "1.1.1" || d.Returned[0].MeasureTitle == "" {
		t.Fatalf("returned = %+v", d.Returned)
	}
	if want := []Urged{{"区编办", 1}, {"区发改局", 2}}; len(d.Urged) != 2 || d.Urged[0] != want[0] || d.Urged[1] != want[1] {
		t.Errorf("urged = %+v, want %+v (plan unit order)", d.Urged, want)
	}
	text := strings.Join(d.Messages(), "\n")
	for _, want := range []string{"🔁 退回补充（1 项）", "区法制办：请补充 &lt;数据&gt; &amp; 图片", "区发改局（1）：2.3.1 · 督办 2 次", "📣 督办（2 个单位）"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	b, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Returned []map[string]string `json:"returned"`
		Urged    []map[string]any    `json:"urged"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Returned) != 1 || j.Returned[0]["id"] != "1.1.1" || j.Returned[0]["unit"] != "区法制办" ||
		j.Returned[0]["comment"] != "请补充 <数据> & 图片" || !strings.HasPrefix(j.Returned[0]["at"], "2017-04-27T") {
		t.Errorf("JSON returned = %+v", j.Returned)
	}
	if len(j.Urged) != 2 {
		t.Errorf("JSON urged = %+v", j.Urged)
	}
	x, err := d.XLSX()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sheet, want := range map[string][]string{
		SheetReturned: {"1.1.1", "", "区法制办", "请补充 <数据> & 图片", "2017年4月27日 10:00"},
		SheetUrged:    {"区编办", "1"},
	} {
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows) < 2 {
			t.Fatalf("sheet %s: %v, %v", sheet, rows, err)
		}
		for i, w := range want {
			if w != "" && rows[1][i] != w {
				t.Errorf("sheet %s row 2 = %q, want %q", sheet, rows[1], want)
				break
			}
		}
	}
	// Nothing returned: empty arrays, never null.
	b, _ = before.JSON()
	if !strings.Contains(string(b), `"returned": []`) || !strings.Contains(string(b), `"urged": []`) {
		t.Errorf("an empty loop is not [] in JSON")
	}
	// A return of a version since replaced (not among the current reports)
	// is not listed and does not hide the new report.
	in.Returned[0].ReportID = 999
	if d := Build(in); len(d.Returned) != 0 || d.Totals.Reported != before.Totals.Reported {
		t.Errorf("a stale return counted: %+v, %+v", d.Returned, d.Totals)
	}
}
