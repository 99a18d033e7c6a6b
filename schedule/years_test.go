package schedule

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// campaignsIn ticks hourly through [from, to) and lists the campaigns made.
func campaignsIn(t *testing.T, f *fixture, from, to time.Time) []string {
	t.Helper()
	ctx := context.Background()
	for now := from; now.Before(to); now = now.Add(time.Hour) {
		f.clock.Set(now)
		if err := f.s.Tick(ctx, TriggerCron); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := f.db.Campaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s", c.Kind, c.Period))
	}
	sort.Strings(out)
	return out
}

// A real plan's periods are its year's: past it, December's reminder and
// digest still go out in January, but January is not prompted until the
// new year's plan is in force; then it is.
func TestARealPlanStopsAtTheEndOfItsYear(t *testing.T) {
	f := newFixture(t, Config{CatchUp: time.Hour})
	f.bind(t, 1, store.RoleContact, "区编办")
	f.bind(t, 9, store.RoleOffice, "")
	got := strings.Join(campaignsIn(t, f, at(2017, 12, 20, 0), at(2018, 2, 10, 0)), "\n")
	for _, want := range []string{"digest 2017-12", "prompt 2017-12", "remind 2017-12"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q missing:\n%s", want, got)
		}
	}
	if strings.Contains(got, "2018-") {
		t.Errorf("2018 was run without a 2018 plan:\n%s", got)
	}
	if err := f.s.CheckPeriod("2018-01"); err == nil || !strings.Contains(err.Error(), "plans for 2017") {
		t.Errorf("CheckPeriod(2018-01) = %v, want an error naming the plan years", err)
	}

	next := testPlan()
	next.Year = 2018
	f.s.SetPlans(plan.NewYears(testPlan(), next))
	got = strings.Join(campaignsIn(t, f, at(2018, 2, 20, 0), at(2018, 3, 10, 0)), "\n")
	if !strings.Contains(got, "prompt 2018-02") {
		t.Errorf("2018's plan in force, February not prompted:\n%s", got)
	}
}

// The sample stands for this year, whatever year its file names.
func TestTheSampleFollowsTheCalendar(t *testing.T) {
	f := newFixture(t, Config{CatchUp: time.Hour})
	sample := plan.Default()
	sample.Sample = true
	f.s.SetPlans(plan.NewYears(sample))
	f.bind(t, 1, store.RoleContact, "区编办")
	got := strings.Join(campaignsIn(t, f, at(2026, 4, 20, 0), at(2026, 4, 30, 0)), "\n")
	if !strings.Contains(got, "prompt 2026-04") {
		t.Errorf("the sample did not prompt April 2026:\n%s", got)
	}
}

// A unit renamed in mid-period: what it reported under its old name counts,
// so it is not reminded of it again.
func TestAReportUnderTheFormerNameCounts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, Config{CatchUp: time.Hour})
	f.bind(t, 1, store.RoleContact, "区编办")
	f.clock.Set(at(2017, 4, 26, 10))
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveReport(ctx, store.Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04", Status: plan.OnTrack, Text: "x", ReporterID: 1})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	renamed := testPlan()
	renamed.Units[0] = plan.Unit{Name: "区委编办", Aliases: []string{}, Formerly: []string{"区编办"}}
	renamed.Categories[0].Projects[0].Measures[0].LeadUnits = []string{"区委编办"}
	if _, err := f.db.Activate(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	f.s.SetPlans(plan.NewYears(renamed))
	if c, err := f.db.Contact(ctx, 1); err != nil || c.Unit != "区委编办" {
		t.Fatalf("the contact did not follow the rename: %+v, %v", c, err)
	}
	n, err := f.s.RemindNow(ctx, "2017-04")
	if err != nil || n != 0 {
		t.Errorf("reminded %d contacts (%v); the renamed unit reported 2.1.1 under its old name", n, err)
	}
}

// WillRun tells what Run does: past the plan's year, December's reminder
// and digest still go out, January's prompt does not.
func TestWillRunIsWhatRunDoes(t *testing.T) {
	f := newFixture(t, Config{})
	want := "prompt 2017-12 true,remind 2017-12 true,remind 2017-12 true,digest 2017-12 true,prompt 2018-01 false,remind 2018-01 false"
	if got := willRunAround(f.s); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// willRunAround lists the runs from 20 December 2017 to 1 February 2018
// with whether s would do each.
func willRunAround(s *Scheduler) string {
	var got []string
	for _, o := range s.Occurrences(at(2017, 12, 20, 0), at(2018, 2, 1, 0)) {
		got = append(got, fmt.Sprintf("%s %s %v", o.Kind, o.Period, s.WillRun(o)))
	}
	return strings.Join(got, ",")
}

// A year whose plan reports in the other cadence is not run in the
// scheduler's: no quarter's reminder and digest for a monthly 2017, no
// monthly prompt for a quarterly 2018.
func TestARunInTheOtherCadenceIsNotDone(t *testing.T) {
	quarterly := testPlan()
	quarterly.Year, quarterly.Reporting.Cadence = 2018, plan.Quarterly
	f := newFixture(t, Config{}) // monthly, started with 2017's plan
	f.s.SetPlans(plan.NewYears(testPlan(), quarterly))
	want := "prompt 2017-12 true,remind 2017-12 true,remind 2017-12 true,digest 2017-12 true,prompt 2018-01 false,remind 2018-01 false"
	if got := willRunAround(f.s); got != want {
		t.Errorf("monthly scheduler, quarterly 2018:\ngot  %s\nwant %s", got, want)
	}

	cfg := DefaultConfig(plan.Quarterly)
	cfg.Location = shanghai
	s, err := New(cfg, f.db, quarterly, texts{}, slog.New(slog.NewTextHandler(io.Discard, nil)), f.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	s.SetPlans(plan.NewYears(testPlan(), quarterly))
	for _, o := range s.Occurrences(at(2017, 12, 20, 0), at(2018, 4, 10, 0)) {
		if o.Period.Year() == 2017 && o.Kind != KindAcceptance && s.WillRun(o) {
			t.Errorf("quarterly scheduler: %s %s would run under the monthly 2017 plan", o.Kind, o.Period)
		}
		if o.Period.Year() == 2018 && o.Period.IsQuarter() && !s.WillRun(o) {
			t.Errorf("quarterly scheduler: %s %s would not run under the quarterly 2018 plan", o.Kind, o.Period)
		}
	}
}
