package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2017, 4, 25, 1, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// MustOpen opens a fresh database file in a temporary directory.
func MustOpen(tb testing.TB, now func() time.Time) *DB {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "reformbot.db"), Options{Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigratesOnceAndUsesWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	for i := 0; i < 2; i++ {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		var n int
		if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		names, _ := fs.Glob(migrationFiles, "migrations/*.sql")
		if n != len(names) || n < 2 {
			t.Errorf("open #%d: %d migrations recorded, want %d", i+1, n, len(names))
		}
		var fk int
		if err := db.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
		}
		db.Close()
	}
}

func TestOpenRefusesWhatIsNoDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("this is not a database, just a long enough text file to have a header"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path, Options{}); err == nil {
		t.Fatal("Open of a text file succeeded")
	}
	if _, err := Open(context.Background(), "", Options{}); err == nil {
		t.Fatal("Open of an empty path succeeded")
	}
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (99, '099_future.sql', 'x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path, Options{}); err == nil {
		t.Fatal("Open of a database from a newer reformbot succeeded")
	}
}

// Two processes' worth of connections writing at once must both succeed:
// BEGIN IMMEDIATE plus busy_timeout makes the second wait, not fail.
func TestConcurrentWritersWait(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	a, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i, db := range []*DB{a, b, a, b} {
		wg.Add(1)
		go func(i int, db *DB) {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				errs <- db.Update(ctx, func(tx *Tx) error {
					// Read, then write: the pattern that fails at once under
					// deferred transactions.
					var n int
					if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM audit`).Scan(&n); err != nil {
						return err
					}
					return tx.Audit(ctx, int64(i), "test", "", "")
				})
			}
		}(i, db)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	entries, err := a.AuditLog(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 200 {
		t.Errorf("%d audit rows, want 200", len(entries))
	}
}

// Writers in one process take turns instead of racing for SQLite's lock:
// even with a busy timeout far shorter than a transaction, none fails, and
// one waiting its turn can give up when its context ends.
func TestWritersInOneProcessTakeTurns(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"), Options{BusyTimeout: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 160)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				errs <- db.Update(ctx, func(tx *Tx) error {
					time.Sleep(2 * time.Millisecond) // longer than the busy timeout
					return tx.Audit(ctx, int64(i), "test", "", "")
				})
				errs <- db.SetMeta(ctx, "k", fmt.Sprint(i, j))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	held := make(chan struct{})
	release := make(chan struct{})
	go db.Update(ctx, func(tx *Tx) error {
		close(held)
		<-release
		return nil
	})
	<-held
	waiting, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	err = db.Update(waiting, func(tx *Tx) error { return nil })
	close(release)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Update waiting for its turn past its deadline: %v; want context.DeadlineExceeded", err)
	}
}

func TestBusyIsReportedAsBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	a, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path, Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	hold := make(chan struct{})
	held := make(chan struct{})
	go a.Update(ctx, func(tx *Tx) error {
		close(held)
		<-hold
		return nil
	})
	<-held
	err = b.Update(ctx, func(tx *Tx) error { return nil })
	close(hold)
	if !IsBusy(err) {
		t.Fatalf("Update while another holds the write lock: %v; want a busy error", err)
	}
	if IsBusy(errors.New("other")) || IsBusy(nil) {
		t.Error("IsBusy is true for a non-busy error")
	}
}

func testPlan() *plan.Plan {
	return &plan.Plan{
		Title:     "测试计划",
		Year:      2017,
		Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true},
		Categories: []plan.Category{{
			Number: 1, Title: "类别",
			Projects: []plan.Project{
				{Number: 1, Title: "项目一", Measures: []plan.Measure{
					{ID: "1.1.1", Title: "措施一", Text: "措施一。内容", LeadUnits: []string{"A"}, CoUnits: []string{"B"}},
					{ID: "1.1.2", Title: "措施二", Text: "措施二。内容", LeadUnits: []string{"B"}, CoUnits: []string{}},
				}},
				{Number: 2, Title: "项目二", Measures: []plan.Measure{
					{ID: "1.2.1", Title: "措施三", Text: "措施三。", LeadUnits: []string{"各街道办"}, CoUnits: []string{}},
				}},
			},
		}},
		Units: []plan.Unit{
			{Name: "A", Aliases: []string{}},
			{Name: "B", Aliases: []string{}},
			{Name: "各街道办", Aliases: []string{}, Group: true, Members: []string{"S1", "S2"}},
			{Name: "S1", Aliases: []string{}},
			{Name: "S2", Aliases: []string{}},
		},
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, nil)
	if _, err := db.Activate(ctx, testPlan()); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		// Writes go on during the backup, as they do under serve.
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := db.Update(ctx, func(tx *Tx) error { return tx.Audit(ctx, 1, "w", "", "") }); err != nil {
				done <- err
				return
			}
		}
	}()
	out := filepath.Join(t.TempDir(), "backup.db")
	err := db.Backup(ctx, out)
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	copy, err := Open(ctx, out, Options{})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer copy.Close()
	p, err := copy.Plan(ctx)
	if err != nil || p.Title != "测试计划" {
		t.Fatalf("backup plan: %v, %v", p, err)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Error("a second backup over an existing file succeeded")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), ".backup.db.partial")); !os.IsNotExist(err) {
		t.Errorf("a partial file is left behind: %v", err)
	}
}
