package web

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// seen is one request the dashboard answered, as the browser made it.
type seen struct {
	path         string
	cookie, auth bool
	status       int
	ctype        string
}

type requestLog struct {
	mu   sync.Mutex
	reqs []seen
}

func (l *requestLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		_, err := r.Cookie(cookieName)
		l.mu.Lock()
		l.reqs = append(l.reqs, seen{r.URL.Path, err == nil, r.Header.Get("Authorization") != "", rec.status, rec.Header().Get("Content-Type")})
		l.mu.Unlock()
	})
}

func (l *requestLog) all() []seen {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]seen(nil), l.reqs...)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }

// TestBrowserTelegramWebAttachment opens the Mini App as Telegram's web
// client does: in an iframe of https://web.telegram.org (here a local
// server Chromium is told to reach under that name), the dashboard on
// another site. There the session cookie is refused and every page comes
// with the initData header; the photo of a report must still load.
func TestBrowserTelegramWebAttachment(t *testing.T) {
	f := newFixture(t)
	img := image.NewRGBA(image.Rect(0, 0, 160, 90))
	for x := range 160 {
		for y := range 90 {
			img.Set(x, y, color.RGBA{uint8(x), 120, uint8(2 * y), 255})
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	photo := f.uploadedFileID(pngData.Bytes())
	f.report("2.1.2", unitName, "2017-05", plan.OnTrack, "现场照片。", &store.Attachment{
		Kind: store.Photo, FileID: photo, FileUniqueID: "ph1", MimeType: "image/png", Size: int64(pngData.Len()),
	})

	var log requestLog
	dash := httptest.NewTLSServer(log.wrap(f.srv.Handler()))
	t.Cleanup(dash.Close)
	initData := SignInitData(f.api.Token(), officeUser, "王", f.clock())
	frame := dash.URL + "/measure/2.1.2#tgWebAppData=" + url.QueryEscape(initData) + "&tgWebAppVersion=8.0&tgWebAppPlatform=weba"
	tg := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Telegram Web</title><iframe id="app" src="%s" width="400" height="800"></iframe>`,
			strings.ReplaceAll(frame, "&", "&amp;"))
	}))
	t.Cleanup(tg.Close)

	ctx := browser(t, 500, 900,
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.Flag("host-resolver-rules", "MAP web.telegram.org:443 "+strings.TrimPrefix(tg.URL, "https://")),
	)
	do(t, ctx, chromedp.Navigate("https://web.telegram.org/k/"))

	var got []seen
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		got = log.all()
		done := false
		for _, r := range got {
			done = done || strings.HasPrefix(r.path, "/file/") && r.status == http.StatusOK
		}
		if done || time.Now().After(deadline) {
			break
		}
	}
	var header, file bool
	for _, r := range got {
		if r.cookie {
			t.Fatalf("the framed dashboard got its cookie back (%s): this is not Telegram Web's case; the test proves nothing", r.path)
		}
		header = header || r.auth && r.path == "/measure/2.1.2" && r.status == http.StatusOK
		if strings.HasPrefix(r.path, "/file/") {
			file = r.status == http.StatusOK && r.ctype == "image/png" && !r.auth
		}
	}
	if !header || !file {
		t.Fatalf("page by header %v, photo loaded alone %v; requests: %+v", header, file, got)
	}
}
