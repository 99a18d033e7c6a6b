package digest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

func TestBuildTotals(t *testing.T) {
	d := Build(testInput(t))
	want := Totals{Pairs: 12, Reported: 9, Missing: 3, Difficulties: 1, Behind: 1, Done: 1, Stalled: 2}
	if d.Totals != want {
		t.Errorf("totals = %+v, want %+v", d.Totals, want)
	}
	if got := d.Totals.Percent(); got != 75 {
		t.Errorf("percent = %d, want 75", got)
	}
	if len(d.Measures) != 8 {
		t.Errorf("measures = %d, want 8 (2.4.1 without units included)", len(d.Measures))
	}
}

func TestBuildMeasureUnits(t *testing.T) {
	d := Build(testInput(t))
	var units []string
	for _, m := range d.Measures {
		for _, u := range m.Units {
			units = append(units, m.ID+" "+u.Unit+" "+string(u.Role))
		}
	}
	want := []string{
		"1.1.1 区编办 lead", "1.1.1 区法制办 co", "1.1.2 区发改局 lead",
		"1.2.1 区财政局 lead", "1.2.1 东门街道 co", "1.2.1 桂园街道 co",
		"2.1.1 区卫计局 lead", "2.1.2 区卫计局 lead", "2.1.2 区编办 co",
		"2.2.1 区住建局 lead", "2.3.1 区法制办 lead", "2.3.1 区发改局 co",
	}
	if !reflect.DeepEqual(units, want) {
		t.Errorf("units =\n%q\nwant\n%q", units, want)
	}
	u := d.Measures[0].Units[0]
	if !u.Reported || u.Status != plan.NeedsHelp || u.ReportedAt.Format("2006-01-02 15:04 -0700") != "2017-04-26 10:00 +0800" {
		t.Errorf("1.1.1 区编办 = %+v", u)
	}
	if u := d.Measures[2].Units[1]; u.Reported || u.Status != "" {
		t.Errorf("1.2.1 东门街道 should be unreported: %+v", u)
	}
	if u := d.Measures[5].Units[0]; u.Status != plan.OnTrack || u.Text == "旧版本" {
		t.Errorf("2.2.1 should show the current version, not the superseded one: %+v", u)
	}
}

func TestBuildMissing(t *testing.T) {
	d := Build(testInput(t))
	// Plan unit order (区发改局 before 桂园街道), then 东门街道, which the
	// plan does not list, although its measure comes first.
	want := []Missing{
		{Unit: "区发改局", Measures: []string{"2.3.1"}},
		{Unit: "桂园街道", Measures: []string{"1.2.1"}},
		{Unit: "东门街道", Measures: []string{"1.2.1"}},
	}
	if !reflect.DeepEqual(d.Missing, want) {
		t.Errorf("missing = %+v, want %+v", d.Missing, want)
	}
}

func TestBuildDifficulties(t *testing.T) {
	d := Build(testInput(t))
	if len(d.Difficulties) != 1 {
		t.Fatalf("difficulties = %+v, want only 1.1.1 区编办 (superseded and unassigned ones ignored)", d.Difficulties)
	}
	x := d.Difficulties[0]
	if x.MeasureID != "1.1.1" || x.Unit != "区编办" || x.MeasureTitle != "推进事权下放" || !strings.Contains(x.Text, "<急>") {
		t.Errorf("difficulty = %+v", x)
	}
}

func TestLight(t *testing.T) {
	tests := []struct {
		name string
		p    Project
		want Light
	}{
		{"difficulty", Project{Total: 4, Reported: 4, Hard: 1}, Red},
		{"under half reported", Project{Total: 5, Reported: 2, Missing: 3}, Red},
		{"nothing reported", Project{Total: 1, Missing: 1}, Red},
		{"exactly half reported", Project{Total: 4, Reported: 2, Missing: 2}, Yellow},
		{"behind", Project{Total: 2, Reported: 2, Behind: 1}, Yellow},
		{"stalled", Project{Total: 2, Reported: 2, Stalled: 1}, Yellow},
		{"one missing", Project{Total: 3, Reported: 2, Missing: 1}, Yellow},
		{"all reported and fine", Project{Total: 3, Reported: 3}, Green},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := light(tt.p); got != tt.want {
				t.Errorf("light(%+v) = %s, want %s", tt.p, got, tt.want)
			}
		})
	}
}

