package main

import (
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

// schedule lists what serve sends: nothing for a period no plan covers,
// and it says so.
func TestScheduleListsOnlyPlannedRuns(t *testing.T) {
	p2017, p2018 := plan.Default(), plan.Default()
	p2018.Year = 2018
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	vars, _ := doctorSetupWith(t, now, p2017, p2018)

	out, stderr, code := runCmd(t, vars, now, "schedule", "--from", "2026-11-20", "--days", "15")
	if code != 0 || strings.Contains(out, "2026-11-25") || strings.Contains(out, "digest") ||
		!strings.Contains(out, "nothing will be sent from 2026-11-20 to 2026-12-04: no plan covers 2026 (the database has plans for 2017, 2018)") {
		t.Errorf("2026 without a plan (exit %d):\n%s%s", code, out, stderr)
	}
	// Across the end of 2018: December's runs are listed, January's
	// prompt is not, and a note says why.
	out, stderr, code = runCmd(t, vars, now, "schedule", "--from", "2018-12-20", "--days", "40")
	if code != 0 || !strings.Contains(out, "2019-01-03 Thu 09:00  digest     2018-12") || strings.Contains(out, "2019-01-25") ||
		!strings.Contains(out, "note: runs for 2019 are not listed") || strings.Contains(out, "nothing will be sent") {
		t.Errorf("across the end of 2018 (exit %d):\n%s%s", code, out, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "note:") && !strings.Contains(line, "2018-1") {
			t.Errorf("a run serve will not do: %q", line)
		}
	}
}
