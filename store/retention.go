package store

import (
	"context"
	"fmt"
	"time"
)

// DefaultKeepBodies is how long a finished message stays in the outbox
// with its body (text, buttons, file). Then a bulk message's record (key,
// chat, kind, period, when, result) moves to outbox_sent for good: it is
// what stops a message going twice and what the digest and the "was this
// user asked" check read. The bodies were 80% of a city's database after a
// year.
const DefaultKeepBodies = 30 * 24 * time.Hour

// DefaultKeepReplies is how long a finished reply (an answer to what a
// user did, a button's acknowledgement) is kept, when that is shorter than
// the keep given to PruneBodies. Its row is then deleted: the inbox row of
// its update already keeps the update from being applied twice, and
// nothing else reads it. Replies were 58% of a city's outbox rows.
const DefaultKeepReplies = 7 * 24 * time.Hour

// pruneBatch bounds one pruning transaction, so that intake never waits
// long behind it.
const pruneBatch = 2000

// PruneBodies empties the outbox of messages finished more than keep ago
// (replies: DefaultKeepReplies, if shorter): every sent one, and every
// failed one that a digest has reported since (kind "digest" in campaigns:
// the digest lists who could not be reached). Replies are deleted; other
// messages move to outbox_sent without their bodies. Deleting rows frees
// whole pages; incremental_vacuum then gives them back to the file system
// (on a database created with auto_vacuum, see dsn; otherwise new rows
// reuse them). It returns how many messages it took out.
func (db *DB) PruneBodies(ctx context.Context, keep time.Duration) (int, error) {
	now := db.now()
	cutoff := formatTime(now.Add(-keep))
	replyCutoff := formatTime(now.Add(-min(keep, DefaultKeepReplies)))
	total := 0
	for {
		var n int
		err := db.Update(ctx, func(tx *Tx) error {
			// The batch: finished, past its keep, and for failed ones
			// reported in a digest since. Read twice in one transaction,
			// it is the same rows both times.
			batch := `
				SELECT id FROM outbox
				WHERE state != 'pending' AND done_at < CASE kind WHEN 'reply' THEN ? ELSE ? END AND (
					state = 'sent'
					OR kind = 'reply'
					OR done_at < (SELECT coalesce(max(created_at), '') FROM campaigns WHERE kind = 'digest')
				)
				ORDER BY id
				LIMIT ?`
			if _, err := tx.tx.ExecContext(ctx, `
				INSERT INTO outbox_sent (key, id, kind, period, chat_id, user_id, state, attempts, done_at, message_id, error)
				SELECT key, id, kind, period, chat_id, user_id, state, attempts, done_at, message_id, error
				FROM outbox
				WHERE id IN (`+batch+`) AND kind != 'reply'
				ON CONFLICT (key) DO NOTHING`, replyCutoff, cutoff, pruneBatch); err != nil {
				return err
			}
			res, err := tx.tx.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (`+batch+`)`, replyCutoff, cutoff, pruneBatch)
			if err != nil {
				return err
			}
			n64, _ := res.RowsAffected()
			n = int(n64)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("store: prune sent messages: %w", err)
		}
		total += n
		if n < pruneBatch || ctx.Err() != nil {
			break
		}
	}
	if total > 0 {
		if _, err := db.exec(ctx, `PRAGMA incremental_vacuum`); err != nil {
			return total, fmt.Errorf("store: prune sent messages: %w", err)
		}
	}
	return total, nil
}

// Checkpoint copies the write-ahead log into the database file and
// truncates it, so that a large campaign does not leave the -wal file at
// its high-water mark.
func (db *DB) Checkpoint(ctx context.Context) error {
	db.ckptMu.Lock()
	defer db.ckptMu.Unlock()
	if _, err := db.exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	return nil
}

// DefaultKeepInbox is how long an update's inbox row is kept. Telegram
// delivers an unconfirmed update again for at most 24 hours, so after that
// the row no longer keeps anything from being applied twice.
const DefaultKeepInbox = 30 * 24 * time.Hour

// PruneInbox deletes the inbox rows of updates received more than keep
// ago, except the newest (LastUpdateID: where getUpdates resumes, and what
// the dashboard's cache watches). It returns how many it deleted.
func (db *DB) PruneInbox(ctx context.Context, keep time.Duration) (int, error) {
	cutoff := formatTime(db.now().Add(-keep))
	total := 0
	for {
		res, err := db.exec(ctx, `
			DELETE FROM inbox
			WHERE update_id IN (
				SELECT update_id FROM inbox
				WHERE received_at < ? AND update_id < (SELECT max(update_id) FROM inbox)
				ORDER BY update_id
				LIMIT ?
			)`, cutoff, pruneBatch)
		if err != nil {
			return total, fmt.Errorf("store: prune inbox: %w", err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
		if n < pruneBatch || ctx.Err() != nil {
			break
		}
	}
	if total > 0 {
		if _, err := db.exec(ctx, `PRAGMA incremental_vacuum`); err != nil {
			return total, fmt.Errorf("store: prune inbox: %w", err)
		}
	}
	return total, nil
}