func TestBuildLights(t *testing.T) {
	d := Build(testInput(t))
	got := map[string]Light{}
	var order []string
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			got[p.ID] = p.Light
			order = append(order, p.ID)
		}
	}
	want := map[string]Light{
		"1.1": Red,    // a difficulty
		"1.2": Red,    // 1 of 3 reported
		"2.1": Yellow, // behind and stalled
		"2.2": Green,
		"2.3": Yellow, // 1 of 2 missing: half is not "fewer than half"
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lights = %v, want %v", got, want)
	}
	if strings.Join(order, " ") != "1.1 1.2 2.1 2.2 2.3" {
		t.Errorf("project order = %v; 2.4 has no units and must be left out", order)
	}
}

func TestBuildStalled(t *testing.T) {
	d := Build(testInput(t))
	var got []string
	for _, s := range d.Stalled {
		got = append(got, s.MeasureID+" "+s.Unit+" "+s.Status.Label())
		if !reflect.DeepEqual(s.Periods, []plan.Period{feb, mar, apr}) {
			t.Errorf("%s periods = %v", s.MeasureID, s.Periods)
		}
	}
	want := []string{"1.1.1 区法制办 按计划推进", "2.1.1 区卫计局 进度滞后"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stalled = %q, want %q", got, want)
	}

	tests := []struct {
		name   string
		status [3]plan.Status
		text   [3]string
		want   bool
	}{
		{"behind three times", [3]plan.Status{plan.Behind, plan.Behind, plan.Behind}, [3]string{"a", "b", "c"}, true},
		{"difficulty three times", [3]plan.Status{plan.NeedsHelp, plan.NeedsHelp, plan.NeedsHelp}, [3]string{"a", "b", "c"}, true},
		{"on track, same text", [3]plan.Status{plan.OnTrack, plan.OnTrack, plan.OnTrack}, [3]string{"同", "同", "同"}, true},
		{"on track, new text", [3]plan.Status{plan.OnTrack, plan.OnTrack, plan.OnTrack}, [3]string{"一", "二", "三"}, false},
		{"one period differs", [3]plan.Status{plan.Behind, plan.OnTrack, plan.Behind}, [3]string{"a", "a", "a"}, false},
		{"done", [3]plan.Status{plan.Done, plan.Done, plan.Done}, [3]string{"a", "a", "a"}, false},
		{"oldest period unreported", [3]plan.Status{"", plan.Behind, plan.Behind}, [3]string{"a", "a", "a"}, false},
		{"middle period unreported", [3]plan.Status{plan.Behind, "", plan.Behind}, [3]string{"a", "a", "a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInput(t)
			in.Reports = nil
			for i, p := range []plan.Period{feb, mar, apr} {
				if tt.status[i] != "" {
					in.Reports = append(in.Reports, rep("2.2.1", "区住建局", p, tt.status[i], tt.text[i]))
				}
			}
			d := Build(in)
			got := len(d.Stalled) == 1 && d.Measures[5].Units[0].Stalled
			if got != tt.want || len(d.Stalled) > 1 {
				t.Errorf("stalled = %+v, want stalled %v", d.Stalled, tt.want)
			}
		})
	}
}

func TestBuildQuarterStalled(t *testing.T) {
	in := testInput(t)
	in.Period = "2017-Q3"
	in.Reports = nil
	for _, p := range []plan.Period{"2017-Q1", "2017-Q2", "2017-Q3"} {
		in.Reports = append(in.Reports, rep("2.2.1", "区住建局", p, plan.Behind, "慢"))
	}
	d := Build(in)
	if len(d.Stalled) != 1 || d.Stalled[0].Periods[0] != "2017-Q1" {
		t.Errorf("stalled = %+v, want 2.2.1 from 2017-Q1", d.Stalled)
	}
}

