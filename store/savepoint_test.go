package store

import (
	"context"
	"errors"
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
