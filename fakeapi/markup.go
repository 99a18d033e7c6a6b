package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Markup is a reply_markup the server accepted, decoded. Exactly one of
// its parts is set, chosen the way the real server does: keyboard, then
// inline_keyboard, then remove_keyboard, then force_reply.
type Markup struct {
	InlineKeyboard [][]Button // InlineKeyboardMarkup
	Keyboard       [][]string // ReplyKeyboardMarkup: the buttons' texts
	RemoveKeyboard bool       // ReplyKeyboardRemove
	ForceReply     bool       // ForceReply
}

// Button is one inline keyboard button.
type Button struct {
	Text string
	// Action is the field that decides what the button does, e.g.
	// "callback_data" or "url"; Value is that field's JSON.
	Action       string
	Value        json.RawMessage
	CallbackData string // set when Action is "callback_data"
	URL          string // set when Action is "url"
}

// Buttons returns the inline buttons row by row, left to right.
func (m *Markup) Buttons() []Button {
	if m == nil {
		return nil
	}
	var out []Button
	for _, row := range m.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// Button returns the inline button labelled text.
func (m *Markup) Button(text string) (Button, bool) {
	for _, b := range m.Buttons() {
		if b.Text == text {
			return b, true
		}
	}
	return Button{}, false
}

// inlineJSON is the inline keyboard as Telegram returns it in a Message:
// each button with its text and its one action.
func (m *Markup) inlineJSON() map[string]any {
	rows := make([][]map[string]json.RawMessage, len(m.InlineKeyboard))
	for i, row := range m.InlineKeyboard {
		rows[i] = make([]map[string]json.RawMessage, len(row))
		for j, b := range row {
			text, _ := json.Marshal(b.Text)
			rows[i][j] = map[string]json.RawMessage{"text": text, b.Action: b.Value}
		}
	}
	return map[string]any{"inline_keyboard": rows}
}

// equal reports whether two markups show the same thing.
func (m *Markup) equal(o *Markup) bool {
	a, _ := json.Marshal(m)
	b, _ := json.Marshal(o)
	return bytes.Equal(a, b)
}

// buttonActions are the fields that give an inline button its action, in
// the order the Bot API server looks for them: the first one present wins
// and the rest are ignored.
var buttonActions = []string{
	"url", "callback_data", "callback_game", "pay", "switch_inline_query",
	"switch_inline_query_chosen_chat", "switch_inline_query_current_chat",
	"login_url", "web_app", "copy_text",
}

// parseMarkup decodes and checks reply_markup as the Bot API server and
// Telegram do. An empty string, or a markup with nothing in it, is no
// markup.
func (s *Server) parseMarkup(raw string) (*Markup, *apiError) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	if aerr := checkMarkupSize(raw); aerr != nil {
		return nil, aerr
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil {
		var v any
		if json.Unmarshal([]byte(raw), &v) == nil {
			return nil, badRequest("object expected as reply markup")
		}
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	m := &Markup{}
	if rows, ok := obj["keyboard"]; ok {
		grid, err := arrayOfArrays(rows, `field "keyboard" must be an Array of Arrays`)
		if err != nil {
			return nil, err
		}
		for _, row := range grid {
			var texts []string
			for _, b := range row {
				text, err := keyboardButton(b)
				if err != nil {
					return nil, badRequest("can't parse keyboard button: " + err.Error())
				}
				if text == "" {
					return nil, badRequest("keyboard button text must be non-empty")
				}
				texts = append(texts, text)
			}
			m.Keyboard = append(m.Keyboard, texts)
		}
		if len(m.Keyboard) > 0 {
			return m, nil
		}
	}
	if rows, ok := obj["inline_keyboard"]; ok {
		grid, err := arrayOfArrays(rows, `field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`)
		if err != nil {
			return nil, err
		}
		for _, row := range grid {
			var buttons []Button
			for _, raw := range row {
				b, aerr := s.inlineButton(raw)
				if aerr != nil {
					return nil, aerr
				}
				buttons = append(buttons, b)
			}
			m.InlineKeyboard = append(m.InlineKeyboard, buttons)
		}
		if aerr := checkInlineButtons(m); aerr != nil {
			return nil, aerr
		}
		if len(m.InlineKeyboard) > 0 {
			return m, nil
		}
		m.InlineKeyboard = nil
	}
	switch {
	case isTrue(obj["remove_keyboard"]) || isTrue(obj["hide_keyboard"]):
		m.RemoveKeyboard = true
	case isTrue(obj["force_reply"]) || isTrue(obj["force_reply_keyboard"]):
		m.ForceReply = true
	default:
		return nil, nil
	}
	return m, nil
}

func arrayOfArrays(raw json.RawMessage, complaint string) ([][]json.RawMessage, *apiError) {
	var rows []json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, badRequest(complaint)
	}
	grid := make([][]json.RawMessage, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r, &grid[i]); err != nil {
			return nil, badRequest(complaint)
		}
	}
	return grid, nil
}

