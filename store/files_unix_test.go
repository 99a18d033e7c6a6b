//go:build unix

package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// withUmask022 runs the test under the usual umask, under which SQLite's
// own 0644 would leave the files readable by everyone.
func withUmask022(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

func TestFilesArePrivate(t *testing.T) {
	withUmask022(t)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "reformbot.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetMeta(ctx, "k", "v"); err != nil { // makes sure -wal and -shm exist
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	lock, err := LockSender(path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	checked := 0
	for _, name := range []string{path, path + "-wal", path + "-shm", backup, SenderLockPath(path)} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
			continue
		}
		checked++
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", filepath.Base(name), perm)
		}
	}
	if checked != 5 {
		t.Fatalf("proved nothing: %d of 5 files checked", checked)
	}
	if mode, exposed := db.Exposed(); exposed {
		t.Errorf("a fresh database reports itself exposed (%v)", mode)
	}
}

func TestAnExposedDatabaseIsReported(t *testing.T) {
	withUmask022(t)
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if mode, exposed := db.Exposed(); !exposed || mode != 0o644 {
		t.Errorf("Exposed() = %v, %v for a 0644 database; want 0644, true", mode, exposed)
	}
}

func TestAVanishedDatabaseStopsWrites(t *testing.T) {
	for _, tc := range []struct {
		name   string
		vanish func(path string) error
	}{
		{"deleted", os.Remove},
		{"replaced", func(path string) error {
			other := path + ".restored"
			if err := os.WriteFile(other, nil, 0o600); err != nil {
				return err
			}
			return os.Rename(other, path)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "reformbot.db")
			db, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.SetMeta(ctx, "before", "1"); err != nil || db.CheckFile() != nil {
				t.Fatalf("proved nothing: the intact database refuses writes (%v, %v)", err, db.CheckFile())
			}
			if err := tc.vanish(path); err != nil {
				t.Fatal(err)
			}
			if err := db.CheckFile(); !errors.Is(err, ErrDatabaseGone) {
				t.Errorf("CheckFile() = %v, want ErrDatabaseGone", err)
			}
			ran := false
			err = db.Update(ctx, func(tx *Tx) error {
				ran = true
				_, err := tx.tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('after', '1')`)
				return err
			})
			if !ran || !errors.Is(err, ErrDatabaseGone) {
				t.Errorf("Update after the file vanished: ran %v, err %v; want ErrDatabaseGone", ran, err)
			}
			if err := db.SetMeta(ctx, "after", "2"); !errors.Is(err, ErrDatabaseGone) {
				t.Errorf("SetMeta after the file vanished: %v, want ErrDatabaseGone", err)
			}
		})
	}
}

func TestOneSenderPerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reformbot.db")
	since := time.Date(2026, 11, 28, 19, 40, 0, 0, time.UTC)
	first, err := LockSender(path, since)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockSender(path, since.Add(time.Hour))
	if !errors.Is(err, ErrSenderLocked) {
		t.Fatalf("second LockSender: %v, want ErrSenderLocked", err)
	}
	for _, want := range []string{"pid " + strconv.Itoa(os.Getpid()), "since 2026-11-28T19:40:00Z"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not say %q", err, want)
		}
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	second, err := LockSender(path, since.Add(2*time.Hour))
	if err != nil {
		t.Fatalf("LockSender after Release: %v", err)
	}
	second.Release()
}

// A lock file left by a process that died (its text still naming it) does
// not block: only a live holder counts.
func TestAStaleLockFileDoesNotBlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reformbot.db")
	if err := os.WriteFile(SenderLockPath(path), []byte("pid 999999\nsince 2017-04-01T00:00:00Z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lock, err := LockSender(path, time.Now())
	if err != nil {
		t.Fatalf("a stale lock file blocked: %v", err)
	}
	defer lock.Release()
	data, _ := os.ReadFile(SenderLockPath(path))
	if !strings.Contains(string(data), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("the lock file does not name its new holder: %q", data)
	}
}

func TestOneLockForADatabaseReachedByASymlink(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reformbot.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "current.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	first, err := LockSender(path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	if second, err := LockSender(link, time.Now()); !errors.Is(err, ErrSenderLocked) {
		second.Release()
		t.Errorf("a serve on a symlink to the database was not refused: %v", err)
	}
}
