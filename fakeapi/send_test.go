package fakeapi

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestSendMessageRoundTrip(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	ctx := context.Background()
	markup := map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "完成", "callback_data": "status:done"}}}}
	for i := 1; i <= 2; i++ {
		msg, err := b.SendMessage(ctx, &bot.SendMessageParams{
			ChatID:      alice.ID,
			Text:        "请选择 <b>状态</b>",
			ParseMode:   models.ParseModeHTML,
			ReplyMarkup: markup,
		})
		if err != nil {
			t.Fatal(err)
		}
		if msg.ID != i || msg.Chat.ID != alice.ID || msg.Text != "请选择 状态" {
			t.Errorf("send %d answered %+v", i, msg)
		}
		if msg.ReplyMarkup == nil || msg.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "status:done" {
			t.Errorf("send %d: reply_markup not echoed: %+v", i, msg.ReplyMarkup)
		}
	}
	sent := s.SentTo(alice.ID)
	if len(sent) != 2 {
		t.Fatalf("recorded %d messages, want 2", len(sent))
	}
	m := sent[0]
	if m.Method != "sendMessage" || m.Text != "请选择 <b>状态</b>" || m.PlainText != "请选择 状态" || m.ParseMode != "HTML" {
		t.Errorf("recorded %+v", m)
	}
	if btn, ok := m.Markup.Button("完成"); !ok || btn.CallbackData != "status:done" || btn.Action != "callback_data" {
		t.Errorf("markup decoded as %+v", m.Markup)
	}
	if d := s.Duplicates(func(m Message) string { return m.PlainText }); d["请选择 状态"] != 2 {
		t.Errorf("Duplicates = %v, want the text twice", d)
	}
}

func TestInlineKeyboards(t *testing.T) {
	tests := []struct {
		name    string
		opts    []Option
		markup  any
		wantErr string // "" for success
	}{
		{"hand-written callback button", nil,
			`{"inline_keyboard":[[{"text":"ok","callback_data":"x"}]]}`, ""},
		{"models button with only text: copy_text {text:\"\"} decides", nil,
			models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "ok"}}}},
			"Bad Request: BUTTON_COPY_TEXT_INVALID"},
		{"models button with callback_data: the server takes callback_data first", nil,
			models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "ok", CallbackData: "x"}}}}, ""},
		{"models button with callback_data, one action per button", []Option{WithOneActionPerButton()},
			models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "ok", CallbackData: "x"}}}},
			"Bad Request: can't parse inline keyboard button: exactly one of the optional fields must be used, found callback_data, copy_text"},
		{"text-only button", nil, `{"inline_keyboard":[[{"text":"a"}]]}`,
			"Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"button without text", nil, `{"inline_keyboard":[[{"callback_data":"a"}]]}`,
			`Bad Request: can't parse inline keyboard button: Can't find field "text"`},
		{"button text empty", nil, `{"inline_keyboard":[[{"text":"","callback_data":"a"}]]}`, "Bad Request: inline keyboard button text must be non-empty"},
		{"callback_data of 64 bytes", nil,
			`{"inline_keyboard":[[{"text":"a","callback_data":"` + strings.Repeat("报", 21) + `x"}]]}`, ""},
		{"callback_data of 65 bytes", nil,
			`{"inline_keyboard":[[{"text":"a","callback_data":"` + strings.Repeat("报", 21) + `xy"}]]}`, "Bad Request: BUTTON_DATA_INVALID"},
		{"copy_text with text", nil, `{"inline_keyboard":[[{"text":"a","copy_text":{"text":"code"}}]]}`, ""},
		{"url button", nil, `{"inline_keyboard":[[{"text":"a","url":"https://example.org/x"}]]}`, ""},
		{"bad url", nil, `{"inline_keyboard":[[{"text":"a","url":"http://localhost/x"}]]}`,
			"Bad Request: inline keyboard button URL 'http://localhost/x' is invalid: Wrong HTTP URL"},
		{"url without scheme", nil, `{"inline_keyboard":[[{"text":"a","url":"t.me/reformbot_test_bot"}]]}`, ""},
		{"url of wrong type", nil, `{"inline_keyboard":[[{"text":"a","url":5}]]}`,
			`Bad Request: can't parse inline keyboard button: Field "url" must be of type String`},
		{"rows not arrays", nil, `{"inline_keyboard":[{"text":"a","callback_data":"b"}]}`,
			`Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`},
		{"not JSON", nil, `{inline_keyboard`, "Bad Request: can't parse reply keyboard markup JSON object"},
		{"not an object", nil, `[1]`, "Bad Request: object expected as reply markup"},
		{"empty inline keyboard is no markup", nil, `{"inline_keyboard":[]}`, ""},
		{"reply keyboard", nil, `{"keyboard":[["我的任务",{"text":"帮助"}]],"resize_keyboard":true}`, ""},
		{"reply keyboard button without text", nil, `{"keyboard":[[{"request_contact":true}]]}`,
			`Bad Request: can't parse keyboard button: Can't find field "text"`},
		{"reply keyboard button with empty text", nil, `{"keyboard":[[""]]}`, "Bad Request: keyboard button text must be non-empty"},
		{"remove keyboard", nil, `{"remove_keyboard":true}`, ""},
		{"force reply", nil, models.ForceReply{ForceReply: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t, tt.opts...)
			got := ""
			if raw, ok := tt.markup.(string); ok {
				// Hand-written JSON goes as the client would send it: a
				// multipart field holding the markup's text.
				r := call(t, s, "sendMessage", map[string]string{"chat_id": "42", "text": "x", "reply_markup": raw})
				got = r.Description
			} else {
				b := newClient(t, s)
				_, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: 42, Text: "x", ReplyMarkup: tt.markup})
				if err != nil {
					if !errors.Is(err, bot.ErrorBadRequest) {
						t.Fatalf("err = %v, want a bot.ErrorBadRequest", err)
					}
					got = err.Error()
				}
			}
			if tt.wantErr == "" {
				if got != "" {
					t.Fatalf("rejected: %s", got)
				}
				if len(s.Sent()) != 1 {
					t.Fatal("not recorded")
				}
				return
			}
			if !strings.HasSuffix(got, tt.wantErr) {
				t.Fatalf("got %q, want %q", got, tt.wantErr)
			}
			if len(s.Sent()) != 0 {
				t.Error("a rejected message was recorded")
			}
		})
	}
}

