package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

func textUpdate(id int64, user int64, text string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1492653600,
		"chat":{"id":%d,"type":"private","first_name":"x"},
		"from":{"id":%d,"is_bot":false,"first_name":"x"},"text":%q}}`, id, id, user, user, text))
}

// In a batch, a panicking update rolls back alone and is recorded as
// failed, without running its handler again; the updates around it are
// applied, an update delivered twice in one batch once, and the batch's
// highest id comes back for the offset.
func TestBatchIsolatesAPanickingUpdate(t *testing.T) {
	var booms atomic.Int32
	h := newHarness(t, withHook(func(upd *models.Update) {
		if upd.Message != nil && upd.Message.Text == "boom" {
			booms.Add(1)
			panic("boom")
		}
	}))
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	before, err := h.db.InboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch := []json.RawMessage{
		textUpdate(900001, u.ID, "我的任务"),
		textUpdate(900002, u.ID, "boom"),
		json.RawMessage(`{"no_id":true}`),
		textUpdate(900003, u.ID, "帮助"),
		textUpdate(900003, u.ID, "帮助"),
	}
	last, err := h.bot.ProcessBatch(ctx, batch)
	if err != nil || last != 900003 {
		t.Fatalf("ProcessBatch = %d, %v; want 900003", last, err)
	}
	if n := booms.Load(); n != 1 {
		t.Errorf("the panicking handler ran %d times, want 1", n)
	}
	after, err := h.db.InboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d, f := after[store.OutcomeDone]-before[store.OutcomeDone], after[store.OutcomeFailed]-before[store.OutcomeFailed]; d != 2 || f != 1 {
		t.Errorf("inbox: %d more done, %d more failed; want 2, 1", d, f)
	}
	replies, err := h.db.Messages(ctx, "reply", "")
	if err != nil {
		t.Fatal(err)
	}
	per := map[int64]int{}
	for _, m := range replies {
		var id int64
		if _, err := fmt.Sscanf(m.Key, "reply:%d:", &id); err == nil {
			per[id]++
		}
	}
	for _, id := range []int64{900001, 900002, 900003} {
		if per[id] == 0 {
			t.Errorf("update %d has no reply (the apology, for the panic)", id)
		}
	}
}
