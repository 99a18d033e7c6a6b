package fakeapi_test

import (
	"context"
	"fmt"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/fakeapi"
)

// A bot under test polls the fake like Telegram; the test plays the user
// and reads what the bot sent.
func Example() {
	s := fakeapi.New() // in a test: fakeapi.NewServer(t)
	defer s.Close()

	b, err := bot.New(s.Token(), bot.WithServerURL(s.URL()),
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
			if u.Message != nil && u.Message.Text == "/start" {
				_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "欢迎，<b>" + u.Message.From.FirstName + "</b>", ParseMode: models.ParseModeHTML})
			}
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Start(ctx)

	li := fakeapi.User{ID: 42, FirstName: "李明"}
	update := s.SendText(li, "/start")

	// In a test, s.WaitSent(t, ...) and s.WaitConfirmed(t, ...) wait like
	// this and fail t on timeout.
	wait, cancelWait := context.WithTimeout(ctx, 10*time.Second)
	defer cancelWait()
	if err := s.WaitUntil(wait, func() bool { return len(s.SentTo(li.ID)) == 1 && s.IsConfirmed(update) }); err != nil {
		fmt.Println(err)
		return
	}
	sent := s.SentTo(li.ID)
	fmt.Println(sent[0].Method, sent[0].PlainText)
	fmt.Println("pending updates:", s.Pending())
	// Output:
	// sendMessage 欢迎，李明
	// pending updates: 0
}
