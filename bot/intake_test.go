package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// A handler that panics does not kill the bot: the update is recorded as
// failed, its sender gets an apology, and the updates after it go on.
func TestHandlerPanicIsRecovered(t *testing.T) {
	h := newHarness(t, withHook(func(upd *models.Update) {
		if upd.Message != nil && upd.Message.Text == "boom" {
			panic("boom")
		}
	}))
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	h.say(u, "boom", "处理您的消息时出错了")
	h.say(u, "我的任务", "本期已填报")
	counts, err := h.db.InboxCounts(ctx)
	if err != nil || counts[store.OutcomeFailed] != 1 {
		t.Errorf("inbox = %v, %v; want one failed update", counts, err)
	}
}

// Process applies an update once: delivering it again (Telegram does, when
// the offset was not confirmed before a crash) changes nothing.
func TestRedeliveredUpdateIsSkipped(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	startWriting(t, h, u.ID, "区编办", "2.1.1")
	raw := json.RawMessage(`{"update_id":999999,"message":{"message_id":50,"date":1492653600,
		"chat":{"id":1001,"type":"private","first_name":"x"},
		"from":{"id":1001,"is_bot":false,"first_name":"x"},"text":"只应保存一次。"}}`)
	for i := 0; i < 3; i++ {
		if _, err := h.bot.Process(ctx, raw); err != nil {
			t.Fatal(err)
		}
	}
	hist, err := h.db.History(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || len(hist) != 1 {
		t.Fatalf("%d versions after three deliveries, want 1 (%v)", len(hist), err)
	}
	msgs, err := h.db.Messages(ctx, "reply", "")
	if err != nil {
		t.Fatal(err)
	}
	confirmations := 0
	for _, m := range msgs {
		if strings.Contains(m.Payload.Text, "只应保存一次") {
			confirmations++
		}
	}
	if confirmations != 1 {
		t.Errorf("%d confirmations queued, want 1", confirmations)
	}
}

// startWriting puts a user straight into writing a report's text.
func startWriting(t *testing.T, h *harness, userID int64, unit, measure string) {
	t.Helper()
	ctx := context.Background()
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		return tx.SetConversation(ctx, store.Conversation{
			UserID: userID, State: store.WritingText, MeasureID: measure, Unit: unit,
			Period: "2017-04", Status: "按计划推进",
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Stopping the bot at random points in a burst of reports — the effect a
// crash has on the database: the transaction in flight is rolled back and
// its update not confirmed — loses no report and applies none twice. The
// real-binary drill with kill -9 is in cmd/reformbot.
func TestInterruptedBurstLosesNothing(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const users = 60
	var us []fakeapi.User
	for i := 0; i < users; i++ {
		u := fakeapi.User{ID: int64(5000 + i)}
		h.api.AddUser(u)
		us = append(us, u)
		code := mustInvite(t, h, "区编办")
		err := h.db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: u.ID, ChatID: u.ID, Name: "u"}, store.AttemptLimit{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		startWriting(t, h, u.ID, "区编办", "2.1.1")
	}
	var last int64
	for i, u := range us {
		last = h.api.SendText(u, fmt.Sprintf("第%d条进展。", i))
	}
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 8; trial++ {
		time.Sleep(time.Duration(rng.Intn(15)) * time.Millisecond)
		h.halt()
		h.start()
	}
	h.api.WaitConfirmed(t, 60*time.Second, last)
	hist, err := h.db.History(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range hist {
		seen[r.Text]++
	}
	for i := range us {
		if n := seen[fmt.Sprintf("第%d条进展。", i)]; n != 1 {
			t.Errorf("report %d stored %d times, want once", i, n)
		}
	}
	if len(hist) != users {
		t.Errorf("%d versions, want %d", len(hist), users)
	}
}

func mustInvite(t *testing.T, h *harness, unit string) string {
	t.Helper()
	code, _, err := h.db.CreateInvite(context.Background(), store.RoleContact, unit, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
