package store

import (
	"context"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

// ReplaceReport supersedes the current version and returns it, in the one
// statement that does both; the first version replaces nothing. Another
// unit's or period's version is left alone.
func TestReplaceReportReturnsWhatItReplaced(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	rep := func(unit string, period plan.Period, text string, by int64) Report {
		return Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: unit, Period: period, Status: plan.OnTrack, Text: text, ReporterID: by, ReporterName: "联络人"}
	}
	replace := func(r Report) (saved, replaced Report) {
		t.Helper()
		clk.Add(time.Minute)
		err := db.Update(ctx, func(tx *Tx) error {
			var err error
			saved, replaced, err = tx.ReplaceReport(ctx, r)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return saved, replaced
	}
	first, none := replace(rep("区编办", "2017-04", "初稿", 1))
	if none.ID != 0 {
		t.Fatalf("the first version replaced %+v", none)
	}
	replace(rep("区法制办", "2017-04", "另一单位", 2))
	replace(rep("区编办", "2017-05", "下一期", 1))
	second, replaced := replace(rep("区编办", "2017-04", "定稿", 3))
	if replaced.ID != first.ID || replaced.Text != "初稿" || replaced.ReporterID != 1 || !replaced.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("replaced %+v; want the first version %+v", replaced, first)
	}
	if replaced.SupersededAt.IsZero() {
		t.Error("the replaced version is not marked superseded")
	}
	cur, err := db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || cur.ID != second.ID || cur.Text != "定稿" {
		t.Errorf("current %+v, %v; want the second version", cur, err)
	}
	for _, u := range []struct {
		unit   string
		period plan.Period
		text   string
	}{{"区法制办", "2017-04", "另一单位"}, {"区编办", "2017-05", "下一期"}} {
		if r, err := db.CurrentReport(ctx, 2017, "2.1.1", u.unit, u.period); err != nil || r.Text != u.text {
			t.Errorf("%s %s: %+v, %v; want %q left alone", u.unit, u.period, r, err, u.text)
		}
	}
}

// LatestReviews gives each version its newest review, asked for one
// version or several.
func TestLatestReviewsAreTheNewest(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	var a, b, c Report
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		for i, r := range []*Report{&a, &b, &c} {
			if *r, err = tx.SaveReport(ctx, Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: []string{"甲", "乙", "丙"}[i],
				Period: "2017-04", Status: plan.OnTrack, Text: "进展", ReporterID: 1, ReporterName: "联络人"}); err != nil {
				return err
			}
		}
		for _, rv := range []Review{
			{ReportID: a.ID, Kind: ReviewReturned, Comment: "请补充"},
			{ReportID: a.ID, Kind: ReviewRead, Comment: "可以"},
			{ReportID: b.ID, Kind: ReviewRead, Comment: "好"},
			{ReportID: b.ID, Kind: ReviewReturned, Comment: "再补充"},
		} {
			rv.ByID, rv.ByName = 9, "改革办"
			if _, err := tx.AddReview(ctx, rv); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		for _, ids := range [][]int64{{a.ID}, {b.ID}, {c.ID}, {a.ID, b.ID, c.ID}} {
			got, err := tx.LatestReviews(ctx, ids...)
			if err != nil {
				return err
			}
			want := map[int64]string{a.ID: "可以", b.ID: "再补充"}
			for _, id := range ids {
				if got[id].Comment != want[id] {
					t.Errorf("LatestReviews(%v)[%d] = %q; want %q", ids, id, got[id].Comment, want[id])
				}
			}
			if len(got) > len(ids) {
				t.Errorf("LatestReviews(%v) = %v: more than was asked", ids, got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
