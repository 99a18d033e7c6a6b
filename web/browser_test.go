package web

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/luohu/reformbot/plan"
)

// Browser tests drive headless Chromium through the dashboard. They need
// a chromium binary: Debian's (apt-get install chromium), or the one named
// by REFORMBOT_CHROMIUM. Without one they skip, unless
// REFORMBOT_BROWSER_TESTS=1 (set by .ci/run), where a missing browser fails.

// chromiumPath finds the browser, or skips (fails in CI) without one.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("REFORMBOT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := "browser tests need Chromium: apt-get install -y chromium (or set REFORMBOT_CHROMIUM=/path/to/chrome), then go test ./web -run Browser"
	if os.Getenv("REFORMBOT_BROWSER_TESTS") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browser starts a headless Chromium with a window width×height (and
// any extra options) and returns a context for chromedp actions.
func browser(t *testing.T, width, height int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(width, height),
	)
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// Generous: the machine is shared; a hang still ends the test.
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// do runs browser steps, failing the test on an error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// text is the visible text of the first element matching css.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// eval evaluates JavaScript in the page, awaiting a promise.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return v
}

// signInBrowser opens a one-time link for userID (0: the office) and
// presses the button, as a person would.
func (f *fixture) signInBrowser(ctx context.Context, userID int64) {
	f.t.Helper()
	do(f.t, ctx,
		chromedp.Navigate(f.loginLink(userID)),
		chromedp.Click(chromedp.ID("enter")),
		chromedp.WaitVisible(chromedp.CSS("header.top")),
	)
}

func TestBrowserLoginByLink(t *testing.T) {
	ctx := browser(t, 412, 915)
	f := newFixture(t)
	do(t, ctx, chromedp.Navigate(f.http.URL+"/grid"))
	if before := text(t, ctx, "#login"); !strings.Contains(before, "请登录后查看") {
		t.Fatalf("without a session the grid shows %q", before)
	}
	f.signInBrowser(ctx, officeUser)
	do(t, ctx, chromedp.Navigate(f.http.URL+"/?period=2017-04"))
	if projects := text(t, ctx, "#projects"); !strings.Contains(projects, "强区放权体制机制改革") {
		t.Fatalf("overview projects: %q", projects)
	}
}

func TestBrowserGridMatchesJSONDigest(t *testing.T) {
	ctx := browser(t, 1280, 900)
	f := newFixture(t)
	f.signInBrowser(ctx, officeUser)
	do(t, ctx, chromedp.Navigate(f.http.URL+"/grid"), chromedp.WaitVisible(chromedp.ID("grid")))
	cells := eval[map[string][]string](t, ctx, `(() => {
		const out = {};
		document.querySelectorAll('#grid td a[href$="#p-2017-04"]').forEach(a => {
			out[decodeURIComponent(new URL(a.href).pathname.split("/")[2])] = [...a.querySelectorAll("i")].map(i => i.className);
		});
		return out;
	})()`)
	digestJSON := eval[string](t, ctx, `fetch("/api/digest?period=2017-04").then(r => r.text())`)
	var d struct {
		Measures []struct {
			ID    string `json:"id"`
			Units []struct {
				Status *string `json:"status_code"`
			} `json:"units"`
		} `json:"measures"`
	}
	if err := json.Unmarshal([]byte(digestJSON), &d); err != nil {
		t.Fatalf("digest from the browser: %v", err)
	}
	if len(d.Measures) == 0 || len(cells) != len(d.Measures) {
		t.Fatalf("grid has %d April cells, digest %d measures", len(cells), len(d.Measures))
	}
	colored := 0
	for _, m := range d.Measures {
		got := cells[m.ID]
		if len(got) != len(m.Units) {
			t.Fatalf("%s: %d units in the grid, %d in the digest", m.ID, len(got), len(m.Units))
		}
		for i, u := range m.Units {
			want := statusClass("")
			if u.Status != nil {
				want = statusClass(plan.Status(*u.Status))
				colored++
			}
			if got[i] != want {
				t.Errorf("%s unit %d: grid %q, digest %q", m.ID, i, got[i], want)
			}
		}
	}
	if colored == 0 {
		t.Fatal("no reported pair in April: the test proves nothing")
	}
}

func TestBrowserMeasureWithAttachment(t *testing.T) {
	ctx := browser(t, 412, 915)
	f := newFixture(t)
	f.signInBrowser(ctx, officeUser)
	do(t, ctx, chromedp.Navigate(f.http.URL+"/measure/2.1.1"))
	if body := text(t, ctx, "main"); !contains(body, "会议纪要.pdf", "初稿退回修改", "已被替换") {
		t.Errorf("measure page: %q", body)
	}
	file := eval[string](t, ctx, `fetch(document.querySelector("a.file").href).then(r => r.text())`)
	if file != "%PDF-1.4 会议纪要" {
		t.Errorf("attachment through the browser: %q", file)
	}
}

func TestBrowserUnitContactRefusedOtherUnit(t *testing.T) {
	ctx := browser(t, 412, 915)
	f := newFixture(t)
	f.signInBrowser(ctx, unitUser)
	do(t, ctx, chromedp.Navigate(f.http.URL+"/"))
	own := text(t, ctx, "#unit-name")
	do(t, ctx, chromedp.Navigate(f.http.URL+"/unit/"+otherUnit))
	other := text(t, ctx, "#error")
	if own != unitName || !strings.Contains(other, "无权查看") {
		t.Errorf("home %q, other unit %q", own, other)
	}
}

func TestBrowserMiniApp(t *testing.T) {
	ctx := browser(t, 412, 915)
	f := newFixture(t)
	valid := SignInitData(f.api.Token(), officeUser, "王", f.clock().Add(-time.Minute))
	do(t, ctx, chromedp.Navigate(f.http.URL+"/?period=2017-04#tgWebAppData="+url.QueryEscape(valid)+"&tgWebAppVersion=7.0"))
	// The page signs in and reloads itself: wait for the reloaded page,
	// asking again when the reload cuts a question short.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && !!document.getElementById("projects")`))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("valid initData: no overview: %v", err)
		}
	}
	if projects := text(t, ctx, "#projects"); !strings.Contains(projects, "强区放权") {
		t.Fatalf("valid initData: %q", projects)
	}

	for name, data := range map[string]string{
		"tampered": strings.Replace(valid, "%E7%8E%8B", "%E6%9D%8E", 1),
		"stale":    SignInitData(f.api.Token(), officeUser, "王", f.clock().Add(-25*time.Hour)),
	} {
		ctx := browser(t, 412, 915)
		do(t, ctx,
			chromedp.Navigate(f.http.URL+"/#tgWebAppData="+url.QueryEscape(data)),
			chromedp.WaitVisible(chromedp.ID("tma-wait")),
		)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("tma-wait").textContent.includes("失败")`)); err != nil {
			t.Fatalf("%s initData: no refusal shown: %v", name, err)
		}
		if msg := text(t, ctx, "main"); strings.Contains(msg, "强区放权") {
			t.Errorf("%s initData let the page through", name)
		}
	}
}
