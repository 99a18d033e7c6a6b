package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// serveForTest runs serve in-process with args until the test ends and
// returns its log.
func serveForTest(t *testing.T, vars map[string]string, args ...string) *syncBuffer {
	t.Helper()
	env, _, serveLog := testEnv(vars, time.Now())
	env.Now = time.Now
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- run(ctx, append([]string{"serve", "--poll-timeout", "1s"}, args...), env) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop within 10s of cancellation")
		}
	})
	return serveLog
}

// eventually waits (up to 20 s) for cond, polling; the wait is not what is
// tested.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// metric reads one sample from a Prometheus text exposition.
func metric(body, series string) float64 {
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, series+" ") {
			v, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, series)), 64)
			return v
		}
	}
	return -1
}

func TestServeHealthMetricsAndBackups(t *testing.T) {
	api := fakeapi.NewServer(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "reformbot.db")
	backups := filepath.Join(dir, "backups")
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN":   api.Token(),
		"TELEGRAM_API_URL":     api.URL(),
		"REFORMBOT_DB":         db,
		"REFORMBOT_BACKUP_DIR": backups,
	}
	serveLog := serveForTest(t, vars, "--metrics", "127.0.0.1:0")
	addr := regexp.MustCompile(`serving /healthz and /metrics"? addr=(\S+)`)
	var base string
	eventually(t, "the metrics listener", func() bool {
		if m := addr.FindStringSubmatch(serveLog.String()); m != nil {
			base = "http://" + m[1]
		}
		return base != ""
	})

	eventually(t, "/healthz 200", func() bool { code, _ := get(t, base+"/healthz"); return code == 200 })
	_, body := get(t, base+"/metrics")
	if got := metric(body, "reformbot_updates_received_total"); got != 0 {
		t.Fatalf("updates before any: %v\n%s", got, body)
	}

	// A stranger writes: one update in, one reply out.
	api.SendText(fakeapi.User{ID: 4242, FirstName: "路人"}, "你好")
	eventually(t, "the counters to move", func() bool {
		_, body = get(t, base+"/metrics")
		return metric(body, "reformbot_updates_received_total") == 1 && metric(body, `reformbot_sends_total{result="ok"}`) >= 1
	})
	for _, series := range []string{
		`reformbot_handler_duration_seconds_count`, `reformbot_outbox_pending{kind="reply"}`, `reformbot_send_rate`,
		`reformbot_database_bytes{file="db"}`, `reformbot_last_poll_success_timestamp_seconds`,
	} {
		if metric(body, series) < 0 {
			t.Errorf("no %s in /metrics", series)
		}
	}
	if strings.Contains(body, "4242") || strings.Contains(body, "路人") {
		t.Error("/metrics shows a user")
	}

	// Telegram unreachable: /healthz says so; back: healthy again.
	api.SetDown(true)
	eventually(t, "/healthz 503", func() bool {
		code, body := get(t, base+"/healthz")
		return code == 503 && strings.Contains(body, "getUpdates failed")
	})
	api.SetDown(false)
	eventually(t, "/healthz 200 again", func() bool { code, _ := get(t, base+"/healthz"); return code == 200 })

	// serve took a backup at start (there was none), and restore refuses
	// to run under it.
	eventually(t, "a backup", func() bool {
		all, _ := store.ListBackups(backups, time.Local)
		return len(all) == 1
	})
	all, _ := store.ListBackups(backups, time.Local)
	_, stderr, code := runCmd(t, vars, time.Now(), "restore", all[0].Path)
	if code != 1 || !strings.Contains(stderr, "serve is running") {
		t.Errorf("restore under serve: exit %d, %s", code, stderr)
	}
	_, stderr, code = runCmd(t, vars, time.Now(), "serve", "--poll-timeout", "1s")
	if code != 1 || !strings.Contains(stderr, "another reformbot serve is running") {
		t.Errorf("a second serve: exit %d, %s", code, stderr)
	}
}

func TestBackupListRestoreAndVersion(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "reformbot.db")
	backups := filepath.Join(dir, "backups")
	vars := map[string]string{"REFORMBOT_DB": db, "REFORMBOT_BACKUP_DIR": backups}
	now := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)

	out, _, code := runCmd(t, vars, now, "invite", "区编办")
	if code != 0 {
		t.Fatalf("invite: %s", out)
	}
	out, stderr, code := runCmd(t, vars, now, "backup")
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("backup: exit %d: %s %s", code, out, stderr)
	}
	runCmd(t, vars, now.Add(24*time.Hour), "backup")
	out, _, _ = runCmd(t, vars, now, "backup", "--list")
	if !strings.Contains(out, "2026-11-29 11:00:00") || !strings.Contains(out, "daily+monthly") || !strings.Contains(out, "2 backups") {
		t.Errorf("backup --list:\n%s", out)
	}
	first, _ := store.ListBackups(backups, time.UTC) // the zone does not matter here

	// After the backup a second invite; restoring the first backup takes
	// it away, and the current database is kept aside.
	runCmd(t, vars, now, "invite", "区财政局")
	out, stderr, code = runCmd(t, vars, now, "restore", first[0].Path)
	if code != 0 || !strings.Contains(out, "kept as") {
		t.Fatalf("restore: exit %d: %s %s", code, out, stderr)
	}
	if n := count(t, db, `SELECT count(*) FROM invites`); n != 1 {
		t.Errorf("%d invites after restore, want the backup's 1", n)
	}
	aside, _ := filepath.Glob(db + ".before-restore-*")
	if len(aside) != 1 || !strings.HasSuffix(aside[0], ".before-restore-20261128-110000") {
		t.Errorf("previous database kept aside: %v; want it named in office time (11:00 in Shanghai), as the backups are", aside)
	}

	out, _, code = runCmd(t, vars, now, "version")
	if code != 0 || !regexp.MustCompile(`schema +\d+`).MatchString(out) || !strings.Contains(out, "current") {
		t.Errorf("version:\n%s", out)
	}
	// A database from a newer reformbot is refused, clearly.
	count(t, db, `INSERT INTO schema_migrations VALUES (999, '999_future.sql', 'x') RETURNING version`)
	out, _, _ = runCmd(t, vars, now, "version")
	if !strings.Contains(out, "schema 999, NEWER") {
		t.Errorf("version of a newer database:\n%s", out)
	}
	_, stderr, code = runCmd(t, vars, now, "contacts")
	if code != 1 || !strings.Contains(stderr, "newer than this reformbot knows") {
		t.Errorf("contacts on a newer database: exit %d, %s", code, stderr)
	}
}

// count runs a query that returns one number on the database at path.
func count(t *testing.T, path, query string) int {
	t.Helper()
	sqldb, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	var n int
	if err := sqldb.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
