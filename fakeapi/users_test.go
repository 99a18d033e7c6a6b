package fakeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// nextUpdate fetches and confirms the next update.
func nextUpdate(t *testing.T, s *Server) (models.Update, map[string]any) {
	t.Helper()
	r := call(t, s, "getUpdates", map[string]string{"offset": itoa(int(s.Confirmed()))})
	var typed []models.Update
	var raw []map[string]any
	if err := json.Unmarshal(r.Result, &typed); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(r.Result, &raw); err != nil {
		t.Fatal(err)
	}
	if len(typed) == 0 {
		t.Fatal("no update")
	}
	call(t, s, "getUpdates", map[string]string{"offset": itoa(int(typed[0].ID + 1)), "limit": "1"})
	return typed[0], raw[0]
}

func TestSendTextUpdate(t *testing.T) {
	s := NewServer(t, WithFirstUpdateID(5000))
	up := s.SendText(User{ID: 77, FirstName: "王", Username: "wang"}, "/start abc")
	if up != 5000 {
		t.Errorf("update id %d, want 5000", up)
	}
	_, raw := nextUpdate(t, s)
	want := map[string]any{
		"update_id": 5000.0,
		"message": map[string]any{
			"message_id": 1.0,
			"date":       raw["message"].(map[string]any)["date"],
			"from":       map[string]any{"id": 77.0, "is_bot": false, "first_name": "王", "username": "wang", "language_code": "zh-hans"},
			"chat":       map[string]any{"id": 77.0, "type": "private", "first_name": "王", "username": "wang"},
			"text":       "/start abc",
			"entities":   []any{map[string]any{"type": "bot_command", "offset": 0.0, "length": 6.0}},
		},
	}
	if !reflect.DeepEqual(raw, want) {
		got, _ := json.Marshal(raw)
		t.Errorf("update\n%s\nwant the shape of\n%v", got, want)
	}
}

func TestBotCommandEntities(t *testing.T) {
	tests := []struct {
		text string
		want []entity
	}{
		{"/start", []entity{{Type: "bot_command", Offset: 0, Length: 6}}},
		{"/report@reformbot_test_bot 2024-04", []entity{{Type: "bot_command", Offset: 0, Length: 26}}},
		{"你好 /help", []entity{{Type: "bot_command", Offset: 3, Length: 5}}},
		{"😀 /help", []entity{{Type: "bot_command", Offset: 3, Length: 5}}},
		{"/任务", nil},
		{"a/b", nil},
		{"/a/b", nil},
		{"进度/help", nil},
		{"/x@ab", nil},
		{"/one /two", []entity{{Type: "bot_command", Offset: 0, Length: 4}, {Type: "bot_command", Offset: 5, Length: 4}}},
		{"/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := botCommands(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("botCommands(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestReplyAndEdit(t *testing.T) {
	s := NewServer(t)
	call(t, s, "sendMessage", map[string]string{"chat_id": itoa(int(alice.ID)), "text": "请填写本月进展", "reply_markup": `{"force_reply":true}`})
	s.Reply(alice, 1, "已完成")
	u, _ := nextUpdate(t, s)
	if u.Message == nil || u.Message.ReplyToMessage == nil || u.Message.ReplyToMessage.Text != "请填写本月进展" ||
		u.Message.ReplyToMessage.From.ID != s.BotID() || u.Message.ID != 2 {
		t.Fatalf("reply update %+v", u.Message)
	}
	s.EditText(alice, 2, "已完成 90%")
	u, _ = nextUpdate(t, s)
	if u.EditedMessage == nil || u.EditedMessage.ID != 2 || u.EditedMessage.Text != "已完成 90%" || u.EditedMessage.EditDate == 0 {
		t.Errorf("edited_message %+v", u.EditedMessage)
	}
}

func TestUserFiles(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	ctx := context.Background()
	data := []byte("标题,进度\n项目一,50%\n")
	s.SendDocumentBytes(alice, "进度.csv", data, "四月")
	s.SendDocument(alice, "huge.pdf", 25<<20, "")
	s.SendPhoto(alice, "现场")
	s.SendSticker(alice)

	u, _ := nextUpdate(t, s)
	doc := u.Message.Document
	if doc == nil || doc.FileName != "进度.csv" || doc.FileSize != int64(len(data)) || u.Message.Caption != "四月" || !strings.HasPrefix(doc.MimeType, "text/csv") {
		t.Fatalf("document message %+v / %+v", u.Message, doc)
	}
	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: doc.FileID})
	if err != nil {
		t.Fatal(err)
	}
	link := b.FileDownloadLink(f)
	got, err := httpGet(link)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("download %s: %q, %v", link, got, err)
	}

	u, _ = nextUpdate(t, s)
	if _, err := b.GetFile(ctx, &bot.GetFileParams{FileID: u.Message.Document.FileID}); !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "file is too big") {
		t.Errorf("25 MB file: err = %v", err)
	}

	u, _ = nextUpdate(t, s)
	if n := len(u.Message.Photo); n < 2 || u.Message.Photo[n-1].Width != 1280 || u.Message.Caption != "现场" {
		t.Errorf("photo message %+v", u.Message)
	}

	u, raw := nextUpdate(t, s)
	if u.Message.Sticker == nil || u.Message.Text != "" {
		t.Errorf("sticker message %+v", u.Message)
	}
	if _, hasText := raw["message"].(map[string]any)["text"]; hasText {
		t.Error("a sticker message carries a text field")
	}

	if _, err := b.GetFile(ctx, &bot.GetFileParams{FileID: "nope"}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("unknown file: err = %v", err)
	}
}

