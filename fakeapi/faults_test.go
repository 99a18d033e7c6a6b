package fakeapi

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
)

func send(b *bot.Bot, chatID int64, text string) error {
	_, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: chatID, Text: text})
	return err
}

func TestFloodControlPerChat(t *testing.T) {
	clock := newFakeClock()
	s := NewServer(t, WithClock(clock.Now), WithLimits(0, 1))
	b := newClient(t, s)
	if err := send(b, 1, "first"); err != nil {
		t.Fatal(err)
	}
	if err := send(b, 2, "another chat"); err != nil {
		t.Fatalf("another chat is limited separately: %v", err)
	}
	err := send(b, 1, "too soon")
	var tooMany *bot.TooManyRequestsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 1 {
		t.Fatalf("err = %v, want *bot.TooManyRequestsError with RetryAfter 1", err)
	}
	if !strings.Contains(tooMany.Message, "Too Many Requests: retry after 1") {
		t.Errorf("description %q", tooMany.Message)
	}
	clock.Advance(990 * time.Millisecond)
	if err := send(b, 1, "still too soon"); !errors.As(err, &tooMany) {
		t.Fatalf("err = %v, want 429", err)
	}
	clock.Advance(10 * time.Millisecond)
	if err := send(b, 1, "on time"); err != nil {
		t.Fatalf("after a second: %v", err)
	}
	var texts []string
	for _, m := range s.SentTo(1) {
		texts = append(texts, m.PlainText)
	}
	if strings.Join(texts, ",") != "first,on time" {
		t.Errorf("recorded %q: refused messages must not be recorded", texts)
	}
	if s.RateLimited() != 2 {
		t.Errorf("RateLimited = %d, want 2", s.RateLimited())
	}
}

func TestFloodControlRetryAfter(t *testing.T) {
	tests := []struct {
		name            string
		global, perChat float64
		burst           int
		sends           int // to distinct chats when global, else to one chat
		wait            time.Duration
		wantRetry       int
	}{
		{"one per 10 s, at once", 0, 0.1, 1, 1, 0, 10},
		{"one per 10 s, 4 s later", 0, 0.1, 1, 1, 4 * time.Second, 6},
		{"one per 10 s, 9.5 s later", 0, 0.1, 1, 1, 9500 * time.Millisecond, 1},
		{"30 per s globally, burst 3", 30, 0, 3, 3, 0, 1},
		{"1 per 5 s globally, burst 2", 0.2, 0, 2, 2, 0, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			s := NewServer(t, WithClock(clock.Now), WithLimits(tt.global, tt.perChat), WithBursts(tt.burst, 1))
			chat := func(i int) string {
				if tt.global > 0 {
					return strconv.Itoa(100 + i)
				}
				return "100"
			}
			for i := 0; i < tt.sends; i++ {
				if r := call(t, s, "sendMessage", map[string]string{"chat_id": chat(i), "text": "x"}); !r.OK {
					t.Fatalf("send %d refused: %s", i, r.Description)
				}
			}
			clock.Advance(tt.wait)
			r := call(t, s, "sendMessage", map[string]string{"chat_id": chat(tt.sends), "text": "x"})
			if r.ErrorCode != 429 || r.Parameters.RetryAfter != tt.wantRetry ||
				r.Description != "Too Many Requests: retry after "+strconv.Itoa(tt.wantRetry) {
				t.Errorf("got %d %q retry_after=%d, want 429 retry after %d", r.ErrorCode, r.Description, r.Parameters.RetryAfter, tt.wantRetry)
			}
		})
	}
}

func TestFloodControlEvenPace(t *testing.T) {
	// A sender pacing itself at the limit is never refused, even with
	// nanosecond rounding and a little jitter; one that keeps coming early
	// is.
	clock := newFakeClock()
	s := NewServer(t, WithClock(clock.Now), WithLimits(30, 1), WithBursts(1, 1))
	for i := 0; i < 300; i++ {
		r := call(t, s, "sendMessage", map[string]string{"chat_id": strconv.Itoa(1 + i%40), "text": "x"})
		if !r.OK {
			t.Fatalf("send %d refused: %s", i, r.Description)
		}
		clock.Advance(time.Second/30 - time.Duration(i%3)*time.Millisecond + time.Millisecond)
	}
	for i := 0; ; i++ {
		r := call(t, s, "sendMessage", map[string]string{"chat_id": strconv.Itoa(1 + i%40), "text": "x"})
		if !r.OK {
			break
		}
		if i == 100 {
			t.Fatal("a sender 3 ms early every time was never refused")
		}
		clock.Advance(time.Second/30 - 3*time.Millisecond)
	}
}

