package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
	"github.com/luohu/reformbot/web"
)

// TestWebDigestIsTheCLIDigest: /api/digest answers byte for byte what
// `reformbot digest --format json` prints, and web-login's link opens it.
func TestWebDigestIsTheCLIDigest(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "r.db")
	now := time.Date(2017, 5, 3, 9, 30, 0, 0, time.UTC)
	vars := map[string]string{"REFORMBOT_DB": dbPath, "REFORMBOT_LOG_LEVEL": "error"}
	db, err := store.Open(ctx, dbPath, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Activate(ctx, plan.Default()); err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveReport(ctx, store.Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04", Status: plan.NeedsHelp, Text: "缺编制 <急> & 人手", ReporterID: 7, ReporterName: "李四"})
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	cli, stderr, code := runCmd(t, vars, now, "digest", "--period", "2017-04", "--format", "json")
	if code != 0 {
		t.Fatalf("digest: %d %s", code, stderr)
	}
	out, stderr, code := runCmd(t, vars, now, "web-login", "--office", "--http", ":9999")
	if code != 0 {
		t.Fatalf("web-login: %d %s", code, stderr)
	}
	link := strings.SplitN(out, "\n", 2)[0]
	if !strings.HasPrefix(link, "http://127.0.0.1:9999/login/") {
		t.Fatalf("web-login's first line %q is not the link", link)
	}

	// The dashboard as serve builds it, over the same database and clock.
	env, _, _ := testEnv(vars, now)
	c := &common{db: dbPath, tz: "Asia/Shanghai", logLevel: "error", env: env}
	sched, db2, err := scheduler(ctx, c, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	p, _ := c.loadPlan(ctx, db2)
	loc, _ := c.location()
	ws, err := web.New(ctx, web.Config{Plan: p, Store: db2, Digests: sched, Location: loc, Now: env.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ws.Handler())
	defer srv.Close()

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Post(srv.URL+strings.TrimPrefix(link, "http://127.0.0.1:9999"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || len(cookies) != 1 {
		t.Fatalf("web-login's link: %s %v", resp.Status, cookies)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/digest?period=2017-04", nil)
	req.AddCookie(cookies[0])
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != cli {
		t.Fatalf("api digest (%s) differs from the CLI's:\n%s\n---\n%s", resp.Status, body, cli)
	}
	if !strings.Contains(cli, "缺编制") {
		t.Fatal("the digest lacks the report: the test proves nothing")
	}
}

func TestWebLoginUsage(t *testing.T) {
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(t.TempDir(), "r.db")}
	now := time.Date(2017, 5, 3, 9, 30, 0, 0, time.UTC)
	for _, args := range [][]string{{"web-login"}, {"web-login", "--office", "--user", "5"}, {"web-login", "--user", "x"}} {
		if _, _, code := runCmd(t, vars, now, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if _, stderr, code := runCmd(t, vars, now, "web-login", "--user", "5"); code != 1 || !strings.Contains(stderr, "not an active contact") {
		t.Errorf("unknown user: exit %d %q", code, stderr)
	}
}