func TestReplyKeyboardDecoded(t *testing.T) {
	s := NewServer(t)
	call(t, s, "sendMessage", map[string]string{"chat_id": "3", "text": "x", "reply_markup": `{"keyboard":[["a",{"text":"b"}]]}`})
	m := s.Sent()[0].Markup
	if m == nil || len(m.Keyboard) != 1 || m.Keyboard[0][0] != "a" || m.Keyboard[0][1] != "b" {
		t.Errorf("Markup = %+v", m)
	}
}

func TestSendDocument(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	ctx := context.Background()
	data := []byte("PK\x03\x04 not really a spreadsheet")
	msg, err := b.SendDocument(ctx, &bot.SendDocumentParams{
		ChatID:    alice.ID,
		Document:  &models.InputFileUpload{Filename: "汇总.xlsx", Data: bytes.NewReader(data)},
		Caption:   "四月 <i>汇总</i>",
		ParseMode: models.ParseModeHTML,
	})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Document == nil || msg.Document.FileName != "汇总.xlsx" || msg.Document.FileSize != int64(len(data)) || msg.Caption != "四月 汇总" {
		t.Fatalf("answered %+v (document %+v)", msg, msg.Document)
	}
	doc := s.Sent()[0].Document
	if doc == nil || doc.Name != "汇总.xlsx" || !bytes.Equal(doc.Data, data) || doc.FileID != msg.Document.FileID {
		t.Fatalf("recorded document %+v", doc)
	}
	if s.Sent()[0].Text != "四月 <i>汇总</i>" {
		t.Errorf("recorded caption %q", s.Sent()[0].Text)
	}

	// Sending again by file_id reuses the stored file.
	if _, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: alice.ID, Document: &models.InputFileString{Data: doc.FileID}}); err != nil {
		t.Fatal(err)
	}
	if again := s.Sent()[1].Document; again.FileID != doc.FileID || !bytes.Equal(again.Data, data) {
		t.Errorf("resent document %+v", again)
	}

	tests := []struct {
		name    string
		params  *bot.SendDocumentParams
		wantErr string
	}{
		{"unknown file_id", &bot.SendDocumentParams{ChatID: 1, Document: &models.InputFileString{Data: "nope"}},
			"wrong file identifier/HTTP URL specified"},
		{"empty upload", &bot.SendDocumentParams{ChatID: 1, Document: &models.InputFileUpload{Filename: "a.txt", Data: bytes.NewReader(nil)}},
			"file must be non-empty"},
		{"long caption", &bot.SendDocumentParams{ChatID: 1, Document: &models.InputFileString{Data: doc.FileID}, Caption: strings.Repeat("字", 1025)},
			"message caption is too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SendDocument(ctx, tt.params)
			if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestSendPhoto(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 1600, 800))); err != nil {
		t.Fatal(err)
	}
	msg, err := b.SendPhoto(context.Background(), &bot.SendPhotoParams{
		ChatID: alice.ID,
		Photo:  &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(img.Bytes())},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(msg.Photo); n != 2 || msg.Photo[n-1].Width != 1280 || msg.Photo[n-1].Height != 640 {
		t.Errorf("photo sizes %+v", msg.Photo)
	}
	if p := s.Sent()[0].Photo; p == nil || p.Name != "chart.png" || !bytes.Equal(p.Data, img.Bytes()) {
		t.Errorf("recorded photo %+v", p)
	}
	_, err = b.SendPhoto(context.Background(), &bot.SendPhotoParams{
		ChatID: alice.ID,
		Photo:  &models.InputFileUpload{Filename: "chart.png", Data: strings.NewReader("not an image")},
	})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "IMAGE_PROCESS_FAILED") {
		t.Errorf("garbage photo: err = %v", err)
	}
}

