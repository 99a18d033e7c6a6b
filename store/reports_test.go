package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

func save(t *testing.T, db *DB, r Report) Report {
	t.Helper()
	var out Report
	err := db.Update(context.Background(), func(tx *Tx) error {
		var err error
		out, err = tx.SaveReport(context.Background(), r)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReportVersionsAreKept(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	first := save(t, db, Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04", Status: plan.OnTrack, Text: "第一版", ReporterID: 1})
	err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.AddAttachment(ctx, first.ID, Attachment{Kind: Photo, FileID: "photo-1", Size: 1234})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	second := save(t, db, Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04", Status: plan.NeedsHelp, Text: "第二版", ReporterID: 2, CarryFrom: first.ID})
	if len(second.Attachments) != 1 || second.Attachments[0].FileID != "photo-1" {
		t.Errorf("attachments did not carry over when asked to: %+v", second.Attachments)
	}
	replaced := clk.Now()
	// Not asked, or asked for another version: a new version starts bare.
	for _, carry := range []int64{0, first.ID} {
		clk.Add(time.Minute)
		prev, err := db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
		if err != nil {
			t.Fatal(err)
		}
		again := save(t, db, Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04", Status: plan.NeedsHelp, Text: "第二版", ReporterID: 2, CarryFrom: carry})
		if len(again.Attachments) != 0 {
			t.Errorf("carry from %d (replacing %d): attachments carried over silently: %+v", carry, prev.ID, again.Attachments)
		}
	}
	// Another unit and another period are separate reports.
	save(t, db, Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区法制办", Period: "2017-04", Status: plan.Done, Text: "法制办", ReporterID: 3})
	save(t, db, Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-05", Status: plan.Behind, Text: "五月", ReporterID: 1})

	cur, err := db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || cur.Text != "第二版" || cur.Status != plan.NeedsHelp || !cur.Current() {
		t.Fatalf("current = %+v, %v", cur, err)
	}
	hist, err := db.History(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || len(hist) != 4 {
		t.Fatalf("history = %d versions, %v; want 4", len(hist), err)
	}
	if hist[0].Text != "第一版" || hist[0].Current() || hist[0].SupersededAt != replaced {
		t.Errorf("old version = %+v", hist[0])
	}
	if len(hist[0].Attachments) != 1 {
		t.Errorf("old version lost its attachment")
	}
	april, err := db.PeriodReports(ctx, 2017, "2017-04")
	if err != nil || len(april) != 2 {
		t.Fatalf("April reports = %d, %v; want 2 current", len(april), err)
	}
	both, err := db.PeriodReports(ctx, 2017, "2017-04", "2017-05")
	if err != nil || len(both) != 3 {
		t.Fatalf("April+May reports = %d, %v; want 3", len(both), err)
	}
	latest, err := db.MeasureReports(ctx, 2017, "2.1.1", 10)
	if err != nil || len(latest) != 3 || latest[0].Period != "2017-05" {
		t.Fatalf("measure reports = %+v, %v", latest, err)
	}
	// 2.1.1 of another plan year is another measure.
	save(t, db, Report{PlanYear: 2018, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04", Status: plan.Done, Text: "另一年", ReporterID: 1})
	if cur, err := db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04"); err != nil || cur.Text != "第二版" {
		t.Errorf("2017's report after another year's: %+v, %v", cur, err)
	}
	if other, err := db.MeasureReports(ctx, 2018, "2.1.1", 10); err != nil || len(other) != 1 || other[0].PlanYear != 2018 {
		t.Errorf("2018's reports on 2.1.1 = %+v, %v; want the one", other, err)
	}
	if _, err := db.CurrentReport(ctx, 2017, "9.9.9", "区编办", "2017-04"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing report: %v, want ErrNotFound", err)
	}
}

func TestSaveReportNeedsItsKeys(t *testing.T) {
	db := MustOpen(t, nil)
	err := db.Update(context.Background(), func(tx *Tx) error {
		_, err := tx.SaveReport(context.Background(), Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Status: plan.OnTrack})
		return err
	})
	if err == nil {
		t.Fatal("a report without a period was saved")
	}
}

func TestConversationSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/r.db"
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Conversation{UserID: 7, State: WritingText, MeasureID: "3.1.2", Unit: "区财政局", Period: "2017-04", Status: plan.Behind}
	if err := db.Update(ctx, func(tx *Tx) error { return tx.SetConversation(ctx, want) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got Conversation
	err = db.Update(ctx, func(tx *Tx) error {
		var err error
		got, err = tx.Conversation(ctx, 7)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got.UpdatedAt = time.Time{}
	if got != want {
		t.Errorf("after reopen: %+v, want %+v", got, want)
	}
}

func TestInbox(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, nil)
	if id, err := db.LastUpdateID(ctx); err != nil || id != 0 {
		t.Fatalf("empty inbox: %d, %v", id, err)
	}
	err := db.Update(ctx, func(tx *Tx) error {
		for _, id := range []int64{10, 12, 11} {
			if err := tx.RecordUpdate(ctx, InboxEntry{UpdateID: id, Kind: "message", Outcome: OutcomeDone}); err != nil {
				return err
			}
		}
		seen, err := tx.Seen(ctx, 11)
		if err != nil || !seen {
			t.Errorf("Seen(11) = %v, %v", seen, err)
		}
		seen, err = tx.Seen(ctx, 13)
		if err != nil || seen {
			t.Errorf("Seen(13) = %v, %v", seen, err)
		}
		// Recording the same update twice is an error, never a second row.
		if err := tx.RecordUpdate(ctx, InboxEntry{UpdateID: 12, Kind: "message", Outcome: OutcomeDone}); err == nil {
			t.Error("update 12 recorded twice")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if id, err := db.LastUpdateID(ctx); err != nil || id != 12 {
		t.Errorf("LastUpdateID = %d, %v; want 12", id, err)
	}
}
