package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// FuzzUpdate feeds arbitrary JSON to Process, the one door every update
// comes through (getUpdates and the webhook alike). Whatever comes in,
// nothing panics and nothing is logged as a failure; an update with an id
// is recorded in the inbox, its handler having run once if our types can
// read it (an unreadable one is recorded as failed, unhandled); delivered
// again, it is skipped.
//
// The seeds are updates as the fake Bot API builds them (text, commands,
// buttons, photos, documents, edits, groups, blocking) and kinds it does
// not (channel posts, inline queries, polls, forged buttons).
//
//	go test -run='^$' -fuzz=FuzzUpdate -fuzztime=20s ./bot
func FuzzUpdate(f *testing.F) {
	for _, raw := range seedUpdates(f) {
		f.Add(raw)
	}
	ctx := context.Background()
	clk := &clock{t: time.Date(2017, 4, 20, 10, 0, 0, 0, shanghai)}
	db, err := store.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"), store.Options{Now: clk.Now})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	p := testPlan()
	if _, err := db.Activate(ctx, p); err != nil {
		f.Fatal(err)
	}
	// Process never calls Telegram: replies go to the outbox. The URL is
	// never dialled. Warnings and errors are what a failing or panicking
	// handler logs.
	var complaints atomic.Int64
	var lastComplaint atomic.Value
	log := slog.New(complaintHandler{n: &complaints, last: &lastComplaint})
	// No flood budget: the fuzzer sends thousands of updates from one user
	// within the clock's one minute, and each must reach its handler (the
	// budget has tests of its own).
	b, err := New(Config{Token: fakeapi.DefaultToken, APIURL: "http://127.0.0.1:1", Location: shanghai,
		Budget: UserBudget{PerMinute: -1}}, db, p, log)
	if err != nil {
		f.Fatal(err)
	}
	var handled atomic.Int64
	b.beforeHandle = func(*models.Update) { handled.Add(1) }
	// Bound contacts, so that the seeds reach the handlers behind binding.
	for _, c := range []struct {
		id   int64
		role store.Role
		unit string
	}{{1001, store.RoleContact, "区编办"}, {1002, store.RoleContact, "区财政局"}, {9001, store.RoleOffice, ""}} {
		code, _, err := db.CreateInvite(ctx, c.role, c.unit, time.Hour)
		if err != nil {
			f.Fatal(err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: c.id, ChatID: c.id, Name: "x"}, store.AttemptLimit{})
			return err
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	var next atomic.Int64
	next.Store(1 << 40)

	f.Fuzz(func(t *testing.T, data []byte) {
		raw := data
		id := int64(0)
		var fields map[string]json.RawMessage
		if json.Unmarshal(data, &fields) == nil && fields != nil {
			// A fresh id, so that every input is a new update.
			id = next.Add(1)
			fields["update_id"] = json.RawMessage(itoa(id))
			raw, _ = json.Marshal(fields)
		}
		complained, ran := complaints.Load(), handled.Load()
		got, err := b.Process(ctx, raw)
		if err != nil {
			t.Fatalf("Process: %v", err)
		}
		if id == 0 {
			if got != 0 || handled.Load() != ran {
				t.Fatalf("Process took update %d from input without an update_id: %q", got, data)
			}
			return
		}
		if got != id {
			t.Fatalf("Process = %d, want %d", got, id)
		}
		if complaints.Load() != complained {
			t.Fatalf("Process complained: %v\nupdate: %s", lastComplaint.Load(), raw)
		}
		var upd models.Update
		wantRuns := int64(0)
		if json.Unmarshal(raw, &upd) == nil {
			wantRuns = 1 // an update our types cannot read is recorded, not handled
		}
		if n := handled.Load() - ran; n != wantRuns {
			t.Fatalf("the handler ran %d times, want %d: %s", n, wantRuns, raw)
		}
		if last, err := db.LastUpdateID(ctx); err != nil || last != id {
			t.Fatalf("last update in the inbox = %d, %v; want %d", last, err, id)
		}
		// Delivered again, as after a crash before the offset moved: skipped.
		if got, err := b.Process(ctx, raw); err != nil || got != id {
			t.Fatalf("second Process = %d, %v", got, err)
		}
		if n := handled.Load() - ran; n != wantRuns {
			t.Fatalf("the update was handled again when delivered twice: %s", raw)
		}
	})
}

// complaintHandler counts log records at warning level and above.
type complaintHandler struct {
	n    *atomic.Int64
	last *atomic.Value
}

func (h complaintHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h complaintHandler) Handle(_ context.Context, r slog.Record) error {
	var sb strings.Builder
	sb.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&sb, " %s=%v", a.Key, a.Value)
		return true
	})
	h.last.Store(sb.String())
	h.n.Add(1)
	return nil
}

