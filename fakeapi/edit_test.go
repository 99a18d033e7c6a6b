package fakeapi

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

const keyboard = `{"inline_keyboard":[[{"text":"完成","callback_data":"done"}]]}`

func TestEditMessageText(t *testing.T) {
	s := NewServer(t)
	userMsg := s.MessageIDOf(s.SendText(alice, "/start"))
	r := call(t, s, "sendMessage", map[string]string{"chat_id": "1001", "text": "状态？", "reply_markup": keyboard})
	if !r.OK {
		t.Fatal(r.Description)
	}
	botMsg := itoa(userMsg + 1)
	tests := []struct {
		name    string
		fields  map[string]string
		wantErr string
	}{
		{"same text and keyboard", map[string]string{"message_id": botMsg, "text": "状态？", "reply_markup": keyboard},
			"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"},
		{"same text, keyboard dropped", map[string]string{"message_id": botMsg, "text": "状态？"}, ""},
		{"same again", map[string]string{"message_id": botMsg, "text": "<b>状态？</b>", "parse_mode": "HTML"}, ""},
		{"unknown message", map[string]string{"message_id": "99", "text": "x"}, "Bad Request: message to edit not found"},
		{"the user's message", map[string]string{"message_id": itoa(userMsg), "text": "x"}, "Bad Request: message can't be edited"},
		{"no message id", map[string]string{"text": "x"}, "Bad Request: message identifier is not specified"},
		{"reply keyboard", map[string]string{"message_id": botMsg, "text": "y", "reply_markup": `{"keyboard":[["a"]]}`}, "Bad Request: inline keyboard expected"},
		{"empty text", map[string]string{"message_id": botMsg, "text": ""}, "Bad Request: message text is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fields["chat_id"] = "1001"
			r := call(t, s, "editMessageText", tt.fields)
			if r.Description != tt.wantErr || r.OK != (tt.wantErr == "") {
				t.Errorf("got ok=%v %q, want %q", r.OK, r.Description, tt.wantErr)
			}
		})
	}
	edits := 0
	for _, m := range s.Sent() {
		if m.IsEdit() {
			edits++
		}
	}
	if edits != 2 {
		t.Errorf("%d edits recorded, want 2", edits)
	}
}

func TestEditThroughClientAndPress(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	ctx := context.Background()
	msg, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "状态？", ReplyMarkup: rawKeyboard()})
	if err != nil {
		t.Fatal(err)
	}
	// The press carries the message as it stands, keyboard included.
	up := s.Press(alice, msg.ID, "done")
	if up == 0 {
		t.Fatal("press not queued")
	}
	r := call(t, s, "getUpdates", nil)
	var ups []models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatal(err)
	}
	cq := ups[0].CallbackQuery
	if cq == nil || cq.Data != "done" || cq.From.ID != alice.ID || cq.Message.Message == nil || cq.Message.Message.ID != msg.ID {
		t.Fatalf("callback_query = %+v", cq)
	}
	if kb := cq.Message.Message.ReplyMarkup; kb == nil || kb.InlineKeyboard[0][0].CallbackData != "done" {
		t.Errorf("message keyboard in the press = %+v", kb)
	}
	if ok, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: "已记录"}); err != nil || !ok {
		t.Fatalf("answer: %v", err)
	}
	_, err = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "query is too old") {
		t.Errorf("second answer: err = %v", err)
	}
	answers := s.CallbackAnswers()
	if len(answers) != 1 || answers[0].Text != "已记录" || answers[0].Data != "done" || answers[0].UserID != alice.ID {
		t.Errorf("CallbackAnswers = %+v", answers)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: alice.ID, MessageID: msg.ID}); err != nil {
		t.Fatalf("remove keyboard: %v", err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: alice.ID, MessageID: msg.ID}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("removing it again: err = %v, want message is not modified", err)
	}
	if _, err := s.PressButton(alice, msg.ID, "完成"); err == nil {
		t.Error("PressButton found a button that was removed")
	}
}

func TestAnswerCallbackQueryLimits(t *testing.T) {
	s := NewServer(t)
	s.Press(alice, 1, "x")
	r := call(t, s, "answerCallbackQuery", map[string]string{"callback_query_id": "unknown"})
	if r.Description != "Bad Request: query is too old and response timeout expired or query ID is invalid" {
		t.Errorf("unknown query: %q", r.Description)
	}
	id := ""
	for k := range s.queries {
		id = k
	}
	r = call(t, s, "answerCallbackQuery", map[string]string{"callback_query_id": id, "text": strings.Repeat("长", 201)})
	if r.Description != "Bad Request: MESSAGE_TOO_LONG" {
		t.Errorf("201 characters: %q", r.Description)
	}
	if s.Unanswered() != 1 {
		t.Errorf("Unanswered = %d, want 1", s.Unanswered())
	}
	r = call(t, s, "answerCallbackQuery", map[string]string{"callback_query_id": id, "text": strings.Repeat("长", 200)})
	if !r.OK || s.Unanswered() != 0 {
		t.Errorf("200 characters: %q, unanswered %d", r.Description, s.Unanswered())
	}
}

func TestDeleteMessage(t *testing.T) {
	s := NewServer(t)
	call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": "x"})
	for i, want := range []string{"", "Bad Request: message to delete not found"} {
		r := call(t, s, "deleteMessage", map[string]string{"chat_id": "5", "message_id": "1"})
		if r.Description != want {
			t.Errorf("delete %d: %q, want %q", i+1, r.Description, want)
		}
	}
	if d := s.Deletions(); len(d) != 1 || d[0].ChatID != 5 || d[0].MessageID != 1 {
		t.Errorf("Deletions = %+v", d)
	}
}

func rawKeyboard() models.ReplyMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "完成", CallbackData: "done"}}}}
}
