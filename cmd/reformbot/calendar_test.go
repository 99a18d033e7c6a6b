package main

import (
	"os"
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

// calendar add adds to the year's days: a second add keeps the first's, a
// built-in year keeps its arrangement, a day given again takes the new
// name, a day both off and worked is refused, and --replace starts over.
func TestCalendarAddMerges(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(dir, "r.db")}
	now := time.Date(2027, 12, 10, 9, 0, 0, 0, time.UTC)
	add := func(args ...string) (string, string, int) {
		return runCmd(t, vars, now, append([]string{"calendar", "add"}, args...)...)
	}
	if _, stderr, code := add("2028", "--off", "2028-01-01 元旦", "--off", "2028-01-26..2028-02-01 春节", "--work", "2028-02-05 春节调休"); code != 0 {
		t.Fatalf("first add: exit %d: %s", code, stderr)
	}
	out, stderr, code := add("2028", "--off", "2028-05-01..2028-05-03 劳动节")
	if code != 0 {
		t.Fatalf("second add: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"added 3 day(s) to 2028", "off   2028-01-01 元旦", "off   2028-01-26..2028-02-01 春节", "off   2028-05-01..2028-05-03 劳动节", "work  2028-02-05 春节调休"} {
		if !strings.Contains(out, want) {
			t.Errorf("second add: no %q in:\n%s", want, out)
		}
	}
	out, _, _ = runCmd(t, vars, now, "calendar", "2028")
	for _, want := range []string{"2028-01-26 Wed  off   春节", "2028-02-05 Sat  work  春节调休上班", "2028-05-03 Wed  off   劳动节"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar 2028: no %q in:\n%s", want, out)
		}
	}

	// A day given again takes the new name; off where it is worked is an
	// error that changes nothing.
	if out, _, code = add("2028", "--off", "2028-01-01 新年"); code != 0 || !strings.Contains(out, "(1 given again)") || !strings.Contains(out, "off   2028-01-01 新年\n") {
		t.Errorf("a day given again (exit %d):\n%s", code, out)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "holidays.yaml"))
	_, stderr, code = add("2028", "--off", "2028-02-05")
	if code != 2 || !strings.Contains(stderr, "2028-02-05 is already a working day (春节调休)") || strings.Count(stderr, "\n") > 0 {
		t.Errorf("off on a 调休 day: exit %d, %q", code, stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "holidays.yaml")); string(after) != string(before) {
		t.Error("a refused add changed the file")
	}

	// A built-in year: the file's year replaces the built-in one, so it
	// must carry it.
	out, stderr, code = add("2026", "--off", "2026-10-09 国庆节")
	if code != 0 || !strings.Contains(out, "built-in arrangement") || !strings.Contains(out, "2026-02-15..2026-02-23 春节") {
		t.Errorf("add to 2026 (exit %d):\n%s%s", code, out, stderr)
	}
	out, _, _ = runCmd(t, vars, now, "calendar", "2026")
	for _, want := range []string{"2026-01-01 Thu  off   元旦节", "2026-02-16 Mon  off   春节", "2026-10-09 Fri  off   国庆节", "2026-10-10 Sat  work"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar 2026 after add: no %q in:\n%s", want, out)
		}
	}

	// 调休 days alone for a year with no data would hide that its
	// holidays are missing; for a known year they are added.
	if _, stderr, code = add("2029", "--work", "2029-02-03"); code != 2 || !strings.Contains(stderr, "2029 has no holiday data yet") {
		t.Errorf("--work alone for 2029: exit %d, %q", code, stderr)
	}
	if out, _, code = add("2028", "--work", "2028-01-22 春节调休"); code != 0 || !strings.Contains(out, "work  2028-01-22 春节调休") {
		t.Errorf("--work alone for 2028 (exit %d):\n%s", code, out)
	}

	// --replace gives the whole year.
	out, _, code = add("2028", "--replace", "--off", "2028-05-01..2028-05-03 劳动节")
	if code != 0 || !strings.Contains(out, "replaced 2028") || strings.Contains(out, "春节") {
		t.Errorf("--replace (exit %d):\n%s", code, out)
	}
}
