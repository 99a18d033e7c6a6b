package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SetMeta stores a small named value, such as the bot's username learnt by
// serve, for the CLI commands to read.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := db.exec(ctx, `
		INSERT INTO meta (
			key,
			value
		) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("store: set %s: %w", key, err)
	}
	return nil
}

// Meta returns a value stored with SetMeta, or ErrNotFound.
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: %s: %w", key, err)
	}
	return v, nil
}
