package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/store"
)

// BenchmarkServeRSS is the dashboard's memory as a serve process has it: a
// city's year is written to a database file, then a fresh process (this
// test binary again, TestServeRSSChild) opens it as serve does, starts the
// dashboard and serves every page from a cold cache, twice. It reports
// that process's peak RSS (VmHWM). Target: under 100 MB.
//
//	go test -run='^$' -bench=ServeRSS -benchtime=1x ./web
func BenchmarkServeRSS(b *testing.B) {
	path := filepath.Join(b.TempDir(), "city.db")
	now, _ := cityNow()
	db, err := store.Open(context.Background(), path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	cityYear(b, db)
	db.Close()
	var peak float64
	for range b.N {
		cmd := exec.Command(os.Args[0], "-test.run=^TestServeRSSChild$", "-test.v")
		cmd.Env = append(os.Environ(), "REFORMBOT_RSS_DB="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("child: %v\n%s", err, out)
		}
		_, after, ok := strings.Cut(string(out), "PEAK_KB=")
		if !ok {
			b.Fatalf("child printed no peak:\n%s", out)
		}
		kb, err := strconv.ParseFloat(strings.Fields(after)[0], 64)
		if err != nil {
			b.Fatal(err)
		}
		peak += kb / 1024
	}
	b.ReportMetric(peak/float64(b.N), "peak-MB")
}

// TestServeRSSChild is BenchmarkServeRSS's fresh process; without its
// database it has nothing to do.
func TestServeRSSChild(t *testing.T) {
	path := os.Getenv("REFORMBOT_RSS_DB")
	if path == "" {
		t.Skip("run by BenchmarkServeRSS")
	}
	now, _ := cityNow()
	db, err := store.Open(context.Background(), path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv, cookie := cityServerOn(t, db, p)
	h := srv.Handler()
	busiest, tasks := "", p.TasksByUnit()
	for unit, ts := range tasks {
		if busiest == "" || len(ts) > len(tasks[busiest]) {
			busiest = unit
		}
	}
	for range 2 {
		for _, path := range []string{"/?period=2017-11", "/grid", "/measure/5.5.5", "/unit/" + busiest, "/api/digest?period=2017-11", "/export.xlsx?period=2017-11"} {
			srv.years.mu.Lock()
			srv.years.view = nil // nothing cached: the whole year read again
			srv.years.mu.Unlock()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d", path, rec.Code)
			}
		}
	}
	t.Logf("PEAK_KB=%.0f RSS_KB=%.0f", procStatus("VmHWM"), procStatus("VmRSS"))
}
