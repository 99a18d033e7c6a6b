package store

import (
	"context"
	"fmt"
	"time"
)

// DefaultKeepBodies is how long the body of a sent message (its text,
// buttons, file) is kept. Its record (key, chat, kind, when, result) stays
// for good: it is what stops a message going twice and what the digest
// and the "was this user asked" check read. The bodies were 80% of a
// city's database after a year.
const DefaultKeepBodies = 30 * 24 * time.Hour

// pruneBatch bounds one pruning transaction, so that intake never waits
// long behind it.
const pruneBatch = 2000

// PruneBodies drops the bodies of messages finished more than keep ago:
// every sent one, and every failed one that a digest has reported since
// (kind "digest" in campaigns: the digest lists who could not be reached).
// It returns how many it pruned.
func (db *DB) PruneBodies(ctx context.Context, keep time.Duration) (int, error) {
	cutoff := formatTime(db.now().Add(-keep))
	total := 0
	for {
		res, err := db.exec(ctx, `
			UPDATE outbox SET
				payload = '{}',
				file_data = NULL
			WHERE id IN (
				SELECT id FROM outbox
				WHERE done_at < ? AND payload != '{}' AND (
					state = 'sent'
					OR (state = 'failed' AND done_at < (
						SELECT coalesce(max(created_at), '') FROM campaigns WHERE kind = 'digest'
					))
				)
				ORDER BY id
				LIMIT ?
			)`, cutoff, pruneBatch)
		if err != nil {
			return total, fmt.Errorf("store: prune message bodies: %w", err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
		if n < pruneBatch || ctx.Err() != nil {
			return total, nil
		}
	}
}

// Checkpoint copies the write-ahead log into the database file and
// truncates it, so that a large campaign does not leave the -wal file at
// its high-water mark.
func (db *DB) Checkpoint(ctx context.Context) error {
	if _, err := db.exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	return nil
}
