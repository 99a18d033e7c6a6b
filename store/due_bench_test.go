package store

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkDueHeads is one look of the sender at an outbox holding a
// fan-out of 2,000 prompts and a few replies.
func BenchmarkDueHeads(b *testing.B) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(b, clk.Now)
	var ms []Message
	for i := range 2000 {
		ms = append(ms, Message{Key: fmt.Sprint("p", i), Kind: "prompt", ChatID: int64(i + 1), Priority: PriorityBulk,
			Method: SendMessage, Payload: Payload{Text: "请填报本月进展。", ReplyMarkup: []byte(`{"inline_keyboard":[[{"text":"填报","callback_data":"r:1"}]]}`)}})
	}
	enqueue(b, db, ms...)
	b.ResetTimer()
	for range b.N {
		if _, err := db.DueHeads(ctx, clk.Now(), 3, 50); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDueUrgent is the look the sender takes when woken by an
// enqueue: the same outbox, the replies only.
func BenchmarkDueUrgent(b *testing.B) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(b, clk.Now)
	var ms []Message
	for i := range 2000 {
		ms = append(ms, Message{Key: fmt.Sprint("p", i), Kind: "prompt", ChatID: int64(i + 1), Priority: PriorityBulk,
			Method: SendMessage, Payload: Payload{Text: "请填报本月进展。", ReplyMarkup: []byte(`{"inline_keyboard":[[{"text":"填报","callback_data":"r:1"}]]}`)}})
	}
	for i := range 5 {
		ms = append(ms, Message{Key: fmt.Sprint("r", i), Kind: "reply", ChatID: int64(9000 + i), Priority: PriorityReply,
			Method: SendMessage, Payload: Payload{Text: "已保存。"}})
	}
	enqueue(b, db, ms...)
	b.ResetTimer()
	for range b.N {
		rows, err := db.DueUrgent(ctx, clk.Now(), 3, 50)
		if err != nil || len(rows) != 5 {
			b.Fatalf("%d rows, %v; want the 5 replies", len(rows), err)
		}
	}
}
