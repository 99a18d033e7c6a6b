package bot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luohu/reformbot/store"
)

func TestWebhookHandler(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	handler := h.bot.WebhookHandler("s3cret")
	code := mustInvite(t, h, "区编办")
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: 1001, ChatID: 1001}, store.AttemptLimit{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	startWriting(t, h, 1001, "区编办", "2.1.1")
	update := `{"update_id":700001,"message":{"message_id":9,"date":1492653600,
		"chat":{"id":1001,"type":"private"},"from":{"id":1001,"is_bot":false,"first_name":"x"},"text":"经由 webhook 的进展。"}}`
	post := func(secret, body string) int {
		req := httptest.NewRequest(http.MethodPost, "/telegram", strings.NewReader(body))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		return rec.Code
	}
	tests := []struct {
		name, secret, body string
		want               int
	}{
		{"no secret", "", update, http.StatusForbidden},
		{"wrong secret", "guess", update, http.StatusForbidden},
		{"right secret", "s3cret", update, http.StatusOK},
		{"delivered again", "s3cret", update, http.StatusOK},
		{"junk", "s3cret", "not json", http.StatusOK},
		{"too big", "s3cret", `{"update_id":1,"message":{"text":"` + strings.Repeat("x", 2<<20) + `"}}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := post(tt.secret, tt.body); got != tt.want {
				t.Errorf("status %d, want %d", got, tt.want)
			}
		})
	}
	req := httptest.NewRequest(http.MethodGet, "/telegram", nil)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", rec.Code)
	}
	// Committed by the time 200 was answered, and only once.
	hist, err := h.db.History(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || len(hist) != 1 || hist[0].Text != "经由 webhook 的进展。" {
		t.Fatalf("history = %+v, %v", hist, err)
	}
}
