package fakeapi

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// Default bucket sizes for flood control: Telegram tolerates short bursts
// overall but not to one chat.
const (
	defaultGlobalBurst = 3
	defaultChatBurst   = 1
)

// limiter is Telegram's flood control as token buckets: one for the bot as
// a whole and one per chat. A rate of 0 means no limit.
type limiter struct {
	global, perChat        float64 // messages per second
	globalBurst, chatBurst int
	all                    bucket
	chats                  map[int64]*bucket
	rejected               int     // 429s answered, flood control or injected
	window                 *window // strict per-second counting instead of buckets (window.go)
}

type bucket struct {
	tokens float64
	last   time.Time
	primed bool
}

func newLimiter() limiter {
	return limiter{globalBurst: defaultGlobalBurst, chatBurst: defaultChatBurst, chats: make(map[int64]*bucket)}
}

// refill adds the tokens earned since the last call; a new bucket starts
// full.
func (b *bucket) refill(now time.Time, rate float64, burst int) {
	if !b.primed {
		b.tokens, b.last, b.primed = float64(burst), now, true
		return
	}
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = math.Min(float64(burst), b.tokens+dt*rate)
		b.last = now
	}
}

// slack is how early a message may come and still pass: a bot pacing
// itself at the limit must not be refused for a clock's rounding or a few
// milliseconds of scheduling jitter. Only a bot that is early again and
// again runs its bucket dry.
const slack = 5 * time.Millisecond

// wait is how long until the bucket holds a whole token, 0 if it is within
// slack of holding one.
func (b *bucket) wait(rate float64) time.Duration {
	d := time.Duration((1 - b.tokens) / rate * float64(time.Second))
	if d <= slack {
		return 0
	}
	return d
}

// take spends a token from chatID's bucket and the global one, or, when
// either is empty, spends nothing and says how long to wait.
func (l *limiter) take(chatID int64, now time.Time) time.Duration {
	if l.window != nil {
		return l.window.take(chatID, now)
	}
	var wait time.Duration
	var cb *bucket
	if l.perChat > 0 {
		if cb = l.chats[chatID]; cb == nil {
			cb = &bucket{}
			l.chats[chatID] = cb
		}
		cb.refill(now, l.perChat, max(l.chatBurst, 1))
		wait = cb.wait(l.perChat)
	}
	if l.global > 0 {
		l.all.refill(now, l.global, max(l.globalBurst, 1))
		wait = max(wait, l.all.wait(l.global))
	}
	if wait > 0 {
		return wait
	}
	if cb != nil {
		cb.tokens--
	}
	if l.global > 0 {
		l.all.tokens--
	}
	return 0
}

// throttleLocked applies flood control to one message to chatID.
func (s *Server) throttleLocked(chatID int64) *apiError {
	wait := s.limits.take(chatID, s.now())
	if wait <= 0 {
		return nil
	}
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	return &apiError{
		code:        http.StatusTooManyRequests,
		description: "Too Many Requests: retry after " + strconv.Itoa(secs),
		retryAfter:  secs,
	}
}

// SetLimits turns on flood control for sendMessage, sendDocument, sendPhoto
// and editMessageText: at most global messages per second in all and
// perChat per second to any one chat (0 = no limit; Telegram's published
// limits are about 30 and 1). A refused call is answered 429 "Too Many
// Requests: retry after N", N being the whole seconds until it would pass,
// and is not recorded as sent. Buckets start full.
func (s *Server) SetLimits(global, perChat float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.global, s.limits.perChat = global, perChat
	s.limits.all = bucket{}
	s.limits.chats = make(map[int64]*bucket)
	s.notifyLocked()
}

// SetBursts sets how many messages may go at once before the rates of
// SetLimits apply: global across all chats (default 3), perChat to one
// chat (default 1).
func (s *Server) SetBursts(global, perChat int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.globalBurst, s.limits.chatBurst = global, perChat
	s.limits.all = bucket{}
	s.limits.chats = make(map[int64]*bucket)
}

// RateLimited returns how many 429 answers the server has given, from
// flood control and injected faults alike.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limits.rejected
}
