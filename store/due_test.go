package store

import (
	"context"
	"fmt"
	"testing"
	"time"
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

// However many replies a few chats have waiting, a newer reply to another
// chat and an alert still come up: a look never stops at a number of rows
// before taking each lane's head. (A window of the 2,000 oldest urgent rows
// hid both behind 7 chats' 300 rows each.)
func TestDeepLanesHideNoOtherChat(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	var deep []Message
	for chat := int64(1); chat <= 7; chat++ {
		for i := range 150 {
			deep = append(deep,
				Message{Key: fmt.Sprint("reply-", chat, "-", i), Kind: KindReply, ChatID: chat, Priority: PriorityReply,
					Method: SendMessage, Payload: Payload{Text: "x"}},
				Message{Key: fmt.Sprint("ack-", chat, "-", i), Kind: KindReply, ChatID: chat, Priority: PriorityReply,
					Method: AnswerCallbackQuery, Payload: Payload{CallbackQueryID: "q"}})
		}
	}
	enqueue(t, db, deep...)
	enqueue(t, db,
		Message{Key: "other", Kind: KindReply, ChatID: 99, Priority: PriorityReply, Method: SendMessage, Payload: Payload{Text: "y"}},
		Message{Key: "alert", Kind: KindAlert, ChatID: 100, Priority: PriorityAlert, Method: SendMessage, Payload: Payload{Text: "z"}})
	for name, look := range map[string]func(context.Context, time.Time, int, int) ([]Message, error){
		"DueUrgent": db.DueUrgent, "DueHeads": db.DueHeads} {
		due, err := look(ctx, clk.Now(), 3, 50)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, m := range due {
			found[m.Key] = true
		}
		if !found["other"] || !found["alert"] {
			t.Errorf("%s: %d rows, other chat's reply %v, alert %v; want both", name, len(due), found["other"], found["alert"])
		}
	}
}
