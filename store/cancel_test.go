package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// A writer whose ctx is cancelled while its statement runs must not leave
// anything to the next writer on the shared connection (DB.w): database/sql
// rolls a cancelled transaction back later, from a goroutine of its own,
// and that ROLLBACK landed on the next writer's transaction, whose
// statements then committed one by one (90 of 300 before the fix).
func TestACancelledWriterLeavesTheNextAlone(t *testing.T) {
	db := MustOpen(t, nil)
	bg := context.Background()
	bad := 0
	for i := 0; i < 40; i++ {
		ctx, cancel := context.WithCancel(bg)
		time.AfterFunc(time.Duration(200+i%7*100)*time.Microsecond, cancel)
		_ = db.Update(ctx, func(tx *Tx) error {
			_, err := tx.tx.ExecContext(ctx, `
				WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < 1500)
				INSERT INTO meta (key, value) SELECT ?||x, 'a' FROM n`, fmt.Sprint("a", i, "-"))
			return err
		})
		cancel()
		err := db.Update(bg, func(tx *Tx) error {
			for j := 0; j < 20; j++ {
				if _, err := tx.tx.ExecContext(bg, `INSERT INTO meta (key, value) VALUES (?, 'b')`, fmt.Sprint("b", i, "-", j)); err != nil {
					return err
				}
			}
			return nil
		})
		var n int
		db.db.QueryRow(`SELECT count(*) FROM meta WHERE key LIKE ?`, fmt.Sprint("b", i, "-%")).Scan(&n)
		if err != nil || n != 20 {
			bad++
			if bad <= 3 {
				t.Errorf("writer %d: err=%v, %d/20 rows committed", i, err, n)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of 40 writers after a cancelled one failed or committed partly", bad)
	}
}
