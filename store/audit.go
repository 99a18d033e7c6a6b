package store

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one line of the audit log: who did what to what.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   int64 // Telegram user id; 0 for the operator's CLI or the scheduler
	Action  string
	Subject string
	Detail  string
}

func audit(ctx context.Context, tx *Tx, actor int64, action, subject, detail string) error {
	_, err := tx.tx.ExecContext(ctx, `
		INSERT INTO audit (
			at,
			actor,
			action,
			subject,
			detail
		) VALUES (?, ?, ?, ?, ?)`, formatTime(tx.now), actor, action, subject, detail)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", action, err)
	}
	return nil
}

// Audit records an action in the audit log.
func (tx *Tx) Audit(ctx context.Context, actor int64, action, subject, detail string) error {
	return audit(ctx, tx, actor, action, subject, detail)
}

// AuditLog returns the newest entries first, at most limit of them.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT
			id,
			at,
			actor,
			action,
			subject,
			detail
		FROM audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
