package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// The database holds contacts' names and everything the units reported, so
// its files are the operator's alone: the database and its backups are
// created 0600, and SQLite gives the -wal and -shm files the database
// file's mode.
const privateMode fs.FileMode = 0o600

// ErrDatabaseGone means the database file was deleted or replaced while
// this process had it open. What the process writes from then on goes to a
// file nobody will ever open again, so nothing more may be committed (or
// confirmed to Telegram, or told to a user as saved).
var ErrDatabaseGone = errors.New("store: the database file was deleted or replaced")

// createPrivate creates path empty with mode 0600 unless it exists, so that
// SQLite opens a file that is already private instead of creating one under
// the process's umask (0644 under the usual 022).
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateMode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	return f.Close()
}

// Exposed reports the permission bits of the database file when group or
// others may read or write it (a file created before reformbot made its
// files 0600, or by hand), so the operator can be told to chmod 600 it.
func (db *DB) Exposed() (fs.FileMode, bool) {
	if db.ident == nil {
		return 0, false
	}
	mode := db.ident.Mode().Perm()
	return mode, mode&0o077 != 0
}

// CheckFile reports ErrDatabaseGone when the file at the database's path is
// no longer the file this DB opened: deleted, or replaced (by a restore
// done while serve runs, say). Every write checks it before committing;
// serve also checks it on a short interval so that it stops even when idle.
func (db *DB) CheckFile() error {
	if db.ident == nil {
		return nil
	}
	fi, err := os.Stat(db.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s no longer exists", ErrDatabaseGone, db.path)
		}
		return fmt.Errorf("store: check %s: %w", db.path, err)
	}
	if !os.SameFile(fi, db.ident) {
		return fmt.Errorf("%w: %s is another file now", ErrDatabaseGone, db.path)
	}
	return nil
}
