package fakeapi

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
)

// BenchmarkSendMessage measures sendMessage round trips through the real
// client and the fake, no limits, so later benchmarks know the fake is not
// their bottleneck. It reports req/s, with go-telegram/bot's default HTTP
// client and with one that keeps more idle connections: the default
// transport keeps 2 per host, which churns connections once more than two
// requests run at once (-cpu above 2, or a bot with several senders).
func BenchmarkSendMessage(b *testing.B) {
	for _, bc := range []struct {
		name   string
		client bot.HttpClient
	}{
		{"default-client", nil},
		{"pooled-client", &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := New()
			defer s.Close()
			opts := []bot.Option{bot.WithServerURL(s.URL()), bot.WithSkipGetMe()}
			if bc.client != nil {
				opts = append(opts, bot.WithHTTPClient(time.Minute, bc.client))
			}
			tg, err := bot.New(s.Token(), opts...)
			if err != nil {
				b.Fatal(err)
			}
			var chats atomic.Int64
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				params := &bot.SendMessageParams{ChatID: chats.Add(1), Text: "本月进展：<b>已完成</b>", ParseMode: "HTML"}
				for pb.Next() {
					if _, err := tg.SendMessage(ctx, params); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkSendMessageRawHTTP is the same without go-telegram/bot's
// multipart encoding: the fake's own cost.
func BenchmarkSendMessageRawHTTP(b *testing.B) {
	s := New()
	defer s.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	endpoint := s.URL() + "/bot" + s.Token() + "/sendMessage"
	var chats atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		body := url.Values{"chat_id": {strconv.FormatInt(chats.Add(1), 10)}, "text": {"本月进展"}}.Encode()
		for pb.Next() {
			resp, err := client.Post(endpoint, "application/x-www-form-urlencoded", strings.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
