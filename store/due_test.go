package store

import (
	"context"
	"fmt"
	"testing"
)

// A chat with many due rows shows only its head: the rows of other chats,
// even less urgent ones, are not hidden behind it.
func TestDueHeadsTakesEachChatsHead(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	var flood []Message
	for i := range 50 {
		flood = append(flood, Message{Key: fmt.Sprint("flood-", i), Kind: "reply", ChatID: 1, Priority: PriorityReply,
			Method: SendMessage, Payload: Payload{Text: "x"}})
	}
	enqueue(t, db, flood...)
	enqueue(t, db,
		Message{Key: "ack", Kind: "reply", ChatID: 1, Priority: PriorityReply, Method: AnswerCallbackQuery, Payload: Payload{CallbackQueryID: "q"}},
		Message{Key: "bulk", Kind: "prompt", ChatID: 2, Priority: PriorityBulk, Method: SendMessage, Payload: Payload{Text: "b"}},
		Message{Key: "doc", Kind: "digest", ChatID: 3, Priority: PriorityBulk, Method: SendDocument, FileName: "d.xlsx", FileData: []byte("PK..")},
	)
	due, err := db.DueHeads(ctx, clk.Now(), 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range due {
		keys = append(keys, m.Key)
	}
	if got := fmt.Sprint(keys); got != "[flood-0 flood-1 flood-2 ack bulk]" {
		t.Errorf("due heads = %v", got)
	}
	due, _ = db.DueHeads(ctx, clk.Now(), 1, 10)
	if len(due) != 4 || due[3].Key != "doc" || due[3].FileData != nil {
		t.Fatalf("one a lane: %+v", due)
	}
	data, err := db.FileData(ctx, due[3].ID)
	if err != nil || string(data) != "PK.." {
		t.Errorf("FileData = %q, %v", data, err)
	}
}
