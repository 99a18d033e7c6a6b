package fakeapi

import (
	"context"
	"maps"
	"strings"
	"time"
)

// outgoing is a message the bot asked to send, checked and ready to go.
type outgoing struct {
	method    string
	chatID    int64
	p         *params
	text      formatted // text or caption
	markup    *Markup
	reply     replyTarget
	mediaKind string // "", "document" or "photo"
	media     any
	file      *File
}

// sendParams reads what all send methods share: chat_id, reply_markup and
// the reply target.
func (s *Server) sendParams(method string, p *params) (*outgoing, *apiError) {
	chatID, aerr := chatIDParam(p)
	if aerr != nil {
		return nil, aerr
	}
	markup, aerr := s.parseMarkup(p.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	reply, aerr := replyParam(p)
	if aerr != nil {
		return nil, aerr
	}
	return &outgoing{method: method, chatID: chatID, p: p, markup: markup, reply: reply}, nil
}

func (s *Server) sendMessage(_ context.Context, p *params) (any, *apiError) {
	text, aerr := messageText(p)
	if aerr != nil {
		return nil, aerr
	}
	o, aerr := s.sendParams("sendMessage", p)
	if aerr != nil {
		return nil, aerr
	}
	o.text = text
	return s.deliver(o)
}

func (s *Server) sendDocument(_ context.Context, p *params) (any, *apiError) {
	return s.sendMedia("sendDocument", "document", p)
}

func (s *Server) sendPhoto(_ context.Context, p *params) (any, *apiError) {
	return s.sendMedia("sendPhoto", "photo", p)
}

func (s *Server) sendMedia(method, kind string, p *params) (any, *apiError) {
	o, aerr := s.sendParams(method, p)
	if aerr != nil {
		return nil, aerr
	}
	if o.text, aerr = caption(p); aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	stored, file, aerr := s.inputFileLocked(p, kind)
	s.mu.Unlock()
	if aerr != nil {
		return nil, aerr
	}
	o.mediaKind, o.file = kind, file
	if kind == "photo" {
		o.media = stored.photoJSON()
	} else {
		o.media = stored.documentJSON()
	}
	return s.deliver(o)
}

// deliver puts o in its chat: the chat's status, the reply target and
// flood control are checked, then the message gets the chat's next id and
// is recorded.
func (s *Server) deliver(o *outgoing) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.chatForBotLocked(o.chatID)
	if aerr != nil {
		return nil, aerr
	}
	var replyTo *chatMessage
	if o.reply.messageID != 0 {
		replyTo = c.live(o.reply.messageID)
		if replyTo == nil && !o.reply.allowMissing {
			return nil, badRequest("message to be replied not found")
		}
	}
	if aerr := s.throttleLocked(o.chatID); aerr != nil {
		return nil, aerr
	}
	now := s.now()
	m := &chatMessage{
		fromBot:   true,
		date:      now.Unix(),
		text:      o.text,
		mediaKind: o.mediaKind,
		media:     o.media,
		replyTo:   replyTo,
	}
	if o.markup != nil && o.markup.InlineKeyboard != nil {
		m.markup = o.markup
	}
	c.add(m)
	rec := record(o.method, o.chatID, m.id, o.p, o.text, o.markup, now)
	rec.ReplyTo = o.reply.messageID
	switch o.mediaKind {
	case "document":
		rec.Document = o.file
	case "photo":
		rec.Photo = o.file
	}
	s.sent = append(s.sent, rec)
	s.notifyLocked()
	return s.messageJSON(c, m, false), nil
}

// record builds the log entry of a send or edit.
func record(method string, chatID int64, messageID int, p *params, text formatted, markup *Markup, now time.Time) Message {
	raw := p.str("text")
	if method == "sendDocument" || method == "sendPhoto" {
		raw = p.str("caption")
	}
	return Message{
		Method:    method,
		ChatID:    chatID,
		MessageID: messageID,
		Text:      raw,
		PlainText: text.text,
		ParseMode: p.str("parse_mode"),
		Markup:    markup,
		MarkupRaw: p.str("reply_markup"),
		Params:    maps.Clone(p.values),
		Time:      now,
	}
}

// chatActions are the actions sendChatAction accepts.
var chatActions = map[string]bool{
	"cancel": true, "typing": true, "upload_photo": true, "record_video": true,
	"upload_video": true, "record_voice": true, "record_audio": true,
	"upload_voice": true, "upload_audio": true, "upload_document": true,
	"choose_sticker": true, "find_location": true, "pick_up_location": true,
	"record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatAction(_ context.Context, p *params) (any, *apiError) {
	if !chatActions[strings.ToLower(p.str("action"))] {
		return nil, badRequest("wrong parameter action in request")
	}
	chatID, aerr := chatIDParam(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, aerr := s.chatForBotLocked(chatID); aerr != nil {
		return nil, aerr
	}
	return true, nil
}
