package web

import (
	"crypto/hmac"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/luohu/reformbot/plan"
)

// Inside Telegram's web clients the Mini App runs in a cross-site iframe:
// no cookie reaches the dashboard there, so pages are fetched with the
// initData in an Authorization header (app.js). An <img src> or a link
// cannot send that header; a page rendered for such a viewer gets signed
// file links instead: /file/<id>?…&v=<user>&x=<expiry>&s=<signature>.
// The signature binds the attachment, the contact and the expiry, signed
// with the session key; the contact is looked up again on each fetch (a
// revoked one is out at once) and may see only what its role allows. A
// link holds no token and no file URL, and ends after fileLinkTTL.

// fileLinkTTL is how long a signed file link works (at least; expiries are
// rounded up to fileLinkStep, so a page rendered again within it links the
// same URL and the browser's cache serves the file).
const (
	fileLinkTTL  = time.Hour
	fileLinkStep = 10 * time.Minute
)

// fileURL is where v finds attachment id of the report (m, u, p): signed
// when v signed in by header.
func (s *Server) fileURL(v *viewer, id int64, m, u string, p plan.Period) string {
	q := url.Values{"m": {m}, "u": {u}, "p": {string(p)}}
	if v != nil && v.Header && v.UserID != 0 {
		step := int64(fileLinkStep / time.Second)
		exp := (s.cfg.Now().Add(fileLinkTTL).Unix() + step - 1) / step * step
		uid, x := strconv.FormatInt(v.UserID, 10), strconv.FormatInt(exp, 10)
		q.Set("v", uid)
		q.Set("x", x)
		q.Set("s", s.sign("file", strconv.FormatInt(id, 10), uid, x))
	}
	return "/file/" + strconv.FormatInt(id, 10) + "?" + q.Encode()
}

// fileViewer finds who fetches a file: the signer of a signed link, else
// the session (cookie or header) as for any request.
func (s *Server) fileViewer(r *http.Request) (*viewer, error) {
	q := r.URL.Query()
	if !q.Has("s") {
		return s.who(r)
	}
	uid, err1 := strconv.ParseInt(q.Get("v"), 10, 64)
	exp, err2 := strconv.ParseInt(q.Get("x"), 10, 64)
	want := s.sign("file", r.PathValue("id"), q.Get("v"), q.Get("x"))
	if err1 != nil || err2 != nil || uid == 0 || !hmac.Equal([]byte(q.Get("s")), []byte(want)) {
		return nil, errNoViewer
	}
	if s.cfg.Now().Unix() >= exp {
		return nil, &httpError{http.StatusUnauthorized, "附件链接已过期：请回到工作台刷新页面。"}
	}
	return s.contactViewer(r.Context(), uid, false)
}
