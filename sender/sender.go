// Package sender drains the outbox to Telegram within its limits: replies
// first, each chat's messages in order, paced under the overall and
// per-chat rates, with 429s, 403s and outages handled, and the outbox kept
// small while idle. What it sends is decided elsewhere (the bot's handlers,
// the scheduler, the CLI); it only delivers rows and records their outcome.
package sender

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/store"
)

// Config paces the sender. Telegram allows about 30 messages a second
// overall and about one a second to one chat; the defaults are those
// limits, and the sender paces 3% under what is configured (underLimit).
type Config struct {
	Global      float64 // messages per second over all chats (default 30)
	PerChat     float64 // messages per second to one chat (default 1)
	Workers     int     // Bot API calls in flight at once (default 8)
	MaxAttempts int     // tries for a message that meets 5xx or network errors (default 20)
	// KeepBodies is how long a sent message's text and file are kept
	// (default store.DefaultKeepBodies, 30 days); its record stays.
	KeepBodies time.Duration
}

func (c *Config) setDefaults() {
	if c.Global <= 0 {
		c.Global = 30
	}
	if c.PerChat <= 0 {
		c.PerChat = 1
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 20
	}
	if c.KeepBodies <= 0 {
		c.KeepBodies = store.DefaultKeepBodies
	}
}

// Sender drains the outbox: replies first, then alerts, then bulk sends,
// each chat's messages in order, within the configured rates; the rules of
// what goes next are pace.choose (pace.go). A global 429 pauses every
// send for Telegram's retry_after, a 429 for one chat holds only that chat;
// a 403 marks the contact unreachable; 5xx and network errors are retried
// with backoff. Each row ends sent (with Telegram's message_id) or failed
// (with the reason).
//
// A message is marked sent after Telegram accepted it. A crash between the
// two leaves it pending, so it is sent once more after the restart: at most
// one duplicate per message in flight at the crash, never a loss.
type Sender struct {
	db  *store.DB
	api *tgbot.Bot
	cfg Config
	log *slog.Logger

	wake     chan struct{}
	finished chan struct{}

	due      dueList   // used by Run's goroutine only
	nextLook time.Time // likewise: the earliest look when woken (mayLook)
	prunedAt time.Time // likewise (housekeep.go)

	mu       sync.Mutex
	pace     *pace
	failures int // consecutive 5xx/network failures

	sendsSinceCheckpoint int

	sends [numResults]atomic.Int64 // calls by result, for /metrics (stats.go)
}

// New prepares a sender delivering db's outbox through api; it sends
// nothing until Run.
func New(db *store.DB, api *tgbot.Bot, cfg Config, log *slog.Logger) *Sender {
	cfg.setDefaults()
	return &Sender{
		db: db, api: api, cfg: cfg, log: log,
		wake:     make(chan struct{}, 1),
		finished: make(chan struct{}, 1),
		pace:     newPace(cfg.Global, cfg.PerChat),
	}
}

// Wake tells the sender there is something new in the outbox.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// callTimeout bounds one Bot API call, uploads included.
const callTimeout = 60 * time.Second

// idlePoll is how often the sender looks at the outbox when nobody woke it:
// the CLI's prompt and digest commands enqueue from another process.
const idlePoll = time.Second

// dueLane and dueLimit bound one look at the outbox: a few rows of each
// chat (a burst of replies), enough chats to fill the workers many times.
const (
	dueLane  = replyBurst
	dueLimit = 50
)

// Run sends until ctx is done, then waits for the calls in flight. It looks
// at the outbox again whenever something was enqueued, a call finished, or
// the pace lets the next message go, so a reply never waits for a pass of
// bulk sends.
func (s *Sender) Run(ctx context.Context) {
	var calls sync.WaitGroup
	defer calls.Wait()
	for ctx.Err() == nil {
		wait := s.dispatch(ctx, &calls)
		if wait <= 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-s.wake:
			s.due.dirty = true
		case <-s.finished:
		case <-t.C:
		}
		t.Stop()
	}
}

