package main

import (
	"embed"
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/web"
)

//go:embed demo_assets
var demoAssets embed.FS

// demo is the demo page's server side: who the visitor can be, the chats
// as the fake Bot API holds them, and the clock control.
type demo struct {
	api    *fakeapi.Server
	sched  *schedule.Scheduler
	web    *web.Server
	clock  *demoClock
	people []demoPerson
	loc    *time.Location
	log    *slog.Logger

	mu   sync.Mutex
	said map[int64][]said // what each person typed or sent, for the transcript
	done time.Time        // every scheduled action due by then has been run
	// next serialises steps: one at a time.
	next sync.Mutex
}

// said is something the visitor sent, placed after the bot's first
// `after` recorded messages in that chat.
type said struct {
	after int
	text  string
}

func (d *demo) page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := demoAssets.ReadFile("demo_assets/index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(page)
	})
}

func (d *demo) mount(ws *web.Server) {
	static, _ := fs.Sub(demoAssets, "demo_assets")
	ws.Handle("GET /demo/static/", http.StripPrefix("/demo/static/", http.FileServerFS(static)))
	ws.Handle("GET /demo/state", http.HandlerFunc(d.state))
	ws.Handle("GET /demo/chat", http.HandlerFunc(d.chat))
	ws.Handle("POST /demo/send", d.action(d.send))
	ws.Handle("POST /demo/press", d.action(d.press))
	ws.Handle("POST /demo/attach", d.action(d.attach))
	ws.Handle("POST /demo/next", d.action(d.advance))
	ws.Handle("POST /demo/as", d.action(d.as))
}

// demoRequest is the body of every demo action.
type demoRequest struct {
	User    int64  `json:"user"`
	Text    string `json:"text"`
	Message int    `json:"message"`
	Data    string `json:"data"`
}

// action decodes a demo action. The custom header cannot be sent by a form
// or a cross-site request without a CORS preflight this server never
// grants, so another page cannot drive the demo.
func (d *demo) action(fn func(w http.ResponseWriter, r *http.Request, req demoRequest, p demoPerson) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Demo") != "1" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var req demoRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		p, ok := d.person(req.User)
		if !ok && r.URL.Path != "/demo/next" {
			http.Error(w, "no such person", http.StatusBadRequest)
			return
		}
		if err := fn(w, r, req, p); err != nil {
			d.log.Warn("demo", "path", r.URL.Path, "err", err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if w.Header().Get("Content-Type") == "" {
			w.WriteHeader(http.StatusNoContent)
		}
	})
}

func (d *demo) person(id int64) (demoPerson, bool) {
	for _, p := range d.people {
		if p.ID == id {
			return p, true
		}
	}
	return demoPerson{}, false
}

func (p demoPerson) user() fakeapi.User { return fakeapi.User{ID: p.ID, FirstName: p.Name} }

func (d *demo) remember(id int64, text string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.said == nil {
		d.said = map[int64][]said{}
	}
	d.said[id] = append(d.said[id], said{after: len(d.api.SentTo(id)), text: text})
}

func (d *demo) send(w http.ResponseWriter, r *http.Request, req demoRequest, p demoPerson) error {
	if req.Text == "" {
		return nil
	}
	d.remember(p.ID, req.Text)
	d.api.SendText(p.user(), req.Text)
	return nil
}

func (d *demo) press(w http.ResponseWriter, r *http.Request, req demoRequest, p demoPerson) error {
	d.api.Press(p.user(), req.Message, req.Data)
	return nil
}

func (d *demo) attach(w http.ResponseWriter, r *http.Request, req demoRequest, p demoPerson) error {
	d.remember(p.ID, "[照片] "+req.Text)
	d.api.SendPhoto(p.user(), req.Text)
	return nil
}

func (d *demo) as(w http.ResponseWriter, r *http.Request, req demoRequest, p demoPerson) error {
	d.web.SignIn(w, r, p.ID, p.Office)
	return nil
}

// advance is the 下一步 control: it moves the clock to the next time a
// scheduled action is due and runs, as cron would have, every action due
// by then that the demo has not run, in schedule order (the 1st's reminder
// and the 2nd's digest both moved to the 6th by a holiday run one after
// the other). It answers with what it ran.
func (d *demo) advance(w http.ResponseWriter, r *http.Request, _ demoRequest, _ demoPerson) error {
	d.next.Lock()
	defer d.next.Unlock()
	at, todo := d.due()
	d.clock.jumpTo(at)
	ran := []string{}
	for _, o := range todo {
		// A failure leaves done where it was: the next step runs the
		// rest again, and the campaigns keep what ran from running twice.
		if err := d.sched.Run(r.Context(), o, schedule.TriggerCron); err != nil {
			return err
		}
		ran = append(ran, d.label(o))
	}
	d.mu.Lock()
	if at.After(d.done) {
		d.done = at
	}
	d.mu.Unlock()
	writeJSON(w, map[string]any{"ran": ran})
	return nil
}

