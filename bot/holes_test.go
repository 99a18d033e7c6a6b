package bot

import (
	"context"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// A contact who blocked the bot and comes back by pressing a button in an
// old message is active again and served, as when they write.
func TestAButtonPressReactivatesABlockedContact(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	list := h.say(u, "我的任务", "本期已填报")
	h.api.UserBlocksBot(u)
	h.settle()
	if c, _ := h.db.Contact(ctx, u.ID); c.Status != store.Blocked {
		t.Fatalf("proved nothing: after blocking the contact is %s", c.Status)
	}
	h.api.Unblock(u.ID)
	since := len(h.sentTo(u.ID))
	h.press(u, list, list.Markup.Buttons()[0].Text)
	h.waitNew(u.ID, since, "任务内容")
	if c, _ := h.db.Contact(ctx, u.ID); c.Status != store.Active {
		t.Errorf("after pressing a button: %s, want active", c.Status)
	}
}
