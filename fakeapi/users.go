package fakeapi

import (
	"unicode"
	"unicode/utf8"
)

// The helpers below play the users: each queues the update Telegram would
// send the bot and returns its update_id (0 if the bot's allowed_updates
// exclude it). Private-chat helpers use the chat whose id is the user's.

// SendText makes from send text to the bot in their private chat. Commands
// (/start, /help@bot, ...) get bot_command entities, as Telegram adds them.
func (s *Server) SendText(from User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessageLocked(s.userChatLocked(from), from, text, nil)
}

// SendGroupText makes from send text in the group chatID (a negative id;
// -100… is a supergroup).
func (s *Server) SendGroupText(from User, chatID int64, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessageLocked(s.chatLocked(chatID, true), from, text, nil)
}

// Reply makes from reply with text to message toMessageID of their private
// chat, typically one of the bot's; the update carries it as
// reply_to_message.
func (s *Server) Reply(from User, toMessageID int, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.userChatLocked(from)
	to := c.live(toMessageID)
	if to == nil {
		to = &chatMessage{id: toMessageID, fromBot: true}
	}
	return s.userMessageLocked(c, from, text, to)
}

func (s *Server) userMessageLocked(c *chat, from User, text string, replyTo *chatMessage) int64 {
	m := &chatMessage{
		from:    from,
		date:    s.now().Unix(),
		text:    formatted{text: text, entities: botCommands(text)},
		replyTo: replyTo,
	}
	c.add(m)
	return s.pushLocked("message", s.messageJSON(c, m, false))
}

// EditText makes from edit their message messageID to newText: an
// edited_message update.
func (s *Server) EditText(from User, messageID int, newText string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.userChatLocked(from)
	m := c.live(messageID)
	if m == nil || m.fromBot {
		m = &chatMessage{id: messageID, from: from, date: s.now().Unix()}
	}
	m.text = formatted{text: newText, entities: botCommands(newText)}
	m.editDate = s.now().Unix()
	return s.pushLocked("edited_message", s.messageJSON(c, m, false))
}

// SendDocument makes from send a file of size bytes named fileName, with
// caption; the bot can fetch made-up contents of that size with getFile
// (unless it is over 20 MB, which Telegram refuses to hand out).
func (s *Server) SendDocument(from User, fileName string, size int64, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.registerLocked("document", fileName, nil, size)
	return s.userMediaLocked(from, "document", f.documentJSON(), caption)
}

// SendDocumentBytes is SendDocument with the file's contents.
func (s *Server) SendDocumentBytes(from User, fileName string, data []byte, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.registerLocked("document", fileName, append([]byte{}, data...), 0)
	return s.userMediaLocked(from, "document", f.documentJSON(), caption)
}

// SendPhoto makes from send a 1280×960 photo with caption.
func (s *Server) SendPhoto(from User, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.registerLocked("photo", "photo.jpg", nil, 180_000)
	f.width, f.height = 1280, 960
	return s.userMediaLocked(from, "photo", f.photoJSON(), caption)
}

// SendSticker makes from send a sticker: a message with no text at all.
func (s *Server) SendSticker(from User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.registerLocked("sticker", "sticker.webp", nil, 24_000)
	sticker := map[string]any{
		"file_id": f.id, "file_unique_id": f.uniqueID, "file_size": f.size,
		"type": "regular", "width": 512, "height": 512,
		"is_animated": false, "is_video": false, "emoji": "👍", "set_name": "TestStickers",
	}
	return s.userMediaLocked(from, "sticker", sticker, "")
}

func (s *Server) userMediaLocked(from User, kind string, media any, caption string) int64 {
	c := s.userChatLocked(from)
	m := &chatMessage{
		from:      from,
		date:      s.now().Unix(),
		mediaKind: kind,
		media:     media,
		text:      formatted{text: caption, entities: botCommands(caption)},
	}
	c.add(m)
	return s.pushLocked("message", s.messageJSON(c, m, false))
}

// UserBlocksBot makes from block the bot: from now on sends to them get
// 403 "Forbidden: bot was blocked by the user", and the bot gets the
// my_chat_member update Telegram sends (member → kicked). Unblock undoes
// the block (without an update).
func (s *Server) UserBlocksBot(from User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.userChatLocked(from)
	c.status = ChatBlocked
	now := s.now().Unix()
	bot := s.botUser()
	return s.pushLocked("my_chat_member", map[string]any{
		"chat":            c.json(),
		"from":            from.json(),
		"date":            now,
		"old_chat_member": map[string]any{"user": bot, "status": "member"},
		"new_chat_member": map[string]any{"user": bot, "status": "kicked", "until_date": 0},
	})
}

// botCommands finds bot commands in text as Telegram does:
// (?<!\b|[\/<>])\/([a-zA-Z0-9_]{1,64})(?:@([a-zA-Z0-9_]{3,32}))?(?!\B|[\/<>]),
// with offsets and lengths in UTF-16 code units.
func botCommands(text string) []entity {
	var out []entity
	for i := 0; i < len(text); i++ {
		if text[i] != '/' {
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if isWordRune(prev) || prev == '/' || prev == '<' || prev == '>' {
				continue
			}
		}
		j := i + 1
		for j < len(text) && isCommandByte(text[j]) {
			j++
		}
		if n := j - i - 1; n < 1 || n > 64 {
			continue
		}
		if j < len(text) && text[j] == '@' {
			k := j + 1
			for k < len(text) && isCommandByte(text[k]) {
				k++
			}
			if n := k - j - 1; n < 3 || n > 32 {
				continue
			}
			j = k
		}
		if j < len(text) {
			next, _ := utf8.DecodeRuneInString(text[j:])
			if isWordRune(next) || next == '/' || next == '<' || next == '>' {
				continue
			}
		}
		out = append(out, entity{Type: "bot_command", Offset: utf16Count(text[:i]), Length: utf16Count(text[i:j])})
		i = j - 1
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || r == '_'
}

func isCommandByte(c byte) bool { return isAlnum(c) || c == '_' }
