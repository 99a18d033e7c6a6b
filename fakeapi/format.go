package fakeapi

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Telegram's limits on what a bot sends, counted in Unicode code points
// after parse_mode is applied and the text trimmed, as TDLib counts them.
const (
	maxTextLength    = 4096
	maxCaptionLength = 1024
	maxRawText       = 1 << 15 // bytes, before parsing: "text is too long"
)

// formatted is text as Telegram keeps it: plain, with entities.
type formatted struct {
	text     string
	entities []entity
}

// formatText applies parse_mode to raw and trims the result the way TDLib
// does. Markdown and MarkdownV2 are accepted but not checked: the text is
// kept as sent.
func formatText(raw, parseMode string) (formatted, *apiError) {
	if len(raw) > maxRawText {
		return formatted{}, badRequest("text is too long")
	}
	if !utf8.ValidString(raw) {
		return formatted{}, badRequest("strings must be encoded in UTF-8")
	}
	var f formatted
	switch strings.ToLower(parseMode) {
	case "", "none", "markdown", "markdownv2":
		f.text = raw
	case "html":
		text, ents, err := parseHTML(raw)
		if err != nil {
			return formatted{}, badRequest("can't parse entities: " + err.Error())
		}
		f = formatted{text: text, entities: ents}
	default:
		return formatted{}, badRequest("unsupported parse_mode")
	}
	return f.trimmed(), nil
}

// trimmed drops trailing white space and leading spaces and newlines,
// moving entities along.
func (f formatted) trimmed() formatted {
	text := strings.TrimRight(f.text, " \t\r\n\v\f")
	lead := len(text) - len(strings.TrimLeft(text, " \n"))
	text = text[lead:]
	size := utf16Count(text)
	var ents []entity
	for _, e := range f.entities {
		e.Offset -= lead // leading spaces and newlines are one code unit each
		if e.Offset < 0 {
			e.Length += e.Offset
			e.Offset = 0
		}
		e.Length = min(e.Length, size-e.Offset)
		if e.Length > 0 {
			ents = append(ents, e)
		}
	}
	return formatted{text: text, entities: ents}
}

// length is the text's length as Telegram's limits count it: UTF-16 code
// units after entity parsing (an emoji such as 😀 is two).
func (f formatted) length() int { return utf16Count(f.text) }

// messageText reads and checks the text parameter of sendMessage and
// editMessageText.
func messageText(p *params) (formatted, *apiError) {
	raw := p.str("text")
	if raw == "" {
		return formatted{}, badRequest("message text is empty")
	}
	f, aerr := formatText(raw, p.str("parse_mode"))
	if aerr != nil {
		return formatted{}, aerr
	}
	if f.text == "" {
		return formatted{}, badRequest("text must be non-empty")
	}
	if f.length() > maxTextLength {
		return formatted{}, badRequest("message is too long")
	}
	return f, nil
}

// caption reads and checks the caption parameter of media messages.
func caption(p *params) (formatted, *apiError) {
	f, aerr := formatText(p.str("caption"), p.str("parse_mode"))
	if aerr != nil {
		return formatted{}, aerr
	}
	if f.length() > maxCaptionLength {
		return formatted{}, badRequest("message caption is too long")
	}
	return f, nil
}

// chatIDParam reads chat_id. The fake knows chats by number only, so an
// @username is a chat it cannot find.
func chatIDParam(p *params) (int64, *apiError) {
	raw := strings.TrimSpace(p.str("chat_id"))
	if raw == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

// messageIDParam reads message_id for edits and deletes.
func messageIDParam(p *params) (int, *apiError) {
	id := p.int("message_id", 0)
	if id <= 0 {
		return 0, badRequest("message identifier is not specified")
	}
	return int(id), nil
}

// replyTarget is what a send replies to.
type replyTarget struct {
	messageID    int
	allowMissing bool // allow_sending_without_reply
}

// replyParam reads reply_parameters, or the older reply_to_message_id.
func replyParam(p *params) (replyTarget, *apiError) {
	if raw := p.str("reply_parameters"); raw != "" {
		var rp struct {
			MessageID    *int64 `json:"message_id"`
			AllowMissing bool   `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return replyTarget{}, badRequest("can't parse reply parameters JSON object")
		}
		if rp.MessageID == nil {
			if raw == "{}" {
				return replyTarget{}, nil
			}
			return replyTarget{}, badRequest("can't parse reply parameters: Can't find field \"message_id\"")
		}
		return replyTarget{messageID: int(max(*rp.MessageID, 0)), allowMissing: rp.AllowMissing}, nil
	}
	return replyTarget{
		messageID:    int(max(p.int("reply_to_message_id", 0), 0)),
		allowMissing: p.bool("allow_sending_without_reply"),
	}, nil
}
