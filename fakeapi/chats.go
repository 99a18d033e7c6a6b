package fakeapi

import (
	"strconv"
	"strings"
)

// User is a Telegram user on the other side of the bot.
type User struct {
	ID           int64
	FirstName    string // "User<ID>" when empty
	LastName     string
	Username     string // without '@'
	LanguageCode string // "zh-hans" when empty
}

func (u User) firstName() string {
	if u.FirstName == "" {
		return "User" + strconv.FormatInt(u.ID, 10)
	}
	return u.FirstName
}

// json is the user as Telegram describes a human in "from".
func (u User) json() map[string]any {
	out := map[string]any{"id": u.ID, "is_bot": false, "first_name": u.firstName()}
	if u.LastName != "" {
		out["last_name"] = u.LastName
	}
	if u.Username != "" {
		out["username"] = strings.TrimPrefix(u.Username, "@")
	}
	lang := u.LanguageCode
	if lang == "" {
		lang = "zh-hans"
	}
	out["language_code"] = lang
	return out
}

// chat is one conversation the server knows: a private chat with a user
// (id = the user's id) or a group.
type chat struct {
	id        int64
	kind      string // private, group, supergroup
	user      User   // the other side of a private chat
	title     string // groups
	status    ChatStatus
	lastMsgID int // message ids count up per chat, shared by both sides
	messages  map[int]*chatMessage
}

// chatMessage is a message as it now stands in a chat.
type chatMessage struct {
	id        int
	fromBot   bool
	from      User // when !fromBot
	date      int64
	editDate  int64
	text      formatted // the text, or the caption of media
	mediaKind string    // "", "document", "photo" or "sticker"
	media     any       // the media object as Telegram describes it
	markup    *Markup   // inline keyboard shown under it, if any
	replyTo   *chatMessage
	deleted   bool
}

// chatKind guesses a chat's type from its id the way Telegram numbers
// chats: users are positive, basic groups negative, supergroups -100….
func chatKind(id int64) string {
	switch {
	case id > 0:
		return "private"
	case id <= -1000000000000:
		return "supergroup"
	default:
		return "group"
	}
}

// chatLocked returns the chat with id, creating it when create is set.
func (s *Server) chatLocked(id int64, create bool) *chat {
	c := s.chats[id]
	if c == nil && create {
		c = &chat{id: id, kind: chatKind(id), messages: make(map[int]*chatMessage)}
		if c.kind == "private" {
			c.user = User{ID: id}
		} else {
			c.title = "Group " + strconv.FormatInt(-id, 10)
		}
		s.chats[id] = c
	}
	return c
}

// userChatLocked returns the private chat with u, recording u's names.
func (s *Server) userChatLocked(u User) *chat {
	c := s.chatLocked(u.ID, true)
	c.user = u
	return c
}

func (c *chat) json() map[string]any {
	out := map[string]any{"id": c.id, "type": c.kind}
	if c.kind != "private" {
		out["title"] = c.title
		return out
	}
	out["first_name"] = c.user.firstName()
	if c.user.LastName != "" {
		out["last_name"] = c.user.LastName
	}
	if c.user.Username != "" {
		out["username"] = strings.TrimPrefix(c.user.Username, "@")
	}
	return out
}

// add stores m under the chat's next message id.
func (c *chat) add(m *chatMessage) {
	c.lastMsgID++
	m.id = c.lastMsgID
	c.messages[m.id] = m
}

// live returns the message with id unless it is unknown or deleted.
func (c *chat) live(id int) *chatMessage {
	m := c.messages[id]
	if m == nil || m.deleted {
		return nil
	}
	return m
}

// messageJSON renders m as a Bot API Message. nested is set for the copy
// inside reply_to_message, which Telegram does not nest further.
func (s *Server) messageJSON(c *chat, m *chatMessage, nested bool) map[string]any {
	out := map[string]any{"message_id": m.id, "date": m.date, "chat": c.json()}
	if m.fromBot {
		out["from"] = s.botUser()
	} else {
		out["from"] = m.from.json()
	}
	if m.editDate != 0 {
		out["edit_date"] = m.editDate
	}
	if m.replyTo != nil && !nested {
		out["reply_to_message"] = s.messageJSON(c, m.replyTo, true)
	}
	switch {
	case m.mediaKind != "":
		out[m.mediaKind] = m.media
		if m.text.text != "" {
			out["caption"] = m.text.text
			if len(m.text.entities) > 0 {
				out["caption_entities"] = m.text.entities
			}
		}
	default:
		out["text"] = m.text.text
		if len(m.text.entities) > 0 {
			out["entities"] = m.text.entities
		}
	}
	if m.markup != nil && m.markup.InlineKeyboard != nil {
		out["reply_markup"] = m.markup.inlineJSON()
	}
	return out
}

// AddUser makes u known to the server without a message from u, as if u
// had started the bot long ago. Only WithKnownChatsOnly servers need it.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userChatLocked(u)
	s.notifyLocked()
}

// chatForBotLocked resolves the chat a bot request names, applying the
// chat's status (blocked, not found, ...).
func (s *Server) chatForBotLocked(id int64) (*chat, *apiError) {
	c := s.chatLocked(id, !s.knownOnly)
	if c == nil {
		return nil, badRequest("chat not found")
	}
	if aerr := c.status.err(c.kind); aerr != nil {
		return nil, aerr
	}
	return c, nil
}
