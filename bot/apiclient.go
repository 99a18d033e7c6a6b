package bot

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The bot token is in every Bot API URL (/bot<token>/<method>), and servers
// and the proxies in front of them echo URLs in their error answers (a 502
// page naming the upstream URL, a description quoting the request). Such
// text becomes the error of a call, which is logged, stored with a failed
// message and shown in the office's digest. So the token is removed where
// every answer enters the process: the transport of the one HTTP client all
// Bot API calls use (the library's calls, getUpdates, downloads). No later
// path has to remember.

// redactedToken replaces the token wherever it would have appeared.
const redactedToken = "<token>"

// guardToken returns a copy of c whose transport removes token from every
// Bot API answer and from transport errors.
func guardToken(c *http.Client, token string) *http.Client {
	guarded := *c
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	guarded.Transport = &tokenGuard{base: base, scrub: newScrubber(token)}
	return &guarded
}

// tokenGuard is the http.RoundTripper that removes the token.
type tokenGuard struct {
	base  http.RoundTripper
	scrub *strings.Replacer
}

func (g *tokenGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := g.base.RoundTrip(req)
	if err != nil {
		return nil, g.error(err)
	}
	// A downloaded file is the user's bytes, passed on as they are; its
	// error answers are scrubbed like any other.
	if strings.HasPrefix(req.URL.Path, "/file/") && resp.StatusCode < 300 {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, g.error(err)
	}
	clean := []byte(g.scrub.Replace(string(body)))
	resp.Body = io.NopCloser(bytes.NewReader(clean))
	resp.ContentLength = int64(len(clean))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// error returns err with the token removed from its text. A *url.Error
// keeps its type (and so Timeout and errors.Is through it).
func (g *tokenGuard) error(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: g.scrub.Replace(ue.URL), Err: g.error(ue.Err)}
	}
	if msg := err.Error(); g.scrub.Replace(msg) != msg {
		return &scrubbedError{msg: g.scrub.Replace(msg), err: err}
	}
	return err
}

// scrubbedError is an error whose text had the token in it. It unwraps to
// the original, so errors.Is(err, context.DeadlineExceeded) still holds;
// only its own text is ever printed.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// newScrubber replaces the token as written and URL-escaped (":" as %3A),
// and its secret half alone: the part after ':' is what grants access.
func newScrubber(token string) *strings.Replacer {
	olds := []string{token, url.PathEscape(token), url.QueryEscape(token)}
	if _, secret, ok := strings.Cut(token, ":"); ok && len(secret) >= 8 {
		olds = append(olds, secret)
	}
	var pairs []string
	seen := map[string]bool{}
	for _, old := range olds {
		if old != "" && !seen[old] {
			seen[old] = true
			pairs = append(pairs, old, redactedToken)
		}
	}
	return strings.NewReplacer(pairs...)
}
