package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/ops"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// doctorSetup makes a database as serve leaves it on its first start: the
// sample plan in force (it follows the calendar, so every period is run).
func doctorSetup(t *testing.T, now time.Time) (vars map[string]string, api *fakeapi.Server) {
	t.Helper()
	sample := plan.Default()
	sample.Sample = true
	return doctorSetupWith(t, now, sample)
}

// doctorSetupWith makes a database with plans in force.
func doctorSetupWith(t *testing.T, now time.Time, plans ...*plan.Plan) (vars map[string]string, api *fakeapi.Server) {
	t.Helper()
	api = fakeapi.NewServer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "reformbot.db")
	db, err := store.Open(context.Background(), path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, p := range plans {
		if _, err := db.Activate(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(path, 0o600)
	return map[string]string{
		"TELEGRAM_BOT_TOKEN": api.Token(),
		"TELEGRAM_API_URL":   api.URL(),
		"REFORMBOT_DB":       path,
	}, api
}

// 20 November 2026: no scheduled run in the week before, holidays known.
var quietDay = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func doctorJSON(t *testing.T, vars map[string]string, now time.Time) (map[string]ops.Finding, int, string) {
	t.Helper()
	out, stderr, code := runCmd(t, vars, now, "doctor", "--json")
	var r struct {
		OK       bool
		Findings []ops.Finding
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("doctor --json: %v\n%s\n%s", err, out, stderr)
	}
	if r.OK != (code == 0) {
		t.Errorf("ok %v but exit %d", r.OK, code)
	}
	by := map[string]ops.Finding{}
	for _, f := range r.Findings {
		by[f.Check] = f
	}
	return by, code, out
}

func TestDoctorHealthy(t *testing.T) {
	vars, _ := doctorSetup(t, quietDay)
	out, stderr, code := runCmd(t, vars, quietDay, "doctor")
	if code != 0 {
		t.Fatalf("doctor on a healthy deployment: exit %d\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"✓ bot api", "@" + fakeapi.DefaultBotUsername, "✓ updates", "long polling", "✓ database", "✓ schema", "✓ calendar", "✓ schedule", "next: prompt 2026-11", "✓ outbox", "! plan"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, api(vars)) {
		t.Error("the doctor prints the token")
	}
	by, _, _ := doctorJSON(t, vars, quietDay)
	if by["bot api"].Status != ops.OK || by["file modes"].Status != ops.OK {
		t.Errorf("--json: %+v", by)
	}
}

func api(vars map[string]string) string { return vars["TELEGRAM_BOT_TOKEN"] }

func TestDoctorBroken(t *testing.T) {
	tests := []struct {
		name    string
		now     time.Time
		breakIt func(vars map[string]string, api *fakeapi.Server)
		check   string
		want    string
	}{
		{"bad token", quietDay, func(vars map[string]string, _ *fakeapi.Server) {
			vars["TELEGRAM_BOT_TOKEN"] = "123:wrong"
		}, "bot api", "rejected the token"},
		{"API down", quietDay, func(_ map[string]string, api *fakeapi.Server) { api.SetDown(true) }, "bot api", "unreachable"},
		{"read-only database", quietDay, func(vars map[string]string, _ *fakeapi.Server) {
			os.Chmod(vars["REFORMBOT_DB"], 0o444)
		}, "file modes", "read-only"},
		{"missing holiday data", time.Date(2027, 12, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), func(vars map[string]string, _ *fakeapi.Server) {
			// serve ran November's prompt and reminder: only the calendar is wrong.
			db, err := store.Open(context.Background(), vars["REFORMBOT_DB"], store.Options{})
			if err != nil {
				panic(err)
			}
			defer db.Close()
			db.Update(context.Background(), func(tx *store.Tx) error {
				tx.RecordCampaign(context.Background(), store.Campaign{Kind: "prompt", Period: "2027-11", Trigger: "cron"})
				return tx.RecordCampaign(context.Background(), store.Campaign{Kind: "remind", Period: "2027-11", Slot: "2027-11-28", Trigger: "cron"})
			})
		}, "calendar", "2028 is missing"},
		{"missed runs", time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), func(map[string]string, *fakeapi.Server) {}, "schedule", "MISSED prompt 2026-11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars, api := doctorSetup(t, tt.now)
			tt.breakIt(vars, api)
			by, code, out := doctorJSON(t, vars, tt.now)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			f := by[tt.check]
			if f.Status != ops.Fail || !strings.Contains(f.Detail, tt.want) || f.Fix == "" {
				t.Errorf("%s: %+v; want a failure saying %q and what to do\n%s", tt.check, f, tt.want, out)
			}
			for name, f := range by {
				if f.Status == ops.Fail && name != tt.check {
					t.Errorf("%s also failed: %+v", name, f)
				}
			}
		})
	}
}

// The plans are 2017's and 2018's and it is November 2026: serve prompts
// nothing (no plan covers 2026), so the doctor fails the plan with what to
// do, and neither lists nor misses runs serve will not do.
func TestDoctorPlanYearOver(t *testing.T) {
	p2017, p2018 := plan.Default(), plan.Default()
	p2018.Year = 2018
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) // the day after the 25th's prompt
	vars, _ := doctorSetupWith(t, now, p2017, p2018)
	by, code, out := doctorJSON(t, vars, now)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if f := by["plan"]; f.Status != ops.Fail || !strings.Contains(f.Detail, "no plan covers 2026") ||
		!strings.HasPrefix(f.Fix, "no plan for 2026: import and activate it") || !strings.Contains(f.Fix, "reformbot plan activate") {
		t.Errorf("plan: %+v\n%s", by["plan"], out)
	}
	if f := by["schedule"]; f.Status == ops.Fail || strings.Contains(f.Detail, "MISSED") || strings.Contains(f.Detail, "next: ") ||
		strings.Contains(f.Fix, "serve running") || !strings.Contains(f.Detail, "no plan covers 2026") {
		t.Errorf("schedule: %+v\n%s", f, out)
	}
	for name, f := range by {
		if f.Status == ops.Fail && name != "plan" {
			t.Errorf("%s also failed: %+v", name, f)
		}
	}

	// In January the past year's plan still has work to do: a warning.
	january := time.Date(2019, 1, 10, 10, 0, 0, 0, now.Location())
	vars, _ = doctorSetupWith(t, january, p2017, p2018)
	by, _, out = doctorJSON(t, vars, january)
	if f := by["plan"]; f.Status != ops.Warn || !strings.Contains(f.Detail, "no plan for 2019 yet") || !strings.HasPrefix(f.Fix, "no plan for 2019") {
		t.Errorf("January: plan %+v\n%s", f, out)
	}

	// With 2026's plan in force the same day, the prompt was missed.
	p2026 := plan.Default()
	p2026.Year = 2026
	vars, _ = doctorSetupWith(t, now, p2017, p2018, p2026)
	by, _, out = doctorJSON(t, vars, now)
	if by["plan"].Status == ops.Fail || by["schedule"].Status != ops.Fail || !strings.Contains(by["schedule"].Detail, "MISSED prompt 2026-11") {
		t.Errorf("with 2026's plan: %+v %+v\n%s", by["plan"], by["schedule"], out)
	}
}
