package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// SenderLock is held by the one process that takes updates and sends the
// outbox for a database (serve). Two senders on one database would both
// drain the outbox and send messages twice, so a second serve is refused
// (or waits as a standby). The operator's commands (prompt, digest, …)
// only enqueue and do not take it.
//
// The lock is an advisory lock (flock) on "<database>.lock" next to the
// database. The kernel drops it when the process ends however it ends, so
// a lock left by a killed serve never blocks a restart. The file's text
// names the holder (pid and since when) for the refusal message; it is only
// read when the lock is found held.
type SenderLock struct {
	f *os.File
}

// ErrSenderLocked is returned by LockSender when another process holds the
// sender lock; the error's text names it.
var ErrSenderLocked = errors.New("store: another reformbot serve is running on this database")

// SenderLockPath is the lock file of the database at dbPath.
func SenderLockPath(dbPath string) string { return dbPath + ".lock" }

// LockSender takes the sender lock of the database at dbPath without
// waiting. When another process holds it, the error wraps ErrSenderLocked
// and says which process holds it and since when.
func LockSender(dbPath string, now time.Time) (*SenderLock, error) {
	// One database reached by two names (a symlink) has one lock.
	if real, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = real
	}
	path := SenderLockPath(dbPath)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateMode)
	if errors.Is(err, os.ErrPermission) {
		// A lock file we may not write (made by another user) still
		// locks; only the holder's name is not written.
		f, err = os.Open(path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: sender lock: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("store: sender lock %s: %w", path, err)
	}
	if held {
		holder := readHolder(path)
		f.Close()
		return nil, fmt.Errorf("%w (%s; lock file %s)", ErrSenderLocked, holder, path)
	}
	// Ours now: say who holds it. A failure to write only makes a later
	// refusal less informative.
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "pid %d\nsince %s\n", os.Getpid(), now.UTC().Format(time.RFC3339))
		f.Sync()
	}
	return &SenderLock{f: f}, nil
}

// Release gives the lock up. The file stays: removing it could let two
// processes lock two different files of the same name.
func (l *SenderLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing the last descriptor drops the flock
	l.f = nil
	return err
}

// readHolder describes the holder from the lock file's text.
func readHolder(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "holder unknown"
	}
	var pid, since string
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "pid "); ok {
			if _, err := strconv.Atoi(v); err == nil {
				pid = v
			}
		}
		if v, ok := strings.CutPrefix(line, "since "); ok {
			if _, err := time.Parse(time.RFC3339, v); err == nil {
				since = v
			}
		}
	}
	if pid == "" {
		return "holder unknown"
	}
	if since == "" {
		return "pid " + pid
	}
	return "pid " + pid + " since " + since
}
