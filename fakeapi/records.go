package fakeapi

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Message is one successful call by which the bot sent or changed a
// message: sendMessage, sendDocument, sendPhoto, editMessageText or
// editMessageReplyMarkup. Calls that failed (400, 403, 429, ...) are not
// recorded; see Requests for those.
type Message struct {
	Method    string // the Bot API method
	ChatID    int64
	MessageID int    // the new message's id; for edits, the edited message's
	Text      string // text, or caption, as sent (HTML and all); "" for editMessageReplyMarkup
	PlainText string // what the user reads: parse_mode applied, trimmed
	ParseMode string
	Markup    *Markup // reply_markup decoded; nil when none was sent
	MarkupRaw string  // reply_markup as sent
	ReplyTo   int     // message replied to (reply_parameters or reply_to_message_id)
	Document  *File   // sendDocument
	Photo     *File   // sendPhoto
	Params    map[string]string
	Time      time.Time
}

// IsEdit reports whether m changed an existing message.
func (m Message) IsEdit() bool { return strings.HasPrefix(m.Method, "edit") }

// String describes m in one line, for test failure messages.
func (m Message) String() string {
	return fmt.Sprintf("%s chat=%d msg=%d %q", m.Method, m.ChatID, m.MessageID, m.PlainText)
}

// Sent returns what the bot sent and edited, oldest first.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.sent...)
}

// SentTo returns what the bot sent and edited in chat chatID, oldest first.
func (s *Server) SentTo(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// Duplicates groups Sent by key and returns the keys that occur more than
// once, with their counts. Messages whose key is "" are ignored. For
// example, key returning ChatID and PlainText of new messages finds the
// same text sent twice to a chat.
func (s *Server) Duplicates(key func(Message) string) map[string]int {
	counts := make(map[string]int)
	for _, m := range s.Sent() {
		if k := key(m); k != "" {
			counts[k]++
		}
	}
	for k, n := range counts {
		if n < 2 {
			delete(counts, k)
		}
	}
	return counts
}

// changes returns a channel closed at the server's next change.
func (s *Server) changes() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// WaitUntil blocks until cond returns true or ctx is done. cond is
// evaluated at once and again after every change to the server's state
// (an update queued or confirmed, a request answered, ...); it may call the
// Server's methods.
func (s *Server) WaitUntil(ctx context.Context, cond func() bool) error {
	for {
		changed := s.changes()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitFor waits up to timeout for cond to hold for what the bot has sent,
// and returns that. On timeout it fails tb, listing what was sent. Call it
// from the test's goroutine.
func (s *Server) WaitFor(tb TB, timeout time.Duration, cond func(sent []Message) bool) []Message {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var sent []Message
	err := s.WaitUntil(ctx, func() bool {
		sent = s.Sent()
		return cond(sent)
	})
	if err != nil {
		tb.Fatalf("fakeapi: condition not met within %v; the bot sent %d message(s):%s", timeout, len(sent), listing(sent))
	}
	return sent
}

// WaitSent waits up to timeout until the bot has sent or edited at least n
// messages in chatID, and returns them. On timeout it fails tb.
func (s *Server) WaitSent(tb TB, timeout time.Duration, chatID int64, n int) []Message {
	tb.Helper()
	s.WaitFor(tb, timeout, func([]Message) bool { return len(s.SentTo(chatID)) >= n })
	return s.SentTo(chatID)
}

// WaitConfirmed waits up to timeout until the bot has confirmed update
// updateID (called getUpdates with a higher offset). On timeout it fails
// tb.
func (s *Server) WaitConfirmed(tb TB, timeout time.Duration, updateID int64) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := s.WaitUntil(ctx, func() bool { return s.IsConfirmed(updateID) }); err != nil {
		tb.Fatalf("fakeapi: update %d not confirmed within %v (offset is %d, %d pending)", updateID, timeout, s.Confirmed(), s.Pending())
	}
}

func listing(sent []Message) string {
	var b strings.Builder
	for _, m := range sent {
		b.WriteString("\n\t")
		b.WriteString(m.String())
	}
	return b.String()
}
