package fakeapi

import (
	"context"
	"reflect"
	"time"
)

// Deletion is a message the bot deleted.
type Deletion struct {
	ChatID    int64
	MessageID int
	Time      time.Time
}

// notModified is Telegram's answer to an edit that changes nothing.
var notModified = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")

// editTarget reads chat_id, message_id and reply_markup of an edit. Edits
// only take inline keyboards.
func (s *Server) editTarget(p *params) (int64, int, *Markup, *apiError) {
	if p.str("chat_id") == "" && p.has("inline_message_id") {
		return 0, 0, nil, badRequest("inline messages are not supported by fakeapi")
	}
	chatID, aerr := chatIDParam(p)
	if aerr != nil {
		return 0, 0, nil, aerr
	}
	msgID, aerr := messageIDParam(p)
	if aerr != nil {
		return 0, 0, nil, aerr
	}
	markup, aerr := s.parseMarkup(p.str("reply_markup"))
	if aerr != nil {
		return 0, 0, nil, aerr
	}
	if markup != nil && markup.InlineKeyboard == nil {
		return 0, 0, nil, badRequest("inline keyboard expected")
	}
	return chatID, msgID, markup, nil
}

// editableLocked finds the bot's own message to edit.
func (s *Server) editableLocked(chatID int64, msgID int) (*chat, *chatMessage, *apiError) {
	c, aerr := s.chatForBotLocked(chatID)
	if aerr != nil {
		return nil, nil, aerr
	}
	m := c.live(msgID)
	if m == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	if !m.fromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, nil
}

// editMessageText replaces a message's text and its inline keyboard: like
// Telegram, an edit without reply_markup removes the keyboard.
func (s *Server) editMessageText(_ context.Context, p *params) (any, *apiError) {
	text, aerr := messageText(p)
	if aerr != nil {
		return nil, aerr
	}
	chatID, msgID, markup, aerr := s.editTarget(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, aerr := s.editableLocked(chatID, msgID)
	if aerr != nil {
		return nil, aerr
	}
	if m.mediaKind != "" {
		return nil, badRequest("there is no text in the message to edit")
	}
	if m.text.text == text.text && reflect.DeepEqual(m.text.entities, text.entities) && m.markup.equal(markup) {
		return nil, notModified
	}
	if aerr := s.throttleLocked(chatID); aerr != nil {
		return nil, aerr
	}
	now := s.now()
	m.text, m.markup, m.editDate = text, markup, now.Unix()
	s.sent = append(s.sent, record("editMessageText", chatID, msgID, p, text, markup, now))
	s.notifyLocked()
	return s.messageJSON(c, m, false), nil
}

// editMessageReplyMarkup replaces (or, without reply_markup, removes) a
// message's inline keyboard.
func (s *Server) editMessageReplyMarkup(_ context.Context, p *params) (any, *apiError) {
	chatID, msgID, markup, aerr := s.editTarget(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, aerr := s.editableLocked(chatID, msgID)
	if aerr != nil {
		return nil, aerr
	}
	if m.markup.equal(markup) {
		return nil, notModified
	}
	now := s.now()
	m.markup, m.editDate = markup, now.Unix()
	rec := record("editMessageReplyMarkup", chatID, msgID, p, m.text, markup, now)
	rec.Text = ""
	s.sent = append(s.sent, rec)
	s.notifyLocked()
	return s.messageJSON(c, m, false), nil
}

func (s *Server) deleteMessage(_ context.Context, p *params) (any, *apiError) {
	if p.str("chat_id") == "" {
		return nil, badRequest("chat identifier is not specified")
	}
	chatID, aerr := chatIDParam(p)
	if aerr != nil {
		return nil, aerr
	}
	msgID, aerr := messageIDParam(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID, false)
	if c == nil {
		return nil, badRequest("chat not found")
	}
	m := c.live(msgID)
	if m == nil {
		return nil, badRequest("message to delete not found")
	}
	m.deleted = true
	s.deleted = append(s.deleted, Deletion{ChatID: chatID, MessageID: msgID, Time: s.now()})
	s.notifyLocked()
	return true, nil
}

// Deletions returns the messages the bot deleted, oldest first.
func (s *Server) Deletions() []Deletion {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Deletion(nil), s.deleted...)
}
