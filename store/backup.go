package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
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

// Verify checks that the file at path is a sound reformbot database:
// SQLite's integrity_check passes and its schema is one this binary knows.
// It opens the file read-only and changes nothing.
func Verify(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("store: verify: %w", err)
	}
	sqldb, err := sql.Open("sqlite", "file:"+escapePath(path)+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: verify %s: %w", path, err)
	}
	defer sqldb.Close()
	var result string
	if err := sqldb.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("store: verify %s: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("store: verify %s: integrity_check: %s", path, result)
	}
	var version int
	if err := sqldb.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return fmt.Errorf("store: verify %s: not a reformbot database: %w", path, err)
	}
	if version > SchemaVersion() {
		return fmt.Errorf("store: verify %s: schema version %d is newer than this reformbot knows (%d)", path, version, SchemaVersion())
	}
	return nil
}

// BackupFile is one backup in a backup directory.
type BackupFile struct {
	Path string
	Time time.Time // when it was taken, from its name
	Size int64
}

// Keep is how many backups rotation keeps: the newest of each of the last
// Daily days that have one, and the newest of each of the last Monthly
// months that have one. Days and months are counted over the backups that
// exist, not the calendar, so a server that was down for a month does not
// come back to find its history pruned away.
type Keep struct {
	Daily, Monthly int
}

// backupPrefix and backupLayout name the backups rotation manages; other
// files in the directory are never touched.
const (
	backupPrefix = "reformbot-"
	backupLayout = "20060102-150405"
	backupSuffix = ".db"
)

// BackupName is the file name of a backup taken at t (in t's location).
func BackupName(t time.Time) string {
	return backupPrefix + t.Format(backupLayout) + backupSuffix
}

// ListBackups lists the backups in dir, oldest first; their times are read
// in loc. A missing directory has none.
func ListBackups(dir string, loc *time.Location) ([]BackupFile, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: backups: %w", err)
	}
	var out []BackupFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, backupPrefix) || !strings.HasSuffix(name, backupSuffix) {
			continue
		}
		stamp := strings.TrimSuffix(strings.TrimPrefix(name, backupPrefix), backupSuffix)
		stamp, _, _ = strings.Cut(stamp, ".") // a second backup in one second: reformbot-…-030000.2.db
		t, err := time.ParseInLocation(backupLayout, stamp, loc)
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, BackupFile{Path: filepath.Join(dir, name), Time: t, Size: info.Size()})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		return out[i].Path < out[j].Path
	})
	return out, nil
}

// Retained splits backups (oldest first, as ListBackups returns them) into
// those keep retains and those it does not. why maps each kept path to
// "daily", "monthly" or "daily+monthly".
func Retained(backups []BackupFile, keep Keep) (kept, pruned []BackupFile, why map[string]string) {
	why = map[string]string{}
	mark := func(n int, bucket func(time.Time) string, label string) {
		seen := map[string]bool{}
		for i := len(backups) - 1; i >= 0 && len(seen) < n; i-- {
			b := bucket(backups[i].Time)
			if seen[b] {
				continue
			}
			seen[b] = true
			if why[backups[i].Path] != "" {
				why[backups[i].Path] += "+" + label
			} else {
				why[backups[i].Path] = label
			}
		}
	}
	mark(keep.Daily, func(t time.Time) string { return t.Format(time.DateOnly) }, "daily")
	mark(keep.Monthly, func(t time.Time) string { return t.Format("2006-01") }, "monthly")
	for _, b := range backups {
		if why[b.Path] != "" {
			kept = append(kept, b)
		} else {
			pruned = append(pruned, b)
		}
	}
	return kept, pruned, why
}

// BackupInto writes a backup named for now into dir, verifies it, and prunes
// the backups keep no longer retains. A backup that fails verification is
// removed and is the error; nothing is pruned then.
func (db *DB) BackupInto(ctx context.Context, dir string, now time.Time, keep Keep) (BackupFile, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return BackupFile{}, fmt.Errorf("store: backup: %w", err)
	}
	path := filepath.Join(dir, BackupName(now))
	for i := 2; ; i++ {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			break
		}
		path = filepath.Join(dir, fmt.Sprintf("%s%s.%d%s", backupPrefix, now.Format(backupLayout), i, backupSuffix))
	}
	if err := db.Backup(ctx, path); err != nil {
		return BackupFile{}, err
	}
	if err := Verify(ctx, path); err != nil {
		os.Remove(path)
		return BackupFile{}, err
	}
	os.Chmod(path, 0o600)
	info, err := os.Stat(path)
	if err != nil {
		return BackupFile{}, fmt.Errorf("store: backup: %w", err)
	}
	pruneErr := Prune(dir, now.Location(), keep, path)
	return BackupFile{Path: path, Time: now, Size: info.Size()}, pruneErr
}

// Prune removes the backups in dir that keep no longer retains, never
// protect (the one just taken, whatever the settings).
func Prune(dir string, loc *time.Location, keep Keep, protect string) error {
	all, err := ListBackups(dir, loc)
	if err != nil {
		return err
	}
	_, pruned, _ := Retained(all, keep)
	var errs []error
	for _, b := range pruned {
		if b.Path == protect {
			continue
		}
		if err := os.Remove(b.Path); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("store: pruning backups: %w", errors.Join(errs...))
	}
	return nil
}
