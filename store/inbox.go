package store

import (
	"context"
	"fmt"
	"time"
)

// Update outcomes in the inbox.
const (
	OutcomeDone   = "done"   // its effects are committed with its inbox row
	OutcomeFailed = "failed" // its handler failed; recorded so it is not retried forever
)

// InboxEntry records one update received from Telegram.
type InboxEntry struct {
	UpdateID   int64
	ReceivedAt time.Time
	UserID     int64
	Kind       string // message, callback_query, edited_message, ...
	Outcome    string // OutcomeDone or OutcomeFailed
	Error      string
}

// Seen reports whether an update is already in the inbox, so a re-delivered
// update is not applied twice.
func (tx *Tx) Seen(ctx context.Context, updateID int64) (bool, error) {
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM inbox WHERE update_id = ?`, updateID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: inbox: %w", err)
	}
	return n > 0, nil
}

// RecordUpdate adds an update to the inbox; one already there is an error.
// (The intake uses Claim; this is for updates recorded outside it.)
func (tx *Tx) RecordUpdate(ctx context.Context, e InboxEntry) error {
	claimed, err := tx.Claim(ctx, e)
	if err == nil && !claimed {
		err = fmt.Errorf("store: record update %d: already recorded", e.UpdateID)
	}
	return err
}

// Claim records an update in the inbox, unless it is there already:
// claimed is false for an update applied (or recorded as failed) before,
// which must not be applied again. Called first in the transaction (or
// savepoint) that applies the update, it makes "applied" and "recorded"
// one fact in one statement; a rollback takes the claim back with the
// effects.
func (tx *Tx) Claim(ctx context.Context, e InboxEntry) (claimed bool, err error) {
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO inbox (
			update_id,
			received_at,
			user_id,
			kind,
			outcome,
			error
		) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (update_id) DO NOTHING`,
		e.UpdateID, formatTime(tx.now), e.UserID, e.Kind, e.Outcome, e.Error)
	if err != nil {
		return false, fmt.Errorf("store: record update %d: %w", e.UpdateID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: record update %d: %w", e.UpdateID, err)
	}
	return n == 1, nil
}

// SetOutcome changes what the inbox says of an update claimed in this
// transaction: failed, or settled without its handler and why.
func (tx *Tx) SetOutcome(ctx context.Context, updateID int64, outcome, reason string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE inbox SET outcome = ?, error = ? WHERE update_id = ?`, outcome, reason, updateID)
	if err != nil {
		return fmt.Errorf("store: record update %d: %w", updateID, err)
	}
	return nil
}

// LastUpdateID is the highest update_id in the inbox, 0 when empty. The next
// getUpdates asks from one past it.
func (db *DB) LastUpdateID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(update_id), 0) FROM inbox`).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: last update: %w", err)
	}
	return id, nil
}

// InboxCounts returns how many updates were recorded with each outcome.
func (db *DB) InboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT outcome, count(*) FROM inbox GROUP BY outcome`)
	if err != nil {
		return nil, fmt.Errorf("store: inbox counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var outcome string
		var n int
		if err := rows.Scan(&outcome, &n); err != nil {
			return nil, fmt.Errorf("store: inbox counts: %w", err)
		}
		out[outcome] = n
	}
	return out, rows.Err()
}
