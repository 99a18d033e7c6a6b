package fakeapi

import (
	"context"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"
)

// CallbackAnswer is the bot's answerCallbackQuery to a button press.
type CallbackAnswer struct {
	QueryID   string
	UserID    int64  // who pressed
	MessageID int    // the message the button was under
	Data      string // the pressed button's callback_data
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
	Time      time.Time
}

// callbackQuery is a press waiting for its answer.
type callbackQuery struct {
	from      User
	messageID int
	data      string
	answered  bool
}

// queryGone is Telegram's answer for an unknown or already answered query.
var queryGone = badRequest("query is too old and response timeout expired or query ID is invalid")

func (s *Server) answerCallbackQuery(_ context.Context, p *params) (any, *apiError) {
	id := p.str("callback_query_id")
	text := p.str("text")
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queries[id]
	if q == nil || q.answered {
		return nil, queryGone
	}
	if utf8.RuneCountInString(text) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	q.answered = true
	s.answers = append(s.answers, CallbackAnswer{
		QueryID:   id,
		UserID:    q.from.ID,
		MessageID: q.messageID,
		Data:      q.data,
		Text:      text,
		ShowAlert: p.bool("show_alert"),
		URL:       p.str("url"),
		CacheTime: int(p.int("cache_time", 0)),
		Time:      s.now(),
	})
	s.notifyLocked()
	return true, nil
}

// CallbackAnswers returns the bot's answers to button presses, oldest
// first.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// Unanswered returns how many button presses the bot has not answered.
// Telegram shows the user a spinner until it does.
func (s *Server) Unanswered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.queries {
		if !q.answered {
			n++
		}
	}
	return n
}

// Press makes from press an inline button with callback data under the
// bot's message messageID in their private chat: a callback_query update
// with the message as it now stands (an InaccessibleMessage, date 0, if it
// is gone). The data is sent as given, whether or not such a button exists;
// use PressButton to press a button by its label.
func (s *Server) Press(from User, messageID int, data string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.userChatLocked(from)
	var msg map[string]any
	if m := c.live(messageID); m != nil {
		msg = s.messageJSON(c, m, false)
	} else {
		msg = map[string]any{"chat": c.json(), "message_id": messageID, "date": 0}
	}
	s.nextQID++
	id := strconv.FormatInt(4_000_000_000_000_000_000+s.nextQID, 10)
	s.queries[id] = &callbackQuery{from: from, messageID: messageID, data: data}
	return s.pushLocked("callback_query", map[string]any{
		"id":            id,
		"from":          from.json(),
		"message":       msg,
		"chat_instance": strconv.FormatInt(c.id*7919+1234567, 10),
		"data":          data,
	})
}

// PressButton presses the inline button labelled text under the bot's
// message messageID in from's private chat. It fails when there is no such
// message or button, or the button carries no callback_data.
func (s *Server) PressButton(from User, messageID int, text string) (int64, error) {
	s.mu.Lock()
	var b Button
	found := false
	if c := s.chats[from.ID]; c != nil {
		if m := c.live(messageID); m != nil {
			b, found = m.markup.Button(text)
		}
	}
	s.mu.Unlock()
	if !found {
		return 0, errors.New("fakeapi: no button " + strconv.Quote(text) + " under message " + strconv.Itoa(messageID))
	}
	if b.Action != "callback_data" {
		return 0, errors.New("fakeapi: button " + strconv.Quote(text) + " is a " + b.Action + " button")
	}
	return s.Press(from, messageID, b.CallbackData), nil
}