func TestGroupText(t *testing.T) {
	s := NewServer(t)
	s.SendGroupText(alice, -1001234567890, "/digest@"+DefaultBotUsername)
	u, _ := nextUpdate(t, s)
	m := u.Message
	if m.Chat.ID != -1001234567890 || m.Chat.Type != "supergroup" || m.From.ID != alice.ID || len(m.Entities) != 1 {
		t.Errorf("group message %+v", m)
	}
}

func TestPushRaw(t *testing.T) {
	s := NewServer(t, WithFirstUpdateID(10))
	up := s.PushRaw(json.RawMessage(`{"update_id": 1, "message": {"message_id": 3, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "\u0000"}}`))
	if up != 10 {
		t.Errorf("update id %d, want 10", up)
	}
	u, _ := nextUpdate(t, s)
	if u.ID != 10 || u.Message == nil || u.Message.Text != "\x00" {
		t.Errorf("update %+v", u)
	}
	defer func() {
		if recover() == nil {
			t.Error("PushRaw took a JSON array")
		}
	}()
	s.PushRaw(json.RawMessage(`[1]`))
}

func TestSetMyCommands(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	ctx := context.Background()
	good := []models.BotCommand{{Command: "start", Description: "开始"}, {Command: "/my_tasks", Description: "我的任务"}}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: good}); err != nil {
		t.Fatal(err)
	}
	want := []Command{{"start", "开始"}, {"my_tasks", "我的任务"}}
	if got := s.Commands(); !reflect.DeepEqual(got, want) {
		t.Errorf("Commands = %+v, want %+v", got, want)
	}
	scope := &models.BotCommandScopeAllPrivateChats{}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: good[:1], Scope: scope, LanguageCode: "zh"}); err != nil {
		t.Fatal(err)
	}
	if got := s.CommandsFor("all_private_chats", "zh"); len(got) != 1 {
		t.Errorf("CommandsFor = %+v", got)
	}
	tests := []struct {
		name    string
		command models.BotCommand
		wantErr string
	}{
		{"upper case", models.BotCommand{Command: "myTasks", Description: "x"}, "BOT_COMMAND_INVALID"},
		{"chinese", models.BotCommand{Command: "任务", Description: "x"}, "BOT_COMMAND_INVALID"},
		{"hyphen", models.BotCommand{Command: "my-tasks", Description: "x"}, "BOT_COMMAND_INVALID"},
		{"too long", models.BotCommand{Command: strings.Repeat("a", 33), Description: "x"}, "command length must not exceed 32"},
		{"empty", models.BotCommand{Command: "/", Description: "x"}, "command must be non-empty"},
		{"no description", models.BotCommand{Command: "a", Description: " "}, "command description must be non-empty"},
		{"long description", models.BotCommand{Command: "a", Description: strings.Repeat("述", 257)}, "command description length must not exceed 256"},
		{"32 and 256", models.BotCommand{Command: strings.Repeat("a", 32), Description: strings.Repeat("述", 256)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{tt.command}})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), "Bad Request: "+tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
