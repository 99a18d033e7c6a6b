package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/luohu/reformbot/store"
)

const (
	cookieName = "reformbot_session"
	// browserSession is how long a session from a one-time link lasts.
	browserSession = 7 * 24 * time.Hour
	// metaSessionKey names the session-signing key in the store's meta.
	metaSessionKey = "web.session_key"
)

// viewer is who is looking: an office contact (or the operator, UserID 0)
// sees everything; a unit contact sees its Unit.
type viewer struct {
	UserID int64
	Office bool
	Unit   string
	Name   string
	CSRF   string // token for the forms of this session; empty for tma
	// Header: signed in by the Mini App's Authorization header, so the
	// page's <img> and links carry no proof: they get signed file links.
	Header bool
}

// maysee reports whether v may see unit's measures and reports.
func (v *viewer) maysee(unit string) bool { return v.Office || v.Unit == unit }

// session is what the cookie carries, signed.
type session struct {
	UserID  int64  `json:"u"`
	Office  bool   `json:"o,omitempty"`
	Expires int64  `json:"x"`
	Nonce   string `json:"n"`
}

func sessionKey(ctx context.Context, st Store) ([]byte, error) {
	v, err := st.Meta(ctx, metaSessionKey)
	if errors.Is(err, store.ErrNotFound) {
		v = randomToken()
		if err := st.SetMeta(ctx, metaSessionKey, v); err != nil {
			return nil, err
		}
		// Another process may have written one at the same moment: use
		// whichever the database kept.
		v, err = st.Meta(ctx, metaSessionKey)
	}
	if err != nil {
		return nil, fmt.Errorf("web: session key: %w", err)
	}
	return []byte(v), nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) sign(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// setSession starts a session for sess with a cookie.
func (s *Server) setSession(w http.ResponseWriter, r *http.Request, sess session) {
	sess.Nonce = randomToken()[:16]
	body, _ := json.Marshal(sess)
	payload := base64.RawURLEncoding.EncodeToString(body)
	http.SetCookie(w, &http.Cookie{
		Name:  cookieName,
		Value: payload + "." + s.sign("session", payload),
		Path:  "/",
		// MaxAge, not Expires: the browser's clock need not agree with ours.
		MaxAge:   int(sess.Expires - s.cfg.Now().Unix()),
		HttpOnly: true,
		Secure:   s.secure(r),
		SameSite: http.SameSiteStrictMode,
	})
}

// fromCookie reads the session cookie; ok is false when there is none or it
// is forged or expired.
func (s *Server) fromCookie(r *http.Request) (session, string, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return session{}, "", false
	}
	payload, mac, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.sign("session", payload))) {
		return session{}, "", false
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	var sess session
	if err != nil || json.Unmarshal(body, &sess) != nil {
		return session{}, "", false
	}
	if s.cfg.Now().Unix() >= sess.Expires {
		return session{}, "", false
	}
	return sess, c.Value, true
}

// errNoViewer: nobody signed in, or the contact is no longer active.
var errNoViewer = errors.New("web: not signed in")

// who finds the viewer of r: a Mini App's "Authorization: tma <initData>"
// header, else the session cookie. A contact must be active now.
func (s *Server) who(r *http.Request) (*viewer, error) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		data, ok := strings.CutPrefix(auth, "tma ")
		if !ok {
			return nil, errNoViewer
		}
		user, err := checkInitData(data, s.cfg.BotToken, s.cfg.Now())
		if err != nil {
			return nil, errNoViewer
		}
		v, err := s.contactViewer(r.Context(), user.ID, false)
		if err != nil {
			return nil, err
		}
		v.Header = true
		return v, nil
	}
	sess, raw, ok := s.fromCookie(r)
	if !ok {
		return nil, errNoViewer
	}
	var v *viewer
	if sess.UserID == 0 {
		if !sess.Office {
			return nil, errNoViewer
		}
		v = &viewer{Office: true, Name: "区委改革办"}
	} else {
		var err error
		if v, err = s.contactViewer(r.Context(), sess.UserID, sess.Office); err != nil {
			return nil, err
		}
	}
	v.CSRF = s.sign("csrf", raw)
	return v, nil
}

