package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies, in order, each numbered migration not yet recorded in
// schema_migrations, each in its own transaction with its record. Two
// processes starting at once are safe: the IMMEDIATE transaction serialises
// them and the second finds the work done.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `
		CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	sort.Strings(names)
	known := 0 // the highest version this binary has; numbers may have gaps
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s has no number", base)
		}
		known = max(known, version)
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		err = db.Update(ctx, func(tx *Tx) error {
			var n int
			if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.tx.ExecContext(ctx, `
				INSERT INTO schema_migrations (
					version,
					name,
					applied_at
				) VALUES (?, ?, ?)`, version, base, formatTime(tx.now))
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", base, err)
		}
	}
	// A database written by a newer reformbot has migrations this binary
	// does not know; running on it could corrupt what they added.
	var newest int
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if newest > known {
		return fmt.Errorf("store: database schema version %d is newer than this reformbot knows (%d); use a newer binary", newest, known)
	}
	return nil
}

// SchemaVersion is the newest schema version this binary knows: the
// highest number of its migrations.
func SchemaVersion() int {
	names, _ := fs.Glob(migrationFiles, "migrations/*.sql")
	newest := 0
	for _, name := range names {
		v, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
		newest = max(newest, v)
	}
	return newest
}

// FileSchemaVersion is the schema version recorded in the open database.
func (db *DB) FileSchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
