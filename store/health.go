package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"
)

// OutboxHealth is the state of the outbox an operator watches.
type OutboxHealth struct {
	PendingByKind map[string]int // pending rows by kind (due or not)
	Due           int            // pending rows whose time has come
	OldestDue     time.Time      // not_before of the longest-waiting due row; zero when none
	Failed        int            // rows that ended failed
}

// OutboxHealth reads the outbox's depth and age at now.
func (db *DB) OutboxHealth(ctx context.Context, now time.Time) (OutboxHealth, error) {
	h := OutboxHealth{PendingByKind: map[string]int{}}
	rows, err := db.db.QueryContext(ctx, `
		SELECT kind, count(*)
		FROM outbox
		WHERE state = 'pending'
		GROUP BY kind`)
	if err != nil {
		return h, fmt.Errorf("store: outbox health: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return h, fmt.Errorf("store: outbox health: %w", err)
		}
		h.PendingByKind[kind] = n
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("store: outbox health: %w", err)
	}
	var oldest sql.NullString
	if err := db.db.QueryRowContext(ctx, `
		SELECT count(*), min(not_before)
		FROM outbox
		WHERE state = 'pending'
		  AND not_before <= ?`, formatTime(now)).Scan(&h.Due, &oldest); err != nil {
		return h, fmt.Errorf("store: outbox health: %w", err)
	}
	h.OldestDue = parseNullTime(oldest)
	if err := db.db.QueryRowContext(ctx, `
		SELECT count(*)
		FROM outbox
		WHERE state = 'failed'`).Scan(&h.Failed); err != nil {
		return h, fmt.Errorf("store: outbox health: %w", err)
	}
	return h, nil
}

// CampaignCounts counts the campaigns run, by kind.
func (db *DB) CampaignCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT kind, count(*)
		FROM campaigns
		GROUP BY kind`)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("store: campaigns: %w", err)
		}
		out[kind] = n
	}
	return out, rows.Err()
}

// CheckWritable proves the database takes writes now: it records now under
// the meta key "health_checked_at".
func (db *DB) CheckWritable(ctx context.Context) error {
	return db.SetMeta(ctx, "health_checked_at", formatTime(db.now()))
}

// IntegrityCheck runs SQLite's integrity_check on the open database.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	var result string
	if err := db.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("store: integrity_check: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("store: integrity_check: %s", result)
	}
	return nil
}

// FileSizes are the sizes in bytes of the database file and its WAL.
func (db *DB) FileSizes() (main, wal int64) {
	if info, err := os.Stat(db.path); err == nil {
		main = info.Size()
	}
	if info, err := os.Stat(db.path + "-wal"); err == nil {
		wal = info.Size()
	}
	return main, wal
}

// ReadSchemaVersion reads the schema version of the database at path
// without opening it for writing or migrating it.
func ReadSchemaVersion(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	sqldb, err := sql.Open("sqlite", "file:"+escapePath(path)+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer sqldb.Close()
	var v int
	if err := sqldb.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("not a reformbot database: %w", err)
	}
	return v, nil
}
