package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

// The fixture's people: an office contact and two unit contacts.
const (
	officeUser = 100
	unitUser   = 200 // 区编办
	otherUser  = 300 // 区法制办
	unitName   = "区编办"
	otherUnit  = "区法制办"
)

// fixture is a dashboard over a store with a few months of reports, one
// with a file held by the fake Bot API.
type fixture struct {
	t      *testing.T
	db     *store.DB
	api    *fakeapi.Server
	srv    *Server
	http   *httptest.Server
	plan   *plan.Plan
	sched  *schedule.Scheduler
	loc    *time.Location
	mu     sync.Mutex
	now    time.Time
	fileID string // the attachment's file_id on the fake Bot API
	attID  int64
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, loc: loc, plan: plan.Default(), now: time.Date(2017, 5, 10, 10, 0, 0, 0, loc)}
	f.api = fakeapi.NewServer(t)
	f.db, err = store.Open(ctx, filepath.Join(t.TempDir(), "web.db"), store.Options{Now: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.db.Close() })
	if _, err := f.db.Activate(ctx, f.plan); err != nil {
		t.Fatal(err)
	}
	f.bind(officeUser, store.RoleOffice, "")
	f.bind(unitUser, store.RoleContact, unitName)
	f.bind(otherUser, store.RoleContact, otherUnit)

	// A document the unit contact sent to the bot, as Telegram holds it.
	f.fileID = f.uploadedFileID([]byte("%PDF-1.4 会议纪要"))
	f.report("2.1.1", unitName, "2017-03", plan.OnTrack, "梳理权责清单。", nil)
	f.report("2.1.1", unitName, "2017-04", plan.OnTrack, "初稿完成。", nil)
	f.report("2.1.1", unitName, "2017-04", plan.Behind, "初稿退回修改。", &store.Attachment{
		Kind: store.Document, FileID: f.fileID, FileUniqueID: "u1", FileName: "会议纪要.pdf", MimeType: "application/pdf", Size: 20,
	})
	f.report("2.1.1", otherUnit, "2017-04", plan.NeedsHelp, "需要编制支持。", nil)
	f.report("2.1.2", unitName, "2017-04", plan.Done, "已完成。", nil)
	f.report("2.1.1", unitName, "2017-05", plan.OnTrack, "修改稿已报。", nil)

	cfg := schedule.DefaultConfig(f.plan.Reporting.Cadence)
	cfg.Location = loc
	f.sched, err = schedule.New(cfg, f.db, f.plan, nil, slog.New(slog.DiscardHandler), f.clock)
	if err != nil {
		t.Fatal(err)
	}
	f.srv, err = New(ctx, Config{
		Plan: f.plan, Store: f.db, Digests: f.sched, Location: loc, Now: f.clock,
		Files:    BotFiles{APIURL: f.api.URL(), Token: f.api.Token()},
		BotToken: f.api.Token(),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.http = httptest.NewServer(f.srv.Handler())
	t.Cleanup(f.http.Close)
	return f
}

func (f *fixture) bind(userID int64, role store.Role, unit string) {
	f.t.Helper()
	ctx := context.Background()
	code, _, err := f.db.CreateInvite(ctx, role, unit, time.Hour)
	if err != nil {
		f.t.Fatal(err)
	}
	err = f.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: userID, ChatID: userID, Name: "联络人" + itoa(int(userID))}, store.AttemptLimit{})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) report(measure, unit string, period plan.Period, st plan.Status, text string, att *store.Attachment) {
	f.t.Helper()
	ctx := context.Background()
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.SaveReport(ctx, store.Report{PlanYear: f.plan.Key(), MeasureID: measure, Unit: unit, Period: period, Status: st, Text: text, ReporterID: unitUser, ReporterName: "张三"})
		if err == nil && att != nil {
			var a store.Attachment
			a, err = tx.AddAttachment(ctx, r.ID, *att)
			f.attID = a.ID
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	f.advance(time.Minute)
}

// uploadedFileID has a user send data to the fake Bot API and returns the
// file_id the bot would see.
func (f *fixture) uploadedFileID(data []byte) string {
	f.t.Helper()
	f.api.SendDocumentBytes(fakeapi.User{ID: unitUser, FirstName: "张三"}, "会议纪要.pdf", data, "")
	resp, err := http.Get(f.api.URL() + "/bot" + f.api.Token() + "/getUpdates?timeout=0")
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Result []struct {
			Message struct {
				Document struct {
					FileID string `json:"file_id"`
				} `json:"document"`
			} `json:"message"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || len(got.Result) == 0 {
		f.t.Fatalf("getUpdates: %v %+v", err, got)
	}
	return got.Result[len(got.Result)-1].Message.Document.FileID
}

// loginLink makes a one-time link's URL for a contact (0: the office).
func (f *fixture) loginLink(userID int64) string {
	f.t.Helper()
	token, err := CreateLoginLink(context.Background(), f.db, userID, userID == 0, f.clock())
	if err != nil {
		f.t.Fatal(err)
	}
	return f.http.URL + "/login/" + token
}

// client is a browser-like HTTP client with cookies that does not follow
// redirects.
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn redeems a fresh link for userID with c.
func (f *fixture) signIn(c *http.Client, userID int64) {
	f.t.Helper()
	link := f.loginLink(userID)
	resp, err := c.PostForm(link, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("redeeming the link: %s", resp.Status)
	}
}

// get fetches path with c and returns the status and body.
func (f *fixture) get(c *http.Client, path string, header ...string) (int, string) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.http.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
