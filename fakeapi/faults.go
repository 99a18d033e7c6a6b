package fakeapi

import (
	"net/http"
	"strings"
	"time"
)

// ChatStatus is how Telegram treats the bot's requests to one chat.
type ChatStatus int

// Chat statuses and the errors Telegram answers sends to such a chat with.
const (
	ChatActive       ChatStatus = iota // requests succeed
	ChatBlocked                        // 403 Forbidden: bot was blocked by the user
	ChatNeverStarted                   // 403 Forbidden: bot can't initiate conversation with a user
	ChatNotFound                       // 400 Bad Request: chat not found
	ChatDeactivated                    // 403 Forbidden: user is deactivated (deleted account)
	ChatKicked                         // 403 Forbidden: bot was kicked from the group chat (groups)
)

func (st ChatStatus) err(kind string) *apiError {
	switch st {
	case ChatBlocked:
		return forbidden("bot was blocked by the user")
	case ChatNeverStarted:
		return forbidden("bot can't initiate conversation with a user")
	case ChatNotFound:
		return badRequest("chat not found")
	case ChatDeactivated:
		return forbidden("user is deactivated")
	case ChatKicked:
		return forbidden("bot was kicked from the " + kind + " chat")
	}
	return nil
}

// SetChatStatus sets how requests to chatID are answered from now on. It
// applies to sending, editing and chat actions in that chat.
func (s *Server) SetChatStatus(chatID int64, st ChatStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID, true).status = st
	s.notifyLocked()
}

// Block makes the user chatID block the bot: sends to the chat get
// 403 "Forbidden: bot was blocked by the user". See also UserBlocksBot,
// which also delivers the my_chat_member update Telegram sends.
func (s *Server) Block(chatID int64) { s.SetChatStatus(chatID, ChatBlocked) }

// Unblock undoes Block (or any other SetChatStatus).
func (s *Server) Unblock(chatID int64) { s.SetChatStatus(chatID, ChatActive) }

// faults are the failures injected into the server.
type faults struct {
	down    bool
	latency time.Duration
	before  map[string][]*failure // answered instead of the call
	after   map[string][]*failure // answered after the call took effect
}

type failure struct {
	left int
	code int
}

// FailNext makes the next n requests for method (any case; "*" for any
// method) fail with HTTP status code before they take effect. The body is
// the Bot API error Telegram gives for that code, e.g. 502
// {"ok":false,"error_code":502,"description":"Bad Gateway"}; 429 carries
// retry_after 1. Calls add up: FailNext("sendMessage", 2, 502) then
// FailNext("sendMessage", 1, 500) fails three sends, in that order.
func (s *Server) FailNext(method string, n int, code int) {
	s.addFailure(&s.faults.before, method, n, code)
}

// FailNextAfterEffect is FailNext, except that the call takes effect first
// (the message is sent and recorded, the offset confirmed) and only the
// answer is lost: what a bot sees when Telegram times out after doing the
// work. It is the way to provoke duplicate sends.
func (s *Server) FailNextAfterEffect(method string, n int, code int) {
	s.addFailure(&s.faults.after, method, n, code)
}

func (s *Server) addFailure(set *map[string][]*failure, method string, n, code int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if *set == nil {
		*set = make(map[string][]*failure)
	}
	key := strings.ToLower(method)
	(*set)[key] = append((*set)[key], &failure{left: n, code: code})
	s.notifyLocked()
}

// takeFailure returns the injected error for this call of method, if any.
func (s *Server) takeFailure(method string, after bool) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := s.faults.before
	if after {
		set = s.faults.after
	}
	for _, key := range []string{strings.ToLower(method), "*"} {
		queue := set[key]
		if len(queue) == 0 {
			continue
		}
		f := queue[0]
		f.left--
		if f.left == 0 {
			set[key] = queue[1:]
		}
		return injected(f.code)
	}
	return nil
}

// injected is the error body Telegram sends with code.
func injected(code int) *apiError {
	switch code {
	case http.StatusTooManyRequests:
		return &apiError{code: code, description: "Too Many Requests: retry after 1", retryAfter: 1}
	case http.StatusBadRequest:
		return badRequest("injected failure")
	case http.StatusUnauthorized:
		return &apiError{code: code, description: "Unauthorized"}
	case http.StatusForbidden:
		return forbidden("bot was blocked by the user")
	case http.StatusConflict:
		return &apiError{code: code, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	}
	text := http.StatusText(code)
	if text == "" {
		text = "Error"
	}
	return &apiError{code: code, description: text}
}

// SetDown takes the server down (true) or back up (false). While down,
// every request, including pending long polls, has its connection closed
// without an answer, as when Telegram is unreachable.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.down = down
	s.notifyLocked()
}

func (s *Server) isDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.down
}

// SetLatency delays every request by d before it is served (0 turns it
// off), e.g. to let a test overlap requests.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.latency = d
}
