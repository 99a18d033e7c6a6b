package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"github.com/luohu/reformbot/store"
)

// SendConfig paces the sender. Telegram allows about 30 messages a second
// overall and about one a second to one chat; the defaults stay under both.
type SendConfig struct {
	Global      float64 // messages per second over all chats (default 25)
	PerChat     float64 // messages per second to one chat (default 1)
	Workers     int     // Bot API calls in flight at once (default 8)
	MaxAttempts int     // tries for a message that meets 5xx or network errors (default 20)
}

func (c *SendConfig) setDefaults() {
	if c.Global <= 0 {
		c.Global = 25
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
}

// Sender drains the outbox: replies first, then alerts, then bulk sends,
// each chat's messages in order, within the configured rates. A 429 pauses
// every send for Telegram's retry_after; a 403 marks the contact
// unreachable; 5xx and network errors are retried with backoff. Each row
// ends sent (with Telegram's message_id) or failed (with the reason).
//
// A message is marked sent after Telegram accepted it. A crash between the
// two leaves it pending, so it is sent once more after the restart: at most
// one duplicate per message in flight at the crash, never a loss.
type Sender struct {
	db  *store.DB
	api *tgbot.Bot
	cfg SendConfig
	log *slog.Logger

	wake   chan struct{}
	global *rate.Limiter

	mu          sync.Mutex
	chats       map[int64]*rate.Limiter
	inflight    map[int64]bool      // chats with a call in flight
	finishedAt  map[int64]time.Time // when each chat's last call was recorded
	pausedUntil time.Time
	failures    int        // consecutive 5xx/network failures
	ceiling     rate.Limit // below the rate that last met a 429; 0 when none has
	slowedAt    time.Time  // when it did

	stats Stats // sends by result, for /metrics
}

func newSender(db *store.DB, api *tgbot.Bot, cfg SendConfig, log *slog.Logger) *Sender {
	cfg.setDefaults()
	return &Sender{
		db: db, api: api, cfg: cfg, log: log,
		wake:       make(chan struct{}, 1),
		global:     rate.NewLimiter(rate.Limit(cfg.Global), 1),
		chats:      map[int64]*rate.Limiter{},
		inflight:   map[int64]bool{},
		finishedAt: map[int64]time.Time{},
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

// Run sends until ctx is done, then waits for the calls in flight.
func (s *Sender) Run(ctx context.Context) {
	slots := make(chan struct{}, s.cfg.Workers)
	finished := make(chan struct{}, s.cfg.Workers)
	defer func() {
		for i := 0; i < s.cfg.Workers; i++ {
			slots <- struct{}{}
		}
	}()
	for ctx.Err() == nil {
		if wait := s.pauseLeft(); wait > 0 {
			sleep(ctx, wait)
			continue
		}
		launched, wait := s.dispatch(ctx, slots, finished)
		if launched > 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-finished:
		case <-t.C:
		}
		t.Stop()
	}
}

// dispatch starts sends for the due messages that may go now. It returns
// how many it started and, when none, how long to wait before looking again.
func (s *Sender) dispatch(ctx context.Context, slots, finished chan struct{}) (int, time.Duration) {
	now := time.Now()
	// A chat whose call finishes after this moment may have a row in due
	// that is already sent: such chats wait for the next look.
	loaded := now
	due, err := s.db.DueMessages(ctx, now, 200)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("sender: reading the outbox failed", "err", err)
		}
		return 0, idlePoll
	}
	wait := idlePoll
	if len(due) == 0 {
		if next, ok, err := s.db.NextDue(ctx); err == nil && ok {
			wait = max(min(time.Until(next), idlePoll), 10*time.Millisecond)
		}
		return 0, wait
	}
	launched := 0
	skipped := map[int64]bool{} // chats whose earlier message cannot go yet
	for _, m := range due {
		if ctx.Err() != nil || s.pauseLeft() > 0 {
			break
		}
		if skipped[m.ChatID] || s.busy(m.ChatID, loaded) {
			skipped[m.ChatID] = true
			continue
		}
		if counts(m.Method) {
			lim := s.chatLimiter(m.ChatID)
			res := lim.ReserveN(time.Now(), 1)
			if d := res.Delay(); d > 0 {
				res.Cancel()
				skipped[m.ChatID] = true
				wait = min(wait, d)
				continue
			}
			if err := s.global.Wait(ctx); err != nil {
				break
			}
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return launched, 0
		}
		s.setBusy(m.ChatID, true)
		launched++
		go func(m store.Message) {
			defer func() {
				s.setBusy(m.ChatID, false)
				<-slots
				select {
				case finished <- struct{}{}:
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
		// Someone enqueued meanwhile (a reply?): look again, most urgent first.
		select {
		case <-s.wake:
			return launched, 0
		default:
		}
	}
	return launched, max(wait, 10*time.Millisecond)
}

// counts reports whether a method is a message in a chat, subject to the
// per-chat and overall limits. Answering a callback query is not.
func counts(method string) bool { return method != store.AnswerCallbackQuery }

func (s *Sender) chatLimiter(chatID int64) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	lim, ok := s.chats[chatID]
	if !ok {
		if len(s.chats) > 10000 {
			// Forget idle chats; a full bucket is the same as a new one.
			for id, l := range s.chats {
				if l.Tokens() >= 1 && !s.inflight[id] {
					delete(s.chats, id)
				}
			}
		}
		lim = rate.NewLimiter(rate.Limit(s.cfg.PerChat), 1)
		s.chats[chatID] = lim
	}
	return lim
}

// busy reports whether chatID has a call in flight, or finished one after
// the due list was loaded (so its rows in that list may be stale).
func (s *Sender) busy(chatID int64, loaded time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inflight[chatID] || !s.finishedAt[chatID].Before(loaded)
}

func (s *Sender) setBusy(chatID int64, busy bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if busy {
		s.inflight[chatID] = true
		return
	}
	delete(s.inflight, chatID)
	s.finishedAt[chatID] = time.Now()
	if len(s.finishedAt) > 10000 {
		// Only recent finishes matter; forget the rest.
		for id, at := range s.finishedAt {
			if time.Since(at) > time.Minute {
				delete(s.finishedAt, id)
			}
		}
	}
}

func (s *Sender) pauseLeft() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Until(s.pausedUntil)
}

func (s *Sender) pause(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until := time.Now().Add(d); until.After(s.pausedUntil) {
		s.pausedUntil = until
	}
}

// slowDown lowers the overall rate after a 429: Telegram's real limits are
// not published and may be below what was configured. The rate drops to 70%
// of what met the 429 and may climb back only to a ceiling of 90% of it, so
// a --rate set above Telegram's limit settles just under that limit instead
// of meeting a 429 (and its pause) again and again. The ceiling rises by 1%
// of the configured rate a minute, in case the 429 was a passing squeeze.
func (s *Sender) slowDown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.global.Limit()
	s.ceiling = max(cur*0.9, 1)
	s.slowedAt = time.Now()
	s.global.SetLimit(max(cur*0.7, 1))
}

