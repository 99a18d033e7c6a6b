package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// A failing step rolls back alone; the steps around it are committed.
func TestTryRollsBackOneStep(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, newClock().Now)
	boom := errors.New("boom")
	err := db.Update(ctx, func(tx *Tx) error {
		for _, e := range []InboxEntry{{UpdateID: 1}, {UpdateID: 2}, {UpdateID: 3}} {
			fnErr, err := tx.Try(ctx, func() error {
				e.Kind, e.Outcome = "message", OutcomeDone
				if err := tx.RecordUpdate(ctx, e); err != nil {
					return err
				}
				if e.UpdateID == 2 {
					return boom // after its write: the write must go
				}
				return nil
			})
			if err != nil {
				return err
			}
			if (fnErr != nil) != (e.UpdateID == 2) {
				t.Errorf("update %d: %v", e.UpdateID, fnErr)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int64]bool{1: true, 2: false, 3: true} {
		var seen bool
		_ = db.Update(ctx, func(tx *Tx) (err error) { seen, err = tx.Seen(ctx, id); return err })
		if seen != want {
			t.Errorf("update %d recorded: %v, want %v", id, seen, want)
		}
	}
}

// Claim records an update once: a second claim of the same id (Telegram
// delivering it again) is refused, and a claim rolled back with its
// savepoint is no claim at all.
func TestClaimRecordsAnUpdateOnce(t *testing.T) {
	db := MustOpen(t, nil)
	ctx := context.Background()
	e := InboxEntry{UpdateID: 41, UserID: 7, Kind: "message", Outcome: OutcomeDone}
	var first, again, undone, retried bool
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		if first, err = tx.Claim(ctx, e); err != nil {
			return err
		}
		if again, err = tx.Claim(ctx, e); err != nil {
			return err
		}
		if err := tx.SetOutcome(ctx, 41, OutcomeFailed, "why"); err != nil {
			return err
		}
		fnErr, err := tx.Try(ctx, func() error {
			var err error
			undone, err = tx.Claim(ctx, InboxEntry{UpdateID: 42, Kind: "message", Outcome: OutcomeDone})
			if err != nil {
				return err
			}
			return errors.New("handler failed")
		})
		if err != nil || fnErr == nil {
			return fmt.Errorf("try: %v, %v", fnErr, err)
		}
		retried, err = tx.Claim(ctx, InboxEntry{UpdateID: 42, Kind: "message", Outcome: OutcomeDone})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !first || again || !undone || !retried {
		t.Fatalf("claims: first %v, again %v, in the rolled-back savepoint %v, after it %v; want true false true true", first, again, undone, retried)
	}
	counts, err := db.InboxCounts(ctx)
	if err != nil || counts[OutcomeFailed] != 1 || counts[OutcomeDone] != 1 {
		t.Fatalf("inbox %v, %v; want 41 failed and 42 done", counts, err)
	}
}