// due is what the next step does: the scheduled actions not yet run that
// are due by now, or else all those due at the next time one is; at is the
// time the clock is to show.
func (d *demo) due() (at time.Time, todo []schedule.Occurrence) {
	d.mu.Lock()
	done := d.done
	d.mu.Unlock()
	at = d.clock.Now()
	for _, o := range d.sched.Occurrences(done, at.AddDate(0, 3, 0)) {
		switch {
		case !o.Due.After(done):
		case !o.Due.After(at):
			todo = append(todo, o)
		case len(todo) == 0:
			at = o.Due
			todo = append(todo, o)
		default:
			// In order of due time: nothing further is due by at.
			sortOccurrences(todo)
			return at, todo
		}
	}
	sortOccurrences(todo)
	return at, todo
}

// sortOccurrences puts actions in schedule order: by due time, and those
// moved to the same time by the time their specs name.
func sortOccurrences(list []schedule.Occurrence) {
	slices.SortStableFunc(list, func(a, b schedule.Occurrence) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return a.Nominal.Compare(b.Nominal)
	})
}

// label names a scheduled action for the page: when, what, and the day it
// was moved from.
func (d *demo) label(o schedule.Occurrence) string {
	s := o.Due.In(d.loc).Format("1月2日 15:04 ") + demoKinds[o.Kind]
	if o.Moved != "" {
		s += "（原定" + o.Nominal.In(d.loc).Format("1月2日") + "，" + o.Moved + "）"
	}
	return s
}

var demoKinds = map[string]string{
	schedule.KindPrompt:     "每月填报提醒",
	schedule.KindRemind:     "催报未填报单位",
	schedule.KindDigest:     "月度汇总发给改革办",
	schedule.KindAcceptance: "年底成果验收通知",
}

var weekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}

func (d *demo) state(w http.ResponseWriter, r *http.Request) {
	now := d.clock.Now().In(d.loc)
	out := map[string]any{
		"now":    now.Format("2006年1月2日 ") + "星期" + weekdays[now.Weekday()] + now.Format(" 15:04"),
		"people": d.people,
	}
	if at, todo := d.due(); len(todo) > 0 {
		kinds := make([]string, len(todo))
		for i, o := range todo {
			kinds[i] = demoKinds[o.Kind]
		}
		out["next"] = at.In(d.loc).Format("1月2日 15:04 ") + strings.Join(kinds, "、")
	}
	writeJSON(w, out)
}

// chatLine is one message in the demo's phone.
type chatLine struct {
	ID      int                `json:"id,omitempty"`
	Me      bool               `json:"me"`
	Text    string             `json:"text"`
	Buttons [][]fakeapi.Button `json:"buttons,omitempty"`
	File    string             `json:"file,omitempty"`
	Photo   string             `json:"photo,omitempty"` // a data: URL
}

// chat is one person's chat as it stands: the bot's messages with edits
// applied, the visitor's own between them, and the reply keyboard.
func (d *demo) chat(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("user"), 10, 64)
	d.mu.Lock()
	mine := append([]said(nil), d.said[id]...)
	d.mu.Unlock()
	var lines []chatLine
	byID := map[int]int{}
	var keyboard [][]string
	for i, m := range d.api.SentTo(id) {
		for len(mine) > 0 && mine[0].after <= i {
			lines = append(lines, chatLine{Me: true, Text: mine[0].text})
			mine = mine[1:]
		}
		if m.IsEdit() {
			if j, ok := byID[m.MessageID]; ok {
				if m.Method == "editMessageText" {
					lines[j].Text = m.PlainText
				}
				lines[j].Buttons = nil
				if m.Markup != nil {
					lines[j].Buttons = m.Markup.InlineKeyboard
				}
			}
			continue
		}
		line := chatLine{ID: m.MessageID, Text: m.PlainText}
		if m.Markup != nil {
			line.Buttons = m.Markup.InlineKeyboard
			switch {
			case len(m.Markup.Keyboard) > 0:
				keyboard = m.Markup.Keyboard
			case m.Markup.RemoveKeyboard:
				keyboard = nil
			}
		}
		if m.Document != nil {
			line.File = m.Document.Name
		}
		if m.Photo != nil && len(m.Photo.Data) > 0 && len(m.Photo.Data) < 1<<20 {
			line.Photo = "data:image/png;base64," + base64.StdEncoding.EncodeToString(m.Photo.Data)
		}
		byID[m.MessageID] = len(lines)
		lines = append(lines, line)
	}
	for _, s := range mine {
		lines = append(lines, chatLine{Me: true, Text: s.text})
	}
	writeJSON(w, map[string]any{"lines": lines, "keyboard": keyboard})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
