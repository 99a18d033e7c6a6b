package bot

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// TestHandlersReturnTheirAnswers drives Handlers without Telegram and
// without the intake: what they decide comes back as outbox rows keyed by
// the update, and nothing is enqueued or recorded by them.
func TestHandlersReturnTheirAnswers(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2017, 4, 20, 10, 0, 0, 0, shanghai)}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "handlers.db"), store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := testPlan()
	if _, err := db.Activate(ctx, p); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Location: shanghai}
	cfg.setDefaults()
	h := newHandlers(cfg, plan.NewYears(p), quietLog())

	user := models.User{ID: 7, FirstName: "张三"}
	chat := models.Chat{ID: 7, Type: models.ChatTypePrivate}
	help := &models.Update{ID: 42, Message: &models.Message{ID: 1, From: &user, Chat: chat, Text: "/help"}}
	press := &models.Update{ID: 43, CallbackQuery: &models.CallbackQuery{
		ID: "cb1", From: user,
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: 2, Chat: chat}},
		Data:    "t",
	}}

	var answers, sorry, tooFast []store.Message
	err = db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if answers, err = h.Handle(ctx, tx, help); err != nil {
			return err
		}
		sorry = h.Sorry(ctx, tx, press)
		tooFast = h.TooFast(ctx, tx, press)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	if len(answers) != 1 {
		t.Fatalf("/help: %d answers, want 1: %+v", len(answers), answers)
	}
	a := answers[0]
	if a.Key != "reply:42:0" || a.ChatID != 7 || a.UserID != 7 || a.Method != store.SendMessage || !strings.Contains(a.Payload.Text, p.Title) {
		t.Errorf("/help answer = key %q chat %d user %d method %q text %q", a.Key, a.ChatID, a.UserID, a.Method, a.Payload.Text)
	}
	for _, tt := range []struct {
		name string
		got  []store.Message
		text string
	}{
		{"Sorry", sorry, textSorry},
		{"TooFast", tooFast, textTooFast},
	} {
		// A line to the chat and the answer that stops the button's
		// spinner, in that order, keyed by the update.
		if len(tt.got) != 2 || tt.got[0].Key != "reply:43:0" || tt.got[0].Payload.Text != tt.text ||
			tt.got[1].Key != "reply:43:1" || tt.got[1].Method != store.AnswerCallbackQuery || tt.got[1].Payload.CallbackQueryID != "cb1" {
			t.Errorf("%s = %+v", tt.name, tt.got)
		}
	}

	counts, err := db.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 0 {
		t.Errorf("handlers enqueued by themselves: outbox %v", counts)
	}
	if last, err := db.LastUpdateID(ctx); err != nil || last != 0 {
		t.Errorf("handlers recorded an update: last update id %d (%v)", last, err)
	}
}
