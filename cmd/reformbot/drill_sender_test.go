package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/store"
)

// Two serves on one database would both drain the outbox and send
// messages twice. The second is refused, naming the first; a standby
// waits, sending nothing, and takes over when the first stops; the lock of
// a serve killed with SIGKILL does not block the next. Operator commands
// work beside serve throughout. Nothing is sent twice.
func TestDrillOneSenderPerDatabase(t *testing.T) {
	const contacts = 200
	d := newDrill(t)
	d.writers(contacts)
	db := d.open()
	allSent := func(n int) func() bool {
		return func() bool {
			c, err := db.OutboxCounts(context.Background())
			return err == nil && c[store.Pending] == 0 && c[store.Sent] == n
		}
	}

	first := d.serve()
	d.waitPolling(first, 1)
	started := time.Now()
	second := d.serve()
	select {
	case <-second.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("a second serve on the same database is still running:\n%s", second.log.String())
	}
	refusal := second.log.String()
	if second.err == nil {
		t.Errorf("the second serve exited 0:\n%s", refusal)
	}
	for _, want := range []string{fmt.Sprintf("pid %d since ", first.cmd.Process.Pid), "--standby"} {
		if !strings.Contains(refusal, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, refusal)
		}
	}
	t.Logf("second serve refused in %v: %s", time.Since(started).Round(time.Millisecond), strings.TrimSpace(refusal))

	standby := d.serve("--standby")
	d.waitFor(30*time.Second, "the standby did not say it waits", func() bool {
		return strings.Contains(standby.log.String(), "standby: another serve holds the database")
	})
	if out := d.run("prompt", "--period", "2017-04"); !strings.Contains(out, fmt.Sprintf("%d prompts enqueued", contacts)) {
		t.Fatalf("prompt beside serve: %s", out)
	}
	d.waitFor(2*time.Minute, "the prompts were not all sent", allSent(contacts))
	if !standby.alive() || strings.Contains(standby.log.String(), "telegram: connected") {
		t.Fatalf("the standby did more than wait:\n%s", standby.log.String())
	}

	first.stop(t)
	d.waitFor(30*time.Second, "the standby did not take over", func() bool {
		return strings.Contains(standby.log.String(), "telegram: connected")
	})
	if out := d.run("remind", "--period", "2017-04"); !strings.Contains(out, fmt.Sprint(contacts)) {
		t.Fatalf("remind beside the standby: %s", out)
	}
	d.waitFor(2*time.Minute, "the standby did not send the reminders", allSent(2*contacts))

	// SIGKILL leaves the lock file naming a dead process; the next serve
	// starts all the same.
	standby.kill()
	next := d.serve()
	d.waitFor(30*time.Second, "a serve after a SIGKILL did not start", func() bool {
		return strings.Contains(next.log.String(), "telegram: connected") || !next.alive()
	})
	if !next.alive() {
		t.Fatalf("a stale lock blocked the restart:\n%s", next.log.String())
	}
	next.stop(t)

	sent := len(d.api.Sent())
	if sent < 2*contacts {
		t.Fatalf("proved nothing: %d messages sent, want %d", sent, 2*contacts)
	}
	if dup := duplicates(d.api); dup > 0 {
		t.Errorf("%d of %d messages were sent twice", dup, sent)
	}
	t.Logf("%d messages with a refused second serve, a standby taking over and a SIGKILL restart: %d sent twice",
		sent, duplicates(d.api))
}
