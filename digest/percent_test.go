package digest

import (
	"fmt"
	"testing"
)

func TestPercent(t *testing.T) {
	for _, tt := range []struct{ n, total, want int }{
		{0, 0, 0}, {0, 9, 0}, {1, 300, 1}, {1, 201, 1}, {1, 3, 33}, {2, 3, 67}, {1, 2, 50},
		{8, 9, 89}, {199, 200, 99}, {299, 300, 99}, {9, 9, 100}, {12, 12, 100},
	} {
		if got := Percent(tt.n, tt.total); got != tt.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", tt.n, tt.total, got, tt.want)
		}
	}
}

// The 填报率 the workbook shows is the one the chart, the message and the
// JSON show, for every project and the 合计 row (QA: 8/9 was 88% on the
// chart and 89% in the workbook; 199/200 99% and 100%).
func TestWorkbookPercentIsTheChartPercent(t *testing.T) {
	d := &Digest{Period: "2026-03", Totals: Totals{Pairs: 9 + 200 + 3, Reported: 8 + 199 + 0}}
	d.Categories = []Category{{Title: "新推重点改革项目", Projects: []Project{
		{ID: "2.1", Title: "强区放权体制机制改革", Total: 9, Reported: 8, Missing: 1},
		{ID: "2.2", Title: "大项目", Total: 200, Reported: 199, Missing: 1},
		{ID: "2.3", Title: "未报项目", Total: 3, Missing: 3},
	}}}
	l, err := d.layout()
	if err != nil {
		t.Fatal(err)
	}
	f := workbookOf(t, d)
	want := []string{"89%", "99%", "0%", "99%"} // the three projects, then 合计 (207/212 = 97.6%)
	want[3] = fmt.Sprintf("%d%%", d.Totals.Percent())
	for i, w := range want {
		cell, _ := f.GetCellValue(SheetSummary, fmt.Sprintf("H%d", 6+i))
		if cell != w {
			t.Errorf("row %d: workbook shows %s, want %s", i, cell, w)
		}
		if i < len(l.rows) {
			if chart := l.rows[i].fillText; chart[:len(w)] != w {
				t.Errorf("row %d: chart shows %s, workbook %s", i, chart, cell)
			}
		}
	}
}
