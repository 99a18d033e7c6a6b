package bot

import (
	"encoding/json"
	"unicode/utf8"
)

// Our own reply-markup types. go-telegram/bot's models.InlineKeyboardButton
// always serialises "copy_text":{"text":""}, which Telegram rejects as a
// button with two actions; these carry exactly the fields we mean.

type button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

type inlineKeyboard struct {
	InlineKeyboard [][]button `json:"inline_keyboard"`
}

type keyboardButton struct {
	Text string `json:"text"`
}

type replyKeyboard struct {
	Keyboard              [][]keyboardButton `json:"keyboard"`
	IsPersistent          bool               `json:"is_persistent,omitempty"`
	ResizeKeyboard        bool               `json:"resize_keyboard,omitempty"`
	InputFieldPlaceholder string             `json:"input_field_placeholder,omitempty"`
}

type forceReply struct {
	ForceReply            bool   `json:"force_reply"`
	InputFieldPlaceholder string `json:"input_field_placeholder,omitempty"`
}

type removeKeyboard struct {
	RemoveKeyboard bool `json:"remove_keyboard"`
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own fixed types are marshalled here.
		panic(err)
	}
	return b
}

// maxButtonText keeps a button's label readable on a phone; Telegram cuts
// long labels anyway.
const maxButtonText = 28

// buttonLabel shortens s to fit a button.
func buttonLabel(s string) string {
	if utf8.RuneCountInString(s) <= maxButtonText {
		return s
	}
	r := []rune(s)
	return string(r[:maxButtonText-1]) + "…"
}

// keyboardRows builds an inline keyboard of one button per row.
func oneColumn(buttons ...button) json.RawMessage {
	rows := make([][]button, 0, len(buttons))
	for _, b := range buttons {
		rows = append(rows, []button{b})
	}
	return mustJSON(inlineKeyboard{InlineKeyboard: rows})
}

// rowsOf builds an inline keyboard from rows of buttons.
func rowsOf(rows ...[]button) json.RawMessage {
	return mustJSON(inlineKeyboard{InlineKeyboard: rows})
}

// Reply-keyboard labels: a unit contact's and the office's persistent menus.
const (
	labelTasks    = "我的任务"
	labelHelp     = "帮助"
	labelOverview = "本期总览"
	labelMissing  = "未填报单位"
)

// The reply keyboards are built from the route table (routes.go).
func contactKeyboard() json.RawMessage { return replyKeyboardOf(false, false) }

func officeKeyboard() json.RawMessage { return replyKeyboardOf(true, false) }

func askText(placeholder string) json.RawMessage {
	return mustJSON(forceReply{ForceReply: true, InputFieldPlaceholder: placeholder})
}
