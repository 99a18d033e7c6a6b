package main

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserDemoChatCompletesAReport runs `reformbot demo` and, in
// headless Chromium, becomes a unit's contact, taps 我的任务, a task,
// 填报进展 and a status, types the progress, and finds it saved in the
// chat and on the dashboard; then steps the clock and is told what ran.
// Like the web package's browser tests it skips without Chromium unless
// REFORMBOT_BROWSER_TESTS is set.
func TestBrowserDemoChatCompletesAReport(t *testing.T) {
	path := ""
	for _, c := range []string{os.Getenv("REFORMBOT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(c); c != "" && err == nil {
			path = p
			break
		}
	}
	if path == "" {
		msg := "browser tests need Chromium: apt-get install -y chromium (or set REFORMBOT_CHROMIUM), then go test ./cmd/reformbot -run Browser"
		if os.Getenv("REFORMBOT_BROWSER_TESTS") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}

	ctx, cancel := context.WithCancel(context.Background())
	env, out, errOut := testEnv(nil, time.Now())
	env.Now = time.Now
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--http", "127.0.0.1:0", "--db", t.TempDir() + "/demo.db"}, env)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo: %v\n%s", err, errOut.String())
		}
	})
	var url string
	re := regexp.MustCompile(`open (http://\S+) in your browser`)
	for deadline := time.Now().Add(30 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("demo printed no URL: %q %q", out.String(), errOut.String())
	}

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	bctx, cancelTimeout := context.WithTimeout(bctx, 120*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelBrowser(); cancelAlloc() })

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// tap presses the newest button whose text contains label, waiting for
	// it to appear (the bot answers within a second or so).
	tap := func(label string) {
		t.Helper()
		js := `(() => { const b = [...document.querySelectorAll("#chat button, #kbd button")].reverse()
			.find(b => b.textContent.includes(` + strconv.Quote(label) + `)); if (b) { b.click(); return true; } return false; })()`
		if _, err := chromedp.Run(bctx, chromedp.Poll[bool](js)); err != nil {
			t.Fatalf("no button %q: %v", label, err)
		}
	}
	step("open the demo", chromedp.Navigate(url))
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`!!document.querySelector('#who option[value="20001"]')`)); err != nil {
		t.Fatalf("no people to pick: %v", err)
	}
	step("become 区编办's contact", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("who"); s.value = "20001"; s.dispatchEvent(new Event("change")); })()`))
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.getElementById("chat-title").textContent.includes("区编办")`)); err != nil {
		t.Fatal(err)
	}
	tap("我的任务")
	tap("2.1.1")
	tap("填报进展")
	tap("按计划推进")
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`[...document.querySelectorAll("#chat .msg")].some(m => m.textContent.includes("状态：按计划推进"))`)); err != nil {
		t.Fatalf("no prompt for the text: %v", err)
	}
	step("type the progress",
		chromedp.SendKeys(chromedp.ID("text"), "权责清单初稿已完成，下周征求意见。"),
		chromedp.Click(chromedp.ID("send")),
	)
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`[...document.querySelectorAll("#chat .msg")].some(m => m.textContent.includes("已保存"))`)); err != nil {
		t.Fatalf("the report was not confirmed in the chat: %v", err)
	}
	// The dashboard beside the chat shows it (the visitor is signed in as
	// the contact they picked).
	page, err := chromedp.Run(bctx, chromedp.Evaluate[string](`fetch("/measure/2.1.1").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page, "权责清单初稿已完成") {
		t.Fatalf("the dashboard lacks the report")
	}
	// ⏭ runs the next scheduled action (April's prompt) and says so.
	step("step to the next scheduled action", chromedp.Click(chromedp.ID("next")))
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.getElementById("ran").textContent.includes("刚才：") &&
		document.getElementById("ran").textContent.includes("每月填报提醒")`)); err != nil {
		t.Fatalf("the step did not say what it ran: %v", err)
	}
}