// contactViewer is an active contact as a viewer. wantOffice, for a
// session, says the session was started as office: a contact rebound to a
// unit since then must sign in again.
func (s *Server) contactViewer(ctx context.Context, userID int64, wantOffice bool) (*viewer, error) {
	c, err := s.cfg.Store.Contact(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoViewer
	}
	if err != nil {
		return nil, err
	}
	if c.Status != store.Active || (wantOffice && c.Role != store.RoleOffice) {
		return nil, errNoViewer
	}
	v := &viewer{UserID: c.UserID, Office: c.Role == store.RoleOffice, Unit: c.Unit, Name: c.Name}
	if !v.Office && v.Unit == "" {
		return nil, errNoViewer
	}
	return v, nil
}

// csrfOK checks an action: same origin when the browser says where it
// came from, and the session's token in the form or a header.
func (s *Server) csrfOK(r *http.Request, v *viewer) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	if v.CSRF == "" {
		// A Mini App request proves itself with initData in a header,
		// which no other site can make a browser send.
		return r.Header.Get("Authorization") != ""
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return hmac.Equal([]byte(got), []byte(v.CSRF))
}

// pageFunc renders a page for a viewer; it returns an HTTP status and
// error to show instead when it cannot.
type pageFunc func(w http.ResponseWriter, r *http.Request, v *viewer) error

// httpError is an error with the status to answer and a message for people.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func forbidden() error {
	return &httpError{http.StatusForbidden, "无权查看：仅限本单位的任务和填报。"}
}
func notFound(what string) error { return &httpError{http.StatusNotFound, what} }
func badRequest(msg string) error {
	return &httpError{http.StatusBadRequest, msg}
}

// page wraps a page: the login page when nobody is signed in, the CSRF
// check for actions, errors as a page.
func (s *Server) page(fn pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := s.who(r)
		if err != nil {
			if !errors.Is(err, errNoViewer) {
				s.fail(w, r, nil, err)
				return
			}
			s.render(w, r, http.StatusUnauthorized, "login", nil, loginData{})
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !s.csrfOK(r, v) {
			s.fail(w, r, v, &httpError{http.StatusForbidden, "请求已过期，请刷新页面后重试。"})
			return
		}
		if err := fn(w, r, v); err != nil {
			s.fail(w, r, v, err)
		}
	})
}

// api wraps a handler whose answer is data: 401 without a session.
func (s *Server) api(fn pageFunc) http.Handler { return s.apiAs(s.who, fn) }

// apiAs is api with another way to find the viewer (a signed file link).
func (s *Server) apiAs(who func(*http.Request) (*viewer, error), fn pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := who(r)
		if err != nil {
			status, msg := http.StatusUnauthorized, "请先登录：请从机器人的「工作台」按钮或登录链接打开。"
			var he *httpError
			switch {
			case errors.As(err, &he):
				status, msg = he.status, he.msg
			case !errors.Is(err, errNoViewer):
				status, msg = http.StatusInternalServerError, "服务器出错，请稍后再试。"
				s.cfg.Log.Error("web: who", "err", err)
			}
			http.Error(w, msg, status) // read by people in the Mini App: Chinese
			return
		}
		if err := fn(w, r, v); err != nil {
			var he *httpError
			if errors.As(err, &he) {
				http.Error(w, he.msg, he.status)
				return
			}
			s.cfg.Log.Error("web: api", "path", r.URL.Path, "err", err)
			http.Error(w, "服务器出错，请稍后再试。", http.StatusInternalServerError)
		}
	})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *viewer, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		s.cfg.Log.Error("web: page", "path", r.URL.Path, "err", err)
		he = &httpError{http.StatusInternalServerError, "服务器出错，请稍后再试。"}
	}
	s.render(w, r, he.status, "error", v, he.msg)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, v *viewer) error {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func itoa(n int) string { return strconv.Itoa(n) }