func keyboardButton(raw json.RawMessage) (string, error) {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return text, nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return "", fmt.Errorf("KeyboardButton must be a String or an Object")
	}
	return stringField(obj, "text", true)
}

// inlineButton decodes one inline button. The real server takes the first
// action field in buttonActions order; Telegram then checks the action's
// value (BUTTON_DATA_INVALID, BUTTON_URL_INVALID, ...).
func (s *Server) inlineButton(raw json.RawMessage) (Button, *apiError) {
	wrap := func(err error) *apiError {
		return badRequest("can't parse inline keyboard button: " + err.Error())
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		return Button{}, wrap(fmt.Errorf("InlineKeyboardButton must be an Object"))
	}
	text, err := stringField(obj, "text", true)
	if err != nil {
		return Button{}, wrap(err)
	}
	var present []string
	for _, name := range buttonActions {
		if _, ok := obj[name]; !ok {
			continue
		}
		if name == "url" || name == "callback_data" {
			// Optional strings: an empty one does not count.
			str, err := stringField(obj, name, false)
			if err != nil {
				return Button{}, wrap(err)
			}
			if str == "" {
				continue
			}
		}
		present = append(present, name)
	}
	if len(present) == 0 {
		return Button{}, wrap(fmt.Errorf("Text buttons are unallowed in the inline keyboard"))
	}
	if s.oneAction && len(present) > 1 {
		return Button{}, wrap(fmt.Errorf("exactly one of the optional fields must be used, found %s", strings.Join(present, ", ")))
	}
	b := Button{Text: text, Action: present[0], Value: obj[present[0]]}
	switch b.Action {
	case "url":
		b.URL, _ = stringField(obj, "url", false)
		if !validButtonURL(b.URL) {
			return Button{}, badRequest("inline keyboard button URL '" + b.URL + "' is invalid: Wrong HTTP URL")
		}
	case "callback_data":
		b.CallbackData, _ = stringField(obj, "callback_data", false)
		if len(b.CallbackData) > 64 {
			return Button{}, badRequest("BUTTON_DATA_INVALID")
		}
	case "switch_inline_query", "switch_inline_query_current_chat":
		if _, err := stringField(obj, b.Action, true); err != nil {
			return Button{}, wrap(err)
		}
	case "switch_inline_query_chosen_chat", "login_url", "web_app", "copy_text":
		var sub map[string]json.RawMessage
		if json.Unmarshal(b.Value, &sub) != nil || sub == nil {
			return Button{}, wrap(fmt.Errorf("Field \"%s\" must be of type Object", b.Action))
		}
		key := "url"
		if b.Action == "copy_text" {
			key = "text"
		}
		if b.Action != "switch_inline_query_chosen_chat" {
			v, err := stringField(sub, key, true)
			if err != nil {
				return Button{}, wrap(err)
			}
			if b.Action == "copy_text" && v == "" {
				return Button{}, badRequest("BUTTON_COPY_TEXT_INVALID")
			}
		}
	}
	if text == "" {
		return Button{}, badRequest("inline keyboard button text must be non-empty")
	}
	return b, nil
}

// stringField reads a string field the way the Bot API's JSON helpers
// complain about it.
func stringField(obj map[string]json.RawMessage, name string, required bool) (string, error) {
	raw, ok := obj[name]
	if !ok {
		if required {
			return "", fmt.Errorf("Can't find field \"%s\"", name)
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("Field \"%s\" must be of type String", name)
	}
	return s, nil
}

func isTrue(raw json.RawMessage) bool { return string(raw) == "true" }

// validButtonURL approximates TDLib's check of a url button: an http(s)
// URL (the scheme may be left out) whose host has a dot, or a tg:// or
// ton:// link.
func validButtonURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return strings.Contains(u.Hostname(), ".") || strings.Contains(u.Host, "[")
	case "tg", "ton", "tonsite":
		return u.Host != ""
	case "":
		host, _, _ := strings.Cut(u.Path, "/")
		return strings.Contains(host, ".")
	}
	return false
}
