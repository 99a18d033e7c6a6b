// Package bot is reformbot's Telegram side, in two parts.
//
// Handlers (handlers.go and the files of each flow: binding, 我的任务,
// reporting, search, the office's queries, review, 督办, notices) decide
// what an update means and return the messages that answer it; their texts
// and markup live beside them. Bot is the transport: the intake that turns
// updates into committed effects (getUpdates or a webhook → inbox →
// Handlers → outbox rows → commit → confirm), running the outbox sender
// (package sender) that delivers every message within Telegram's limits.
//
// Nothing is sent from inside a handler. A handler's answers are outbox
// rows written in the same transaction as its effects and its inbox row,
// so an update is applied exactly once and every answer to it survives a
// crash.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/sender"
	"github.com/luohu/reformbot/store"
)

// Config is how the bot talks to Telegram and paces itself, and what its
// handlers answer from: Location, InviteAttempts, Bulletins, PromptSpec,
// DigestSpec and WebAppURL are the Handlers'; the rest is the transport's.
type Config struct {
	// Token is the bot token from BotFather. It is never logged.
	Token string
	// APIURL is the Bot API server; https://api.telegram.org by default.
	APIURL string
	// Location is the office's time zone: periods and dates are computed in it.
	Location *time.Location
	// PollTimeout is getUpdates' long-polling timeout (default 25s).
	PollTimeout time.Duration
	// Webhook, when its URL is set, receives updates instead of polling.
	Webhook WebhookConfig
	// InviteAttempts bounds failed /start codes per user (default 5 an
	// hour) and of all users together (default 100 an hour).
	InviteAttempts store.AttemptLimit
	// Send paces the outbox sender.
	Send sender.Config
	// Budget bounds one user's updates a minute (budget.go).
	Budget UserBudget
	// HTTPClient for every Bot API call; a default one when nil.
	HTTPClient *http.Client
	// Bulletins makes the office's /bulletin; nil turns the command off.
	Bulletins Bulletins
	// PromptSpec and DigestSpec are the schedule's cron specs, so that the
	// texts say when prompts and digests come (每月25日) only when that is
	// what is configured.
	PromptSpec, DigestSpec string
	// WebAppURL is the dashboard's public https URL; when set, the office
	// keyboard gets a 工作台 button opening it as a Mini App.
	WebAppURL string
}

func (c *Config) setDefaults() {
	if c.APIURL == "" {
		c.APIURL = "https://api.telegram.org"
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 25 * time.Second
	}
	if c.InviteAttempts.Failures == 0 {
		c.InviteAttempts = store.AttemptLimit{Failures: 5, Window: time.Hour, Global: 100}
	}
	if c.HTTPClient == nil {
		// The long poll holds a request open for PollTimeout; give it room.
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second}
	}
}

// Bot is the transport of a running reformbot: it takes updates from
// Telegram (getUpdates or a webhook), applies each with its Handlers in one
// transaction with its inbox row and the answers they return, confirms it
// only after the commit, and runs the outbox sender.
type Bot struct {
	cfg      Config
	db       *store.DB
	handlers *Handlers
	log      *slog.Logger
	api      *tgbot.Bot

	mu       sync.Mutex
	username string // the bot's @username, known once identify asked getMe

	sender *sender.Sender
	stats  Stats // intake's counters; the sender keeps its own
	budget *budget

	// beforeHandle, when set by a test, runs before each update's handler.
	beforeHandle func(*models.Update)
}

// New prepares a bot answering from the plan p (SetPlans replaces it); it
// does not contact Telegram until Run.
func New(cfg Config, db *store.DB, p *plan.Plan, log *slog.Logger) (*Bot, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("bot: no token: set TELEGRAM_BOT_TOKEN to the token BotFather gave you")
	}
	if p == nil {
		return nil, errors.New("bot: no plan")
	}
	cfg.setDefaults()
	// A token that does not fit in a URL would fail every call with an
	// error quoting the URL, token and all; say so once, without it.
	if _, err := url.Parse(cfg.APIURL + "/bot" + cfg.Token + "/getMe"); err != nil || strings.ContainsAny(cfg.Token, "/?# ") {
		return nil, errors.New("bot: TELEGRAM_BOT_TOKEN or TELEGRAM_API_URL is malformed: a token looks like 123456:ABC-DEF…")
	}
	cfg.HTTPClient = guardToken(cfg.HTTPClient, cfg.Token)
	if log == nil {
		log = slog.Default()
	}
	b := &Bot{cfg: cfg, db: db, log: log, handlers: newHandlers(cfg, plan.NewYears(p), log)}
	api, err := tgbot.New(cfg.Token,
		tgbot.WithServerURL(cfg.APIURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(cfg.PollTimeout, cfg.HTTPClient),
		tgbot.WithErrorsHandler(func(err error) { log.Warn("telegram client", "err", redact(err, cfg.Token)) }),
	)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", redact(err, cfg.Token))
	}
	b.api = api
	b.sender = sender.New(db, api, cfg.Send, log)
	b.budget = newBudget(cfg.Budget)
	return b, nil
}

// redact removes the token from an error's text. Answers and transport
// errors are scrubbed already (guardToken); this covers the request URL
// that net/http puts in its *url.Error above the transport.
func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "<token>"))
}

// Username is the bot's @username once Run has asked Telegram (getMe).
func (b *Bot) Username() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.username
}

// SetPlans replaces the plans in force (Handlers.SetPlans).
func (b *Bot) SetPlans(y *plan.Years) { b.handlers.SetPlans(y) }

// Sender is the outbox sender, so that other parts of the process can wake
// it when they enqueue.
func (b *Bot) Sender() *sender.Sender { return b.sender }

// Run identifies the bot, then takes updates (long polling or webhook) and
// sends the outbox until ctx is done. It returns after intake has stopped
// and the sender has finished the call in flight.
func (b *Bot) Run(ctx context.Context) error {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	go b.watchDatabase(ctx, stop)
	if err := b.identify(ctx); err != nil {
		return stopCause(ctx, err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.sender.Run(ctx)
	}()
	var err error
	if b.cfg.Webhook.URL != "" {
		err = b.serveWebhook(ctx)
	} else {
		err = b.poll(ctx)
	}
	wg.Wait()
	err = stopCause(ctx, err)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// stopCause is the reason Run stopped: the database going away, when that
// is what cancelled ctx, rather than the cancellation it caused.
func stopCause(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); errors.Is(cause, store.ErrDatabaseGone) {
		return cause
	}
	return err
}

// identify calls getMe until it succeeds, so that serve started while the
// network is down waits for it rather than exiting; a rejected token is
// fatal at once. It also publishes the command menu.
func (b *Bot) identify(ctx context.Context) error {
	delay := time.Second
	for {
		me, err := b.api.GetMe(ctx)
		if err == nil {
			b.mu.Lock()
			b.username = me.Username
			b.mu.Unlock()
			b.log.Info("telegram: connected", "bot", me.Username)
			if err := b.db.SetMeta(ctx, "bot_username", me.Username); err != nil {
				return err
			}
			break
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
			return errors.New("bot: Telegram rejected the token (401/404): check TELEGRAM_BOT_TOKEN")
		}
		b.log.Warn("telegram: getMe failed, retrying", "err", redact(err, b.cfg.Token), "in", delay)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 30*time.Second)
	}
	if err := b.setCommands(ctx); err != nil {
		// The menu is a convenience; the bot works without it.
		b.log.Warn("telegram: setMyCommands failed", "err", redact(err, b.cfg.Token))
	}
	return nil
}
