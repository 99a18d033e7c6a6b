package bot

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

// BenchmarkCityYear builds a city's year in the database the way serve
// would leave it, and measures its size and the month's digest.
//
// 670 measures (cityPlan), 2,000 unit contacts and 5 office contacts; in
// each of 12 months the prompts (the real scheduler's fan-out), two
// reminders, 1,700 report versions (20,400 in the year), each with the
// five updates and five replies of a report made by tapping, and the
// digest (messages, workbook, chart) to the office. Everything is marked
// sent as the sender would; once a month the sender's pruning runs (the
// sender runs it hourly), and the WAL is checkpointed at the end. The
// year is 2026 (its 12 periods). It reports the database's size (file and
// WAL) and December's digest built from the database: Build, text, JSON,
// XLSX.
func BenchmarkCityYear(b *testing.B) {
	for range b.N {
		b.StopTimer()
		cityYear(b)
	}
}

func cityYear(b *testing.B) {
	ctx := context.Background()
	h := newHarness(b, withPlan(cityPlan()))
	h.halt() // no sender: the benchmark marks what it would send
	start := time.Date(2026, 1, 20, 1, 0, 0, 0, time.UTC)
	h.clock.Set(start)
	pairs := population(b, h.db, h.plan, 2000, 100000)
	for i := range 5 {
		code, _, err := h.db.CreateInvite(ctx, store.RoleOffice, "", 24*time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		err = h.db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: int64(900 + i), ChatID: int64(900 + i), Name: "改革办"}, store.AttemptLimit{})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	sched, err := schedule.New(schedule.DefaultConfig(plan.Monthly), h.db, h.plan, Compose{}, quietLog(), h.clock.Now)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2026, 670))
	words := []rune("推进深化改革完善机制建立健全制度加快落实试点创新服务体系监管统筹协调优化营商环境城市更新医疗教育")
	phrase := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = words[rng.IntN(len(words))]
		}
		return string(r)
	}
	statuses := []plan.Status{plan.OnTrack, plan.OnTrack, plan.OnTrack, plan.Done, plan.Behind, plan.NeedsHelp}
	update := int64(1)
	sendAll := func() {
		for {
			due, err := h.db.DueMessages(ctx, h.clock.Now().Add(time.Hour), 1000)
			if err != nil {
				b.Fatal(err)
			}
			if len(due) == 0 {
				return
			}
			for _, m := range due {
				if err := h.db.MarkSent(ctx, m.ID, m.ID); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	for month := 1; month <= 12; month++ {
		period := plan.Period(fmt.Sprintf("2026-%02d", month))
		h.clock.Set(time.Date(2026, time.Month(month), 20, 1, 0, 0, 0, time.UTC))
		if _, err := sched.PromptNow(ctx, period); err != nil {
			b.Fatal(err)
		}
		sendAll()
		// 1,700 reports, made over the next days, each with its updates
		// and replies.
		for batch := 0; batch < 17; batch++ {
			h.clock.Set(time.Date(2026, time.Month(month), 21+batch/3, 2, batch, 0, 0, time.UTC))
			err := h.db.Update(ctx, func(tx *store.Tx) error {
				for range 100 {
					j := rng.IntN(len(pairs))
					a, user := pairs[j], int64(100000+j)
					text := phrase(80 + rng.IntN(200))
					if _, err := tx.SaveReport(ctx, store.Report{PlanYear: h.plan.Key(), MeasureID: a.MeasureID, Unit: a.Unit, Period: period,
						Status: statuses[rng.IntN(len(statuses))], Text: text, ReporterID: user, ReporterName: "联络人"}); err != nil {
						return err
					}
					for k := range 5 {
						if err := tx.RecordUpdate(ctx, store.InboxEntry{UpdateID: update, UserID: user, Kind: "callback_query", Outcome: store.OutcomeDone}); err != nil {
							return err
						}
						reply := "已保存。\n" + strings.Repeat("任务 "+a.MeasureID+" · "+string(period)+"\n", 3) + text
						if _, err := tx.Enqueue(ctx, store.Message{Key: fmt.Sprintf("reply:%d:%d", update, k), Kind: "reply", ChatID: user,
							UserID: user, Priority: store.PriorityReply, Method: store.SendMessage,
							Payload: store.Payload{Text: reply, ParseMode: "HTML", ReplyMarkup: []byte(`{"inline_keyboard":[[{"text":"返回我的任务","callback_data":"t"}]]}`)}}); err != nil {
							return err
						}
						update++
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			sendAll()
		}
		for _, day := range []int{28, 30} {
			h.clock.Set(time.Date(2026, time.Month(month), day, 1, 0, 0, 0, time.UTC))
			if _, err := sched.RemindNow(ctx, period); err != nil {
				b.Fatal(err)
			}
			sendAll()
		}
		h.clock.Set(time.Date(2026, time.Month(month), 28, 1, 0, 0, 0, time.UTC).AddDate(0, 0, 5))
		if _, err := sched.DigestNow(ctx, period); err != nil {
			b.Fatal(err)
		}
		sendAll()
		if _, err := h.db.PruneBodies(ctx, store.DefaultKeepBodies); err != nil {
			b.Fatal(err)
		}
		if _, err := h.db.PruneInbox(ctx, store.DefaultKeepInbox); err != nil {
			b.Fatal(err)
		}
		if os.Getenv("BENCH_CITY_LOG") != "" {
			b.Logf("%s: db %.1f MB, wal %.1f MB", period, float64(fileSize(b, h.db.Path()))/1e6, float64(fileSize(b, h.db.Path()+"-wal"))/1e6)
		}
	}
	if err := h.db.Checkpoint(ctx); err != nil {
		b.Fatal(err)
	}
	size := fileSize(b, h.db.Path()) + fileSize(b, h.db.Path()+"-wal")
	if dir := os.Getenv("BENCH_CITY_KEEP"); dir != "" {
		if err := h.db.Backup(ctx, dir+"/city.db"); err != nil {
			b.Log(err)
		}
	}
	counts, _ := h.db.OutboxCounts(ctx)
	b.ReportMetric(float64(size)/1e6, "db-MB")
	b.ReportMetric(float64(counts[store.Sent]), "messages")
	b.ReportMetric(float64(update-1), "updates")

	// December's digest from this database.
	timeIt := func(unit string, fn func()) {
		const n = 5
		t0 := time.Now()
		for range n {
			fn()
		}
		b.ReportMetric(float64(time.Since(t0).Microseconds())/1000/n, unit)
	}
	var d interface {
		Messages() []string
		JSON() ([]byte, error)
		XLSX() ([]byte, error)
	}
	b.StartTimer()
	timeIt("build-ms", func() {
		dd, err := sched.BuildDigest(ctx, "2026-12")
		if err != nil {
			b.Fatal(err)
		}
		d = dd
	})
	timeIt("text-ms", func() { d.Messages() })
	timeIt("json-ms", func() {
		if _, err := d.JSON(); err != nil {
			b.Fatal(err)
		}
	})
	timeIt("xlsx-ms", func() {
		if _, err := d.XLSX(); err != nil {
			b.Fatal(err)
		}
	})
	b.StopTimer()
}

func fileSize(b *testing.B, path string) int64 {
	st, err := os.Stat(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		b.Fatal(err)
	}
	return st.Size()
}
