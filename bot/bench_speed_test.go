package bot

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/sender"
	"github.com/luohu/reformbot/store"
)

// Telegram's limits as the strict fake counts them: messages in any
// trailing second, overall and per chat; a few to a user who is tapping.
const (
	strictGlobal      = 30
	strictPerChat     = 1
	strictInteractive = 3
)

// envFloat reads a positive number knob, or returns def.
func envFloat(name string, def float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil && f > 0 {
		return f
	}
	return def
}

// strictFanOut starts a fan-out of one period's prompts to contacts against
// the fake set to Telegram's limits counted in a strict one-second window,
// with the sender at rate (serve's --rate). It returns the harness and
// when the prompts were enqueued.
func strictFanOut(b *testing.B, contacts int, rate float64) (*harness, time.Time) {
	b.Helper()
	h := newHarness(b, withPlan(plan.Default()), withConfig(func(c *Config) {
		c.Send = sender.Config{Global: rate, PerChat: 1}
		// The harness's clock stands still, so a minute's budget would
		// never renew for the contact who reports on and on.
		c.Budget.PerMinute = -1
	}))
	h.api.SetWindowLimits(strictGlobal, strictPerChat, strictInteractive)
	population(b, h.db, h.plan, contacts, 100000)
	sched, err := schedule.New(schedule.DefaultConfig(plan.Monthly), h.db, h.plan, Compose{}, quietLog(), h.clock.Now)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if n, err := sched.PromptNow(context.Background(), "2017-04"); err != nil || n != contacts {
		b.Fatalf("PromptNow = %d, %v; want %d", n, err, contacts)
	}
	h.bot.Sender().Wake()
	return h, start
}

// countFanOut returns the contacts of a fan-out that got no prompt, and the
// prompts sent more than once.
func countFanOut(h *harness, contacts int) (lost, dup int) {
	got := map[int64]int{}
	for _, m := range h.api.Sent() {
		if strings.Contains(m.PlainText, "请填报") || m.ChatID >= 100000 {
			got[m.ChatID]++
		}
	}
	for j := range contacts {
		switch c := got[100000+int64(j)]; {
		case c == 0:
			lost++
		case c > 1:
			dup += c - 1
		}
	}
	return lost, dup
}

// BenchmarkFanOutStrict sends one period's prompts to 2,000 contacts
// (BENCH_FANOUT_CONTACTS) with the sender at BENCH_RATE (serve's --rate,
// default 30: serve's default), against the fake counting Telegram's limits
// in a strict one-second window: 30 in any second overall, 1 in any second
// to one chat. It reports the achieved rate as a fraction of 30 (from the
// enqueue to the last send accepted), lost and duplicated prompts and the
// 429s met. BENCH_CHAT_429=1 has the fake refuse one send midway with a 429
// (retry after 1), as Telegram does for one chat: it must hold that chat,
// not the fan-out.
func BenchmarkFanOutStrict(b *testing.B) {
	contacts := envInt("BENCH_FANOUT_CONTACTS", 2000)
	rate := envFloat("BENCH_RATE", 30)
	chat429 := os.Getenv("BENCH_CHAT_429") != ""
	var ratio, lost, dup, limited float64
	for range b.N {
		b.StopTimer()
		h, start := strictFanOut(b, contacts, rate)
		b.StartTimer()
		if chat429 {
			h.api.WaitFor(b, time.Minute, func(sent []fakeapi.Message) bool { return len(sent) >= contacts/2 })
			h.api.FailNext("sendMessage", 1, 429)
		}
		patience := time.Duration(3*float64(contacts)/strictGlobal)*time.Second + time.Minute
		sent := h.api.WaitFor(b, patience, func(sent []fakeapi.Message) bool { return len(sent) >= contacts })
		last := sent[0].Time
		for _, m := range sent {
			if m.Time.After(last) {
				last = m.Time
			}
		}
		b.StopTimer()
		waitOutbox(b, h, func(c map[string]int) bool { return c[store.Pending] == 0 })
		l, d := countFanOut(h, contacts)
		lost += float64(l)
		dup += float64(d)
		ratio += float64(contacts) / last.Sub(start).Seconds() / strictGlobal
		limited += float64(h.api.RateLimited())
		h.halt()
	}
	runs := float64(b.N)
	b.ReportMetric(ratio/runs, "rate/limit")
	b.ReportMetric(lost/runs, "lost")
	b.ReportMetric(dup/runs, "duplicated")
	b.ReportMetric(limited/runs, "429s")
	if lost > 0 || dup > 0 {
		b.Errorf("%v prompts lost, %v duplicated", lost, dup)
	}
}