func TestReplyTarget(t *testing.T) {
	s := NewServer(t)
	up := s.SendText(alice, "问题")
	mid := s.MessageIDOf(up)
	tests := []struct {
		name    string
		fields  map[string]string
		wantErr string
	}{
		{"reply_parameters", map[string]string{"reply_parameters": `{"message_id":` + itoa(mid) + `}`}, ""},
		{"reply_to_message_id", map[string]string{"reply_to_message_id": itoa(mid)}, ""},
		{"missing target", map[string]string{"reply_parameters": `{"message_id":999}`}, "Bad Request: message to be replied not found"},
		{"missing target allowed", map[string]string{"reply_parameters": `{"message_id":999,"allow_sending_without_reply":true}`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fields["chat_id"], tt.fields["text"] = itoa(int(alice.ID)), "答"
			r := call(t, s, "sendMessage", tt.fields)
			if tt.wantErr != "" {
				if r.Description != tt.wantErr {
					t.Errorf("got %d %q, want %q", r.ErrorCode, r.Description, tt.wantErr)
				}
				return
			}
			if !r.OK {
				t.Fatalf("rejected: %s", r.Description)
			}
			if last := s.Sent()[len(s.Sent())-1]; last.ReplyTo == 0 {
				t.Errorf("ReplyTo not recorded: %+v", last)
			}
		})
	}
}

func TestSendChatAction(t *testing.T) {
	s := NewServer(t)
	tests := []struct {
		action  string
		wantErr string
	}{
		{"typing", ""},
		{"UPLOAD_DOCUMENT", ""},
		{"dancing", "Bad Request: wrong parameter action in request"},
		{"", "Bad Request: wrong parameter action in request"},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			r := call(t, s, "sendChatAction", map[string]string{"chat_id": "5", "action": tt.action})
			if r.Description != tt.wantErr || r.OK != (tt.wantErr == "") {
				t.Errorf("got ok=%v %q, want %q", r.OK, r.Description, tt.wantErr)
			}
		})
	}
	if len(s.Sent()) != 0 {
		t.Error("a chat action was recorded as a message")
	}
}
