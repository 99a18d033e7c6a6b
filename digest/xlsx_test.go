package digest

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSX(t *testing.T) {
	in := testInput(t)
	in.Acceptance = testAcceptance()
	d := Build(in)
	f := workbookOf(t, d)
	defer f.Close()
	wantSheets := []string{SheetSummary, SheetDetail, SheetDifficulty, SheetMissing, SheetOverdue, SheetUnbound, SheetUnreachable, SheetReturned, SheetUrged, SheetAcceptance}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, wantSheets) {
		t.Errorf("sheets = %v, want %v", got, wantSheets)
	}
	tests := []struct {
		sheet     string
		headerRow int
		header    []string
		rows      int // data rows
	}{
		{SheetSummary, 5, []string{"编号", "类别", "项目", "状态", "已填报", "应填报", "困难"}, 5 + 1}, // projects and 合计
		{SheetDetail, 1, []string{"编号", "项目", "任务", "单位", "牵头/协办", "状态", "进展说明", "填报时间", "填报人", "附件数"}, d.Totals.Pairs},
		{SheetDifficulty, 1, []string{"编号", "任务", "单位", "困难说明"}, 1},
		{SheetMissing, 1, []string{"单位", "编号", "任务", "牵头/协办"}, 3},
		{SheetOverdue, 1, []string{"编号", "任务", "单位", "牵头/协办", "完成时限"}, 0},
		{SheetUnbound, 1, []string{"单位", "任务数", "任务编号"}, 3},
		{SheetUnreachable, 1, []string{"单位", "姓名", "用户ID", "原因"}, 3},
		{SheetAcceptance, 1, []string{"编号", "任务", "牵头单位", "状态"}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			rows, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tt.headerRow+tt.rows {
				t.Errorf("%d rows, want header row %d + %d", len(rows), tt.headerRow, tt.rows)
			}
			if h := rows[tt.headerRow-1]; len(h) < len(tt.header) || !reflect.DeepEqual(h[:len(tt.header)], tt.header) {
				t.Errorf("header = %v, want %v…", h, tt.header)
			}
			panes, err := f.GetPanes(tt.sheet)
			if err != nil || !panes.Freeze || panes.YSplit != tt.headerRow {
				t.Errorf("panes = %+v, %v; want frozen below row %d", panes, err, tt.headerRow)
			}
		})
	}
	detail, _ := f.GetRows(SheetDetail)
	if got := detail[1]; got[0] != "1.1.1" || got[4] != "牵头" || got[5] != "存在困难需协调" || got[7] != "2017年4月26日 10:00" {
		t.Errorf("detail row 2 = %v", got)
	}
	if got := detail[5]; got[3] != "东门街道" || got[4] != "协办" || got[5] != "未填报" {
		t.Errorf("detail row 6 = %v", got)
	}
	summary, _ := f.GetRows(SheetSummary)
	if got := summary[5]; got[0] != "1.1" || got[3] != "红" || got[4] != "3" || got[5] != "3" || got[6] != "1" {
		t.Errorf("summary row 6 = %v", got)
	}
	if got, want := summary[len(summary)-1], []string{"合计", "", "", "", strconv.Itoa(d.Totals.Reported), strconv.Itoa(d.Totals.Pairs)}; !reflect.DeepEqual(got[:6], want) {
		t.Errorf("totals row = %v, want %v…", got, want)
	}
	if !strings.Contains(summary[0][0], "深圳市罗湖区2017年改革计划") || !strings.Contains(summary[0][0], "2017年4月") {
		t.Errorf("title = %q", summary[0][0])
	}
}

// workbookOf renders d's workbook and opens it.
func workbookOf(t *testing.T, d *Digest) *excelize.File {
	t.Helper()
	b, err := d.XLSX()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return f
}
