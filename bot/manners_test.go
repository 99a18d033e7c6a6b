package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// Every input from a private chat gets a short, sensible answer.
func TestEveryInputGetsAnAnswer(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	long := strings.Repeat("很长的内容。", 900) // 5,400 characters
	tests := []struct {
		name string
		send func() int64
		want string
	}{
		{"help", func() int64 { return h.api.SendText(u, "/help") }, "您是「区编办」的联络人"},
		{"帮助", func() int64 { return h.api.SendText(u, "帮助") }, "我的任务（/tasks）"},
		{"unknown command", func() int64 { return h.api.SendText(u, "/frobnicate") }, "无法识别该命令"},
		{"sticker", func() int64 { return h.api.SendSticker(u) }, "暂不支持贴纸"},
		{"edited message", func() int64 { return h.api.EditText(u, 1, "改过的话") }, "不会随消息编辑而改变"},
		{"5,000 characters", func() int64 { return h.api.SendText(u, long) }, "内容过长"},
		{"no match", func() int64 { return h.api.SendText(u, "天气怎么样") }, "未找到与「天气怎么样」相关的任务"},
		{"cancel with nothing", func() int64 { return h.api.SendText(u, "/cancel") }, "当前没有进行中的填报"},
		{"bot name suffix", func() int64 { return h.api.SendText(u, "/tasks@"+fakeapi.DefaultBotUsername) }, "区编办 · 2017年4月"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			since := len(h.sentTo(u.ID))
			tt.send()
			m := h.waitNew(u.ID, since, tt.want)
			if n := len([]rune(m.PlainText)); n > 4096 {
				t.Errorf("answer is %d characters", n)
			}
		})
	}
}

func TestUnknownCallbackIsAnswered(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	anchor := h.say(u, "我的任务", "本期已填报")
	for _, data := range []string{"zzz", "m:", "s:2.1.1:2017-04:9", "r:2.1.1:banana", "m:2.1.1:extra", "f:-1", "t:1"} {
		h.api.Press(u, anchor.MessageID, data)
	}
	h.settle()
	answers := h.api.CallbackAnswers()
	stale := 0
	for _, a := range answers {
		if a.Text == textStale {
			stale++
		}
	}
	if stale != 7 || h.api.Unanswered() != 0 {
		t.Errorf("%d of 7 junk callbacks answered as stale, %d unanswered", stale, h.api.Unanswered())
	}
}

func TestGroupChatsGetOneLine(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	const group = -100123
	h.api.SendGroupText(u, group, "/tasks")
	h.api.SendGroupText(u, group, "我的任务")
	h.settle()
	msgs := h.sentTo(group)
	if len(msgs) != 2 {
		t.Fatalf("%d messages to the group, want 2", len(msgs))
	}
	for _, m := range msgs {
		if m.PlainText != textGroupHint || m.Markup != nil {
			t.Errorf("group got %q with markup %+v; want only the hint", m.PlainText, m.Markup)
		}
	}
}

func TestOverlongReportText(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	openReport(t, h, u, "2.1.1", "按计划推进")
	h.say(u, strings.Repeat("字", maxReportText+1), "最多 2000 字")
	// Still writing: a shorter text is taken.
	h.say(u, "精简后的进展。", "已保存")
	if rep, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04"); err != nil || rep.Text != "精简后的进展。" {
		t.Fatalf("report = %+v, %v", rep, err)
	}
}

func TestBlockingTheBotIsFollowed(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	h.api.UserBlocksBot(u)
	h.settle()
	if c, _ := h.db.Contact(ctx, u.ID); c.Status != store.Blocked {
		t.Fatalf("after blocking: %s, want blocked", c.Status)
	}
	h.api.Unblock(u.ID)
	h.say(u, "我的任务", "本期已填报")
	if c, _ := h.db.Contact(ctx, u.ID); c.Status != store.Active {
		t.Errorf("after writing again: %s, want active", c.Status)
	}
}

// Updates of kinds the bot does not handle, and junk, are recorded and
// confirmed without an answer or a crash.
func TestOddUpdatesAreRecorded(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	raws := []string{
		`{"message":{"message_id":1,"date":1,"chat":{"id":-5,"type":"channel"},"text":"hi"}}`,
		`{"message":{"message_id":2,"date":1,"chat":{"id":77,"type":"private"}}}`,
		`{"message":{"message_id":3,"date":1,"chat":{"id":78,"type":"private"},"from":{"id":78,"is_bot":false,"first_name":"x"},"text":123}}`,
		`{"callback_query":{"id":"q","from":{"id":79,"is_bot":false,"first_name":"y"},"data":"t"}}`,
	}
	var last int64
	for _, raw := range raws {
		last = h.api.PushRaw(json.RawMessage(raw))
	}
	h.api.WaitConfirmed(t, 10*time.Second, last)
	counts, err := h.db.InboxCounts(ctx)
	if err != nil || counts[store.OutcomeDone]+counts[store.OutcomeFailed] != len(raws) {
		t.Fatalf("inbox = %v, %v; want %d updates recorded", counts, err, len(raws))
	}
	if counts[store.OutcomeFailed] != 1 {
		t.Errorf("inbox = %v; want the undecodable update recorded as failed", counts)
	}
}
