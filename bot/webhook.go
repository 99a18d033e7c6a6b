package bot

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// WebhookConfig makes Telegram push updates to us instead of being polled.
type WebhookConfig struct {
	// URL is the public HTTPS address Telegram posts updates to.
	URL string
	// Listen is the local address to serve on, e.g. ":8443" behind a proxy
	// that terminates TLS.
	Listen string
	// Secret is the secret_token Telegram sends back in every request's
	// X-Telegram-Bot-Api-Secret-Token header; random when empty.
	Secret string
}

// maxUpdateBytes bounds a webhook request body; real updates are small.
const maxUpdateBytes = 1 << 20

// serveWebhook registers the webhook and serves it until ctx is done.
func (b *Bot) serveWebhook(ctx context.Context) error {
	cfg := b.cfg.Webhook
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return errors.New("bot: --webhook must be a full URL such as https://bot.example.org/telegram")
	}
	if cfg.Secret == "" {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return err
		}
		cfg.Secret = base64.RawURLEncoding.EncodeToString(raw)
	}
	if cfg.Listen == "" {
		cfg.Listen = ":8443"
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle(path, b.WebhookHandler(cfg.Secret))
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	srv, ln := newWebhookServer(mux, ln, defaultWebhookLimits)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if _, err := b.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL: cfg.URL, SecretToken: cfg.Secret, AllowedUpdates: allowedUpdates,
		MaxConnections: defaultWebhookLimits.telegramConns,
	}); err != nil {
		ln.Close()
		return redact(err, b.cfg.Token)
	}
	b.log.Info("webhook: serving", "listen", ln.Addr().String(), "path", path)
	b.stats.webhook.Store(true)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return ctx.Err()
}

// WebhookHandler serves Telegram's webhook posts. It answers 200 only after
// the update's effects are committed; on any failure it answers 503, and
// Telegram delivers the update again (the inbox skips it if it was applied).
func (b *Bot) WebhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// The secret is checked on the headers alone: a stranger's body is
		// never read, and the connection is closed rather than drained.
		got := req.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			w.Header().Set("Connection", "close")
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if req.ContentLength > maxUpdateBytes {
			w.Header().Set("Connection", "close")
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxUpdateBytes))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if _, err := b.Process(req.Context(), body); err != nil {
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		b.sender.Wake()
		w.WriteHeader(http.StatusOK)
	})
}
