package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// envInt reads a positive integer knob, or returns def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv(name))); err == nil && n > 0 {
		return n
	}
	return def
}

// kill -9 at random points while bursts of reports come in: after the last
// restart every report is stored exactly once and every update is in the
// inbox once.
func TestDrillKillDuringIntake(t *testing.T) {
	trials := envInt("REFORMBOT_DRILL_TRIALS", 20)
	if testing.Short() {
		trials = min(trials, 5)
	}
	const burst = 150
	d := newDrill(t)
	ws := d.writers(trials * burst)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d", seed)

	texts := map[string]int{}
	var last int64
	var unconfirmed []int // updates not yet confirmed at each kill
	var stored []int      // updates in the inbox after each kill
	db := d.open()
	for trial := range trials {
		for j := range burst {
			text := fmt.Sprintf("第%d轮第%d条进展：已完成方案起草。", trial, j)
			last = d.api.SendText(ws[trial*burst+j].user, text)
			texts[text] = trial
		}
		polls := d.api.RequestCount("getUpdates")
		p := d.serve()
		d.waitPolling(p, polls+1)
		time.Sleep(jitter(rng, 60*time.Millisecond))
		unconfirmed = append(unconfirmed, d.api.Pending())
		p.kill()
		counts, err := db.InboxCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, counts[store.OutcomeDone])
	}
	p := d.serve()
	d.api.WaitConfirmed(t, 2*time.Minute, last)
	d.waitFor(2*time.Minute, "the replies were not all sent", func() bool {
		c, err := db.OutboxCounts(context.Background())
		return err == nil && c[store.Pending] == 0
	})
	p.stop(t)

	counts, err := db.InboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts[store.OutcomeDone] != len(texts) || counts[store.OutcomeFailed] != 0 {
		t.Errorf("inbox %v; want %d updates done, none failed", counts, len(texts))
	}
	d.checkReports(db, ws, texts)
	noReply, extra := 0, 0
	for _, w := range ws {
		n := 0
		for _, m := range d.api.SentTo(w.user.ID) {
			if strings.Contains(m.PlainText, "已保存") {
				n++
			}
		}
		if n == 0 {
			noReply++
		}
		extra += max(n-1, 0)
	}
	if noReply > 0 || extra > trials*8 {
		t.Errorf("%d writers got no confirmation, %d confirmations went twice (bound: the 8 sends in flight per kill, %d)", noReply, extra, trials*8)
	}
	// A kill landed mid-burst when the process had taken updates and left
	// others untaken.
	mid, prev := 0, 0
	for i, n := range stored {
		if n > prev && n < (i+1)*burst {
			mid++
		}
		prev = n
	}
	if mid == 0 {
		t.Errorf("no kill landed while updates were being taken; the drill proved nothing (inbox after each kill: %v)", stored)
	}
	t.Logf("%d kills, %d of them with updates taken and more waiting; %d reports, %d applied, 0 lost, 0 twice; %d replies repeated after a kill",
		trials, mid, len(texts), counts[store.OutcomeDone], extra)
	t.Logf("updates in the inbox after each kill: %v", stored)
	t.Logf("updates unconfirmed at each kill: %v", unconfirmed)
}

