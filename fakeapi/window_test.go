package fakeapi

import (
	"testing"
	"time"
)

// The strict window counts messages in any trailing second: no burst after
// an idle spell, 1 a second to a chat, a few to a chat that is interacting.
func TestWindowCountsTheTrailingSecond(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := &window{global: 3, perChat: 1, interactive: 3, chats: map[int64][]time.Time{}, wrote: map[int64]time.Time{}}
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	steps := []struct {
		chat int64
		ms   int
		ok   bool
	}{
		{1, 0, true},
		{1, 500, false}, // one a second to a chat
		{2, 10, true},
		{3, 20, true},
		{4, 30, false},   // three in the second already
		{4, 1000, true},  // chat 1's message has left the window
		{1, 1005, false}, // still three in the trailing second
		{1, 1011, true},  // chat 2's left at 1010
		{5, 1019, false}, // chat 3's leaves at 1020
		{5, 1020, true},
	}
	for i, s := range steps {
		if got := w.take(s.chat, at(s.ms)) == 0; got != s.ok {
			t.Fatalf("step %d (chat %d at %d ms): admitted %v, want %v", i, s.chat, s.ms, got, s.ok)
		}
	}
	// A chat that just wrote may get up to three quick replies.
	w.wrote[9] = at(4000)
	for i, ok := range []bool{true, true, true, false} {
		if got := w.take(9, at(4100+10*i)) == 0; got != ok {
			t.Fatalf("reply %d to an interacting chat: admitted %v, want %v", i, got, ok)
		}
	}
	if w.take(9, at(15000)) != 0 || w.take(9, at(15500)) == 0 {
		t.Fatal("ten seconds after its last update a chat is back to one a second")
	}
}
