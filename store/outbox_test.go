package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"
)

func enqueue(t testing.TB, db *DB, msgs ...Message) int {
	t.Helper()
	added := 0
	err := db.Update(context.Background(), func(tx *Tx) error {
		for _, m := range msgs {
			ok, err := tx.Enqueue(context.Background(), m)
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func TestEnqueueIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, nil)
	var prompts []Message
	for i := int64(1); i <= 5; i++ {
		prompts = append(prompts, Message{
			Key: fmt.Sprintf("prompt:2017-04:%d", i), Kind: "prompt", Period: "2017-04",
			ChatID: i, UserID: i, Priority: PriorityBulk, Method: SendMessage,
			Payload: Payload{Text: "请填报", ReplyMarkup: json.RawMessage(`{"inline_keyboard":[[{"text":"填报","callback_data":"r:2.1.1:2017-04"}]]}`)},
		})
	}
	if n := enqueue(t, db, prompts...); n != 5 {
		t.Fatalf("first enqueue added %d, want 5", n)
	}
	if n := enqueue(t, db, prompts...); n != 0 {
		t.Fatalf("second enqueue added %d, want 0", n)
	}
	msgs, err := db.Messages(ctx, "prompt", "2017-04")
	if err != nil || len(msgs) != 5 {
		t.Fatalf("messages = %d, %v", len(msgs), err)
	}
	if string(msgs[0].Payload.ReplyMarkup) != string(prompts[0].Payload.ReplyMarkup) {
		t.Errorf("markup changed on the way: %s", msgs[0].Payload.ReplyMarkup)
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.Enqueue(ctx, Message{Method: SendMessage})
		return err
	}); err == nil {
		t.Error("a message without a key was enqueued")
	}
}

func TestDueMessagesOrder(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	enqueue(t, db,
		Message{Key: "bulk-1", Kind: "prompt", ChatID: 1, Priority: PriorityBulk, Method: SendMessage, Payload: Payload{Text: "a"}},
		Message{Key: "bulk-2", Kind: "prompt", ChatID: 2, Priority: PriorityBulk, Method: SendMessage, Payload: Payload{Text: "b"}},
		Message{Key: "later", Kind: "prompt", ChatID: 3, Priority: PriorityReply, Method: SendMessage, Payload: Payload{Text: "c"}, NotBefore: clk.Now().Add(time.Minute)},
		Message{Key: "reply-1", Kind: "reply", ChatID: 4, Priority: PriorityReply, Method: SendMessage, Payload: Payload{Text: "d"}},
		Message{Key: "doc", Kind: "digest", ChatID: 5, Priority: PriorityBulk, Method: SendDocument, FileName: "d.xlsx", FileData: []byte("PK..")},
	)
	due, err := db.DueMessages(ctx, clk.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range due {
		keys = append(keys, m.Key)
	}
	if fmt.Sprint(keys) != "[reply-1 bulk-1 bulk-2 doc]" {
		t.Errorf("due order = %v", keys)
	}
	if string(due[3].FileData) != "PK.." || due[3].FileName != "d.xlsx" {
		t.Errorf("file lost: %q %q", due[3].FileName, due[3].FileData)
	}
	next, ok, err := db.NextDue(ctx)
	if err != nil || !ok || !next.Equal(clk.Now()) {
		t.Errorf("NextDue = %v %v %v", next, ok, err)
	}

	if err := db.MarkSent(ctx, due[0].ID, 77); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, due[1].ID, "400 bad request"); err != nil {
		t.Fatal(err)
	}
	if err := db.Retry(ctx, due[2].ID, clk.Now().Add(30*time.Second), "502", true); err != nil {
		t.Fatal(err)
	}
	due, _ = db.DueMessages(ctx, clk.Now(), 10)
	if len(due) != 1 || due[0].Key != "doc" {
		t.Fatalf("after marking: due = %+v", due)
	}
	clk.Add(time.Minute)
	due, _ = db.DueMessages(ctx, clk.Now(), 10)
	if len(due) != 3 {
		t.Fatalf("a minute later: %d due, want 3 (retry, later, doc)", len(due))
	}
	counts, err := db.OutboxCounts(ctx)
	if err != nil || counts[Sent] != 1 || counts[Failed] != 1 || counts[Pending] != 3 {
		t.Errorf("counts = %v, %v", counts, err)
	}
	sent, _ := db.Messages(ctx, "reply", "")
	if sent[0].State != Sent || sent[0].MessageID != 77 || sent[0].DoneAt.IsZero() {
		t.Errorf("sent row = %+v", sent[0])
	}
}

func TestMarkUnreachableBlocksTheContact(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, nil)
	code, _, _ := db.CreateInvite(ctx, RoleContact, "区编办", time.Hour)
	if _, err := redeem(t, db, code, 4001); err != nil {
		t.Fatal(err)
	}
	enqueue(t, db, Message{Key: "p", Kind: "prompt", ChatID: 4001, UserID: 4001, Priority: PriorityBulk, Method: SendMessage, Payload: Payload{Text: "x"}})
	msgs, _ := db.Messages(ctx, "prompt", "")
	if err := db.MarkUnreachable(ctx, msgs[0].ID, 4001, "403 Forbidden: bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}
	c, err := db.Contact(ctx, 4001)
	if err != nil || c.Status != Blocked {
		t.Fatalf("contact = %+v, %v; want blocked", c, err)
	}
	// Writing to the bot again makes the contact reachable.
	if err := db.Update(ctx, func(tx *Tx) error { return tx.ReachedAgain(ctx, 4001) }); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Contact(ctx, 4001); c.Status != Active {
		t.Errorf("after writing again: %s, want active", c.Status)
	}
}

func TestCampaigns(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, nil)
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.Campaign(ctx, "prompt", "2017-04", ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("campaign before: %v", err)
		}
		if err := tx.RecordCampaign(ctx, Campaign{Kind: "prompt", Period: "2017-04", Trigger: "cron", Messages: 12}); err != nil {
			return err
		}
		// A second record (e.g. an operator's repeat) keeps the first.
		if err := tx.RecordCampaign(ctx, Campaign{Kind: "prompt", Period: "2017-04", Trigger: "operator", Messages: 0}); err != nil {
			return err
		}
		c, err := tx.Campaign(ctx, "prompt", "2017-04", "")
		if err != nil || c.Trigger != "cron" || c.Messages != 12 {
			t.Errorf("campaign = %+v, %v", c, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.Campaigns(ctx)
	if err != nil || len(all) != 1 {
		t.Errorf("campaigns = %v, %v", all, err)
	}
}

func TestReleaseRetries(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	enqueue(t, db,
		Message{Key: "net", Kind: "prompt", ChatID: 1, Priority: PriorityBulk, Method: SendMessage, Payload: Payload{Text: "a"}},
		Message{Key: "flood", Kind: "prompt", ChatID: 2, Priority: PriorityBulk, Method: SendMessage, Payload: Payload{Text: "b"}},
	)
	due, _ := db.DueMessages(ctx, clk.Now(), 10)
	later := clk.Now().Add(5 * time.Minute)
	if err := db.Retry(ctx, due[0].ID, later, "502 Bad Gateway", true); err != nil {
		t.Fatal(err)
	}
	if err := db.Retry(ctx, due[1].ID, later, "429 retry after 5m0s", false); err != nil {
		t.Fatal(err)
	}
	if err := db.ReleaseRetries(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	due, _ = db.DueMessages(ctx, clk.Now(), 10)
	if len(due) != 1 || due[0].Key != "net" {
		t.Errorf("due after release: %+v; want only the one that met a 502", due)
	}
}
