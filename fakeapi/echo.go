package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// EchoMode makes error answers repeat the request URL, token included, as
// some Bot API servers and the proxies in front of them do. A bot must not
// let such text out of the process (logs, its database, its reports).
type EchoMode int32

const (
	// EchoOff answers errors as Telegram does (the default).
	EchoOff EchoMode = iota
	// EchoInDescription appends "(POST /bot<token>/<method>)" to every
	// error's description, keeping the Bot API's JSON error shape.
	EchoInDescription
	// EchoProxyPage answers 5xx errors with an HTML page naming the URL, as
	// a reverse proxy's 502 page does (not JSON at all); 4xx errors as in
	// EchoInDescription.
	EchoProxyPage
)

// WithEchoedURLs starts the server echoing the request URL in its error
// answers; see SetEcho.
func WithEchoedURLs(mode EchoMode) Option {
	return func(s *Server) { s.echo.Store(int32(mode)) }
}

// SetEcho sets how error answers echo the request URL from now on.
func (s *Server) SetEcho(mode EchoMode) { s.echo.Store(int32(mode)) }

// echoing wraps w so that error answers echo r's URL, when asked to.
func (s *Server) echoing(w http.ResponseWriter, r *http.Request) http.ResponseWriter {
	mode := EchoMode(s.echo.Load())
	if mode == EchoOff {
		return w
	}
	return &echoWriter{ResponseWriter: w, mode: mode, url: r.Method + " " + r.URL.Path}
}

// echoWriter rewrites an error answer's body to carry the request URL.
type echoWriter struct {
	http.ResponseWriter
	mode   EchoMode
	url    string
	status int
}

func (e *echoWriter) WriteHeader(status int) {
	e.status = status
	if status < 400 {
		e.ResponseWriter.WriteHeader(status)
		return
	}
	// The body changes length; it is written in one piece by Write.
	e.Header().Del("Content-Length")
}

func (e *echoWriter) Write(body []byte) (int, error) {
	if e.status == 0 {
		e.WriteHeader(http.StatusOK)
	}
	if e.status < 400 {
		return e.ResponseWriter.Write(body)
	}
	var out []byte
	if e.mode == EchoProxyPage && e.status >= 500 {
		e.Header().Set("Content-Type", "text/html")
		out = fmt.Appendf(nil, "<html><head><title>%d %s</title></head><body><h1>%s</h1><p>upstream failed for %s</p><hr>nginx</body></html>",
			e.status, http.StatusText(e.status), http.StatusText(e.status), e.url)
	} else {
		var resp map[string]any
		if err := json.Unmarshal(body, &resp); err != nil {
			out = append(bytes.Clone(body), []byte(" "+e.url)...)
		} else {
			resp["description"] = fmt.Sprint(resp["description"]) + " (" + e.url + ")"
			out, _ = json.Marshal(resp)
		}
	}
	e.Header().Set("Content-Length", strconv.Itoa(len(out)))
	e.ResponseWriter.WriteHeader(e.status)
	if _, err := e.ResponseWriter.Write(out); err != nil {
		return 0, err
	}
	return len(body), nil
}

// Unwrap lets http.ResponseController reach the connection (to drop it).
func (e *echoWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }
