package schedule

import (
	"context"
	"testing"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// A report the office sent back (退回补充) is reminded like a missing one.
func TestRemindersNameReturnedReports(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.clock.Set(at(2017, 4, 28, 9))
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		rep, err := tx.SaveReport(ctx, store.Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04",
			Status: plan.OnTrack, Text: "x", ReporterID: 1})
		if err != nil {
			return err
		}
		_, err = tx.AddReview(ctx, store.Review{ReportID: rep.ID, Kind: store.ReviewReturned, Comment: "请补充", ByID: 9})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.s.RemindNow(ctx, "2017-04")
	if err != nil || n != 1 {
		t.Fatalf("reminders: %d, %v; want 1 (the returned report)", n, err)
	}
	msgs, _ := f.db.Messages(ctx, KindRemind, "2017-04")
	if len(msgs) != 1 || msgs[0].Payload.Text != "remind 区编办 2017-04 2.1.1" {
		t.Fatalf("reminder = %+v", msgs)
	}
}