// speedUp wins the rate back a little with every message delivered: 0.1%
// of the configured rate, up to the ceiling.
func (s *Sender) speedUp() {
	s.mu.Lock()
	defer s.mu.Unlock()
	full := rate.Limit(s.cfg.Global)
	top := full
	if s.ceiling > 0 {
		top = min(s.ceiling+full*rate.Limit(time.Since(s.slowedAt).Minutes()/100), full)
	}
	if cur := s.global.Limit(); cur < top {
		s.global.SetLimit(min(cur+full/1000, top))
	}
}

// send makes one Bot API call and records its outcome.
func (s *Sender) send(ctx context.Context, m store.Message) {
	msgID, err := s.call(ctx, m)
	if err != nil && ctx.Err() != nil {
		// Shutting down mid-call: the outcome is unknown, so the row stays
		// pending and is sent again after the restart.
		return
	}
	s.stats.sent(err)
	var tooMany *tgbot.TooManyRequestsError
	var record func() error
	switch {
	case err == nil:
		s.mu.Lock()
		recovered := s.failures > 0
		s.failures = 0
		s.mu.Unlock()
		s.speedUp()
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
		// Calls already in flight meet the same 429: one squeeze, one
		// slow-down.
		if s.pauseLeft() <= 0 {
			s.slowDown()
		}
		s.pause(d)
		s.log.Warn("sender: Telegram asks to slow down", "retry_after", d, "chat", m.ChatID)
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
		s.mu.Lock()
		s.failures++
		n := s.failures
		s.mu.Unlock()
		// Probably the Bot API or the network is down for everyone: pause
		// everything, not just this message.
		s.pause(min(time.Duration(1<<min(n, 5))*250*time.Millisecond, 5*time.Second))
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
	for wait := newBackoff(20*time.Millisecond, time.Second); ; {
		err := record()
		if err == nil || ctx.Err() != nil {
			return
		}
		s.log.Warn("sender: recording an outcome failed, retrying", "key", m.Key, "err", err)
		sleep(ctx, wait.next())
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
	file := func() models.InputFile {
		if p.FileID != "" {
			return &models.InputFileString{Data: p.FileID}
		}
		return &models.InputFileUpload{Filename: m.FileName, Data: bytes.NewReader(m.FileData)}
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
