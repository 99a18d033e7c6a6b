package web

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

// cityPlan is ten times the sample plan: 700 measures in 7 categories of
// 10 projects, each measure led by one of 400 units with up to three co
// units.
func cityPlan() *plan.Plan {
	rng := rand.New(rand.NewPCG(700, 400))
	p := &plan.Plan{Title: "某市2017年改革计划", Year: 2017, Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true}}
	for i := range 400 {
		p.Units = append(p.Units, plan.Unit{Name: fmt.Sprintf("市第%03d局", i+1)})
	}
	for ci := range 7 {
		c := plan.Category{Number: ci + 1, Title: fmt.Sprintf("第%d类改革", ci+1)}
		for pi := range 10 {
			pr := plan.Project{Number: pi + 1, Title: fmt.Sprintf("项目%d.%d 体制机制改革", ci+2, pi+1)}
			for mi := range 10 {
				m := plan.Measure{ID: fmt.Sprintf("%d.%d.%d", ci+2, pi+1, mi+1), Title: "深化改革完善机制建立健全制度",
					Text: strings.Repeat("推进深化改革完善机制建立健全制度加快落实试点。", 6)}
				m.LeadUnits = []string{p.Units[rng.IntN(400)].Name}
				for range rng.IntN(4) {
					if co := p.Units[rng.IntN(400)].Name; co != m.LeadUnits[0] && !contains(strings.Join(m.CoUnits, ","), co) {
						m.CoUnits = append(m.CoUnits, co)
					}
				}
				pr.Measures = append(pr.Measures, m)
			}
			c.Projects = append(c.Projects, pr)
		}
		p.Categories = append(p.Categories, c)
	}
	return p
}

// cityServer is the dashboard over a year of the city plan's reports:
// about 85 % of the pairs report each month, one in ten twice.
// cityNow is the city's moment: December 2017, the year's reports in.
func cityNow() (time.Time, *time.Location) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return time.Date(2017, 12, 20, 10, 0, 0, 0, loc), loc
}

func cityServer(b *testing.B) (*Server, *http.Cookie, *plan.Plan, int) {
	b.Helper()
	now, _ := cityNow()
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "city.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	p, reports := cityYear(b, db)
	srv, cookie := cityServerOn(b, db, p)
	return srv, cookie, p, reports
}

