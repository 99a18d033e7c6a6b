package bot

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// A database deleted under a running bot: the next update is neither
// confirmed nor answered as if saved, and Run stops with ErrDatabaseGone.
func TestAVanishedDatabaseStopsTheBot(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001, FirstName: "王"}
	first := h.api.SendText(u, "/help")
	h.waitCount(u.ID, 1)
	h.api.WaitConfirmed(t, 30*time.Second, first)
	h.settle() // the reply's outcome is recorded: nothing in flight
	if err := os.Remove(h.db.Path()); err != nil {
		t.Fatal(err)
	}
	before := len(h.sentTo(u.ID))
	second := h.api.SendText(u, "/help")
	select {
	case err := <-h.done:
		h.stop = nil // Run is over; nothing for the cleanup to stop
		if !errors.Is(err, store.ErrDatabaseGone) {
			t.Errorf("Run returned %v, want ErrDatabaseGone", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the bot kept running on a deleted database")
	}
	if h.api.IsConfirmed(second) {
		t.Error("an update was confirmed to Telegram after the database was gone")
	}
	if n := len(h.sentTo(u.ID)); n != before {
		t.Errorf("%d messages sent after the database was gone", n-before)
	}
}
