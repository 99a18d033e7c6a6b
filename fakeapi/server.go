// Package fakeapi is an in-process fake of the Telegram Bot API for
// hermetic tests and the demo.
//
// A Server speaks the Bot API over HTTP (net/http/httptest), so the real
// go-telegram/bot client talks to it through bot.WithServerURL(s.URL()) and
// the real reformbot binary through TELEGRAM_API_URL. Tests play the users
// (SendText, Press, ...), read what the bot did (Sent, CallbackAnswers,
// Confirmed, ...) and inject faults (Block, SetLimits, FailNext, SetDown).
//
// Validation and error descriptions follow the real server
// (tdlib/telegram-bot-api and TDLib) closely enough that a bot which passes
// here does not meet a new 400 in production.
package fakeapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultToken is the bot token a Server accepts unless WithToken is given.
const DefaultToken = "123456:TEST-TOKEN"

// DefaultBotUsername is the bot's username unless WithBotUsername is given.
const DefaultBotUsername = "reformbot_test_bot"

// Server is a fake Bot API server. All its methods are safe for concurrent
// use; the zero value is not usable, create one with NewServer or New.
type Server struct {
	token       string
	botID       int64
	botUsername string
	now         func() time.Time
	knownOnly   bool // unknown chats are "chat not found"
	oneAction   bool // inline buttons must carry exactly one action field
	httpServer  *httptest.Server
	done        chan struct{} // closed by Close

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	closed  bool

	updates  updateQueue
	webhook  webhookState
	chats    map[int64]*chat
	files    map[string]*storedFile
	nextFile int
	sent     []Message
	deleted  []Deletion
	answers  []CallbackAnswer
	queries  map[string]*callbackQuery
	nextQID  int64
	commands map[commandKey][]Command
	requests []Request
	faults   faults
	limits   limiter
	echo     atomic.Int32 // an EchoMode (echo.go)
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the bot token; the part before ':' becomes the bot's id.
func WithToken(token string) Option {
	return func(s *Server) { s.token = token }
}

// WithBotUsername sets the username getMe reports (without '@').
func WithBotUsername(name string) Option {
	return func(s *Server) { s.botUsername = strings.TrimPrefix(name, "@") }
}

// WithFirstUpdateID sets the update_id of the first update; later updates
// count up by one from it.
func WithFirstUpdateID(id int64) Option {
	return func(s *Server) { s.updates.nextID = id }
}

// WithClock sets the clock used for message dates, the request log and the
// rate limiter. The default is time.Now. Long-poll timeouts and latency use
// real timers whatever the clock.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithLimits starts the server with flood control on; see SetLimits.
func WithLimits(global, perChat float64) Option {
	return func(s *Server) { s.limits.global, s.limits.perChat = global, perChat }
}

// WithBursts sets the flood-control bucket sizes; see SetBursts.
func WithBursts(global, perChat int) Option {
	return func(s *Server) { s.limits.globalBurst, s.limits.chatBurst = global, perChat }
}

// WithKnownChatsOnly makes sends to a chat no user has written from (and
// that was not added with AddUser) fail with 400 "Bad Request: chat not
// found", as Telegram does for a user the bot has never seen. By default
// any chat id is accepted.
func WithKnownChatsOnly() Option {
	return func(s *Server) { s.knownOnly = true }
}

// WithOneActionPerButton rejects inline keyboard buttons that carry more
// than one action field (url, callback_data, copy_text, ...), as the Bot
// API documentation says. The real server is more lenient: it takes the
// first action field in a fixed order and ignores the rest, which is what a
// Server does by default.
func WithOneActionPerButton() Option {
	return func(s *Server) { s.oneAction = true }
}

// New starts a Server listening on a local port. Call Close when done.
// In tests prefer NewServer, which closes it for you.
func New(opts ...Option) *Server {
	s := &Server{
		token:       DefaultToken,
		botUsername: DefaultBotUsername,
		now:         time.Now,
		done:        make(chan struct{}),
		changed:     make(chan struct{}),
		chats:       make(map[int64]*chat),
		files:       make(map[string]*storedFile),
		queries:     make(map[string]*callbackQuery),
		commands:    make(map[commandKey][]Command),
		updates:     updateQueue{nextID: 1},
		limits:      newLimiter(),
	}
	for _, o := range opts {
		o(s)
	}
	s.botID, _ = strconv.ParseInt(strings.SplitN(s.token, ":", 2)[0], 10, 64)
	s.httpServer = httptest.NewServer(s)
	return s
}

// TB is the part of testing.TB the test helpers use. It is declared here so
// that the package does not import "testing": the demo links it into the
// binary and starts its Server with New.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// NewServer starts a Server and closes it when the test ends.
func NewServer(tb TB, opts ...Option) *Server {
	tb.Helper()
	s := New(opts...)
	tb.Cleanup(s.Close)
	return s
}

// URL is the server's base URL, e.g. "http://127.0.0.1:41234". Give it to
// bot.WithServerURL or TELEGRAM_API_URL; clients append /bot<token>/<method>.
func (s *Server) URL() string { return s.httpServer.URL }

// Token is the bot token the server accepts.
func (s *Server) Token() string { return s.token }

// BotID is the bot's user id (the number before ':' in the token).
func (s *Server) BotID() int64 { return s.botID }

// BotUsername is the bot's username, without '@'.
func (s *Server) BotUsername() string { return s.botUsername }

// Close ends pending long polls (they return no updates), then stops the
// HTTP server. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	s.notifyLocked()
	s.mu.Unlock()
	s.httpServer.Close()
}

