package fakeapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Request is one entry of the request log.
type Request struct {
	Method      string    // canonical Bot API name, e.g. "sendMessage"; as sent when unknown
	ChatID      int64     // the chat_id parameter, 0 when absent or not a number
	Status      int       // HTTP status answered; 0 when the connection was dropped
	Description string    // error description; empty on success
	Time        time.Time // when the request arrived, by the server's clock
}

// errGone is returned by a handler whose client went away: nothing is
// written.
var errGone = &apiError{code: -2, description: "client gone"}

// described is a successful result that also carries a description, as
// setWebhook and deleteWebhook answer.
type described struct {
	result      any
	description string
}

// ServeHTTP serves the Bot API: /bot<token>/<method> and file downloads
// at /file/bot<token>/<file_path>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w = s.echoing(w, r)
	arrived := s.now()
	if s.isDown() {
		s.logRequest(methodName(r.URL.Path), 0, 0, "down", arrived)
		abort(w)
		return
	}
	if !s.delay(r.Context()) {
		return
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		s.answer(w, "", 0, arrived, nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	token, name, _ := strings.Cut(rest, "/")
	if token != s.token {
		s.answer(w, name, 0, arrived, nil, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"})
		return
	}
	m, known := methods[strings.ToLower(name)]
	if !known {
		s.answer(w, name, 0, arrived, nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	p, perr := parseParams(w, r)
	if perr != nil {
		s.answer(w, m.name, 0, arrived, nil, perr)
		return
	}
	chatID, _ := strconv.ParseInt(p.str("chat_id"), 10, 64)
	if f := s.takeFailure(m.name, false); f != nil {
		s.answer(w, m.name, chatID, arrived, nil, f)
		return
	}
	result, aerr := m.serve(s, r.Context(), p)
	switch aerr {
	case errGone:
		s.logRequest(m.name, chatID, 0, "client gone", arrived)
		return
	case errAbort:
		s.logRequest(m.name, chatID, 0, "down", arrived)
		abort(w)
		return
	}
	if aerr == nil {
		// A failure injected "after" lets the call take effect and then
		// loses the answer, like a timeout between Telegram and the bot.
		aerr = s.takeFailure(m.name, true)
	}
	s.answer(w, m.name, chatID, arrived, result, aerr)
}

// answer writes the response and logs the request.
func (s *Server) answer(w http.ResponseWriter, name string, chatID int64, arrived time.Time, result any, aerr *apiError) {
	var body []byte
	status := http.StatusOK
	description := ""
	if aerr != nil {
		status, description = aerr.code, aerr.description
		resp := errorResponse{ErrorCode: aerr.code, Description: aerr.description}
		if aerr.retryAfter > 0 {
			resp.Parameters = &responseParameters{RetryAfter: aerr.retryAfter}
		}
		body, _ = json.Marshal(resp)
	} else {
		resp := okResponse{OK: true, Result: result}
		if d, ok := result.(described); ok {
			resp.Result, resp.Description = d.result, d.description
		}
		var err error
		if body, err = json.Marshal(resp); err != nil {
			status, description = http.StatusInternalServerError, "Internal Server Error: "+err.Error()
			body, _ = json.Marshal(errorResponse{ErrorCode: status, Description: description})
		}
	}
	if status == http.StatusTooManyRequests {
		s.mu.Lock()
		s.limits.rejected++
		s.mu.Unlock()
	}
	s.logRequest(name, chatID, status, description, arrived)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

type okResponse struct {
	OK          bool   `json:"ok"`
	Result      any    `json:"result"`
	Description string `json:"description,omitempty"`
}

type errorResponse struct {
	OK          bool                `json:"ok"`
	ErrorCode   int                 `json:"error_code"`
	Description string              `json:"description"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

type responseParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

func (s *Server) logRequest(name string, chatID int64, status int, description string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: name, ChatID: chatID, Status: status, Description: description, Time: at})
	s.notifyLocked()
}

// methodName guesses the method of a request path for the log.
func methodName(path string) string {
	i := strings.LastIndexByte(path, '/')
	name := path[i+1:]
	if m, ok := methods[strings.ToLower(name)]; ok {
		return m.name
	}
	return name
}

// abort drops the connection without an answer, as a crashed or
// unreachable server would.
func abort(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	_ = conn.Close()
}

// delay waits out the configured latency; false means the client left or
// the server closed first.
func (s *Server) delay(ctx context.Context) bool {
	s.mu.Lock()
	d := s.faults.latency
	s.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestCount returns how many requests for method (any case) arrived.
func (s *Server) RequestCount(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if strings.EqualFold(r.Method, method) {
			n++
		}
	}
	return n
}