// Another process holds the write lock for longer than the busy timeout
// (5 s) while reports arrive and prompts go out: serve waits and retries,
// and nothing is lost or sent twice.
func TestDrillDatabaseBusy(t *testing.T) {
	hold := envDuration("REFORMBOT_DRILL_LOCK", 7*time.Second)
	if testing.Short() {
		hold = min(hold, 6*time.Second)
	}
	ctx := context.Background()
	d := newDrill(t)
	ws := d.writers(200)
	p := d.serve("--rate", "200")
	d.waitPolling(p, 1)
	out := d.run("prompt", "--period", "2017-04")
	if !strings.Contains(out, "200 prompts enqueued") {
		t.Fatalf("prompt: %s", out)
	}
	d.waitFor(30*time.Second, "no prompt went out", func() bool { return len(d.api.Sent()) > 0 })

	// The lock, from this process: BEGIN IMMEDIATE on a connection of its own.
	locker, err := sql.Open("sqlite", "file:"+d.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close()
	conn, err := locker.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	locked := time.Now()
	texts := map[string]int{}
	var first, last int64
	for i, w := range ws[:100] {
		text := fmt.Sprintf("锁住时的第%d条进展。", i)
		last = d.api.SendText(w.user, text)
		if first == 0 {
			first = last
		}
		texts[text] = 0
	}
	time.Sleep(hold)
	if d.api.IsConfirmed(first) {
		t.Error("an update was confirmed while the database was locked: it cannot have been committed")
	}
	sentDuringLock := len(d.api.Sent())
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	unlocked := time.Now()
	t.Logf("write lock held for %v", unlocked.Sub(locked).Round(time.Millisecond))
	for i, w := range ws[100:] {
		text := fmt.Sprintf("解锁后的第%d条进展。", i)
		last = d.api.SendText(w.user, text)
		texts[text] = 1
	}
	d.api.WaitConfirmed(t, time.Minute, last)
	confirmed := time.Since(unlocked)
	db := d.open()
	d.waitFor(time.Minute, "the outbox did not drain", func() bool {
		c, err := db.OutboxCounts(ctx)
		return err == nil && c[store.Pending] == 0
	})
	t.Logf("after the lock: every update confirmed in %v, the outbox drained in %v",
		confirmed.Round(time.Millisecond), time.Since(unlocked).Round(time.Millisecond))
	if !p.alive() {
		t.Fatalf("serve exited: %v\n%s", p.err, p.log.String())
	}
	p.stop(t)
	d.checkReports(db, ws, texts)
	prompts := map[int64]int{}
	for _, m := range d.api.Sent() {
		if strings.Contains(m.PlainText, "改革任务进展填报") {
			prompts[m.ChatID]++
		}
	}
	for _, w := range ws {
		if prompts[w.user.ID] != 1 {
			t.Errorf("contact %d got %d prompts, want 1", w.user.ID, prompts[w.user.ID])
			break
		}
	}
	// Intake or the sender, whichever was first in line for the lock, gave
	// up on it after busy_timeout and tried again.
	if log := p.log.String(); !strings.Contains(log, "database busy") && !strings.Contains(log, "SQLITE_BUSY") {
		t.Errorf("serve never met the lock (no busy error in its log); the drill proved nothing:\n%s", log)
	}
	t.Logf("%d reports and %d prompts, none lost or doubled; %d sends went out while the lock was held",
		len(texts), len(prompts), sentDuringLock)
}

// `reformbot backup` while serve writes a burst of reports: every copy
// passes PRAGMA integrity_check and holds a prefix of the burst, with each
// update's report and reply and nothing of the updates after it.
func TestDrillBackupDuringBurst(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 1000
	}
	d := newDrill(t)
	ws := d.writers(n)
	p := d.serve("--rate", "30") // the replies pile up, as with the real limits
	d.waitPolling(p, 1)
	textOf := map[int64]string{}
	var first, last int64
	var copies []string
	var backups []*exec.Cmd
	// A backup starts as each tenth of the burst is pushed and runs while
	// serve takes it in (the intake is fast enough to take a whole burst
	// before one backup command has started, so the burst is not pushed
	// first). They run at once; each copy is a snapshot of its moment.
	backup := func() {
		path := filepath.Join(d.dir, fmt.Sprintf("copy-%02d.db", len(copies)))
		cmd := exec.Command(d.bin, "backup", "-o", path)
		cmd.Env = d.env()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		backups = append(backups, cmd)
		copies = append(copies, path)
	}
	for i, w := range ws {
		if i%(n/10) == 0 {
			backup()
		}
		text := fmt.Sprintf("备份演练第%d条进展。", i)
		last = d.api.SendText(w.user, text)
		if first == 0 {
			first = last
		}
		textOf[last] = text
	}
	for _, cmd := range backups {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("backup: %v", err)
		}
	}
	d.api.WaitConfirmed(t, time.Minute, last)
	p.stop(t)

	period := plan.PeriodOf(time.Now().In(shanghai), plan.Monthly)
	var prefixes []int
	mid := 0
	for _, path := range copies {
		k := checkCopy(t, path, first, textOf, string(period))
		prefixes = append(prefixes, k)
		if k > 0 && k < n {
			mid++
		}
	}
	if mid == 0 {
		t.Errorf("no copy was taken mid-burst (reports in each copy: %v); the drill proved nothing", prefixes)
	}
	t.Logf("%d copies, %d taken mid-burst; reports in each: %v", len(copies), mid, prefixes)
}

// checkCopy opens a backup, checks its integrity and that it holds exactly
// the updates first..first+k-1 of the burst with their reports and
// replies, and returns k.
func checkCopy(t *testing.T, path string, first int64, textOf map[int64]string, period string) int {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("%s: integrity_check = %q, %v", path, integrity, err)
	}
	ids := column[int64](t, db, `SELECT update_id FROM inbox ORDER BY update_id`)
	for i, id := range ids {
		if id != first+int64(i) {
			t.Fatalf("%s: inbox holds updates %v…, not a prefix of the burst from %d", path, ids[:i+1], first)
		}
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[textOf[id]] = true
	}
	got := column[string](t, db, `SELECT text FROM reports WHERE period = ?`, period)
	if len(got) != len(ids) {
		t.Errorf("%s: %d updates in the inbox but %d reports", path, len(ids), len(got))
	}
	for _, text := range got {
		if !want[text] {
			t.Errorf("%s: report %q without its update in the inbox", path, text)
		}
	}
	keys := column[string](t, db, `SELECT key FROM outbox WHERE kind = 'reply'`)
	replies := map[string]bool{}
	for _, k := range keys {
		replies[k] = true
	}
	for _, id := range ids {
		if !replies[fmt.Sprintf("reply:%d:0", id)] {
			t.Errorf("%s: update %d is in the inbox without its reply", path, id)
			break
		}
	}
	if len(keys) != len(ids) {
		t.Errorf("%s: %d replies for %d updates", path, len(keys), len(ids))
	}
	return len(ids)
}

func column[T any](t *testing.T, db *sql.DB, query string, args ...any) []T {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
