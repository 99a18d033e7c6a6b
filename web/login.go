package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/luohu/reformbot/store"
)

// LinkTTL is how long a one-time login link is valid.
const LinkTTL = 10 * time.Minute

// metaLogin prefixes a one-time link's record in the store's meta: the
// SHA-256 of the token names it, so the database never holds a usable link.
const metaLogin = "web.login."

// CreateLoginLink records a one-time sign-in for the office (userID 0 and
// office true: the operator acting for the office) or for the contact
// userID, and returns the token for the URL /login/<token>. The link is
// valid for LinkTTL from now and works once.
func CreateLoginLink(ctx context.Context, st Store, userID int64, office bool, now time.Time) (string, error) {
	if userID == 0 && !office {
		return "", errors.New("web: a login link is for the office or a contact")
	}
	token := randomToken()
	role := "contact"
	if office {
		role = "office"
	}
	value := fmt.Sprintf("%s|%d|%d", role, userID, now.Add(LinkTTL).Unix())
	if err := st.SetMeta(ctx, metaLogin+hashHex(token), value); err != nil {
		return "", err
	}
	return token, nil
}

// errLinkUsed: the link is unknown, used or expired.
var errLinkUsed = errors.New("web: login link unknown, used or expired")

// redeem marks a one-time link used and returns its session.
func (s *Server) redeem(ctx context.Context, token string) (session, error) {
	s.loginMu.Lock()
	defer s.loginMu.Unlock()
	key := metaLogin + hashHex(token)
	v, err := s.cfg.Store.Meta(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return session{}, errLinkUsed
	}
	if err != nil {
		return session{}, err
	}
	parts := strings.Split(v, "|")
	if len(parts) != 3 {
		return session{}, errLinkUsed
	}
	userID, err1 := strconv.ParseInt(parts[1], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || s.cfg.Now().Unix() >= exp {
		return session{}, errLinkUsed
	}
	// Used before it is honoured: a crash between the two loses a link,
	// never lets one work twice.
	if err := s.cfg.Store.SetMeta(ctx, key, "used"); err != nil {
		return session{}, err
	}
	return session{UserID: userID, Office: parts[0] == "office",
		Expires: s.cfg.Now().Add(browserSession).Unix()}, nil
}

// loginData fills the login page.
type loginData struct {
	Token string // a one-time link's token: show the button that redeems it
	Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", nil, loginData{})
}

// linkPage shows a button rather than signing in on GET: Telegram's link
// previews and mail scanners fetch links, and must not use them up.
func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", nil, loginData{Token: r.PathValue("token")})
}

func (s *Server) redeemLink(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		s.render(w, r, http.StatusForbidden, "login", nil, loginData{Error: "请直接打开登录链接。"})
		return
	}
	sess, err := s.redeem(r.Context(), r.PathValue("token"))
	if errors.Is(err, errLinkUsed) {
		s.render(w, r, http.StatusForbidden, "login", nil, loginData{Error: "链接无效、已使用或已过期（10分钟内有效，只能用一次）。请重新获取。"})
		return
	}
	if err != nil {
		s.fail(w, r, nil, err)
		return
	}
	// The contact must still be active (or the office link is the operator's).
	if sess.UserID != 0 {
		if _, err := s.contactViewer(r.Context(), sess.UserID, sess.Office); err != nil {
			s.render(w, r, http.StatusForbidden, "login", nil, loginData{Error: "该联络人已解除绑定。"})
			return
		}
	}
	s.setSession(w, r, sess)
	http.Redirect(w, r, "/overview", http.StatusSeeOther)
}

// SignIn starts a browser session for the contact userID, or for the
// office as the operator (userID 0, office true), without a link: the demo
// uses it when a visitor picks who they are. The contact is still checked
// on every request.
func (s *Server) SignIn(w http.ResponseWriter, r *http.Request, userID int64, office bool) {
	s.setSession(w, r, session{UserID: userID, Office: office, Expires: s.cfg.Now().Add(browserSession).Unix()})
}

// signInMiniApp turns valid initData (form field initData) into a session
// cookie, for Telegram clients that keep cookies. Those that do not (the
// web clients frame the page) send the header on every request instead.
func (s *Server) signInMiniApp(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		http.Error(w, "请从 Telegram 中打开工作台。", http.StatusForbidden)
		return
	}
	user, err := checkInitData(r.PostFormValue("initData"), s.cfg.BotToken, s.cfg.Now())
	if err != nil {
		http.Error(w, "initData 无效或已过期", http.StatusUnauthorized)
		return
	}
	v, err := s.contactViewer(r.Context(), user.ID, false)
	if err != nil {
		http.Error(w, "未绑定的用户", http.StatusForbidden)
		return
	}
	s.setSession(w, r, session{UserID: v.UserID, Office: v.Office, Expires: s.cfg.Now().Add(24 * time.Hour).Unix()})
	w.WriteHeader(http.StatusNoContent)
}
