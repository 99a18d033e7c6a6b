package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// Who may do what is decided from the user id and the store, never from
// callback_data: every forged button below is refused and changes nothing.
func TestForgedCallbacksAreRefused(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	mine := fakeapi.User{ID: 1001}
	other := fakeapi.User{ID: 1002}
	stranger := fakeapi.User{ID: 1003}
	h.bind(mine, store.RoleContact, "区编办")
	h.bind(other, store.RoleContact, "区财政局")
	report(t, h, other, "3.1.1", "按计划推进", "财政局的内部进展。")
	theirs, err := h.db.CurrentReport(ctx, 2017, "3.1.1", "区财政局", "2017-04")
	if err != nil {
		t.Fatal(err)
	}
	anchor := h.say(mine, "我的任务", "本期已填报") // a real message to hang presses on

	tests := []struct {
		name string
		user fakeapi.User
		data string
		want string
	}{
		{"report on another unit's measure", mine, "r:3.1.1:2017-04", "不负责该任务"},
		{"status for another unit's measure", mine, "s:3.1.1:2017-04:0", "不负责该任务"},
		{"acceptance for another unit's measure", mine, "a:3.1.1:2017", "不负责该任务"},
		{"another unit's attachments", mine, "f:" + itoa(theirs.ID), "无权查看"},
		{"a far-off period", mine, "r:2.1.1:2030-01", "填报期次无效"},
		{"a period of the wrong cadence", mine, "r:2.1.1:2017-Q2", "填报期次无效"},
		{"an unknown measure", mine, "m:9.9.9", "按钮已失效"},
		{"an unbound user", stranger, "r:2.1.1:2017-04", "请使用区委改革办发给您的邀请链接"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			since := len(h.sentTo(tt.user.ID))
			h.api.Press(tt.user, anchor.MessageID, tt.data)
			m := h.waitNew(tt.user.ID, since, tt.want)
			if strings.Contains(m.PlainText, "财政局的内部进展") {
				t.Errorf("leaked another unit's report: %s", m.PlainText)
			}
		})
	}
	h.settle()
	// Nothing was started or stored by the forgeries.
	err = h.db.Update(ctx, func(tx *store.Tx) error {
		for _, u := range []int64{mine.ID, stranger.ID} {
			if _, err := tx.Conversation(ctx, u); err != store.ErrNotFound {
				t.Errorf("user %d has a conversation after forged buttons: %v", u, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if hist, _ := h.db.History(ctx, 2017, "3.1.1", "区编办", "2017-04"); len(hist) != 0 {
		t.Errorf("a report was stored for a unit that is not responsible: %+v", hist)
	}
	// Every press was answered, so no button spins.
	if n := h.api.Unanswered(); n != 0 {
		t.Errorf("%d callback queries left unanswered", n)
	}
}

func TestOfficeCommandsNeedTheOfficeRole(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	for _, cmd := range []string{"/overview", "/missing", "/unit 区财政局", "/measure 3.1.1", "本期总览", "未填报单位"} {
		t.Run(cmd, func(t *testing.T) {
			m := h.say(u, cmd, "仅供区委改革办使用")
			if strings.Contains(m.PlainText, "区财政局") {
				t.Errorf("leaked: %s", m.PlainText)
			}
		})
	}
}

func TestRevokedContactLosesAccess(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	if _, err := h.db.Revoke(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	h.say(u, "我的任务", "绑定已被取消")
	anchor := h.say(u, "/start", "绑定已被取消")
	since := len(h.sentTo(u.ID))
	h.api.Press(u, anchor.MessageID, "r:2.1.1:2017-04")
	h.waitNew(u.ID, since, "绑定已被取消")
}