func TestChatStatuses(t *testing.T) {
	tests := []struct {
		name      string
		status    ChatStatus
		chatID    int64
		forbidden bool
		wantDesc  string
	}{
		{"blocked", ChatBlocked, 7, true, "Forbidden: bot was blocked by the user"},
		{"never started", ChatNeverStarted, 7, true, "Forbidden: bot can't initiate conversation with a user"},
		{"deactivated", ChatDeactivated, 7, true, "Forbidden: user is deactivated"},
		{"not found", ChatNotFound, 7, false, "Bad Request: chat not found"},
		{"kicked from a group", ChatKicked, -42, true, "Forbidden: bot was kicked from the group chat"},
		{"kicked from a supergroup", ChatKicked, -1001234567890, true, "Forbidden: bot was kicked from the supergroup chat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t)
			b := newClient(t, s)
			s.SetChatStatus(tt.chatID, tt.status)
			err := send(b, tt.chatID, "hi")
			want := bot.ErrorBadRequest
			if tt.forbidden {
				want = bot.ErrorForbidden
			}
			if !errors.Is(err, want) || !strings.HasSuffix(err.Error(), tt.wantDesc) {
				t.Fatalf("err = %v, want %v %q", err, want, tt.wantDesc)
			}
			_, err = b.SendChatAction(context.Background(), &bot.SendChatActionParams{ChatID: tt.chatID, Action: "typing"})
			if !errors.Is(err, want) {
				t.Errorf("sendChatAction: err = %v", err)
			}
			if len(s.Sent()) != 0 {
				t.Error("a refused message was recorded")
			}
			s.Unblock(tt.chatID)
			if err := send(b, tt.chatID, "hi"); err != nil {
				t.Errorf("after Unblock: %v", err)
			}
		})
	}
}

func TestUserBlocksBot(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	up := s.UserBlocksBot(alice)
	r := call(t, s, "getUpdates", nil)
	if !strings.Contains(string(r.Result), `"my_chat_member"`) || !strings.Contains(string(r.Result), `"status":"kicked"`) {
		t.Errorf("update %d: %s", up, r.Result)
	}
	if err := send(b, alice.ID, "hi"); !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("err = %v, want forbidden", err)
	}
}

func TestKnownChatsOnly(t *testing.T) {
	s := NewServer(t, WithKnownChatsOnly())
	b := newClient(t, s)
	if err := send(b, alice.ID, "hi"); !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), "chat not found") {
		t.Fatalf("unknown user: err = %v", err)
	}
	s.SendText(alice, "/start")
	if err := send(b, alice.ID, "hi"); err != nil {
		t.Fatalf("after /start: %v", err)
	}
	s.AddUser(User{ID: 2002})
	if err := send(b, 2002, "hi"); err != nil {
		t.Fatalf("after AddUser: %v", err)
	}
}

func TestFailNext(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	s.FailNext("sendMessage", 2, 502)
	s.FailNext("SENDMESSAGE", 1, 500)
	for i, want := range []string{"502 Bad Gateway", "502 Bad Gateway", "500 Internal Server Error", ""} {
		err := send(b, 1, "x")
		if want == "" {
			if err != nil {
				t.Fatalf("call %d: %v", i+1, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("call %d: err = %v, want %q", i+1, err, want)
		}
	}
	if n := len(s.Sent()); n != 1 {
		t.Errorf("%d messages recorded, want 1", n)
	}
	s.FailNext("*", 1, 429)
	if _, err := b.GetMe(context.Background()); !bot.IsTooManyRequestsError(err) {
		t.Errorf("FailNext(*): err = %v", err)
	}
}

func TestFailNextAfterEffectMakesDuplicates(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	s.FailNextAfterEffect("sendMessage", 1, 504)
	err := send(b, 1, "提醒")
	if err == nil || !strings.Contains(err.Error(), "504") {
		t.Fatalf("err = %v, want a 504", err)
	}
	if err := send(b, 1, "提醒"); err != nil { // a naive retry
		t.Fatal(err)
	}
	dups := s.Duplicates(func(m Message) string { return strconv.FormatInt(m.ChatID, 10) + ":" + m.PlainText })
	if dups["1:提醒"] != 2 {
		t.Errorf("Duplicates = %v, want the reminder twice", dups)
	}
}

func TestSetDown(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	s.SetDown(true)
	err := send(b, 1, "x")
	if err == nil || errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "error do request") {
		t.Fatalf("err = %v, want a transport error", err)
	}
	if len(s.Sent()) != 0 {
		t.Error("recorded while down")
	}
	s.SetDown(false)
	if err := send(b, 1, "x"); err != nil {
		t.Fatalf("back up: %v", err)
	}
}

func TestSetDownDropsLongPoll(t *testing.T) {
	s := NewServer(t)
	done := make(chan error, 1)
	go func() {
		_, err := httpPostForm(s, "getUpdates", "timeout=30")
		done <- err
	}()
	waitPolling(t, s, 1)
	s.SetDown(true)
	select {
	case err := <-done:
		if err == nil {
			t.Error("long poll answered while down")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("long poll not dropped")
	}
}

func TestLatency(t *testing.T) {
	s := NewServer(t)
	s.SetLatency(50 * time.Millisecond)
	start := time.Now()
	call(t, s, "getMe", nil)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered after %v", d)
	}
}