// dispatch starts the sends pace.choose allows now and returns how long to
// wait before looking again.
func (s *Sender) dispatch(ctx context.Context, calls *sync.WaitGroup) time.Duration {
	select {
	case <-s.wake:
		s.due.dirty = true // enqueued while the last calls started: a reply?
	default:
	}
	s.mu.Lock()
	free := s.cfg.Workers - len(s.pace.busy)
	paused := s.pace.pausedUntil
	s.mu.Unlock()
	now := time.Now()
	if now.Before(paused) {
		return paused.Sub(now)
	}
	if free <= 0 {
		return idlePoll // a finishing call wakes the loop
	}
	if stale := s.due.stale(now); stale || s.due.dirty && s.mayLook(now) {
		s.mu.Lock()
		inflight := maps.Clone(s.pace.busy)
		s.mu.Unlock()
		// Woken by an enqueue, it looks for replies and alerts only: a
		// whole look reads the pending fan-out too (about a millisecond
		// with 2,000 prompts), and the intake wakes it after every commit.
		look := s.db.DueUrgent
		if stale {
			look = s.db.DueHeads
		}
		// Rows in flight are still pending and take places in the look;
		// they are left out of the list, which so still gets dueLimit.
		rows, err := look(ctx, now, dueLane, dueLimit+len(inflight))
		s.nextLook = time.Now().Add(min(lookRest*time.Since(now), reloadEvery))
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("sender: reading the outbox failed", "err", err)
			}
			return idlePoll
		}
		if stale {
			s.due.load(rows, inflight, now)
		} else {
			s.due.merge(rows, inflight)
		}
	}
	if len(s.due.rows) == 0 {
		if free < s.cfg.Workers {
			// What is due is in flight: a finishing call wakes the loop.
			return idlePoll
		}
		wait := idlePoll
		next, pending, err := s.db.NextDue(ctx)
		if err == nil && pending {
			wait = max(min(time.Until(next), idlePoll), 10*time.Millisecond)
		}
		if err == nil {
			s.housekeep(ctx, pending)
		}
		return wait
	}
	s.mu.Lock()
	picks, wait := s.pace.choose(s.due.rows, time.Now(), free)
	s.mu.Unlock()
	s.due.remove(picks)
	if s.due.dirty && !s.due.settled(dueLimit) {
		wait = min(wait, max(time.Until(s.nextLook), time.Millisecond)) // the look put off
	}
	for _, m := range picks {
		calls.Add(1)
		go func(m store.Message) {
			defer calls.Done()
			defer func() {
				s.mu.Lock()
				s.pace.done(m, time.Now())
				s.mu.Unlock()
				select {
				case s.finished <- struct{}{}:
				default:
				}
			}()
			// A call already made is seen through even when ctx ends: a
			// graceful stop then neither loses nor repeats a message. Only
			// a hard kill can leave one in doubt.
			call, cancel := context.WithTimeout(context.WithoutCancel(ctx), callTimeout)
			defer cancel()
			s.send(call, m)
		}(m)
	}
	return wait
}

// lookRest is how many times a look's own length the sender lets pass
// before looking again when woken. A look is ~60 µs on a quiet outbox, so
// a reply is looked for at once; with a backlog's replies piling up
// faster than Telegram takes them (thousands pending, ~20 ms a look, the
// intake waking the sender after every commit) it keeps looking to a
// fifth of the sender's time, and the new reply would queue behind the
// older ones anyway.
const lookRest = 4

// mayLook reports whether the sender, woken by an enqueue, looks at the
// due replies and alerts now: not when the look could bring nothing new
// (settled), nor sooner than lookRest after the last look.
func (s *Sender) mayLook(now time.Time) bool {
	return !s.due.settled(dueLimit) && !now.Before(s.nextLook)
}

// counts reports whether a method is a message in a chat, subject to the
// per-chat and overall limits. Answering a callback query is not, nor is
// setting a chat's menu.
func counts(method string) bool {
	return method != store.AnswerCallbackQuery && method != store.SetMyCommands
}

// send makes one Bot API call and records its outcome.
func (s *Sender) send(ctx context.Context, m store.Message) {
	msgID, err := s.call(ctx, m)
	if err != nil && ctx.Err() != nil {
		// Shutting down mid-call: the outcome is unknown, so the row stays
		// pending and is sent again after the restart.
		return
	}
	s.count(err)
	var tooMany *tgbot.TooManyRequestsError
	var record func() error
	switch {
	case err == nil:
		s.mu.Lock()
		recovered := s.failures > 0
		s.failures = 0
		s.sendsSinceCheckpoint++
		s.pace.speedUp(time.Now())
		s.mu.Unlock()
		if recovered {
			// Telegram is back: what waited out the outage goes now, not
			// when each message's own backoff ends.
			if err := s.db.ReleaseRetries(ctx, time.Now()); err != nil {
				s.log.Warn("sender: releasing retries failed", "err", err)
			}
			s.Wake()
		}
		record = func() error { return s.db.MarkSent(ctx, m.ID, msgID) }
	case errors.As(err, &tooMany):
		d := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		s.mu.Lock()
		global := s.pace.tooMany(m.ChatID, d, time.Now())
		s.mu.Unlock()
		s.log.Warn("sender: Telegram asks to slow down", "retry_after", d, "chat", m.ChatID, "all_chats", global)
		record = func() error { return s.db.Retry(ctx, m.ID, time.Now().Add(d), "429 retry after "+d.String(), false) }
	case errors.Is(err, tgbot.ErrorForbidden) || isChatGone(err):
		s.log.Info("sender: chat unreachable", "chat", m.ChatID, "key", m.Key, "err", err)
		record = func() error { return s.db.MarkUnreachable(ctx, m.ID, m.ChatID, err.Error()) }
	case errors.Is(err, tgbot.ErrorBadRequest) && (strings.Contains(err.Error(), "message is not modified") ||
		strings.Contains(err.Error(), "query is too old")):
		// Nothing left to do: the text is already so, or the button's
		// spinner has long stopped by itself.
		record = func() error { return s.db.MarkFailed(ctx, m.ID, err.Error()) }
	case errors.Is(err, tgbot.ErrorBadRequest):
		// Telegram will refuse this message every time: our bug, not theirs.
		s.log.Error("sender: Telegram refused a message", "key", m.Key, "method", m.Method, "err", err)
		record = func() error { return s.db.MarkFailed(ctx, m.ID, err.Error()) }
	default:
		// Probably the Bot API or the network is down for everyone: pause
		// everything, not just this message.
		s.mu.Lock()
		s.failures++
		s.pace.pause(time.Now(), min(time.Duration(1<<min(s.failures, 5))*250*time.Millisecond, 5*time.Second))
		s.mu.Unlock()
		if m.Attempts+1 >= s.cfg.MaxAttempts {
			s.log.Error("sender: giving up on a message", "key", m.Key, "attempts", m.Attempts+1, "err", err)
			record = func() error { return s.db.MarkFailed(ctx, m.ID, err.Error()) }
		} else {
			retry := min(time.Duration(1<<min(m.Attempts, 8))*time.Second, 5*time.Minute)
			s.log.Warn("sender: send failed, will retry", "key", m.Key, "in", retry, "err", err)
			record = func() error { return s.db.Retry(ctx, m.ID, time.Now().Add(retry), err.Error(), true) }
		}
	}
	// The outcome must be recorded, or the message goes again: keep trying
	// through a busy database.
	for wait := 20 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		err := record()
		if err == nil || ctx.Err() != nil {
			return
		}
		s.log.Warn("sender: recording an outcome failed, retrying", "key", m.Key, "err", err)
		sleep(ctx, wait)
	}
}

