package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNobodyWithoutASession(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	for _, path := range []string{"/", "/grid", "/measure/2.1.1", "/unit/" + unitName} {
		status, body := f.get(c, path)
		if status != http.StatusUnauthorized || !strings.Contains(body, "请登录后查看") || strings.Contains(body, "强区放权") {
			t.Errorf("GET %s without a session: %d, want 401 and the login page only", path, status)
		}
	}
	for _, path := range []string{"/api/digest?period=2017-04", "/export.xlsx", "/file/1?m=2.1.1&u=x&p=2017-04"} {
		if status, body := f.get(c, path); status != http.StatusUnauthorized || strings.Contains(body, "Unauthorized") {
			t.Errorf("GET %s without a session: %d %q, want 401 in Chinese", path, status, body)
		}
	}
	// A forged cookie is nobody.
	status, _ := f.get(c, "/", "Cookie", cookieName+"=eyJ1IjoxMDAsIm8iOnRydWUsIngiOjk5OTk5OTk5OTl9.forged")
	if status != http.StatusUnauthorized {
		t.Errorf("forged cookie: %d, want 401", status)
	}
}

func TestOneTimeLink(t *testing.T) {
	f := newFixture(t)
	link := f.loginLink(0)

	// Opening the link (a GET, as a link preview would) does not use it.
	c := f.client()
	if status, body := f.get(c, strings.TrimPrefix(link, f.http.URL)); status != http.StatusOK || !strings.Contains(body, "进入工作台") {
		t.Fatalf("GET link: %d", status)
	}
	resp, err := c.PostForm(link, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST link: %s", resp.Status)
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == cookieName {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, not Secure over http", cookie)
	}
	if status, body := f.get(c, "/"); status != http.StatusOK || !strings.Contains(body, "各项目") {
		t.Fatalf("overview after sign-in: %d", status)
	}

	// Used once: a second browser cannot use it again.
	resp, err = f.client().PostForm(link, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("second use: %s, want 403", resp.Status)
	}

	// A link older than 10 minutes is refused.
	stale := f.loginLink(0)
	f.advance(LinkTTL + time.Second)
	resp, err = f.client().PostForm(stale, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("stale link: %s, want 403", resp.Status)
	}
}

func TestSecureCookieOverHTTPS(t *testing.T) {
	f := newFixture(t)
	link := f.loginLink(0)
	req, _ := http.NewRequest(http.MethodPost, link, nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := f.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cs := resp.Cookies(); len(cs) != 1 || !cs[0].Secure {
		t.Fatalf("cookies behind https: %+v, want one Secure", cs)
	}
}

func TestRevokedContactLosesSession(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, unitUser)
	if status, _ := f.get(c, "/unit/"+unitName); status != http.StatusOK {
		t.Fatalf("own unit: %d", status)
	}
	if _, err := f.db.Revoke(context.Background(), unitUser); err != nil {
		t.Fatal(err)
	}
	if status, _ := f.get(c, "/unit/"+unitName); status != http.StatusUnauthorized {
		t.Errorf("after revoke: %d, want 401", status)
	}
}

func TestUnitContactSeesOnlyItsUnit(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, unitUser)
	cases := []struct {
		path string
		want int
	}{
		{"/unit/" + unitName, http.StatusOK},
		{"/measure/2.1.2", http.StatusOK},
		{"/unit/" + otherUnit, http.StatusForbidden},
		{"/grid", http.StatusForbidden},
		{"/api/digest?period=2017-04", http.StatusForbidden},
		{"/export.xlsx?period=2017-04", http.StatusForbidden},
		{"/measure/2.2.1", http.StatusForbidden}, // not 区编办's
	}
	for _, tc := range cases {
		if status, _ := f.get(c, tc.path); status != tc.want {
			t.Errorf("GET %s: %d, want %d", tc.path, status, tc.want)
		}
	}
	// On a shared measure it sees its own reports, not the other unit's.
	_, body := f.get(c, "/measure/2.1.1")
	if !strings.Contains(body, "初稿退回修改") || strings.Contains(body, "需要编制支持") {
		t.Errorf("shared measure shows another unit's report or hides its own")
	}
	// The home page is its unit.
	if status, _ := f.get(c, "/"); status != http.StatusSeeOther {
		t.Errorf("home for a unit contact: %d, want a redirect to its unit", status)
	}
}

func TestLogoutNeedsCSRFToken(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, officeUser)
	// A cross-site form post carries the cookie in older browsers but
	// never the token.
	resp, err := c.PostForm(f.http.URL+"/logout", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without token: %s, want 403", resp.Status)
	}
	_, body := f.get(c, "/")
	i := strings.Index(body, `name="csrf" value="`)
	if i < 0 {
		t.Fatal("no CSRF token in the page")
	}
	token := body[i+len(`name="csrf" value="`):]
	token = token[:strings.Index(token, `"`)]
	resp, err = c.PostForm(f.http.URL+"/logout", map[string][]string{"csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout with token: %s", resp.Status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.http.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
		!strings.Contains(csp, "frame-ancestors 'self' https://web.telegram.org") {
		t.Errorf("CSP %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
}

func TestMiniAppInitData(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	valid := SignInitData(f.api.Token(), officeUser, "王", f.clock().Add(-time.Hour))
	if status, _ := f.get(c, "/api/digest?period=2017-04", "Authorization", "tma "+valid); status != http.StatusOK {
		t.Errorf("valid initData: %d", status)
	}
	cases := map[string]string{
		"tampered":    strings.Replace(valid, "%E7%8E%8B", "%E6%9D%8E", 1),
		"stale":       SignInitData(f.api.Token(), officeUser, "王", f.clock().Add(-25*time.Hour)),
		"other bot":   SignInitData("999:OTHER", officeUser, "王", f.clock()),
		"not a user":  SignInitData(f.api.Token(), 4242, "路人", f.clock()),
		"unit header": SignInitData(f.api.Token(), unitUser, "张三", f.clock()),
	}
	for name, data := range cases {
		status, _ := f.get(c, "/api/digest?period=2017-04", "Authorization", "tma "+data)
		want := http.StatusUnauthorized
		if name == "unit header" {
			want = http.StatusForbidden // signed in, but not the office
		}
		if status != want {
			t.Errorf("%s initData: %d, want %d", name, status, want)
		}
	}
	if valid == cases["tampered"] {
		t.Fatal("tampering changed nothing: the test proves nothing")
	}
}
