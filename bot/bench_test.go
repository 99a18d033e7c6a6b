package bot

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/sender"
	"github.com/luohu/reformbot/store"
)

// The benchmarks here measure the bot against the limits it lives within:
// Telegram's flood control for the fan-out, and one SQLite commit per update
// for the intake. docs/PERFORMANCE.md records the results and how to rerun
// them. Their sizes can be changed with environment variables, e.g.
// BENCH_FANOUT_CONTACTS=3000 BENCH_FANOUT_RATE=30 for the real Telegram
// limit (100 s a run).

// envInt reads a positive integer knob, or returns def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// population binds n contacts of the default plan's units round-robin over
// its assignments and returns, for each, the measure it reports on. Invites
// are made and redeemed as the operator and the contacts would; only the
// batching into a few transactions is the benchmark's.
func population(tb testing.TB, db *store.DB, p *plan.Plan, n int, firstUser int64) []plan.Assignment {
	tb.Helper()
	ctx := context.Background()
	var pairs []plan.Assignment
	for _, a := range p.Assignments() {
		if u, ok := p.Unit(a.Unit); ok && !u.Group {
			pairs = append(pairs, a)
		}
	}
	codes := make([]string, n)
	for i := range codes {
		code, _, err := db.CreateInvite(ctx, store.RoleContact, pairs[i%len(pairs)].Unit, 24*time.Hour)
		if err != nil {
			tb.Fatal(err)
		}
		codes[i] = code
	}
	out := make([]plan.Assignment, n)
	for start := 0; start < n; start += 500 {
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i := start; i < min(start+500, n); i++ {
				id := firstUser + int64(i)
				c := store.Contact{UserID: id, ChatID: id, Name: fmt.Sprintf("联络人%d", i)}
				if _, err := tx.RedeemInvite(ctx, codes[i], c, store.AttemptLimit{}); err != nil {
					return err
				}
				out[i] = pairs[i%len(pairs)]
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// BenchmarkFanOut sends one period's prompts to 3,000 contacts through the
// real scheduler and sender, against the fake Bot API enforcing an overall
// limit (300 msg/s, ten times Telegram's, to keep a run at ten seconds) and
// Telegram's 1 msg/s per chat, answering 429 to anything faster. The
// sender is configured at the limit (BENCH_FANOUT_SEND_RATE sets it apart,
// e.g. above the limit to see it recover from 429s). It reports the
// achieved rate as a fraction of the limit (from the moment the prompts
// are enqueued to the last one accepted), the contacts that got no prompt
// or more than one, and the 429s met.
func BenchmarkFanOut(b *testing.B) {
	contacts := envInt("BENCH_FANOUT_CONTACTS", 3000)
	limit := float64(envInt("BENCH_FANOUT_RATE", 300))
	// The sender's own setting; above limit it meets 429s and must slow down.
	configured := float64(envInt("BENCH_FANOUT_SEND_RATE", int(limit)))
	ctx := context.Background()
	var ratio, lost, dup, limited, enqueue float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		h := newHarness(b, withPlan(plan.Default()), withConfig(func(c *Config) {
			c.Send = sender.Config{Global: configured, PerChat: 1}
		}))
		h.api.SetLimits(limit, 1)
		population(b, h.db, h.plan, contacts, 100000)
		sched, err := schedule.New(schedule.DefaultConfig(plan.Monthly), h.db, h.plan, Compose{}, quietLog(), h.clock.Now)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		start := time.Now()
		n, err := sched.PromptNow(ctx, "2017-04")
		if err != nil || n != contacts {
			b.Fatalf("PromptNow = %d, %v; want %d", n, err, contacts)
		}
		enqueued := time.Since(start)
		h.bot.Sender().Wake()
		patience := time.Duration(10*float64(contacts)/limit)*time.Second + time.Minute
		sent := h.api.WaitFor(b, patience, func(sent []fakeapi.Message) bool { return len(sent) >= contacts })
		last := sent[len(sent)-1].Time
		for _, m := range sent {
			if m.Time.After(last) {
				last = m.Time
			}
		}
		b.StopTimer()

		// Wait for the outbox to record every send, then count.
		waitOutbox(b, h, func(c map[string]int) bool { return c[store.Pending] == 0 })
		got := map[int64]int{}
		for _, m := range h.api.Sent() {
			got[m.ChatID]++
		}
		for j := range contacts {
			switch c := got[100000+int64(j)]; {
			case c == 0:
				lost++
			case c > 1:
				dup += float64(c - 1)
			}
		}
		ratio += float64(contacts) / last.Sub(start).Seconds() / limit
		limited += float64(h.api.RateLimited())
		enqueue += enqueued.Seconds() * 1000
		h.halt()
	}
	runs := float64(b.N)
	b.ReportMetric(ratio/runs, "rate/limit")
	b.ReportMetric(lost/runs, "lost")
	b.ReportMetric(dup/runs, "duplicated")
	b.ReportMetric(limited/runs, "429s")
	b.ReportMetric(enqueue/runs, "enqueue-ms")
	if lost > 0 || dup > 0 {
		b.Errorf("%v prompts lost, %v duplicated", lost, dup)
	}
}

// BenchmarkIntake pushes 10,000 report texts, one from each of 10,000
// contacts who are writing a report, through the full durable path:
// getUpdates → handler → commit (the report, the conversation, the reply
// in the outbox, the inbox row) → the offset confirmed by the next
// getUpdates. The period's prompts to all of them are in the outbox, and the
// sender runs meanwhile at Telegram's rates, as in production.
//
// It reports updates/s from the first push to the last confirmation, and
// the cost of one update as p50/p99 of the time from one handler's start
// to the next one's (one update's handler, commit and the next one's
// decoding and inbox check; at a batch boundary also the getUpdates round
// trip that confirms the batch).
func BenchmarkIntake(b *testing.B) {
	users := envInt("BENCH_INTAKE_UPDATES", 10000)
	var perSec, p50, p99 float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var mu sync.Mutex
		var starts []time.Time
		h := newHarness(b, withPlan(plan.Default()), withConfig(func(c *Config) {
			c.Send = sender.Config{Global: 30, PerChat: 1}
		}), withHook(func(*models.Update) {
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
		}))
		pairs := population(b, h.db, h.plan, users, 100000)
		writing(b, h.db, pairs, 100000)
		prompt(b, h)
		b.StartTimer()

		start := time.Now()
		var last int64
		for j := range users {
			last = h.api.SendText(fakeapi.User{ID: 100000 + int64(j)}, fmt.Sprintf("第%d条进展：按计划推进。", j))
		}
		h.api.WaitConfirmed(b, 5*time.Minute, last)
		elapsed := time.Since(start)
		b.StopTimer()

		counts, err := h.db.InboxCounts(context.Background())
		if err != nil || counts[store.OutcomeDone] != users {
			b.Fatalf("inbox %v, %v; want %d updates done", counts, err, users)
		}
		reports, err := h.db.PeriodReports(context.Background(), 2017, "2017-04")
		if err != nil || len(reports) == 0 {
			b.Fatalf("%d current reports, %v", len(reports), err)
		}
		h.halt()
		mu.Lock()
		var gaps []time.Duration
		for j := 1; j < len(starts); j++ {
			gaps = append(gaps, starts[j].Sub(starts[j-1]))
		}
		mu.Unlock()
		slices.Sort(gaps)
		perSec += float64(users) / elapsed.Seconds()
		p50 += ms(percentile(gaps, 0.50))
		p99 += ms(percentile(gaps, 0.99))
	}
	runs := float64(b.N)
	b.ReportMetric(perSec/runs, "updates/s")
	b.ReportMetric(p50/runs, "p50-ms")
	b.ReportMetric(p99/runs, "p99-ms")
}

// BenchmarkIntakeLatency sends report texts one at a time, each after the
// previous one was confirmed: the time from a user's message reaching
// Telegram to its effects committed and Telegram told, with nothing else
// going on.
func BenchmarkIntakeLatency(b *testing.B) {
	users := envInt("BENCH_LATENCY_UPDATES", 1000)
	var p50, p99 float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		h := newHarness(b, withPlan(plan.Default()), withConfig(func(c *Config) {
			c.Send = sender.Config{Global: 30, PerChat: 1}
		}))
		pairs := population(b, h.db, h.plan, users, 100000)
		writing(b, h.db, pairs, 100000)
		prompt(b, h)
		b.StartTimer()

		lat := make([]time.Duration, 0, users)
		for j := range users {
			start := time.Now()
			id := h.api.SendText(fakeapi.User{ID: 100000 + int64(j)}, fmt.Sprintf("第%d条进展。", j))
			h.api.WaitConfirmed(b, time.Minute, id)
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		h.halt()
		slices.Sort(lat)
		p50 += ms(percentile(lat, 0.50))
		p99 += ms(percentile(lat, 0.99))
	}
	b.ReportMetric(p50/float64(b.N), "p50-ms")
	b.ReportMetric(p99/float64(b.N), "p99-ms")
}

// writing puts every contact in the middle of writing its report.
func writing(tb testing.TB, db *store.DB, pairs []plan.Assignment, firstUser int64) {
	tb.Helper()
	ctx := context.Background()
	for start := 0; start < len(pairs); start += 1000 {
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i := start; i < min(start+1000, len(pairs)); i++ {
				err := tx.SetConversation(ctx, store.Conversation{
					UserID: firstUser + int64(i), State: store.WritingText, MeasureID: pairs[i].MeasureID,
					Unit: pairs[i].Unit, Period: "2017-04", Status: plan.OnTrack,
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// prompt enqueues the period's prompts, as the 25th of the month does: the
// contacts are answering them. (Every report asks the outbox whether its
// author was prompted; this keeps that lookup honest.)
func prompt(tb testing.TB, h *harness) {
	tb.Helper()
	sched, err := schedule.New(schedule.DefaultConfig(plan.Monthly), h.db, h.plan, Compose{}, quietLog(), h.clock.Now)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := sched.PromptNow(context.Background(), "2017-04"); err != nil {
		tb.Fatal(err)
	}
}

// percentile returns the q-quantile of sorted durations.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(q*float64(len(sorted))), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
