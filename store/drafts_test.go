package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

// Discarding a draft removes it and its files and makes the version it
// replaced current again, as if it had never been saved; a version that
// is not the reporter's, not current, or reviewed is left alone.
func TestDiscardDraftRestoresTheReplacedVersion(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	save := func(text string, by int64, files int) Report {
		t.Helper()
		clk.Add(time.Minute)
		var saved Report
		err := db.Update(ctx, func(tx *Tx) error {
			var err error
			saved, err = tx.SaveReport(ctx, Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04",
				Status: plan.OnTrack, Text: text, ReporterID: by, ReporterName: "联络人"})
			for i := 0; i < files && err == nil; i++ {
				_, err = tx.AddAttachment(ctx, saved.ID, Attachment{Kind: Photo, FileID: "f", FileUniqueID: "u"})
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	discard := func(id, by int64) (Report, error) {
		t.Helper()
		var restored Report
		err := db.Update(ctx, func(tx *Tx) error {
			var err error
			restored, err = tx.DiscardDraft(ctx, id, by)
			return err
		})
		return restored, err
	}

	good := save("已印发实施。", 1, 1)
	draft := save("", 1, 2)
	if _, err := discard(draft.ID, 2); !errors.Is(err, ErrNotFound) {
		t.Errorf("another contact discarded the draft: %v", err)
	}
	if _, err := discard(good.ID, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("a superseded version was discarded: %v", err)
	}
	restored, err := discard(draft.ID, 1)
	if err != nil || restored.ID != good.ID || !restored.Current() || len(restored.Attachments) != 1 {
		t.Fatalf("restored %+v, %v; want the good version, current, with its file", restored, err)
	}
	cur, err := db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || cur.ID != good.ID || cur.Text != "已印发实施。" || len(cur.Attachments) != 1 {
		t.Errorf("current %+v, %v; want the good version", cur, err)
	}
	hist, err := db.History(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || len(hist) != 1 {
		t.Errorf("history %d versions, %v; want the draft gone", len(hist), err)
	}
	if log, _ := db.AuditLog(ctx, 1); len(log) != 1 || log[0].Action != "report.discard" || log[0].Actor != 1 {
		t.Errorf("audit %+v; want the discard", log)
	}

	// A first draft leaves nothing behind.
	db = MustOpen(t, clk.Now)
	first := save("", 1, 1)
	if restored, err := discard(first.ID, 1); err != nil || restored.ID != 0 {
		t.Errorf("restored %+v, %v; want nothing", restored, err)
	}
	if _, err := db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a report is left after discarding the first draft: %v", err)
	}

	// A draft the office already reviewed is theirs too: it stays.
	reviewed := save("", 1, 0)
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.AddReview(ctx, Review{ReportID: reviewed.ID, Kind: ReviewRead, ByID: 9})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := discard(reviewed.ID, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("a reviewed draft was discarded: %v", err)
	}
}

// The words finish a draft in place: one version with the files, saved
// when the words came; a reviewed or replaced draft is not rewritten.
func TestFinishDraftIsOneVersion(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	var draft Report
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		draft, err = tx.SaveReport(ctx, Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04",
			Status: plan.OnTrack, ReporterID: 1, ReporterName: "联络人"})
		if err == nil {
			_, err = tx.AddAttachment(ctx, draft.ID, Attachment{Kind: Photo, FileID: "f", FileUniqueID: "u"})
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	var got Report
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.FinishDraft(ctx, draft.ID, 2, "别人的话", "另一人"); !errors.Is(err, ErrNotFound) {
			t.Errorf("another contact finished the draft: %v", err)
		}
		var err error
		got, err = tx.FinishDraft(ctx, draft.ID, 1, "场地已改造。", "联络人")
		return err
	})
	if err != nil || got.ID != draft.ID || got.Text != "场地已改造。" || len(got.Attachments) != 1 || !got.CreatedAt.Equal(clk.Now()) {
		t.Fatalf("finished %+v, %v", got, err)
	}
	if hist, _ := db.History(ctx, 2017, "2.1.1", "区编办", "2017-04"); len(hist) != 1 {
		t.Errorf("%d versions, want one", len(hist))
	}
}
