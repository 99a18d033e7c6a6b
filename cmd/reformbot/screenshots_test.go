package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestScreenshots writes the screenshots in docs/screenshots from the demo,
// at a phone's and a desktop's width. It runs only when asked:
//
//	REFORMBOT_SCREENSHOTS=../../docs/screenshots go test ./cmd/reformbot -run Screenshots
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("REFORMBOT_SCREENSHOTS")
	if dir == "" {
		t.Skip("set REFORMBOT_SCREENSHOTS=DIR to write the screenshots")
	}
	path := ""
	for _, c := range []string{os.Getenv("REFORMBOT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if c != "" {
			if p, err := execLookPath(c); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		t.Fatal("screenshots need Chromium")
	}
	ctx, cancel := context.WithCancel(context.Background())
	env, out, errOut := testEnv(nil, time.Now())
	env.Now = time.Now
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--http", "127.0.0.1:0", "--db", t.TempDir() + "/demo.db"}, env)
	}()
	defer func() { cancel(); <-done }()
	var url string
	re := regexp.MustCompile(`open (http://\S+) in your browser`)
	for deadline := time.Now().Add(30 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("no demo: %s", errOut.String())
	}

	shoot := func(name string, width, height int, steps func(ctx context.Context) error) {
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("hide-scrollbars", true), chromedp.WindowSize(width, height))...)
		defer cancelAlloc()
		bctx, cancelBrowser := chromedp.NewContext(actx)
		defer cancelBrowser()
		bctx, cancelTimeout := context.WithTimeout(bctx, 60*time.Second)
		defer cancelTimeout()
		if err := chromedp.Do(bctx, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`!!document.querySelector('#who option[value="20001"]')`)); err != nil {
			t.Fatal(err)
		}
		if err := steps(bctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		time.Sleep(500 * time.Millisecond) // fonts and the chat's poll settle
		png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	asOffice := chromedp.Evaluate[chromedp.Void](`fetch("/demo/as", {method: "POST", headers: {"X-Demo": "1"}, body: JSON.stringify({user: 10001})})`, chromedp.EvalAwaitPromise)
	page := func(p string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			return chromedp.Do(ctx, asOffice, chromedp.Navigate(url+p))
		}
	}
	for _, size := range []struct {
		suffix        string
		width, height int
	}{{"phone", 412, 915}, {"desktop", 1280, 860}} {
		shoot("overview-"+size.suffix, size.width, size.height, page("/overview?period=2017-03"))
		shoot("grid-"+size.suffix, size.width, size.height, page("/grid"))
		shoot("measure-"+size.suffix, size.width, size.height, page("/measure/2.1.1"))
		shoot("unit-"+size.suffix, size.width, size.height, page("/unit/区编办"))
	}
	// The demo: a unit's contact has opened a task; the dashboard beside.
	shoot("demo-desktop", 1280, 860, func(ctx context.Context) error {
		tap := func(label string) error {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const b = [...document.querySelectorAll("#chat button, #kbd button")].reverse()
				.find(b => b.textContent.includes("`+label+`")); if (b) { b.click(); return true; } return false; })()`))
			return err
		}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("who"); s.value = "20001"; s.dispatchEvent(new Event("change")); })()`)); err != nil {
			return err
		}
		time.Sleep(500 * time.Millisecond)
		for _, label := range []string{"我的任务", "2.1.1", "填报进展"} {
			if err := tap(label); err != nil {
				return err
			}
		}
		time.Sleep(1500 * time.Millisecond)
		return nil
	})
}

func execLookPath(name string) (string, error) { return exec.LookPath(name) }