// BenchmarkRepliesDuringFanOut has a contact report again and again at
// human pace (each step 500 ms after the bot's answer to the last: 我的任务,
// the measure, 填报进展, the status, the text) while a fan-out of 2,000
// prompts (BENCH_FANOUT_CONTACTS) goes out at serve's default rate against
// the strict fake. It reports each answer's wait (from the user's action to
// the bot's message at the fake) as p50/p99/max, and a report's time: the
// five waits of one report added up, the user's own pauses left out.
func BenchmarkRepliesDuringFanOut(b *testing.B) {
	contacts := envInt("BENCH_FANOUT_CONTACTS", 2000)
	const pause = 500 * time.Millisecond
	var p50, p99, worst, reportP50, reportMax, ratio float64
	for range b.N {
		b.StopTimer()
		h, start := strictFanOut(b, contacts, 30)
		u := fakeapi.User{ID: 7}
		h.bind(u, store.RoleContact, "区编办")
		var waits, reports []time.Duration
		var report time.Duration
		// step acts and waits for the answer containing want.
		step := func(act func(), want string) fakeapi.Message {
			since := len(h.sentTo(u.ID))
			t0 := time.Now()
			act()
			m := h.waitNew(u.ID, since, want)
			waits = append(waits, m.Time.Sub(t0))
			report += m.Time.Sub(t0)
			time.Sleep(pause)
			return m
		}
		fannedOut := func() bool {
			n := 0
			for _, m := range h.api.Sent() {
				if m.ChatID >= 100000 {
					n++
				}
			}
			return n >= contacts
		}
		b.StartTimer()
		for !fannedOut() {
			report = 0
			list := step(func() { h.api.SendText(u, "我的任务") }, "本期已填报")
			label := list.Markup.Buttons()[0].Text
			detail := step(func() { h.press(u, list, label) }, "任务内容")
			choose := step(func() { h.press(u, detail, "填报进展（2017年4月）") }, "（2017年4月）")
			if !strings.Contains(choose.PlainText, "请选择本期进展状态") {
				// Reported already this period (every measure, after the
				// first five rounds): the guard asks first, one tap more.
				choose = step(func() { h.press(u, choose, "更新") }, "请选择本期进展状态")
			}
			ask := step(func() { h.press(u, choose, "按计划推进") }, "状态：按计划推进")
			step(func() { h.api.Reply(u, ask.MessageID, "本月按计划推进。") }, "已保存")
			reports = append(reports, report)
		}
		sent := h.api.WaitFor(b, time.Minute, func(sent []fakeapi.Message) bool { return len(sent) >= contacts })
		b.StopTimer()
		last := sent[0].Time
		for _, m := range sent {
			if m.ChatID >= 100000 {
				if m.Time.After(last) {
					last = m.Time
				}
			}
		}
		ratio += float64(contacts) / last.Sub(start).Seconds() / strictGlobal
		slices.Sort(waits)
		slices.Sort(reports)
		p50 += ms(percentile(waits, 0.50))
		p99 += ms(percentile(waits, 0.99))
		worst += ms(waits[len(waits)-1])
		reportP50 += ms(percentile(reports, 0.50))
		reportMax += ms(reports[len(reports)-1])
		b.Logf("%d answers, %d reports during the fan-out", len(waits), len(reports))
		h.halt()
	}
	runs := float64(b.N)
	b.ReportMetric(p50/runs, "reply-p50-ms")
	b.ReportMetric(p99/runs, "reply-p99-ms")
	b.ReportMetric(worst/runs, "reply-max-ms")
	b.ReportMetric(reportP50/runs/1000, "report-p50-s")
	b.ReportMetric(reportMax/runs/1000, "report-max-s")
	b.ReportMetric(ratio/runs, "fanout-rate/limit")
}

