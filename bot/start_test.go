package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

func TestBindWithInvite(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	zhang := fakeapi.User{ID: 1001, FirstName: "张", LastName: "三"}
	code, _, err := h.db.CreateInvite(ctx, store.RoleContact, "区编办", 14*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	h.api.SendText(zhang, "/start "+code)
	m := h.waitText(zhang.ID, "绑定成功")
	if !strings.Contains(m.PlainText, "区编办") {
		t.Errorf("welcome does not name the unit: %s", m.PlainText)
	}
	if m.Markup == nil || len(m.Markup.Keyboard) == 0 || m.Markup.Keyboard[0][0] != labelTasks {
		t.Errorf("welcome has no 我的任务 keyboard: %+v", m.Markup)
	}
	c, err := h.db.Contact(ctx, zhang.ID)
	if err != nil || c.Unit != "区编办" || !c.CanReport() || c.Name != "张 三" {
		t.Fatalf("contact = %+v, %v", c, err)
	}

	// The code is single use.
	li := fakeapi.User{ID: 1002, FirstName: "李"}
	h.api.SendText(li, "/start "+code)
	h.waitText(li.ID, "邀请链接无效或已过期")
	if _, err := h.db.Contact(ctx, li.ID); err == nil {
		t.Error("a used code bound a second user")
	}

	// Several contacts per unit are fine; an office invite moves a contact.
	h.bind(li, store.RoleContact, "区编办")
	h.bind(zhang, store.RoleOffice, "")
	if c, _ := h.db.Contact(ctx, zhang.ID); !c.IsOffice() {
		t.Errorf("after the office invite: %+v", c)
	}
}

func TestStartWithoutOrWithBadCode(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 2001}
	tests := []struct {
		name, text, want string
	}{
		{"no code", "/start", "请使用区委改革办发给您的邀请链接"},
		{"bad code", "/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "邀请链接无效或已过期"},
		{"not a code", "/start 你好", "邀请链接无效或已过期"},
		{"anything else before binding", "我的任务", "请使用区委改革办发给您的邀请链接"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(h.sentTo(u.ID))
			h.api.SendText(u, tt.text)
			msgs := h.waitCount(u.ID, before+1)
			got := msgs[len(msgs)-1].PlainText
			if !strings.Contains(got, tt.want) {
				t.Errorf("answer %q, want it to contain %q", got, tt.want)
			}
			// Nothing about units, codes or the plan is revealed.
			for _, secret := range []string{"区编办", "2.1.1", "AAAA"} {
				if strings.Contains(got, secret) {
					t.Errorf("answer reveals %q: %s", secret, got)
				}
			}
		})
	}
}

// A guesser is stopped by the attempt limit: after five failures even the
// right code is refused, and a thousand tries get one answer, not a thousand.
func TestInviteGuessingIsRateLimited(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	guesser := fakeapi.User{ID: 3001}
	good, _, err := h.db.CreateInvite(ctx, store.RoleContact, "区财政局", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		h.api.SendText(guesser, fmt.Sprintf("/start wrong%04d", i))
	}
	h.api.SendText(guesser, "/start "+good)
	h.settle()
	if _, err := h.db.Contact(ctx, guesser.ID); err == nil {
		t.Fatal("the right code worked after a thousand wrong ones")
	}
	sent := h.sentTo(guesser.ID)
	bad, limited, tooFast := 0, 0, 0
	for _, m := range sent {
		switch {
		case strings.Contains(m.PlainText, "无效或已过期"):
			bad++
		case strings.Contains(m.PlainText, "尝试次数过多"):
			limited++
		case strings.Contains(m.PlainText, "太快"):
			tooFast++ // the intake's budget: past 150 a minute, the rest are dropped
		}
	}
	if bad != 5 || limited != 1 || tooFast != 1 || len(sent) != 7 {
		t.Errorf("answers: %d invalid, %d rate-limited, %d too fast, %d in all; want 5, 1, 1, 7", bad, limited, tooFast, len(sent))
	}
	// Another user is unaffected.
	other := fakeapi.User{ID: 3002}
	h.api.SendText(other, "/start "+good)
	h.waitText(other.ID, "绑定成功")
}

// Opening one's own invite link again is no error: the binding stays.
func TestReusedLinkOfABoundContact(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 4001}
	code := mustInvite(t, h, "区编办")
	h.say(u, "/start "+code, "绑定成功")
	m := h.say(u, "/start "+code, "您是区编办的联络人")
	if m.Markup == nil || len(m.Markup.Keyboard) == 0 {
		t.Errorf("no keyboard with the greeting: %+v", m.Markup)
	}
	if c, err := h.db.Contact(context.Background(), u.ID); err != nil || c.Unit != "区编办" || !c.CanReport() {
		t.Errorf("binding changed: %+v, %v", c, err)
	}
}

// An invite forwarded through another messenger often arrives as text: the
// whole link pasted, or the bare code. Both bind; binding again elsewhere
// says the old binding ended.
func TestPastedInviteBinds(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	invite := func(unit string) string {
		code, _, err := h.db.CreateInvite(ctx, store.RoleContact, unit, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	wang := fakeapi.User{ID: 1011, FirstName: "王"}
	h.say(wang, "邀请链接：https://t.me/reformbot_bot?start="+invite("区编办")+" 请点击", "绑定成功")
	if c, err := h.db.Contact(ctx, wang.ID); err != nil || c.Unit != "区编办" {
		t.Fatalf("after pasting the link: %+v, %v", c, err)
	}
	zhao := fakeapi.User{ID: 1012, FirstName: "赵"}
	h.say(zhao, invite("区法制办"), "绑定成功")
	if c, err := h.db.Contact(ctx, zhao.ID); err != nil || c.Unit != "区法制办" {
		t.Fatalf("after pasting the code: %+v, %v", c, err)
	}
	if m := h.say(wang, invite("区财政局"), "绑定成功"); !strings.Contains(m.PlainText, "原绑定的「区编办」已解除") {
		t.Errorf("rebinding does not say the old binding ended:\n%s", m.PlainText)
	}
	// Text that merely looks long is still a search.
	h.say(zhao, "强区放权", "2.1.1")
}
