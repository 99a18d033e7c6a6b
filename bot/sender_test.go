package bot

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/sender"
	"github.com/luohu/reformbot/store"
)

// enqueueBulk puts n prompts for chats 1..n in the outbox.
func enqueueBulk(t *testing.T, h *harness, n int, kind string) {
	t.Helper()
	ctx := context.Background()
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		for i := 1; i <= n; i++ {
			_, err := tx.Enqueue(ctx, store.Message{
				Key: fmt.Sprintf("%s:2017-04:%d", kind, i), Kind: kind, Period: "2017-04",
				ChatID: int64(i), UserID: int64(i), Priority: store.PriorityBulk, Method: store.SendMessage,
				Payload: store.Payload{Text: fmt.Sprintf("消息 %d", i)},
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.bot.Sender().Wake()
}

func waitOutbox(t testing.TB, h *harness, cond func(map[string]int) bool) map[string]int {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		counts, err := h.db.OutboxCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if cond(counts) {
			return counts
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox never settled: %v", counts)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A 429 pauses every send for retry_after; nothing is lost or doubled.
func TestSenderHonoursTooManyRequests(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.Send = sender.Config{Global: 200, PerChat: 100} }))
	h.api.SetLimits(50, 0) // the fake refuses more than 50/s
	enqueueBulk(t, h, 120, "prompt")
	waitOutbox(t, h, func(c map[string]int) bool { return c[store.Sent] == 120 })
	if h.api.RateLimited() == 0 {
		t.Fatal("the fake never answered 429; the test proves nothing")
	}
	if d := h.api.Duplicates(func(m fakeapi.Message) string { return fmt.Sprint(m.ChatID) }); len(d) > 0 {
		t.Errorf("duplicates: %v", d)
	}
	if n := len(h.api.Sent()); n != 120 {
		t.Errorf("%d messages delivered, want 120", n)
	}
}

// A 403 (blocked, or never started the bot) fails the message and marks
// the contact blocked; the others go on.
func TestSenderMarksUnreachableContacts(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, id := range []int64{1, 2, 3} {
		code := mustInvite(t, h, "区编办")
		err := h.db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: id, ChatID: id}, store.AttemptLimit{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	h.api.SetChatStatus(2, fakeapi.ChatBlocked)
	h.api.SetChatStatus(3, fakeapi.ChatNeverStarted)
	enqueueBulk(t, h, 3, "prompt")
	waitOutbox(t, h, func(c map[string]int) bool { return c[store.Sent] == 1 && c[store.Failed] == 2 })
	for id, want := range map[int64]store.Status{1: store.Active, 2: store.Blocked, 3: store.Blocked} {
		if c, _ := h.db.Contact(ctx, id); c.Status != want {
			t.Errorf("contact %d: %s, want %s", id, c.Status, want)
		}
	}
	msgs, _ := h.db.Messages(ctx, "prompt", "2017-04")
	for _, m := range msgs {
		if m.State == store.Failed && m.Error == "" {
			t.Errorf("failed row %s has no reason", m.Key)
		}
	}
}

// 5xx and a Bot API that is down are retried until they pass.
func TestSenderRetriesServerErrors(t *testing.T) {
	h := newHarness(t)
	h.api.FailNext("sendMessage", 3, 502)
	enqueueBulk(t, h, 2, "prompt")
	waitOutbox(t, h, func(c map[string]int) bool { return c[store.Sent] == 2 })
	if n := len(h.api.Sent()); n != 2 {
		t.Errorf("%d delivered, want 2", n)
	}
}

func TestIntakeAndSendsResumeAfterAnOutage(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	h.api.SetDown(true)
	enqueueBulk(t, h, 3, "prompt")
	h.api.SendText(u, "我的任务")
	time.Sleep(1500 * time.Millisecond)
	h.api.SetDown(false)
	h.waitText(u.ID, "本期已填报")
	waitOutbox(t, h, func(c map[string]int) bool { return c[store.Pending] == 0 && c[store.Sent] >= 5 })
}

// Replies are served before a fan-out already in the queue.
func TestRepliesJumpTheQueue(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.Send = sender.Config{Global: 20, PerChat: 100} }))
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	enqueueBulk(t, h, 100, "prompt") // five seconds of bulk at 20/s
	h.say(u, "我的任务", "本期已填报")
	bulkBefore := 0
	for _, m := range h.api.Sent() {
		if m.ChatID == u.ID {
			break
		}
		bulkBefore++
	}
	if bulkBefore > 60 {
		t.Errorf("%d bulk messages went before the reply", bulkBefore)
	}
}

// Stopping and restarting serve in the middle of a fan-out gives every
// contact exactly one prompt: calls in flight are seen through before the
// sender stops, and the rest wait in the outbox.
func TestRestartDuringFanOut(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.Send = sender.Config{Global: 150, PerChat: 1} }))
	ctx := context.Background()
	// Telegram takes a while to answer, so calls are in flight when serve
	// stops.
	h.api.SetLatency(40 * time.Millisecond)
	const n = 300
	enqueueBulk(t, h, n, "prompt")
	for i := 0; i < 3; i++ {
		time.Sleep(300 * time.Millisecond)
		h.halt()
		sent, _ := h.db.OutboxCounts(ctx)
		if sent[store.Sent] == n {
			t.Fatalf("fan-out finished before restart %d; the test proves nothing", i+1)
		}
		h.start()
	}
	waitOutbox(t, h, func(c map[string]int) bool { return c[store.Sent] == n })
	perChat := map[int64]int{}
	for _, m := range h.api.Sent() {
		perChat[m.ChatID]++
	}
	for i := int64(1); i <= n; i++ {
		if perChat[i] != 1 {
			t.Errorf("chat %d got %d prompts, want 1", i, perChat[i])
		}
	}
}
