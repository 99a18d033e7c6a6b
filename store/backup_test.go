package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Over 400 days of a daily backup at 03:00 plus backups after campaigns on
// some days, rotation keeps exactly the newest backup of each of the last 7
// days and of each of the last 12 months, and nothing else.
func TestBackupRotationOver400Days(t *testing.T) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 1, 1, 3, 0, 0, 0, loc)}
	db := MustOpen(t, clk.Now)
	if err := db.SetMeta(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	keep := Keep{Daily: 7, Monthly: 12}
	start := clk.Now()
	var last time.Time
	for day := 0; day < 400; day++ {
		times := []time.Time{start.AddDate(0, 0, day)}
		if day%5 == 0 { // a campaign day: one more after the campaign
			times = append(times, times[0].Add(6*time.Hour+7*time.Minute))
		}
		for _, now := range times {
			last = now
			if day < 395 {
				// A real backup takes ~15 ms; the rotation is what is
				// under test, so most days get a stand-in file pruned
				// the same way.
				name := filepath.Join(dir, BackupName(now))
				if err := os.WriteFile(name, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				if err := Prune(dir, loc, keep, name); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if _, err := db.BackupInto(ctx, dir, now, keep); err != nil {
				t.Fatalf("%v: %v", now, err)
			}
		}
	}
	all, err := ListBackups(dir, loc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range all {
		got = append(got, b.Time.Format("2006-01-02 15:04"))
	}
	// What was promised, worked out by hand from the calendar: the last 7
	// days (the last day, 2027-02-04, is a campaign day: its later backup),
	// and the newest of each month, 2026-03 … 2027-02.
	want := map[string]bool{}
	for d := 0; d < 7; d++ {
		day := last.AddDate(0, 0, -d)
		stamp := time.Date(day.Year(), day.Month(), day.Day(), 3, 0, 0, 0, loc)
		if int(stamp.Sub(start).Hours()/24)%5 == 0 {
			stamp = stamp.Add(6*time.Hour + 7*time.Minute)
		}
		want[stamp.Format("2006-01-02 15:04")] = true
	}
	for m := 0; m < 12; m++ {
		first := time.Date(last.Year(), last.Month()-time.Month(m), 1, 3, 0, 0, 0, loc)
		end := first.AddDate(0, 1, -1)
		if end.After(last) {
			end = last
		}
		if int(end.Sub(start).Hours()/24)%5 == 0 {
			end = end.Add(6*time.Hour + 7*time.Minute)
		}
		want[end.Format("2006-01-02 15:04")] = true
	}
	var wantList []string
	for w := range want {
		wantList = append(wantList, w)
	}
	sort.Strings(wantList)
	if strings.Join(got, "\n") != strings.Join(wantList, "\n") {
		t.Errorf("kept %d backups:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(wantList), strings.Join(wantList, "\n"))
	}
	if len(wantList) != 7+12-2 { // 2027-01-31 and 2027-02-04 are both daily and monthly
		t.Fatalf("want set has %d entries: the test proves nothing", len(wantList))
	}
	// Files that are not backups are never touched.
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("x"), 0o600)
	if _, err := db.BackupInto(ctx, dir, last.AddDate(0, 0, 1), keep); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("rotation removed a file that is not a backup")
	}
}

func TestRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "r.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetMeta(ctx, "state", "before")
	b, err := db.BackupInto(ctx, filepath.Join(dir, "b"), time.Now(), Keep{Daily: 7, Monthly: 12})
	if err != nil {
		t.Fatal(err)
	}
	db.SetMeta(ctx, "state", "after") // in the WAL, not yet in the main file
	lock, err := LockSender(path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockSender(path, time.Now()); !errors.Is(err, ErrSenderLocked) {
		t.Fatalf("a second lock: %v, want ErrSenderLocked", err)
	}
	db.Close()
	aside, err := Restore(ctx, b.Path, path, time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC))
	lock.Release()
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{path: "before", aside: "after"} {
		db, err := Open(ctx, file, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Meta(ctx, "state"); got != want {
			t.Errorf("%s: state %q, want %q", filepath.Base(file), got, want)
		}
		db.Close()
	}

	// A damaged backup is refused and the database left alone.
	bad := filepath.Join(dir, "bad.db")
	data, _ := os.ReadFile(b.Path)
	for i := 4096; i < len(data) && i < 3*4096; i++ {
		data[i] = 0xff
	}
	os.WriteFile(bad, data, 0o600)
	if _, err := Restore(ctx, bad, path, time.Now()); err == nil {
		t.Error("a damaged backup was restored")
	}
	if _, err := Restore(ctx, filepath.Join(dir, "none.db"), path, time.Now()); err == nil {
		t.Error("a missing backup was restored")
	}
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, _ := db.Meta(ctx, "state"); got != "before" {
		t.Errorf("after refused restores: state %q", got)
	}
}

// root restores for the service user: the restored file keeps the previous
// database's owner and mode, or serve could not write it.
func TestRestoreKeepsOwnerAndMode(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to change a file's owner")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "r.db")
	db := MustOpen(t, time.Now)
	b, err := db.BackupInto(ctx, filepath.Join(dir, "b"), time.Now(), Keep{Daily: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o640)
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, b.Path, path, time.Now()); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Uid != 65534 || info.Mode().Perm() != 0o640 {
		t.Errorf("restored file: uid %d mode %v, want 65534 and 0640", st.Uid, info.Mode().Perm())
	}
}
