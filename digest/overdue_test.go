package digest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// withDeadlines gives measures of testPlan deadlines.
func withDeadlines(p *plan.Plan, deadlines map[string]string) *plan.Plan {
	for ci := range p.Categories {
		for pi := range p.Categories[ci].Projects {
			ms := p.Categories[ci].Projects[pi].Measures
			for mi := range ms {
				if d, ok := deadlines[ms[mi].ID]; ok {
					ms[mi].Deadline, ms[mi].DeadlineText = d, "限期"+d
				}
			}
		}
	}
	return p
}

func overdueKeys(d *Digest) []string {
	var out []string
	for _, o := range d.Overdue {
		out = append(out, o.MeasureID+" "+o.Unit+" "+statusLabel(o.Status))
	}
	return out
}

func TestOverdue(t *testing.T) {
	deadlines := map[string]string{
		"1.1.1": "2017-04-30", // passes at 1 May: both pairs overdue
		"1.1.2": "2017-05-01", // after the period
		"1.2.1": "2017-04-15", // 区财政局 on track, the streets never reported
		"2.1.2": "2017-03-31", // 区卫计局 done, 区编办 on track
		"2.2.1": "2017-04-01", // the only pair of a project that is otherwise green
	}
	tests := []struct {
		name      string
		generated time.Time
		extra     []store.Report
		want      []string
	}{
		{"after the period", time.Date(2017, 5, 2, 1, 0, 0, 0, time.UTC), nil, []string{
			"1.1.1 区编办 存在困难需协调", "1.1.1 区法制办 按计划推进",
			"1.2.1 区财政局 按计划推进", "1.2.1 东门街道 ", "1.2.1 桂园街道 ",
			"2.1.2 区编办 按计划推进", "2.2.1 区住建局 按计划推进",
		}},
		// A mid-period overview on 10 April (10:00 in Shanghai): only the
		// deadlines of March and 1 April have passed.
		{"mid-period", time.Date(2017, 4, 10, 2, 0, 0, 0, time.UTC), nil, []string{
			"2.1.2 区编办 按计划推进", "2.2.1 区住建局 按计划推进",
		}},
		// 东门街道 finished in March and said nothing in April: not overdue.
		{"done earlier", time.Date(2017, 5, 2, 1, 0, 0, 0, time.UTC),
			[]store.Report{rep("1.2.1", "东门街道", mar, plan.Done, "三月已完成")}, []string{
				"1.1.1 区编办 存在困难需协调", "1.1.1 区法制办 按计划推进",
				"1.2.1 区财政局 按计划推进", "1.2.1 桂园街道 ",
				"2.1.2 区编办 按计划推进", "2.2.1 区住建局 按计划推进",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInput(t)
			in.Plan = withDeadlines(testPlan(), deadlines)
			in.GeneratedAt = tt.generated
			in.Reports = append(in.Reports, tt.extra...)
			d := Build(in)
			if got := overdueKeys(d); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("overdue =\n%q\nwant\n%q", got, tt.want)
			}
			if d.Totals.Overdue != len(tt.want) {
				t.Errorf("totals.overdue = %d, want %d", d.Totals.Overdue, len(tt.want))
			}
			// 2.2 城市更新改革 is green without its deadline; overdue makes it red.
			if p := d.Categories[1].Projects[1]; p.ID != "2.2" || p.Light != Red || p.Overdue != 1 {
				t.Errorf("project 2.2 = %+v, want red with 1 overdue", p)
			}
		})
	}
	// Without deadlines nothing is overdue and 2.2 stays green.
	d := Build(testInput(t))
	if len(d.Overdue) != 0 || d.Categories[1].Projects[1].Light != Green {
		t.Errorf("no deadlines: overdue %v, 2.2 %v", d.Overdue, d.Categories[1].Projects[1].Light)
	}
}

