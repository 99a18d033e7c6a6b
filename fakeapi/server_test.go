package fakeapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRouting(t *testing.T) {
	s := NewServer(t)
	base := s.URL() + "/bot" + s.Token()
	tests := []struct {
		name        string
		method      string // HTTP method
		url         string
		contentType string
		body        string
		wantStatus  int
		wantDesc    string
	}{
		{"wrong token", "POST", s.URL() + "/bot123456:WRONG/getMe", "", "", 401, "Unauthorized"},
		{"no token", "POST", s.URL() + "/bot/getMe", "", "", 401, "Unauthorized"},
		{"unknown method", "POST", base + "/sendTelepathy", "", "", 404, "Not Found"},
		{"not the bot API", "GET", s.URL() + "/favicon.ico", "", "", 404, "Not Found"},
		{"getMe by GET", "GET", base + "/getMe", "", "", 200, ""},
		{"method names ignore case", "POST", base + "/GETME", "", "", 200, ""},
		{"query string", "GET", base + "/sendMessage?chat_id=7&text=hi", "", "", 200, ""},
		{"urlencoded", "POST", base + "/sendMessage", "application/x-www-form-urlencoded",
			url.Values{"chat_id": {"7"}, "text": {"hi"}}.Encode(), 200, ""},
		{"json", "POST", base + "/sendMessage", "application/json",
			`{"chat_id":7,"text":"hi","reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}}`, 200, ""},
		{"json without chat_id", "POST", base + "/sendMessage", "application/json", `{"text":"hi"}`, 400, "Bad Request: chat_id is empty"},
		{"json without text", "POST", base + "/sendMessage", "application/json", `{"chat_id":7}`, 400, "Bad Request: message text is empty"},
		{"chat username", "POST", base + "/sendMessage", "application/json", `{"chat_id":"@nobody","text":"hi"}`, 400, "Bad Request: chat not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(context.Background(), tt.method, tt.url, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			r := do(t, req)
			if r.Status != tt.wantStatus || r.OK != (tt.wantStatus == 200) {
				t.Fatalf("status %d ok=%v (%s), want %d", r.Status, r.OK, r.Description, tt.wantStatus)
			}
			if tt.wantStatus != 200 && (r.ErrorCode != tt.wantStatus || r.Description != tt.wantDesc) {
				t.Errorf("got %d %q, want %d %q", r.ErrorCode, r.Description, tt.wantStatus, tt.wantDesc)
			}
		})
	}
	if n := len(s.SentTo(7)); n != 3 {
		t.Errorf("SentTo(7) has %d messages, want 3 (query, urlencoded, json)", n)
	}
}

func TestGetMeThroughClient(t *testing.T) {
	s := NewServer(t, WithToken("987654:OTHER"), WithBotUsername("@other_bot"))
	b := newClient(t, s)
	me, err := b.GetMe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != 987654 || me.Username != "other_bot" || !me.IsBot {
		t.Errorf("getMe = %+v", me)
	}
	if got := s.RequestCount("getMe"); got != 2 {
		t.Errorf("RequestCount(getMe) = %d, want 2 (bot.New and GetMe)", got)
	}
}

func TestRequestLog(t *testing.T) {
	s := NewServer(t)
	call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": "x"})
	call(t, s, "sendMessage", map[string]string{"chat_id": "5"})
	log := s.Requests()
	if len(log) != 2 {
		t.Fatalf("%d requests logged, want 2", len(log))
	}
	if log[0].Method != "sendMessage" || log[0].ChatID != 5 || log[0].Status != 200 {
		t.Errorf("first request logged as %+v", log[0])
	}
	if log[1].Status != 400 || log[1].Description != "Bad Request: message text is empty" {
		t.Errorf("second request logged as %+v", log[1])
	}
}

func TestResultIsMessage(t *testing.T) {
	s := NewServer(t)
	s.SendText(alice, "hi")
	r := call(t, s, "sendMessage", map[string]string{"chat_id": "1001", "text": "<b>Hello</b>, Alice", "parse_mode": "HTML"})
	var msg map[string]any
	if err := json.Unmarshal(r.Result, &msg); err != nil {
		t.Fatal(err)
	}
	if msg["message_id"] != 2.0 {
		t.Errorf("message_id = %v, want 2 (the user's message was 1)", msg["message_id"])
	}
	if msg["text"] != "Hello, Alice" {
		t.Errorf("text = %v", msg["text"])
	}
	chat := msg["chat"].(map[string]any)
	if chat["type"] != "private" || chat["first_name"] != "Alice" {
		t.Errorf("chat = %v", chat)
	}
	from := msg["from"].(map[string]any)
	if from["is_bot"] != true || from["username"] != DefaultBotUsername {
		t.Errorf("from = %v", from)
	}
	ents := msg["entities"].([]any)
	if e := ents[0].(map[string]any); e["type"] != "bold" || e["offset"] != 0.0 || e["length"] != 5.0 {
		t.Errorf("entities = %v", ents)
	}
}
