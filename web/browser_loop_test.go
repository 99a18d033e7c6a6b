package web

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMeasureLoopOnAPhone: on a phone-wide screen the measure page
// shows the returned report as 需补充 with the office's comment and the
// 审阅与督办记录, within the screen's width. With REFORMBOT_SCREENSHOTS=DIR
// it writes the page to DIR/measure-loop.png.
func TestBrowserMeasureLoopOnAPhone(t *testing.T) {
	ctx := browser(t, 390, 1400)
	f := newFixture(t)
	f.loop()
	f.signInBrowser(ctx, officeUser)
	// Headless Chromium keeps a window at least 500 px wide: the phone's
	// width is emulated.
	do(t, ctx, chromedp.EmulateViewport(390, 1400, chromedp.EmulateMobile),
		chromedp.Navigate(f.http.URL+"/measure/2.1.1"), chromedp.WaitVisible(chromedp.ID("loop")))
	card := text(t, ctx, `article[data-unit="`+otherUnit+`"][data-period="2017-04"]`)
	if !contains(card, "需补充", returnComment) {
		t.Errorf("returned card: %q", card)
	}
	if loop := text(t, ctx, "#loop"); !contains(loop, "退回补充", "督办", "请于本周五前补报") {
		t.Errorf("history: %q", loop)
	}
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 || w < 300 {
		t.Errorf("the page is %d px wide on a 390 px screen", w)
	}
	shoot(t, ctx, "measure-loop.png")
	// The unit page: the returned report is its latest, marked 需补充.
	do(t, ctx, chromedp.Navigate(f.http.URL+"/unit/"+otherUnit), chromedp.WaitVisible(chromedp.ID("unit-grid")))
	if body := text(t, ctx, "main"); !contains(body, "需补充", returnComment) {
		t.Errorf("unit page: %q", body)
	}
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the unit page is %d px wide on a 390 px screen", w)
	}
	shoot(t, ctx, "unit-loop.png")
	// The overview lists the return, as the digest does.
	do(t, ctx, chromedp.Navigate(f.http.URL+"/?period=2017-04"), chromedp.WaitVisible(chromedp.ID("returned")))
	if returned := text(t, ctx, "#returned"); !contains(returned, "2.1.1", otherUnit, returnComment) {
		t.Errorf("overview: %q", returned)
	}
	shoot(t, ctx, "overview-loop.png")
}

// shoot writes the page to $REFORMBOT_SCREENSHOTS/name, when set.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("REFORMBOT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
