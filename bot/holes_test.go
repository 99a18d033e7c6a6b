package bot

import (
	"context"
	"strings"
	"testing"
	"time"

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

// Guessing from many accounts, each within its own limit, meets the budget
// of all users together; an hour later codes work again.
func TestInviteGuessingFromManyAccounts(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) {
		c.InviteAttempts = store.AttemptLimit{Failures: 5, Window: time.Hour, Global: 10}
	}))
	ctx := context.Background()
	good, _, err := h.db.CreateInvite(ctx, store.RoleContact, "区财政局", 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for i := int64(0); i < 30; i++ {
		h.api.SendText(fakeapi.User{ID: 6000 + i}, "/start wrongguess")
	}
	h.settle()
	invalid, limited := 0, 0
	for i := int64(0); i < 30; i++ {
		for _, m := range h.sentTo(6000 + i) {
			switch {
			case strings.Contains(m.PlainText, "无效或已过期"):
				invalid++
			case strings.Contains(m.PlainText, "尝试次数过多"):
				limited++
			}
		}
	}
	if invalid != 10 || limited != 20 {
		t.Errorf("30 accounts guessing once: %d told invalid, %d told to wait; want 10 and 20", invalid, limited)
	}
	u := fakeapi.User{ID: 7001}
	h.api.SendText(u, "/start "+good)
	h.waitText(u.ID, "尝试次数过多")
	h.clock.Set(h.clock.Now().Add(time.Hour + time.Minute))
	h.api.SendText(u, "/start "+good)
	h.waitText(u.ID, "绑定成功")
}