// BenchmarkIntakeBacklog measures the intake against what the database can
// do at all. Updates arrive in backlogs of BENCH_BACKLOG (default 100: one
// getUpdates answer), each taken through the full durable path (handler,
// report, reply rows, inbox row, commit, the offset confirmed) before the
// next is pushed. In the same run, on the same file with the same
// settings, a bare loop commits one single-row INSERT a transaction. Each
// sub-benchmark reports updates/s, the bare loop's commits/s, and their
// ratio:
//
//   - texts: contacts who are writing a report each send its text, the
//     heaviest update there is (a report version saved, the reply, the
//     next measure looked up);
//   - reports: contacts tap through a whole report, as a backlog after an
//     outage holds them: 我的任务, a measure, 填报进展, a status, the text,
//     a backlog of each step in turn (per-step rates reported too);
//   - floor: no bot and no Telegram, only the store's statements that a
//     report text cannot do without (savepoint, inbox row, contact,
//     conversation, the version replaced and the new one, the next
//     conversation state, the reply row), 100 to a transaction: what the
//     pure-Go SQLite allows before any handler work (BENCH_FLOOR_IN_MEMORY=1:
//     without reading the contact and the conversation).
func BenchmarkIntakeBacklog(b *testing.B) {
	b.Run("floor", benchIntakeFloor)
	b.Run("texts", func(b *testing.B) { benchBacklog(b, true, []backlogStep{{"text", sendReportText}}) })
	b.Run("reports", func(b *testing.B) {
		benchBacklog(b, false, []backlogStep{
			{"tasks", func(api *fakeapi.Server, u fakeapi.User, _ plan.Assignment) int64 {
				return api.SendText(u, labelTasks)
			}},
			{"measure", func(api *fakeapi.Server, u fakeapi.User, a plan.Assignment) int64 {
				return api.Press(u, 1, callback{kind: cbMeasure, measureID: a.MeasureID}.String())
			}},
			{"report", func(api *fakeapi.Server, u fakeapi.User, a plan.Assignment) int64 {
				return api.Press(u, 2, callback{kind: cbReport, measureID: a.MeasureID, period: "2017-04"}.String())
			}},
			{"status", func(api *fakeapi.Server, u fakeapi.User, a plan.Assignment) int64 {
				return api.Press(u, 2, callback{kind: cbStatus, measureID: a.MeasureID, period: "2017-04", status: plan.OnTrack}.String())
			}},
			{"text", sendReportText},
		})
	})
}

