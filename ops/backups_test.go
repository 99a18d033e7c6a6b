package ops

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/luohu/reformbot/store"
)

// serve's backups: one at start when there is none, one after each
// campaign (Soon), none when nothing asks and the quiet hour is far. All on
// one day, so each new one replaces the day's earlier one.
func TestBackupsAtStartAndAfterCampaigns(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loc := time.FixedZone("CST", 8*3600)
	var mu sync.Mutex
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, loc) // the quiet hour, 03:00, is 17 hours away
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Minute)
		return now
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := filepath.Join(t.TempDir(), "backups")
	b := NewBackups(Backups{DB: db, Dir: dir, Keep: store.Keep{Daily: 7, Monthly: 12}, Hour: 3, Location: loc,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock})
	done := make(chan struct{})
	go func() { b.Run(ctx); close(done) }()

	newest := func() time.Time {
		all, _ := store.ListBackups(dir, loc)
		if len(all) != 1 {
			return time.Time{} // mid-rotation, or none yet
		}
		return all[0].Time
	}
	wait := func(after time.Time) time.Time {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if n := newest(); n.After(after) {
				return n
			}
			if time.Now().After(deadline) {
				t.Fatalf("no backup newer than %v", after)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	first := wait(time.Time{})
	b.Soon()
	second := wait(first)
	b.Soon()
	wait(second)
	cancel()
	<-done
	if d := b.untilQuietHour(); d <= 0 || d > 24*time.Hour {
		t.Errorf("until the quiet hour: %v", d)
	}
}