func TestBuildUnreachable(t *testing.T) {
	d := Build(testInput(t))
	want := []Unreachable{
		{Unit: OfficeName, UserID: 103, Name: "联络人", Blocked: true},
		{Unit: "区法制办", UserID: 102, Name: "联络人区法制办", Blocked: true, Error: "Forbidden: bot was blocked by the user"},
		{Unit: "区卫计局", UserID: 104, Name: "联络人区卫计局", Error: "Bad Request: chat not found"},
	}
	if !reflect.DeepEqual(d.Unreachable, want) {
		t.Errorf("unreachable =\n%+v\nwant\n%+v", d.Unreachable, want)
	}
}

func TestBuildAcceptance(t *testing.T) {
	tests := []struct {
		name       string
		period     plan.Period
		acceptance bool // the plan's 成果验收制
		given      []store.Report
		want       bool
		submitted  int
	}{
		{"december with submissions", "2017-12", true, testAcceptance(), true, 2},
		{"december, none yet", "2017-12", true, nil, true, 0},
		{"fourth quarter, none yet", "2017-Q4", true, nil, true, 0},
		{"december, plan without acceptance", "2017-12", false, nil, false, 0},
		{"april", apr, true, nil, false, 0},
		{"april, given submissions anyway", apr, true, testAcceptance(), true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInput(t)
			in.Period, in.Acceptance = tt.period, tt.given
			in.Plan.Reporting.Acceptance = tt.acceptance
			a := Build(in).Acceptance
			if (a != nil) != tt.want {
				t.Fatalf("acceptance = %+v, want present %v", a, tt.want)
			}
			if a == nil {
				return
			}
			if a.Year != 2017 || len(a.Measures) != 8 || a.Submitted != tt.submitted {
				t.Errorf("year %d, %d measures, %d submitted; want 2017, 8, %d", a.Year, len(a.Measures), a.Submitted, tt.submitted)
			}
		})
	}

	in := testInput(t)
	in.Period, in.Acceptance = "2017-12", testAcceptance()
	a := Build(in).Acceptance
	m := a.Measures[0] // 1.1.1
	if len(m.Submissions) != 2 || m.Submissions[0].Unit != "区编办" || m.Submissions[1].Unit != "区法制办" ||
		m.Submissions[0].Attachments != 2 || len(m.Pending) != 0 || !reflect.DeepEqual(m.LeadUnits, []string{"区编办"}) {
		t.Errorf("1.1.1 = %+v; want 区编办 (lead, 2 attachments) then 区法制办, none pending", m)
	}
	if m := a.Measures[2]; m.ID != "1.2.1" || len(m.Submissions) != 0 || !reflect.DeepEqual(m.Pending, []string{"区财政局"}) {
		t.Errorf("1.2.1 = %+v; the superseded submission must not count", m)
	}
	if m := a.Measures[5]; m.ID != "2.2.1" || len(m.Submissions) != 0 {
		t.Errorf("2.2.1 = %+v; the 2016 submission must not count", m)
	}
}

func TestBuildEmpty(t *testing.T) {
	tests := []struct {
		name string
		in   Input
	}{
		{"no plan", Input{Period: apr}},
		{"no reports", Input{Plan: testPlan(), Period: apr}},
		{"malformed period", Input{Plan: testPlan(), Period: "April", Reports: testReports()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Build(tt.in)
			if d.Location == nil || d.Missing == nil || d.Difficulties == nil || d.Stalled == nil || d.Unreachable == nil {
				t.Errorf("digest has nil parts: %+v", d)
			}
			if d.Totals.Reported != 0 || d.Totals.Stalled != 0 {
				t.Errorf("totals = %+v, want nothing reported", d.Totals)
			}
			// Every renderer must cope.
			if _, err := d.JSON(); err != nil {
				t.Error(err)
			}
			if len(d.Messages()) == 0 {
				t.Error("no messages")
			}
			if _, err := d.XLSX(); err != nil {
				t.Error(err)
			}
			if _, err := d.PNG(); err != nil {
				t.Error(err)
			}
		})
	}
}
