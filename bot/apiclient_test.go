package bot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const guardedToken = "123456:AAEhBOweik9ai2o4TrUeSecret"

// The guard scrubs answers (raw, escaped and the secret half), keeps a
// downloaded file's bytes as they are, and scrubs transport errors while
// keeping their meaning.
func TestTokenGuard(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/file/") {
			io.WriteString(w, "file bytes "+guardedToken)
			return
		}
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "bad gateway for "+r.URL.Path+" "+url.QueryEscape(guardedToken)+" AAEhBOweik9ai2o4TrUeSecret")
	}))
	defer srv.Close()
	c := guardToken(&http.Client{}, guardedToken)
	get := func(path string) string {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	body := get("/bot" + guardedToken + "/sendMessage")
	if !strings.Contains(body, "/bot<token>/sendMessage") {
		t.Fatalf("proved nothing: the echo is not there: %q", body)
	}
	if strings.Contains(body, "AAEhBOweik9ai2o4") {
		t.Errorf("an answer kept the token: %q", body)
	}
	if got := get("/file/bot" + guardedToken + "/photos/1.jpg"); got != "file bytes "+guardedToken {
		t.Errorf("a downloaded file was changed: %q", got)
	}

	// A transport error quoting the token, as a proxy's might. (The
	// request URL net/http adds around it is the caller's to scrub: the
	// library and redact do.)
	c = guardToken(&http.Client{Transport: failing{errors.New("proxy refused " + guardedToken + ": " + context.DeadlineExceeded.Error())}}, guardedToken)
	_, err := c.Get(srv.URL + "/bot" + guardedToken + "/getMe")
	if err == nil || !strings.Contains(err.Error(), "proxy refused <token>") {
		t.Fatalf("proved nothing: the transport error is %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("the error is no *url.Error any more: %T", err)
	}
	if strings.Contains(ue.Err.Error(), "AAEhBOweik9ai2o4") {
		t.Errorf("the transport error kept the token: %v", ue.Err)
	}
}

type failing struct{ err error }

func (f failing) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }
