package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
)

// demoNow is the real time the tests' demo starts at: its clock starts on
// 24 April 2026, a year the built-in holiday data covers, whose 劳动节
// (1–5 May) moves the 1st's reminder and the 2nd's digest both to 6 May
// 09:00.
var demoNow = time.Date(2026, 4, 20, 12, 0, 0, 0, time.UTC)

// startTestDemo wires the demo on dbPath as runDemo does, with a real
// clock that stands still: the demo's time moves only when a step jumps
// it. The demo is closed when the test (or subtest) ends.
func startTestDemo(t *testing.T, dbPath string) *demoApp {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := startDemo(context.Background(), dbPath, loc, func() time.Time { return demoNow }, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	return app
}

// runTestDemoBot runs the demo's bot (intake and sender) until the test
// ends.
func runTestDemoBot(t *testing.T, app *demoApp) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.bot.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("bot: %v", err)
		}
	})
}

// demoCall makes one request to the demo's page as its script does.
func demoCall(t *testing.T, app *demoApp, method, path string, out any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(`{"user":0}`))
	req.Header.Set("X-Demo", "1")
	rec := httptest.NewRecorder()
	app.web.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, rec.Body)
	}
}

// TestDemoStepRunsEveryActionDue steps the demo from 24 April to May's
// prompt: the steps together must run every scheduled action of those
// weeks, in order, none twice. 劳动节 moves the 1 May reminder to 6 May
// and the 2 May digest to 7 May (never the day of the last reminder), so
// April's digest goes out the day after. Then, on 1 December, the
// year-end acceptance and the reminder fall due at the same minute: one
// step runs both.
func TestDemoStepRunsEveryActionDue(t *testing.T) {
	app := startTestDemo(t, filepath.Join(t.TempDir(), "demo.db"))
	d := app.demo
	start := d.clock.Now()
	end := time.Date(2026, 5, 25, 9, 0, 0, 0, d.loc)
	var want []string
	for _, o := range d.sched.Occurrences(start, end.Add(time.Second)) {
		want = append(want, d.label(o))
	}
	if len(want) < 5 {
		t.Fatalf("the schedule from %v to %v has only %q: the test proves nothing", start, end, want)
	}
	step := func() (next string, ran []string) {
		t.Helper()
		var state struct{ Next string }
		demoCall(t, app, http.MethodGet, "/demo/state", &state)
		var res struct{ Ran []string }
		demoCall(t, app, http.MethodPost, "/demo/next", &res)
		if len(res.Ran) == 0 {
			t.Fatalf("a step at %v ran nothing", d.clock.Now())
		}
		t.Logf("%q -> %q", state.Next, res.Ran)
		return state.Next, res.Ran
	}

	var got []string
	for i := 0; i < 2*len(want) && d.clock.Now().Before(end); i++ {
		_, ran := step()
		got = append(got, ran...)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the steps ran:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	campaigns, err := app.db.Campaigns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	digested := false
	for _, c := range campaigns {
		digested = digested || c.Kind == schedule.KindDigest && c.Period == "2026-04"
	}
	if !digested {
		t.Errorf("April's digest never ran; campaigns: %+v", campaigns)
	}

	// 1 December: the acceptance and the reminder at 09:00, one step.
	eve := time.Date(2026, 11, 30, 10, 0, 0, 0, d.loc)
	d.clock.jumpTo(eve)
	d.done = eve // what fell due before is not this test's
	next, ran := step()
	if !d.clock.Now().Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, d.loc)) || len(ran) != 2 || !strings.Contains(next, "、") {
		t.Errorf("the step to 1 December ran %q (下一步 said %q), at %v; want the acceptance and the reminder together", ran, next, d.clock.Now())
	}
}

// TestDemoRestartedOnAKeptDatabaseAnswers starts the demo twice on one
// database file (--db kept): the second run must answer at once, although
// its fake Bot API is new and the database remembers the first run's
// updates.
func TestDemoRestartedOnAKeptDatabaseAnswers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	office := fakeapi.User{ID: demoOfficeID, FirstName: "区委改革办"}
	for _, run := range []string{"first run", "restarted"} {
		t.Run(run, func(t *testing.T) {
			app := startTestDemo(t, path)
			runTestDemoBot(t, app)
			app.api.SendText(office, "/help")
			app.api.SendText(office, "/help")
			app.api.WaitSent(t, 20*time.Second, demoOfficeID, 2)
		})
	}
}

// TestDemoOfficeGetsTheBulletin: /bulletin in the demo answers with the
// bulletin, as under serve.
func TestDemoOfficeGetsTheBulletin(t *testing.T) {
	app := startTestDemo(t, filepath.Join(t.TempDir(), "demo.db"))
	runTestDemoBot(t, app)
	app.api.SendText(fakeapi.User{ID: demoOfficeID, FirstName: "区委改革办"}, "/bulletin")
	sent := app.api.WaitSent(t, 20*time.Second, demoOfficeID, 1)
	if m := sent[0]; m.Document == nil || !strings.HasSuffix(m.Document.Name, ".docx") {
		t.Fatalf("/bulletin answered %v, want the bulletin (.docx)", m)
	}
}

// A demo restarted on a kept database goes on from its last scheduled
// action: its clock is not set back to April.
func TestDemoResumesItsClock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	first := startTestDemo(t, path)
	ranAt := time.Date(demoNow.Year(), 6, 2, 9, 0, 0, 0, first.demo.loc)
	first.demo.clock.jumpTo(ranAt)
	if _, err := first.demo.sched.PromptNow(context.Background(), plan.Period(fmt.Sprintf("%d-06", demoNow.Year()))); err != nil {
		t.Fatal(err)
	}
	first.Close()
	again := startTestDemo(t, path)
	if now := again.demo.clock.Now(); now.Before(ranAt) {
		t.Errorf("restarted at %v, before the last run's action at %v", now, ranAt)
	}
}

// A database that cannot be opened is one error, not a crash.
func TestDemoOnABadDatabasePath(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, err := startDemo(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"), loc, func() time.Time { return demoNow }, log)
	if err == nil {
		t.Fatal("a demo on a database in a missing directory started")
	}
}