func benchIntakeFloor(b *testing.B) {
	// BENCH_FLOOR_IN_MEMORY=1 leaves out reading the contact and the
	// conversation, as if both were kept in memory beside the database.
	inMemory := os.Getenv("BENCH_FLOOR_IN_MEMORY") == "1"
	backlog := envInt("BENCH_BACKLOG", 100)
	rounds := envInt("BENCH_BACKLOG_ROUNDS", 30)
	users := backlog * rounds
	ctx := context.Background()
	confirmation := store.Payload{ParseMode: "HTML",
		Text:        strings.Repeat("✅ 已保存 <b>2.1.1 深化行政审批制度改革</b> 2017年4月进展：\n单位：区编办\n状态：按计划推进\n", 3),
		ReplyMarkup: []byte(`{"inline_keyboard":[[{"text":"下一项：2.1.2","callback_data":"n:2.1.2:2017-04"}],[{"text":"返回我的任务","callback_data":"t"}]]}`)}
	var perSec, bare float64
	for range b.N {
		b.StopTimer()
		h := newHarness(b, withPlan(plan.Default()))
		h.halt() // the store alone
		pairs := population(b, h.db, h.plan, users, 100000)
		writing(b, h.db, pairs, 100000)
		b.StartTimer()
		start := time.Now()
		for r := range rounds {
			err := h.db.Update(ctx, func(tx *store.Tx) error {
				for j := r * backlog; j < (r+1)*backlog; j++ {
					user := 100000 + int64(j)
					fnErr, err := tx.Try(ctx, func() error {
						if _, err := tx.Claim(ctx, store.InboxEntry{UpdateID: user, UserID: user, Kind: "message", Outcome: store.OutcomeDone}); err != nil {
							return err
						}
						conv := store.Conversation{UserID: user, State: store.WritingText, MeasureID: pairs[j].MeasureID,
							Unit: pairs[j].Unit, Period: "2017-04", Status: plan.OnTrack}
						if !inMemory {
							if _, err := tx.Contact(ctx, user); err != nil {
								return err
							}
							var err error
							if conv, err = tx.Conversation(ctx, user); err != nil {
								return err
							}
						}
						rep, _, err := tx.ReplaceReport(ctx, store.Report{PlanYear: 2017, MeasureID: conv.MeasureID, Unit: conv.Unit,
							Period: conv.Period, Status: conv.Status, Text: "本月按计划推进，已完成方案起草。", ReporterID: user, ReporterName: "联络人"})
						if err != nil {
							return err
						}
						conv.ReportID, conv.State = rep.ID, store.Attaching
						if err := tx.SetConversation(ctx, conv); err != nil {
							return err
						}
						_, err = tx.Enqueue(ctx, store.Message{Key: fmt.Sprintf("reply:%d:0", user), Kind: store.KindReply, ChatID: user, UserID: user,
							Priority: store.PriorityReply, Method: store.SendMessage, Payload: confirmation})
						return err
					})
					if err = cmp.Or(err, fnErr); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		took := time.Since(start)
		b.StopTimer()
		if n := countRows(b, h.db.Path(), "reports"); n != users {
			b.Fatalf("%d report versions; want %d", n, users)
		}
		perSec += float64(users) / took.Seconds()
		bare += bareCommits(b, h.db.Path(), users)
	}
	runs := float64(b.N)
	b.ReportMetric(perSec/runs, "updates/s")
	b.ReportMetric(bare/runs, "bare-commits/s")
	b.ReportMetric(perSec/bare, "ratio")
}

// A backlogStep is one kind of update, sent by every contact of a backlog.
type backlogStep struct {
	name string
	send func(api *fakeapi.Server, u fakeapi.User, a plan.Assignment) int64
}

func sendReportText(api *fakeapi.Server, u fakeapi.User, _ plan.Assignment) int64 {
	return api.SendText(u, "本月按计划推进，已完成方案起草。")
}

func benchBacklog(b *testing.B, writingAlready bool, steps []backlogStep) {
	backlog := envInt("BENCH_BACKLOG", 100)
	rounds := envInt("BENCH_BACKLOG_ROUNDS", 30)
	users := backlog * rounds
	var perSec, bare float64
	stepBusy := make([]time.Duration, len(steps))
	for range b.N {
		b.StopTimer()
		h := newHarness(b, withPlan(plan.Default()), withConfig(func(c *Config) {
			c.Send = sender.Config{Global: 30, PerChat: 1}
		}))
		pairs := population(b, h.db, h.plan, users, 100000)
		if writingAlready {
			writing(b, h.db, pairs, 100000)
		}
		prompt(b, h)
		b.StartTimer()
		var busy time.Duration
		for r := range rounds {
			for i, step := range steps {
				start := time.Now()
				var last int64
				for j := r * backlog; j < (r+1)*backlog; j++ {
					last = step.send(h.api, fakeapi.User{ID: 100000 + int64(j)}, pairs[j])
				}
				h.api.WaitConfirmed(b, time.Minute, last)
				took := time.Since(start)
				busy += took
				stepBusy[i] += took
			}
		}
		b.StopTimer()
		counts, err := h.db.InboxCounts(context.Background())
		if err != nil || counts[store.OutcomeDone] != users*len(steps) {
			b.Fatalf("inbox %v, %v; want %d updates done", counts, err, users*len(steps))
		}
		h.halt()
		if n := countRows(b, h.db.Path(), "reports"); n != users {
			b.Fatalf("%d report versions; want %d: the updates did not do their work", n, users)
		}
		perSec += float64(users*len(steps)) / busy.Seconds()
		bare += bareCommits(b, h.db.Path(), users)
	}
	runs := float64(b.N)
	b.ReportMetric(perSec/runs, "updates/s")
	b.ReportMetric(bare/runs, "bare-commits/s")
	b.ReportMetric(perSec/bare, "ratio")
	if len(steps) > 1 {
		for i, step := range steps {
			b.ReportMetric(float64(users)*runs/stepBusy[i].Seconds(), step.name+"-updates/s")
		}
	}
}

// bareCommits commits n single-row transactions to the database at path,
// opened as the store opens it, and returns commits/s.
func bareCommits(b *testing.B, path string, n int) float64 {
	b.Helper()
	db := openRaw(b, path)
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_commits (n INTEGER, at TEXT)`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for i := range n {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_commits (n, at) VALUES (?, ?)`, i, time.Now().String()); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}

// openRaw opens the database at path with the store's durability settings
// (WAL, synchronous=NORMAL, BEGIN IMMEDIATE), bypassing the store.
func openRaw(b *testing.B, path string) *sql.DB {
	b.Helper()
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// countRows counts the rows of table in the database at path.
func countRows(b *testing.B, path, table string) int {
	b.Helper()
	db := openRaw(b, path)
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}