func (h complaintHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h complaintHandler) WithGroup(string) slog.Handler      { return h }

// seedUpdates returns updates as the fake Bot API serializes them, plus
// hand-written kinds it does not build.
func seedUpdates(tb testing.TB) [][]byte {
	tb.Helper()
	fixed := time.Date(2017, 4, 20, 10, 0, 0, 0, shanghai)
	api := fakeapi.New(fakeapi.WithClock(func() time.Time { return fixed }))
	defer api.Close()
	zhang := fakeapi.User{ID: 1001, FirstName: "张三", Username: "zhang"}
	boss := fakeapi.User{ID: 9001, FirstName: "主任"}
	stranger := fakeapi.User{ID: 4242, FirstName: "路人"}
	api.SendText(stranger, "/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	api.SendText(zhang, "/start")
	api.SendText(zhang, "我的任务")
	api.SendText(zhang, "/tasks@"+fakeapi.DefaultBotUsername)
	api.SendText(zhang, "搜索 棚改")
	api.SendText(zhang, "已完成权责清单的梳理，正在征求意见。")
	api.SendText(zhang, "/cancel")
	api.SendText(boss, "/unit 区编办")
	api.SendText(boss, "/measure 2.1.1")
	api.SendText(boss, "本期总览")
	api.Press(zhang, 1, "r:2.1.1:2017-04")
	api.Press(zhang, 1, "s:2.1.1:2017-04:3")
	api.Press(zhang, 1, "r:3.1.1:2017-04") // another unit's measure
	api.Press(zhang, 1, "a:2.1.1:2017")
	api.Press(zhang, 1, "f:1")
	api.Press(zhang, 1, "m:2.1.1")
	api.Press(zhang, 1, "x")
	api.SendPhoto(zhang, "现场照片")
	api.SendDocument(zhang, "方案.pdf", 120*1024, "实施方案")
	api.SendDocument(zhang, "录像.mp4", 300<<20, "")
	api.SendSticker(zhang)
	api.EditText(zhang, 1, "改过的话")
	api.Reply(zhang, 1, "回复")
	api.SendGroupText(zhang, -100123, "/tasks")
	api.UserBlocksBot(zhang)

	form := url.Values{"timeout": {"0"}, "allowed_updates": {`["message","edited_message","callback_query","my_chat_member"]`}}
	resp, err := http.PostForm(api.URL()+"/bot"+api.Token()+"/getUpdates", form)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Result []json.RawMessage `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || len(r.Result) == 0 {
		tb.Fatalf("getUpdates from the fake: %d updates, %v", len(r.Result), err)
	}
	var seeds [][]byte
	for _, raw := range r.Result {
		seeds = append(seeds, raw)
	}
	for _, raw := range []string{
		`{"update_id":1,"channel_post":{"message_id":1,"date":1,"chat":{"id":-1001,"type":"channel","title":"c"},"text":"hi"}}`,
		`{"update_id":2,"inline_query":{"id":"1","from":{"id":1001,"is_bot":false,"first_name":"x"},"query":"棚改","offset":""}}`,
		`{"update_id":3,"poll":{"id":"p","question":"?","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}`,
		`{"update_id":4,"message":{"message_id":3,"date":1,"chat":{"id":78,"type":"private"},"from":{"id":78,"is_bot":false,"first_name":"x"},"text":123}}`,
		`{"update_id":5,"callback_query":{"id":"q","from":{"id":1001,"is_bot":false,"first_name":"y"},"chat_instance":"1","data":"s:2.1.1:2017-04:99"}}`,
		`{"update_id":6,"message":{"message_id":4,"date":1,"chat":{"id":1001,"type":"private"},"from":{"id":1001,"is_bot":true,"first_name":"bot"},"text":"/start"}}`,
		`{"update_id":7,"message":{"message_id":5,"date":1,"chat":{"id":0,"type":"private"},"from":{"id":0,"is_bot":false,"first_name":""},"text":""}}`,
		`{"update_id":8}`,
		`[]`,
		`null`,
	} {
		seeds = append(seeds, []byte(raw))
	}
	return seeds
}
