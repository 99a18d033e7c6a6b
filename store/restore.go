package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Restore replaces the database at dbPath with the backup at from. The
// backup is verified first; the current database (with its WAL, folded in
// first) is kept aside as dbPath.before-restore-<time> and that name is
// returned ("" when there was no database). The caller holds the serve lock
// (LockSender), so no reformbot has the file open.
func Restore(ctx context.Context, from, dbPath string, now time.Time) (aside string, err error) {
	if err := Verify(ctx, from); err != nil {
		return "", err
	}
	prev, err := os.Stat(dbPath)
	if err == nil {
		aside = dbPath + ".before-restore-" + now.Format(backupLayout)
		if err := setAside(ctx, dbPath, aside); err != nil {
			return "", err
		}
	} else if errors.Is(err, os.ErrNotExist) {
		prev = nil
	} else {
		return "", fmt.Errorf("store: restore: %w", err)
	}
	if err := copyFile(from, dbPath); err != nil {
		return aside, fmt.Errorf("store: restore: %w (the previous database is %s)", err, aside)
	}
	if prev != nil {
		// root restoring for the service user: the file stays theirs.
		os.Chmod(dbPath, prev.Mode().Perm())
		sameOwner(prev, dbPath)
	}
	return aside, nil
}

// setAside folds the WAL of the database at path into it and renames it
// (and what is left of its WAL) to aside.
func setAside(ctx context.Context, path, aside string) error {
	if sqldb, err := sql.Open("sqlite", "file:"+escapePath(path)); err == nil {
		// Best effort: a damaged database is set aside as it is.
		sqldb.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		sqldb.Close()
	}
	if err := os.Rename(path, aside); err != nil {
		return fmt.Errorf("store: restore: keeping the current database aside: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if info, err := os.Stat(path + suffix); err == nil {
			if suffix == "-wal" && info.Size() > 0 {
				if err := os.Rename(path+suffix, aside+suffix); err != nil {
					return fmt.Errorf("store: restore: %w", err)
				}
				continue
			}
			os.Remove(path + suffix)
		}
	}
	return nil
}

// copyFile copies from to a temporary file next to to, syncs it and renames
// it into place.
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".restoring-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), to)
}
