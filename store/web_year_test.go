package store

import (
	"context"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

// The dashboard's year read must answer exactly what PeriodReports and
// ReturnedReports answer, period by period.
func TestYearReportsAreThePeriodReports(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	add := func(r Report, att ...Attachment) Report {
		t.Helper()
		clk.Add(time.Minute)
		var out Report
		err := db.Update(ctx, func(tx *Tx) error {
			var err error
			if out, err = tx.SaveReport(ctx, r); err != nil {
				return err
			}
			for _, a := range att {
				if _, err := tx.AddAttachment(ctx, out.ID, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	review := func(r Report, kind ReviewKind) {
		t.Helper()
		clk.Add(time.Minute)
		err := db.Update(ctx, func(tx *Tx) error {
			_, err := tx.AddReview(ctx, Review{ReportID: r.ID, Kind: kind, Comment: "意见", ByID: 9, ByName: "改革办"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	rep := func(measure, unit string, period plan.Period, text string) Report {
		return Report{PlanYear: 2017, MeasureID: measure, Unit: unit, Period: period, Status: plan.OnTrack, Text: text, ReporterID: 1, ReporterName: "张三"}
	}
	photo := Attachment{Kind: Photo, FileID: "p1", FileUniqueID: "u1", Size: 10, Caption: "现场"}
	doc := Attachment{Kind: Document, FileID: "d1", FileUniqueID: "u2", FileName: "纪要.pdf", MimeType: "application/pdf", Size: 20}

	a := add(rep("2.1.1", "区编办", "2017-04", "四月"), photo, doc)
	add(rep("2.1.1", "区编办", "2017-05", "五月初稿"), photo)
	b := add(rep("2.1.1", "区编办", "2017-05", "五月定稿")) // supersedes the draft and its photo
	c := add(rep("2.1.2", "区法制办", "2017-05", "法制办"))
	add(rep("2.1.1", "区财政局", "2017-03", "三月"))
	add(rep("2.1.1", "区编办", "2017", "成果材料")) // acceptance: the year, not a month
	add(Report{PlanYear: 2018, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-05", Status: plan.Done, Text: "另一年的计划"})
	review(a, ReviewReturned)
	review(b, ReviewReturned)
	review(b, ReviewRead) // read after the return: no longer 需补充
	review(c, ReviewRead)
	review(c, ReviewReturned)

	periods := []plan.Period{"2017-05", "2017-04", "2017-02", "2017-05"}
	got, err := db.YearReports(ctx, 2017, periods...)
	if err != nil {
		t.Fatal(err)
	}
	var want []Report
	var wantReturns []Review
	seen := map[plan.Period]bool{}
	for _, p := range periods {
		if seen[p] {
			continue
		}
		seen[p] = true
		rs, err := db.PeriodReports(ctx, 2017, p)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, rs...)
		rv, err := db.ReturnedReports(ctx, 2017, p)
		if err != nil {
			t.Fatal(err)
		}
		wantReturns = append(wantReturns, rv...)
	}
	if len(want) != 3 || len(wantReturns) != 2 {
		t.Fatalf("fixture: %d reports, %d returns: the test proves nothing", len(want), len(wantReturns))
	}
	for i := range want {
		want[i].ReporterID = 0 // not read: the digest does not use it
	}
	// Ordered by period; within a period any order.
	byPeriodThenID := func(rs []Report) {
		sort.SliceStable(rs, func(i, j int) bool {
			if rs[i].Period != rs[j].Period {
				return rs[i].Period < rs[j].Period
			}
			return rs[i].ID < rs[j].ID
		})
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].Period > got[i].Period {
			t.Fatalf("not ordered by period: %v then %v", got[i-1].Period, got[i].Period)
		}
	}
	byPeriodThenID(want)
	byPeriodThenID(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("YearReports:\n got %+v\nwant %+v", got, want)
	}

	returns, err := db.YearReturns(ctx, 2017, periods...)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(wantReturns, func(i, j int) bool { return wantReturns[i].ID < wantReturns[j].ID })
	sort.Slice(returns, func(i, j int) bool { return returns[i].ID < returns[j].ID })
	if !reflect.DeepEqual(returns, wantReturns) {
		t.Errorf("YearReturns:\n got %+v\nwant %+v", returns, wantReturns)
	}
}