// cityYear fills db with the city plan and a year of reports.
func cityYear(b testing.TB, db *store.DB) (*plan.Plan, int) {
	ctx := context.Background()
	p := cityPlan()
	if _, err := db.Activate(ctx, p); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2017, 12))
	statuses := []plan.Status{plan.OnTrack, plan.OnTrack, plan.OnTrack, plan.Done, plan.Behind, plan.NeedsHelp}
	reports := 0
	for m := 1; m <= 12; m++ {
		period := plan.Period(fmt.Sprintf("2017-%02d", m))
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, a := range p.Assignments() {
				if rng.IntN(100) < 15 {
					continue
				}
				for v := 0; v < 1+boolInt(rng.IntN(10) == 0); v++ {
					_, err := tx.SaveReport(ctx, store.Report{PlanYear: p.Key(), MeasureID: a.MeasureID, Unit: a.Unit, Period: period,
						Status: statuses[rng.IntN(len(statuses))], Text: strings.Repeat("本月完成调研和方案起草。", 1+rng.IntN(6)),
						ReporterID: 1, ReporterName: "联络员"})
					if err != nil {
						return err
					}
					reports++
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return p, reports
}

// cityServerOn is a dashboard on db, as serve makes it, with an office
// session's cookie.
func cityServerOn(b testing.TB, db *store.DB, p *plan.Plan) (*Server, *http.Cookie) {
	now, loc := cityNow()
	cfg := schedule.DefaultConfig(plan.Monthly)
	cfg.Location = loc
	sched, err := schedule.New(cfg, db, p, nil, slog.New(slog.DiscardHandler), func() time.Time { return now })
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(context.Background(), Config{Plan: p, Store: db, Digests: sched, Location: loc, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.SignIn(rec, httptest.NewRequest(http.MethodGet, "/", nil), 0, true)
	return srv, rec.Result().Cookies()[0]
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkPages renders every dashboard page for the city-sized plan, as
// the office (who sees the most). Target: each under 100 ms; peak RSS of
// the process while serving them under 100 MB.
//
//	go test -run='^$' -bench=Pages -benchtime=10x ./web
func BenchmarkPages(b *testing.B) {
	srv, cookie, p, reports := cityServer(b)
	h := srv.Handler()
	busiest := ""
	tasks := p.TasksByUnit()
	for unit, ts := range tasks {
		if busiest == "" || len(ts) > len(tasks[busiest]) {
			busiest = unit
		}
	}
	b.Logf("plan: %d measures, %d units, %d pairs, %d report versions; unit page for %s (%d tasks)",
		len(p.Measures()), len(p.Units), len(p.Assignments()), reports, busiest, len(tasks[busiest]))
	// The peak while pages are served, not while the year's reports were
	// generated: return the generation's garbage to the system and reset
	// the peak (Linux: clear_refs 5).
	runtime.GC()
	debug.FreeOSMemory()
	peakReset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	b.Logf("process RSS before the pages: %.1f MB (peak reset: %v)", procStatus("VmRSS")/1024, peakReset)
	pages := []struct{ name, path string }{
		{"overview", "/?period=2017-11"},
		{"grid", "/grid"},
		{"measure", "/measure/5.5.5"},
		{"unit", "/unit/" + url.PathEscape(busiest)},
		{"api_digest", "/api/digest?period=2017-11"},
		{"export_xlsx", "/export.xlsx?period=2017-11"},
	}
	for _, pg := range pages {
		for _, mode := range []string{"", "changed", "full"} {
			// changed: the first view after a report came in, when the
			// current and previous periods are read and their digests
			// built again. full: nothing cached, the whole year read (the
			// first view after start, of a new period, after coldTTL with
			// changes, or after the office activates a plan; see also
			// BenchmarkFirstPage).
			name := pg.name
			if mode != "" {
				name += "/" + mode
			}
			b.Run(name, func(b *testing.B) {
				size := 0
				get := func() *httptest.ResponseRecorder {
					req := httptest.NewRequest(http.MethodGet, pg.path, nil)
					req.AddCookie(cookie)
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					return rec
				}
				get() // warm: the cache holds the year
				cpu := cpuTime()
				for b.Loop() {
					srv.years.mu.Lock()
					switch mode {
					case "changed":
						srv.years.key = yearKey{}
					case "full":
						srv.years.view = nil
					}
					srv.years.mu.Unlock()
					rec := get()
					if rec.Code != http.StatusOK {
						b.Fatalf("%s: %d %s", pg.path, rec.Code, rec.Body.String())
					}
					size = rec.Body.Len()
				}
				// CPU time, not only wall time: the machine is shared, and
				// the wall clock counts the waits for a core.
				b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
				b.ReportMetric(float64(size)/1024, "KiB")
			})
		}
	}
	runtime.GC()
	b.Logf("process RSS after the pages: %.1f MB, peak while serving them %.1f MB", procStatus("VmRSS")/1024, procStatus("VmHWM")/1024)
}

// BenchmarkFirstPage is serve just started: a new Server (templates
// parsed, the year's build begun in the background, as New does) and at
// once its first page, which waits for that build. The CPU counts both.
//
//	go test -run='^$' -bench=FirstPage -benchtime=10x ./web
func BenchmarkFirstPage(b *testing.B) {
	srv, cookie, _, _ := cityServer(b)
	for _, pg := range []struct{ name, path string }{
		{"overview", "/"},
		{"grid", "/grid"},
		{"measure", "/measure/5.5.5"},
	} {
		b.Run(pg.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				fresh, err := New(context.Background(), srv.cfg)
				if err != nil {
					b.Fatal(err)
				}
				req := httptest.NewRequest(http.MethodGet, pg.path, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				fresh.Handler().ServeHTTP(rec, req)
				<-fresh.warmed
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", pg.path, rec.Code, rec.Body.String())
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procStatus reads a kB figure from /proc/self/status (0 when absent).
func procStatus(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			v, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return v
		}
	}
	return 0
}
