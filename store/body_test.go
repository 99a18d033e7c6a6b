package store

import (
	"context"
	"strings"
	"testing"
)

// A long body is stored compressed and reads back as it was; a short one
// and one written before compression (plain JSON) read as before.
func TestBodiesRoundTrip(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	long := Payload{Text: strings.Repeat("请于本月25日前填报进展 <b>&amp;</b>\n", 100), ParseMode: "HTML",
		ReplyMarkup: []byte(`{"inline_keyboard":[[{"text":"2.1.1 深化改革","callback_data":"m:2.1.1"}]]}`)}
	short := Payload{Text: "已保存。"}
	enqueue(t, db,
		Message{Key: "long", Kind: "prompt", ChatID: 1, Priority: PriorityBulk, Method: SendMessage, Payload: long},
		Message{Key: "short", Kind: "reply", ChatID: 1, Priority: PriorityReply, Method: SendMessage, Payload: short})
	if _, err := db.db.ExecContext(ctx, `
		INSERT INTO outbox (key, kind, chat_id, priority, method, payload, not_before, created_at)
		VALUES ('old', 'reply', 1, 0, 'sendMessage', '{"text":"旧的"}', '2017-04-25T01:00:00.000Z', '2017-04-25T01:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := db.db.QueryRowContext(ctx, `SELECT length(CAST(payload AS BLOB)) FROM outbox WHERE key = 'long'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if full := len(long.Text) * 11 / 10; stored*3 > full {
		t.Errorf("long body stored in %d bytes, text alone %d: not compressed", stored, len(long.Text))
	}
	due, err := db.DueMessages(ctx, clk.Now(), 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("due %d, %v", len(due), err)
	}
	got := map[string]Payload{}
	for _, m := range due {
		got[m.Key] = m.Payload
	}
	if p := got["long"]; p.Text != long.Text || string(p.ReplyMarkup) != string(long.ReplyMarkup) || p.ParseMode != "HTML" {
		t.Errorf("long body read back as %+v", p)
	}
	if got["short"].Text != short.Text || got["old"].Text != "旧的" {
		t.Errorf("short %q, old %q", got["short"].Text, got["old"].Text)
	}
}

// A long reply is stored as plain JSON: replies are deleted a week after
// they are sent, and compressing one would cost the intake ~20 µs an
// update. A long prompt is compressed.
func TestLongRepliesStayPlain(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	long := Payload{Text: strings.Repeat("✅ 已保存 <b>2.1.1 深化改革</b> 2017年4月进展\n", 40)}
	enqueue(t, db,
		Message{Key: "reply", Kind: KindReply, ChatID: 1, Priority: PriorityReply, Method: SendMessage, Payload: long},
		Message{Key: "prompt", Kind: KindPrompt, ChatID: 1, Priority: PriorityBulk, Method: SendMessage, Payload: long})
	for key, plain := range map[string]bool{"reply": true, "prompt": false} {
		var first string
		if err := db.db.QueryRowContext(ctx, `SELECT substr(CAST(payload AS BLOB), 1, 1) FROM outbox WHERE key = ?`, key).Scan(&first); err != nil {
			t.Fatal(err)
		}
		if (first == "{") != plain {
			t.Errorf("%s stored starting %q; want plain JSON %v", key, first, plain)
		}
	}
}
