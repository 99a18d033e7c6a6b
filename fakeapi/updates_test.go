package fakeapi

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestGetUpdatesOffset(t *testing.T) {
	s := NewServer(t, WithFirstUpdateID(100))
	for _, text := range []string{"a", "b", "c"} {
		s.SendText(alice, text)
	}
	steps := []struct {
		name        string
		fields      map[string]string
		wantIDs     []int64
		wantPending int
		wantOffset  int64
	}{
		{"no offset: everything, nothing confirmed", nil, []int64{100, 101, 102}, 3, 0},
		{"limit", map[string]string{"limit": "2"}, []int64{100, 101}, 3, 0},
		{"offset confirms and forgets", map[string]string{"offset": "102"}, []int64{102}, 1, 102},
		{"an older offset brings nothing back", map[string]string{"offset": "100"}, []int64{102}, 1, 102},
		{"offset past the end", map[string]string{"offset": "103"}, []int64{}, 0, 103},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got := updateIDs(t, call(t, s, "getUpdates", st.fields))
			if !reflect.DeepEqual(got, st.wantIDs) {
				t.Errorf("update ids %v, want %v", got, st.wantIDs)
			}
			if s.Pending() != st.wantPending || s.Confirmed() != st.wantOffset {
				t.Errorf("pending %d, confirmed %d; want %d, %d", s.Pending(), s.Confirmed(), st.wantPending, st.wantOffset)
			}
		})
	}
	if !s.IsConfirmed(102) || s.IsConfirmed(103) {
		t.Error("IsConfirmed disagrees with Confirmed")
	}
}

func TestGetUpdatesNegativeOffset(t *testing.T) {
	s := NewServer(t)
	for range 5 {
		s.SendText(alice, "x")
	}
	got := updateIDs(t, call(t, s, "getUpdates", map[string]string{"offset": "-2"}))
	if !reflect.DeepEqual(got, []int64{4, 5}) || s.Pending() != 2 {
		t.Errorf("update ids %v, pending %d", got, s.Pending())
	}
}

