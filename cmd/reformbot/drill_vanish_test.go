package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
)

// The database file is deleted under a running serve (a restore done the
// wrong way round, a cleanup script): the next update is not confirmed, its
// sender is not told anything was saved, and serve exits 1 saying why.
func TestDrillDatabaseVanishes(t *testing.T) {
	d := newDrill(t)
	p := d.serve()
	d.waitPolling(p, 1)
	u := fakeapi.User{ID: 4001, FirstName: "王"}
	first := d.api.SendText(u, "/help")
	d.waitFor(30*time.Second, "serve did not answer before the deletion", func() bool {
		return d.api.IsConfirmed(first) && len(d.api.SentTo(u.ID)) > 0
	})
	time.Sleep(200 * time.Millisecond) // the reply's "sent" record, so nothing is in flight
	if err := os.Remove(d.db); err != nil {
		t.Fatal(err)
	}
	answered := len(d.api.SentTo(u.ID))
	second := d.api.SendText(u, "/help")
	select {
	case <-p.done:
	case <-time.After(90 * time.Second):
		t.Fatalf("serve kept running on a deleted database:\n%s", p.log.String())
	}
	if p.err == nil {
		t.Errorf("serve exited 0 after its database vanished:\n%s", p.log.String())
	}
	if !strings.Contains(p.log.String(), "deleted or replaced") {
		t.Errorf("serve's log does not say why it stopped:\n%s", p.log.String())
	}
	if d.api.IsConfirmed(second) {
		t.Error("an update was confirmed after the database was deleted")
	}
	if n := len(d.api.SentTo(u.ID)); n != answered {
		t.Errorf("%d messages sent after the database was deleted", n-answered)
	}
}