// notifyLocked wakes everything waiting for a change: long polls and the
// Wait helpers. The caller holds s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// apiError is a Bot API error response.
type apiError struct {
	code        int
	description string
	retryAfter  int
}

func badRequest(description string) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + description}
}

func forbidden(description string) *apiError {
	return &apiError{code: http.StatusForbidden, description: "Forbidden: " + description}
}

// errAbort asks ServeHTTP to drop the connection without an answer.
var errAbort = &apiError{code: -1, description: "connection aborted"}

// handler serves one Bot API method. It returns the result to put in
// {"ok":true,"result":...} or an error. chatID, when the method has one, is
// written to the request log.
type handler func(s *Server, ctx context.Context, p *params) (result any, err *apiError)

// method is a Bot API method the server knows.
type method struct {
	name  string // canonical spelling, e.g. "sendMessage"
	serve handler
}

// methods maps lower-cased method names (the Bot API is case-insensitive)
// to their handlers.
var methods = map[string]method{}

func init() {
	for name, h := range map[string]handler{
		"getMe":                  (*Server).getMe,
		"getUpdates":             (*Server).getUpdates,
		"setWebhook":             (*Server).setWebhook,
		"deleteWebhook":          (*Server).deleteWebhook,
		"getWebhookInfo":         (*Server).getWebhookInfo,
		"setMyCommands":          (*Server).setMyCommands,
		"getMyCommands":          (*Server).getMyCommands,
		"deleteMyCommands":       (*Server).deleteMyCommands,
		"sendMessage":            (*Server).sendMessage,
		"sendDocument":           (*Server).sendDocument,
		"sendPhoto":              (*Server).sendPhoto,
		"editMessageText":        (*Server).editMessageText,
		"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
		"deleteMessage":          (*Server).deleteMessage,
		"answerCallbackQuery":    (*Server).answerCallbackQuery,
		"getFile":                (*Server).getFile,
		"sendChatAction":         (*Server).sendChatAction,
	} {
		methods[strings.ToLower(name)] = method{name: name, serve: h}
	}
}

func (s *Server) getMe(_ context.Context, _ *params) (any, *apiError) {
	return map[string]any{
		"id":                          s.botID,
		"is_bot":                      true,
		"first_name":                  "Reformbot Test",
		"username":                    s.botUsername,
		"can_join_groups":             true,
		"can_read_all_group_messages": false,
		"supports_inline_queries":     false,
		"can_connect_to_business":     false,
		"has_main_web_app":            false,
	}, nil
}

// botUser is the bot as the "from" of its own messages.
func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id":         s.botID,
		"is_bot":     true,
		"first_name": "Reformbot Test",
		"username":   s.botUsername,
	}
}