func TestLongPollWakesOnUpdate(t *testing.T) {
	s := NewServer(t)
	answer := make(chan apiResponse, 1)
	go func() {
		r, _ := httpPostForm(s, "getUpdates", "timeout=30")
		answer <- r
	}()
	waitPolling(t, s, 1)
	up := s.SendText(alice, "醒醒")
	select {
	case r := <-answer:
		if got := updateIDs(t, r); !reflect.DeepEqual(got, []int64{up}) {
			t.Errorf("update ids %v, want [%d]", got, up)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("long poll did not wake")
	}
}

func TestLongPollTimesOut(t *testing.T) {
	s := NewServer(t)
	start := time.Now()
	got := updateIDs(t, call(t, s, "getUpdates", map[string]string{"timeout": "1"}))
	if len(got) != 0 || time.Since(start) < time.Second {
		t.Errorf("got %v after %v", got, time.Since(start))
	}
}

func TestLongPollEndsWithClient(t *testing.T) {
	s := NewServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/bot"+s.Token()+"/getUpdates?timeout=30", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	waitPolling(t, s, 1)
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("a cancelled poll was answered")
	}
	err := s.WaitUntil(timeout(t, 10*time.Second), func() bool {
		for _, r := range s.Requests() {
			if r.Method == "getUpdates" && r.Description == "client gone" {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatal("the server kept polling for a client that left")
	}
}

func TestCloseEndsLongPoll(t *testing.T) {
	s := New()
	answer := make(chan apiResponse, 1)
	go func() {
		r, _ := httpPostForm(s, "getUpdates", "timeout=30")
		answer <- r
	}()
	waitPolling(t, s, 1)
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for a long poll")
	}
	if r := <-answer; !r.OK || string(r.Result) != "[]" {
		t.Errorf("poll answered %+v", r)
	}
	s.Close() // twice is fine
}

func TestSecondPollerConflicts(t *testing.T) {
	s := NewServer(t)
	first := make(chan apiResponse, 1)
	go func() {
		r, _ := httpPostForm(s, "getUpdates", "timeout=30")
		first <- r
	}()
	waitPolling(t, s, 1)
	second := call(t, s, "getUpdates", nil)
	if !second.OK {
		t.Errorf("second poll: %s", second.Description)
	}
	r := <-first
	if r.ErrorCode != 409 || r.Description != "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" {
		t.Errorf("first poll: %d %q", r.ErrorCode, r.Description)
	}
}

func TestWebhookBlocksGetUpdates(t *testing.T) {
	s := NewServer(t)
	if r := call(t, s, "setWebhook", map[string]string{"url": "http://insecure.example"}); r.OK {
		t.Error("accepted an http webhook")
	}
	if r := call(t, s, "setWebhook", map[string]string{"url": "https://bot.example/hook"}); !r.OK {
		t.Fatal(r.Description)
	}
	r := call(t, s, "getUpdates", nil)
	if r.ErrorCode != 409 || !strings.HasPrefix(r.Description, "Conflict: can't use getUpdates method while webhook is active") {
		t.Errorf("getUpdates: %d %q", r.ErrorCode, r.Description)
	}
	s.SendText(alice, "x")
	b := newClient(t, s)
	ok, err := b.DeleteWebhook(context.Background(), &bot.DeleteWebhookParams{DropPendingUpdates: true})
	if err != nil || !ok {
		t.Fatalf("deleteWebhook: %v", err)
	}
	if s.Webhook() != "" || s.Pending() != 0 || len(s.WebhookHistory()) != 2 {
		t.Errorf("webhook %q, %d pending, history %q", s.Webhook(), s.Pending(), s.WebhookHistory())
	}
	if r := call(t, s, "getUpdates", nil); !r.OK {
		t.Errorf("getUpdates after deleteWebhook: %s", r.Description)
	}
}

func TestAllowedUpdates(t *testing.T) {
	s := NewServer(t)
	call(t, s, "getUpdates", map[string]string{"allowed_updates": `["message"]`})
	if up := s.Press(alice, 1, "x"); up != 0 {
		t.Errorf("a callback_query was created despite allowed_updates: %d", up)
	}
	if up := s.SendText(alice, "hi"); up != 1 {
		t.Errorf("message got update id %d, want 1", up)
	}
	if s.Dropped() != 1 || s.Pending() != 1 {
		t.Errorf("dropped %d, pending %d", s.Dropped(), s.Pending())
	}
	call(t, s, "getUpdates", map[string]string{"allowed_updates": `[]`})
	if up := s.Press(alice, 1, "x"); up == 0 {
		t.Error("[] did not restore the default")
	}
	if up := s.PushRaw([]byte(`{"message_reaction":{}}`)); up != 0 {
		t.Error("message_reaction is opt-in")
	}
}

// TestBotPolling runs the real client's polling loop against the fake: a
// command reaches the handler, the answer is recorded, and the update is
// confirmed on the next poll.
func TestBotPolling(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s,
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
			switch {
			case u.Message != nil:
				_, _ = b.SendMessage(ctx, &bot.SendMessageParams{
					ChatID:      u.Message.Chat.ID,
					Text:        "收到：" + u.Message.Text,
					ReplyMarkup: rawKeyboard(),
				})
			case u.CallbackQuery != nil:
				_, _ = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: "好"})
			}
		}),
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Start(ctx)

	up := s.SendText(alice, "/start")
	sent := s.WaitFor(t, 10*time.Second, func(sent []Message) bool { return len(sent) == 1 })
	if sent[0].PlainText != "收到：/start" || sent[0].ChatID != alice.ID {
		t.Errorf("bot answered %+v", sent[0])
	}
	if _, err := s.PressButton(alice, sent[0].MessageID, "完成"); err != nil {
		t.Fatal(err)
	}
	s.WaitConfirmed(t, 10*time.Second, up+1)
	if err := s.WaitUntil(timeout(t, 10*time.Second), func() bool { return len(s.CallbackAnswers()) == 1 }); err != nil {
		t.Fatal("the press was not answered")
	}
}

func timeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
