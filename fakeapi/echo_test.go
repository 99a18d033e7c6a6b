package fakeapi

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestEchoedURLs(t *testing.T) {
	s := NewServer(t)
	s.FailNext("sendMessage", 1, http.StatusBadRequest)
	if r := call(t, s, "sendMessage", map[string]string{"chat_id": "9", "text": "x"}); strings.Contains(r.Description, s.Token()) {
		t.Fatalf("echo is off by default, yet: %q", r.Description)
	}

	s.SetEcho(EchoInDescription)
	s.FailNext("sendMessage", 1, http.StatusBadRequest)
	r := call(t, s, "sendMessage", map[string]string{"chat_id": "9", "text": "x"})
	if r.OK || !strings.Contains(r.Description, "Bad Request: injected failure (POST /bot"+s.Token()+"/sendMessage)") {
		t.Errorf("EchoInDescription: %+v", r)
	}
	if r := call(t, s, "sendMessage", map[string]string{"chat_id": "9", "text": "ok"}); !r.OK {
		t.Errorf("a success is changed by the echo: %+v", r)
	}

	s.SetEcho(EchoProxyPage)
	s.FailNext("getMe", 1, http.StatusBadGateway)
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/getMe", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadGateway || !strings.HasPrefix(string(body), "<html>") ||
		!strings.Contains(string(body), "/bot"+s.Token()+"/getMe") || resp.Header.Get("Content-Type") != "text/html" {
		t.Errorf("EchoProxyPage: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
