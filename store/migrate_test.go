package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luohu/reformbot/plan"
)

// testdata/release1.db is a database as the first release left it: made by
// that release's own bot against the fake Bot API (the test that made it
// is testdata/release1.go.txt) with the embedded plan, four contacts,
// reports with an earlier version and a photo, a difficulty alert, a
// campaign and conversations in progress.
func openRelease1(t *testing.T) (path string, rows map[string]int) {
	t.Helper()
	data, err := os.ReadFile("testdata/release1.db")
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "release1.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows = map[string]int{}
	for _, table := range []string{"contacts", "invites", "reports", "attachments", "conversations", "inbox", "outbox", "campaigns", "audit", "auth_failures", "meta"} {
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		rows[table] = n
	}
	if rows["reports"] == 0 || rows["conversations"] == 0 || rows["outbox"] == 0 {
		t.Fatalf("the fixture proves nothing: %v", rows)
	}
	return path, rows
}

func TestMigrationKeepsEveryRowOfTheFirstRelease(t *testing.T) {
	ctx := context.Background()
	path, before := openRelease1(t)
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("open a first-release database: %v", err)
	}
	defer db.Close()
	for table, n := range before {
		var got int
		if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&got); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if table == "audit" {
			continue // migrating may add its own entries
		}
		if got != n {
			t.Errorf("%s: %d rows after migrating, %d before", table, got, n)
		}
	}

	// The plan the first release installed without --plan is the sample.
	years, err := db.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sample, ok := years.Sample()
	if !ok || sample.Title != "深圳市罗湖区2017年改革计划" || len(sample.Measures()) != 67 {
		t.Fatalf("the migrated plan is not the sample: %v", sample)
	}
	versions, err := db.PlanVersions(ctx)
	if err != nil || len(versions) != 1 || versions[0].Year != plan.SampleYear || versions[0].Version != 1 {
		t.Fatalf("versions = %+v, %v", versions, err)
	}

	// Its reports are the sample's, with their history.
	hist, err := db.History(ctx, plan.SampleYear, "2.1.1", "区编办", "2017-04")
	if err != nil || len(hist) != 2 || hist[0].Current() || !hist[1].Current() || len(hist[1].Attachments) != 1 {
		t.Fatalf("history of 2.1.1 区编办 = %+v, %v", hist, err)
	}
	reports, err := db.PeriodReports(ctx, plan.SampleYear, "2017-04")
	if err != nil || len(reports) != 3 {
		t.Fatalf("current reports of 2017-04 = %d, %v; want 3", len(reports), err)
	}

	// Statuses are codes now, in reports and in conversations.
	for _, r := range append(hist, reports...) {
		if _, ok := plan.ParseStatus(string(r.Status)); !ok || strings.ContainsFunc(string(r.Status), func(c rune) bool { return c > 0x7f }) {
			t.Errorf("report %d has status %q, want a code", r.ID, r.Status)
		}
	}
	if hist[0].Status != plan.OnTrack || hist[1].Status != plan.Done {
		t.Errorf("2.1.1's statuses = %q, %q; want on_track, done", hist[0].Status, hist[1].Status)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		c, err := tx.Conversation(ctx, 1003)
		if err != nil {
			return err
		}
		if c.Status != plan.Behind {
			t.Errorf("a conversation in progress has status %q, want behind", c.Status)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A second open changes nothing.
	db.Close()
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.PlanVersions(ctx); len(v) != 1 {
		t.Errorf("reopening added plan versions: %+v", v)
	}
}