func TestOverdueRendered(t *testing.T) {
	in := testInput(t)
	in.Plan = withDeadlines(testPlan(), map[string]string{"2.2.1": "2017-04-01"})
	d := Build(in)
	doc := decodeJSON(t, d)
	want := []any{map[string]any{"id": "2.2.1", "title": "棚户区改造", "unit": "区住建局", "deadline": "2017-04-01"}}
	if !reflect.DeepEqual(doc["overdue"], want) {
		t.Errorf("json overdue = %#v", doc["overdue"])
	}
	if doc["totals"].(map[string]any)["overdue"] != 1.0 {
		t.Errorf("json totals = %v", doc["totals"])
	}
	text := d.PlainText()
	for _, s := range []string{"逾期 1 项", "⏰ 逾期未完成（1 项）", "• 2.2.1 棚户区改造｜区住建局：时限 2017年4月1日，按计划推进", "🔴 2.2 城市更新改革 1/1（逾期 1）"} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	f := workbookOf(t, d)
	defer f.Close()
	rows, _ := f.GetRows(SheetOverdue)
	if len(rows) != 2 || !reflect.DeepEqual(rows[1][:7], []string{"2.2.1", "棚户区改造", "区住建局", "牵头", "2017年4月1日", "限期2017-04-01", "按计划推进"}) {
		t.Errorf("sheet %s = %q", SheetOverdue, rows)
	}
	if raw, _ := f.GetCellValue(SheetOverdue, "E2", excelize.Options{RawCellValue: true}); raw != "42826" {
		t.Errorf("完成时限 is %q, want the Excel date 42826 (2017-04-01)", raw)
	}
	if summary, _ := f.GetRows(SheetSummary); !strings.Contains(summary[2][0], "逾期 1 项；未绑定联络人的单位 3 个") {
		t.Errorf("summary totals = %q", summary[2])
	}
	if s := Build(testInput(t)).PlainText(); strings.Contains(s, "⏰") || strings.Contains(s, "逾期 ") {
		t.Errorf("a digest without deadlines shows overdue:\n%s", s)
	}
}

func TestUnbound(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Input)
		want   []string
	}{
		// 区住建局's only contact is revoked, 区法制办's blocked: both were
		// bound once. The office contact is nobody's unit.
		{"fixture", func(*Input) {}, []string{"区发改局", "桂园街道", "东门街道"}},
		{"former name", func(in *Input) {
			in.Plan.Units[2].Formerly = []string{"区发展改革局"}
			in.Contacts = append(in.Contacts, store.Contact{UserID: 200, Unit: "区发展改革局", Role: store.RoleContact, Status: store.Active})
		}, []string{"桂园街道", "东门街道"}},
		{"no contacts", func(in *Input) { in.Contacts = nil }, []string{
			"区编办", "区法制办", "区发改局", "区财政局", "区卫计局", "区住建局", "桂园街道", "东门街道"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInput(t)
			tt.change(&in)
			d := Build(in)
			if !reflect.DeepEqual(d.Unbound, tt.want) {
				t.Errorf("unbound = %q, want %q", d.Unbound, tt.want)
			}
		})
	}
	d := Build(testInput(t))
	if got := decodeJSON(t, d)["unbound"]; !reflect.DeepEqual(got, []any{"区发改局", "桂园街道", "东门街道"}) {
		t.Errorf("json unbound = %#v", got)
	}
	if got := decodeJSON(t, Build(Input{Period: apr}))["unbound"]; !reflect.DeepEqual(got, []any{}) {
		t.Errorf("empty digest: json unbound = %#v, want []", got)
	}
	if s := d.PlainText(); !strings.Contains(s, "🔌 未绑定联络人的单位（3 个）\n区发改局、桂园街道、东门街道\n") {
		t.Errorf("text lacks the unbound section:\n%s", s)
	}
}

// statusLabel is a status as people read it, "" for none (fmt uses a
// status's String method where it has one).
func statusLabel(s plan.Status) string { return fmt.Sprint(s) }
