package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// On the 1st, after April's reminder, a unit that opens 我的任务 is still
// asked for April, and the office's overview is April's: April is being
// collected until its digest goes out. After that, and from a week into
// May in any case, it is May.
func TestTheLastPeriodIsCollectedUntilItsDigest(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	boss := fakeapi.User{ID: 9001}
	h.bind(u, store.RoleContact, "区编办")
	h.bind(boss, store.RoleOffice, "")

	h.clock.Set(time.Date(2017, 5, 1, 10, 0, 0, 0, shanghai))
	if m := h.say(u, "我的任务", "本期已填报"); !strings.Contains(m.PlainText, "2017年4月") {
		t.Errorf("我的任务 on 1 May, April's digest not yet out:\n%s", m.PlainText)
	}
	if m := h.say(boss, "/overview", "2017年"); !strings.Contains(m.PlainText, "2017年4月") {
		t.Errorf("the overview on 1 May:\n%s", m.PlainText)
	}

	err := h.db.Update(ctx, func(tx *store.Tx) error {
		return tx.RecordCampaign(ctx, store.Campaign{Kind: store.KindDigest, Period: "2017-04", Trigger: "cron"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := h.say(u, "我的任务", "本期已填报"); !strings.Contains(m.PlainText, "2017年5月") {
		t.Errorf("我的任务 after April's digest:\n%s", m.PlainText)
	}

	h.clock.Set(time.Date(2017, 6, 9, 10, 0, 0, 0, shanghai)) // May's digest never went out
	if m := h.say(u, "我的任务", "本期已填报"); !strings.Contains(m.PlainText, "2017年6月") {
		t.Errorf("我的任务 on 9 June:\n%s", m.PlainText)
	}
}