// isChatGone recognises the 400s that mean the chat can never be written
// to: the user never started the bot, or deleted the chat.
func isChatGone(err error) bool {
	if !errors.Is(err, tgbot.ErrorBadRequest) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "chat not found") || strings.Contains(msg, "user not found")
}

// call makes the Bot API call an outbox row describes.
func (s *Sender) call(ctx context.Context, m store.Message) (int64, error) {
	p := m.Payload
	var markup models.ReplyMarkup
	if len(p.ReplyMarkup) > 0 {
		markup = p.ReplyMarkup
	}
	var reply *models.ReplyParameters
	if p.ReplyToMessageID != 0 {
		reply = &models.ReplyParameters{MessageID: int(p.ReplyToMessageID), AllowSendingWithoutReply: true}
	}
	var data []byte
	if (m.Method == store.SendDocument || m.Method == store.SendPhoto) && p.FileID == "" {
		// The due list comes without files; load this one's now.
		var err error
		if data, err = s.db.FileData(ctx, m.ID); err != nil {
			return 0, err
		}
	}
	file := func() models.InputFile {
		if p.FileID != "" {
			return &models.InputFileString{Data: p.FileID}
		}
		return &models.InputFileUpload{Filename: m.FileName, Data: bytes.NewReader(data)}
	}
	var msg *models.Message
	var err error
	switch m.Method {
	case store.SendMessage:
		params := &tgbot.SendMessageParams{
			ChatID: m.ChatID, Text: p.Text, ParseMode: models.ParseMode(p.ParseMode),
			ReplyMarkup: markup, ReplyParameters: reply,
		}
		if p.NoPreview {
			params.LinkPreviewOptions = &models.LinkPreviewOptions{IsDisabled: tgbot.True()}
		}
		msg, err = s.api.SendMessage(ctx, params)
	case store.SendDocument:
		msg, err = s.api.SendDocument(ctx, &tgbot.SendDocumentParams{
			ChatID: m.ChatID, Document: file(), Caption: p.Caption, ParseMode: models.ParseMode(p.ParseMode),
			ReplyMarkup: markup,
		})
	case store.SendPhoto:
		msg, err = s.api.SendPhoto(ctx, &tgbot.SendPhotoParams{
			ChatID: m.ChatID, Photo: file(), Caption: p.Caption, ParseMode: models.ParseMode(p.ParseMode),
			ReplyMarkup: markup,
		})
	case store.EditMessageText:
		msg, err = s.api.EditMessageText(ctx, &tgbot.EditMessageTextParams{
			ChatID: m.ChatID, MessageID: int(p.MessageID), Text: p.Text,
			ParseMode: models.ParseMode(p.ParseMode), ReplyMarkup: markup,
		})
	case store.AnswerCallbackQuery:
		_, err = s.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{
			CallbackQueryID: p.CallbackQueryID, Text: p.Text, ShowAlert: p.ShowAlert,
		})
	case store.SetMyCommands:
		var cmds []models.BotCommand
		if err := json.Unmarshal(p.Commands, &cmds); err != nil {
			return 0, fmt.Errorf("%w: setMyCommands: %v", tgbot.ErrorBadRequest, err)
		}
		_, err = s.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{
			Commands: cmds, Scope: &models.BotCommandScopeChat{ChatID: m.ChatID},
		})
	default:
		return 0, fmt.Errorf("%w: unknown outbox method %q", tgbot.ErrorBadRequest, m.Method)
	}
	if err != nil {
		return 0, err
	}
	if msg != nil {
		return int64(msg.ID), nil
	}
	return 0, nil
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
