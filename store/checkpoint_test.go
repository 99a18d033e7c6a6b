package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A commit leaves its pages in the WAL; the background checkpoint copies
// them into the database file without any further commit asking for it.
// (SQLite's own automatic checkpoint would wait for 10,000 pages: this
// commit is ~130.)
func TestCommitsAreCheckpointedInTheBackground(t *testing.T) {
	db := MustOpen(t, nil)
	ctx := context.Background()
	before := fileSize(t, db.Path())
	if err := db.SetMeta(ctx, "ballast", strings.Repeat("改革", 1<<19/6)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second) // generous: a loaded machine
	for fileSize(t, db.Path()) < before+1<<18 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (was %d): the WAL was not checkpointed", fileSize(t, db.Path()), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Close stops the checkpointer: closing twice or closing while it waits
// must neither hang nor panic.
func TestCloseStopsTheCheckpointer(t *testing.T) {
	db := MustOpen(t, nil)
	if err := db.SetMeta(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	db.Close() // while the checkpointer waits out its pause
	db.stopCheckpointer()
}

// Statements are kept by their text: a query whose text changed with its
// arguments (an IN list of ids, as the attachments and reviews queries
// once were) would
// fill the cache with one-offs until nothing else could be kept.
func TestStatementTextsDoNotGrowWithData(t *testing.T) {
	db := MustOpen(t, newClock().Now)
	ctx := context.Background()
	kept := func() int {
		db.stmts.mu.Lock()
		defer db.stmts.mu.Unlock()
		return len(db.stmts.stmts)
	}
	var after []int
	for i, unit := range []string{"甲", "乙", "丙", "丁"} {
		for j := 0; j <= i; j++ {
			save(t, db, Report{PlanYear: 2017, MeasureID: "1." + string(rune('1'+j)), Unit: unit, Period: "2017-04", Status: "on_track", Text: "进展", ReporterID: 1})
		}
		err := db.Update(ctx, func(tx *Tx) error {
			reps, err := tx.PeriodReports(ctx, 2017, "2017-04")
			if err != nil {
				return err
			}
			var ids []int64
			for _, r := range reps {
				ids = append(ids, r.ID)
			}
			_, err = tx.LatestReviews(ctx, ids...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		after = append(after, kept())
	}
	if after[0] == 0 || after[len(after)-1] != after[1] {
		t.Fatalf("kept statements after each round: %v; want the same count once warm", after)
	}
}
