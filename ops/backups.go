package ops

import (
	"context"
	"log/slog"
	"time"

	"github.com/luohu/reformbot/store"
)

// Backups takes serve's backups: daily at a quiet hour, after each campaign
// (Soon), and at start when the newest is more than a day old. Each is
// verified and the directory rotated (store.DB.BackupInto). A failure is
// logged at error level and tried again at the next occasion.
type Backups struct {
	DB   *store.DB
	Dir  string
	Keep store.Keep
	// Hour is the quiet hour (0–23) in Location for the daily backup.
	Hour     int
	Location *time.Location
	Log      *slog.Logger
	Now      func() time.Time

	soon chan struct{}
}

// NewBackups prepares the backups; call Run to take them.
func NewBackups(b Backups) *Backups {
	if b.Now == nil {
		b.Now = time.Now
	}
	if b.Location == nil {
		b.Location = time.Local
	}
	if b.Log == nil {
		b.Log = slog.Default()
	}
	b.soon = make(chan struct{}, 1)
	return &b
}

// Soon asks for a backup now, e.g. after a campaign was enqueued. Requests
// made while one is pending merge into it.
func (b *Backups) Soon() {
	select {
	case b.soon <- struct{}{}:
	default:
	}
}

// Run takes backups until ctx is done.
func (b *Backups) Run(ctx context.Context) {
	if b.stale() {
		b.Once(ctx)
	}
	for {
		t := time.NewTimer(b.untilQuietHour())
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-b.soon:
		case <-t.C:
		}
		t.Stop()
		b.Once(ctx)
	}
}

// Once takes one backup now.
func (b *Backups) Once(ctx context.Context) (store.BackupFile, error) {
	now := b.Now().In(b.Location)
	f, err := b.DB.BackupInto(ctx, b.Dir, now, b.Keep)
	switch {
	case err != nil && f.Path == "":
		b.Log.Error("BACKUP FAILED: no backup was taken; check the backup directory and the disk", "dir", b.Dir, "err", err)
	case err != nil:
		b.Log.Error("backup taken but rotation failed", "file", f.Path, "err", err)
	default:
		b.Log.Info("backup taken and verified", "file", f.Path, "bytes", f.Size)
	}
	return f, err
}

// stale reports whether the newest backup is more than a day old (or there
// is none).
func (b *Backups) stale() bool {
	all, err := store.ListBackups(b.Dir, b.Location)
	if err != nil || len(all) == 0 {
		return true
	}
	return b.Now().Sub(all[len(all)-1].Time) > 24*time.Hour
}

// untilQuietHour is how long until the next quiet hour.
func (b *Backups) untilQuietHour() time.Duration {
	now := b.Now().In(b.Location)
	next := time.Date(now.Year(), now.Month(), now.Day(), b.Hour, 0, 0, 0, b.Location)
	if !next.After(now) {
		next = next.AddDate(0, 0, 1)
	}
	return next.Sub(now)
}
