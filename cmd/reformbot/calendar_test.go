package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCalendarAddMovesTheSchedule(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(dir, "r.db")}
	dec := time.Date(2027, 12, 10, 9, 0, 0, 0, time.UTC)

	out, stderr, code := runCmd(t, vars, dec, "calendar")
	if code != 0 || !strings.Contains(out, "2028  MISSING") || !strings.Contains(out, "warning: 2028") {
		t.Fatalf("calendar before add (exit %d):\n%s", code, out)
	}
	// 25 January 2028 is a Tuesday: without data the prompt stays there.
	out, _, code = runCmd(t, vars, dec, "schedule", "--from", "2028-01-20", "--days", "10")
	if code != 0 || !strings.Contains(out, "2028-01-25 Tue 09:00  prompt") || !strings.Contains(out, "note: no holiday data for 2028") {
		t.Fatalf("schedule before add (exit %d):\n%s", code, out)
	}

	_, stderr, code = runCmd(t, vars, dec, "calendar", "add", "2028", "--off", "2028-01-01 元旦,2028-01-24..2028-01-30 春节", "--work", "2028-02-05 春节调休")
	if code != 0 {
		t.Fatalf("calendar add: exit %d: %s", code, stderr)
	}
	out, _, _ = runCmd(t, vars, dec, "calendar")
	if !strings.Contains(out, "2028  file") || strings.Contains(out, "warning") {
		t.Errorf("calendar after add:\n%s", out)
	}
	out, stderr, _ = runCmd(t, vars, dec, "schedule", "--from", "2028-01-20", "--days", "15")
	if !strings.Contains(out, "2028-01-31 Mon 09:00  prompt     2028-01 (moved from 01-25 Tue: 春节)") || strings.Contains(out, "note:") {
		t.Errorf("schedule after add:\n%s%s", out, stderr)
	}

	_, stderr, code = runCmd(t, vars, dec, "calendar", "add", "2028", "--off", "2029-01-01")
	if code != 2 || !strings.Contains(stderr, "not in 2028") {
		t.Errorf("a date of another year: exit %d, %s", code, stderr)
	}
}
