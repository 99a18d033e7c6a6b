package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to path with VACUUM INTO,
// which reads one snapshot while serve goes on writing. The copy is written
// next to path and renamed into place, so path is never a half-written file.
// An existing file at path is an error: a backup never overwrites.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial")
	os.Remove(tmp)
	// VACUUM INTO accepts an empty file: one made 0600 keeps the copy as
	// private as the database.
	if err := createPrivate(tmp); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}
