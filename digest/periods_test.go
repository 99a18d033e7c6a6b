package digest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// BuildPeriods must be Build, period by period, on everything Build reads:
// stalled pairs across periods, deadlines, returns (退回补充) and 督办 of
// several periods, superseded and doubled versions, reports on pairs the
// plan does not assign, acceptance, contacts and failed messages.
func TestBuildPeriodsIsBuild(t *testing.T) {
	in := yearInput(t)
	in.GeneratedAt = time.Date(2017, 12, 20, 2, 0, 0, 0, time.UTC) // mid-December
	ms := in.Plan.Categories[0].Projects[0].Measures
	ms[0].Deadline, ms[1].Deadline = "2017-06-30", "2017-11-30"
	in.Plan.Categories[1].Projects[2].Measures[0].Deadline = "2017-12-31"

	var returned, stalledBefore int
	for i, r := range in.Reports {
		switch {
		case i%97 == 0:
			in.Returned = append(in.Returned, store.Review{ID: int64(i), ReportID: r.ID, Kind: store.ReviewReturned,
				Comment: "请补充", At: r.CreatedAt.Add(time.Hour), MeasureID: r.MeasureID, Unit: r.Unit, Period: r.Period})
			returned++
		case i%89 == 0:
			in.Returned = append(in.Returned, store.Review{ID: int64(i), ReportID: r.ID, Kind: store.ReviewRead,
				MeasureID: r.MeasureID, Unit: r.Unit, Period: r.Period})
		case i%83 == 0:
			in.Urges = append(in.Urges, store.Urge{ID: int64(i), MeasureID: r.MeasureID, Unit: r.Unit, Period: r.Period, Text: "督办"})
		}
	}
	extra := in.Reports[:0:0]
	for i, r := range in.Reports[:300] {
		switch i % 3 {
		case 0: // an older version, superseded
			old := r
			old.ID, old.Status, old.CreatedAt, old.SupersededAt = r.ID+100000, plan.NeedsHelp, r.CreatedAt.Add(-time.Hour), r.CreatedAt
			extra = append(extra, old)
		case 1: // a second current version (a careless merge): the newer wins
			dup := r
			dup.ID, dup.Status, dup.CreatedAt = r.ID+200000, plan.Behind, r.CreatedAt.Add(time.Hour)
			extra = append(extra, dup)
		}
	}
	stray := in.Reports[0]
	stray.ID, stray.Unit = 300000, "不在计划里的单位"
	in.Reports = append(append(in.Reports, extra...), stray)

	var periods []plan.Period
	for m := 1; m <= 12; m++ {
		periods = append(periods, plan.Period(fmt.Sprintf("2017-%02d", m)))
	}
	periods = append(periods, "2017-05", "坏期次")
	got := BuildPeriods(in, periods...)
	if len(got) != len(periods) {
		t.Fatalf("%d digests for %d periods", len(got), len(periods))
	}
	for i, p := range periods {
		one := in
		one.Period = p
		want := Build(one)
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("%s: BuildPeriods differs from Build:\n got totals %+v, %d returned, %d urged\nwant totals %+v, %d returned, %d urged",
				p, got[i].Totals, len(got[i].Returned), len(got[i].Urged), want.Totals, len(want.Returned), len(want.Urged))
		}
		stalledBefore += len(want.Stalled)
	}
	dec := got[11]
	if returned == 0 || stalledBefore == 0 || len(dec.Overdue) == 0 || dec.Acceptance == nil || len(dec.Unreachable) == 0 {
		t.Fatalf("the fixture misses a rule (returned %d, stalled %d, overdue %d, acceptance %v, unreachable %d): the test proves nothing",
			returned, stalledBefore, len(dec.Overdue), dec.Acceptance != nil, len(dec.Unreachable))
	}
}
