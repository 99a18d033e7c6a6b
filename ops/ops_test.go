package ops

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/store"
)

type fakeBot struct {
	st      bot.StatsSnapshot
	polling bool
}

func (f fakeBot) Stats() bot.StatsSnapshot   { return f.st }
func (f fakeBot) Polling() bool              { return f.polling }
func (f fakeBot) PollTimeout() time.Duration { return 25 * time.Second }

func TestCheck(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"), store.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.Enqueue(ctx, store.Message{Key: "k", Kind: "prompt", ChatID: 1, Method: store.SendMessage, Payload: store.Payload{Text: "x"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	polled := bot.StatsSnapshot{LastPoll: t0}
	tests := []struct {
		name string
		bot  fakeBot
		now  time.Time
		want string // "" for healthy
	}{
		{"healthy", fakeBot{st: polled, polling: true}, t0.Add(time.Minute), ""},
		{"never polled", fakeBot{polling: true}, t0, "no successful getUpdates"},
		{"polls failing", fakeBot{st: bot.StatsSnapshot{LastPoll: t0, PollFailures: 3}, polling: true}, t0, "failed 3 times"},
		{"poll hung", fakeBot{st: polled, polling: true}, t0.Add(3 * time.Minute), "last successful getUpdates"},
		{"webhook served", fakeBot{st: bot.StatsSnapshot{Webhook: true}}, t0, ""},
		{"webhook not served", fakeBot{}, t0, "webhook is not registered"},
		{"sender stuck", fakeBot{st: bot.StatsSnapshot{LastPoll: t0.Add(11 * time.Minute)}, polling: true}, t0.Add(11 * time.Minute), "sender: 1 messages due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := Check(ctx, Config{Bot: tt.bot, DB: db, Now: func() time.Time { return tt.now }})
			got := strings.Join(problems, "; ")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("problems %q, want %q", got, tt.want)
			}
		})
	}
}
