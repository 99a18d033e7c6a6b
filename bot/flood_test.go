package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/sender"
	"github.com/luohu/reformbot/store"
)

func TestBudgetAnswersOnceThenDrops(t *testing.T) {
	b := newBudget(UserBudget{PerMinute: 3})
	now := time.Date(2026, 4, 25, 9, 0, 0, 0, time.UTC)
	var got []verdict
	for id := int64(1); id <= 6; id++ {
		got = append(got, b.judge(7, id, now.Add(time.Duration(id)*time.Second)))
	}
	want := []verdict{admitted, admitted, admitted, overFirst, overQuiet, overQuiet}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("verdicts %v, want %v", got, want)
		}
	}
	if v := b.judge(7, 6, now.Add(6*time.Second)); v != overQuiet {
		t.Errorf("a retried update judged anew: %v", v)
	}
	if v := b.judge(8, 7, now); v != admitted {
		t.Errorf("another user is judged by the first one's count: %v", v)
	}
	if v := b.judge(7, 8, now.Add(61*time.Second)); v != admitted {
		t.Errorf("a minute on, still over: %v", v)
	}
	if v := newBudget(UserBudget{PerMinute: -1}).judge(7, 1, now); v != admitted {
		t.Errorf("no budget, yet refused: %v", v)
	}
}

// While one user floods the bot, another user's reply goes out at once:
// the flood is answered once as too fast and the rest is recorded and
// dropped, and the sender never lets one chat's queue hide another's.
func TestOneUserCannotStallTheOthers(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.Send = sender.Config{Global: 30, PerChat: 1} }))
	h.api.SetWindowLimits(30, 1, 3)
	ctx := context.Background()
	office := fakeapi.User{ID: 1001}
	h.bind(office, store.RoleContact, "区编办")
	flooder := fakeapi.User{ID: 6666}
	const flood = 400
	for range flood {
		h.api.SendText(flooder, "你好")
	}
	start := time.Now()
	h.say(office, "我的任务", "本期已填报")
	t.Logf("the other user's reply came %v after a flood of %d (%d messages sent to the flooder by then)",
		time.Since(start).Round(time.Millisecond), flood, len(h.sentTo(flooder.ID)))

	h.api.WaitFor(t, 30*time.Second, func([]fakeapi.Message) bool { return h.api.Pending() == 0 })
	counts, err := h.db.InboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := counts[store.OutcomeDone]; n < flood+2 {
		t.Errorf("%d updates recorded done, want all %d and the other user's", n, flood)
	}
	replies, err := h.db.Messages(ctx, "reply", "")
	if err != nil {
		t.Fatal(err)
	}
	toFlooder, tooFast := 0, 0
	for _, m := range replies {
		if m.ChatID != flooder.ID {
			continue
		}
		toFlooder++
		if strings.Contains(m.Payload.Text, textTooFast) {
			tooFast++
		}
	}
	if tooFast != 1 || toFlooder != defaultPerMinute+1 {
		t.Errorf("the flooder got %d replies, %d of them 'too fast'; want %d (all the budget handled, one told), 1",
			toFlooder, tooFast, defaultPerMinute+1)
	}
}
