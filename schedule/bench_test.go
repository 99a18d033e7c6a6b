package schedule

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// yearStore is a database after a full year of the embedded plan: a report
// for every measure × every responsible unit × each of the 12 months (a
// few reported twice, so superseded versions are there too), the lead
// units' year-end submissions, a contact per unit and the office. It
// returns a scheduler for it with the clock on 2 January 2018, when
// December's digest goes out.
func yearStore(tb testing.TB) (*Scheduler, *store.DB, int) {
	tb.Helper()
	ctx := context.Background()
	clk := &clock{t: at(2017, 1, 1, 0)}
	db, err := store.Open(ctx, filepath.Join(tb.TempDir(), "year.db"), store.Options{Now: clk.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	p := plan.Default()
	if _, err := db.Activate(ctx, p); err != nil {
		tb.Fatal(err)
	}
	pairs := p.Assignments()
	statuses := []plan.Status{plan.OnTrack, plan.OnTrack, plan.OnTrack, plan.Done, plan.Behind, plan.NeedsHelp}
	n := 0
	for month := 1; month <= 12; month++ {
		clk.Set(at(2017, time.Month(month), 26, 10))
		period := plan.Period(fmt.Sprintf("2017-%02d", month))
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i, a := range pairs {
				versions := 1 + (i+month)%7/6 // one pair in seven reports twice
				for v := 0; v < versions; v++ {
					_, err := tx.SaveReport(ctx, store.Report{PlanYear: 2017,
						MeasureID: a.MeasureID, Unit: a.Unit, Period: period,
						Status:     statuses[(i+month/3)%len(statuses)],
						Text:       fmt.Sprintf("%s %s 第%d月进展：已召开专题会议，完成方案修订，正在征求相关单位意见。", a.MeasureID, a.Unit, month),
						ReporterID: int64(1000 + i), ReporterName: a.Unit + "联络人",
					})
					if err != nil {
						return err
					}
					n++
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	clk.Set(at(2017, 12, 20, 10))
	err = db.Update(ctx, func(tx *store.Tx) error {
		for i, a := range pairs {
			if a.Role != plan.Lead || i%4 == 0 {
				continue
			}
			_, err := tx.SaveReport(ctx, store.Report{PlanYear: 2017,
				MeasureID: a.MeasureID, Unit: a.Unit, Period: "2017", Status: plan.Submitted,
				Text: "年度成果：制度文件三份，试点经验已推广。", ReporterID: int64(1000 + i),
			})
			if err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{db: db, clock: clk}
	for i, u := range p.Units {
		f.bind(tb, int64(5000+i), store.RoleContact, u.Name)
	}
	f.bind(tb, 9000, store.RoleOffice, "")
	clk.Set(at(2018, 1, 2, 9))
	cfg := DefaultConfig(plan.Monthly)
	cfg.Location = shanghai
	s, err := New(cfg, db, p, texts{}, slog.New(slog.NewTextHandler(io.Discard, nil)), clk.Now)
	if err != nil {
		tb.Fatal(err)
	}
	return s, db, n
}

// BenchmarkYearDigest builds December's digest from a full year's
// database, as `reformbot digest` and the scheduled digest do (reading the
// period, the two before it and the year's submissions), and renders it as
// text, JSON and XLSX. Each sub-benchmark includes the reading and
// building.
func BenchmarkYearDigest(b *testing.B) {
	s, db, n := yearStore(b)
	ctx := context.Background()
	b.Logf("%d report versions in the database", n)
	run := func(b *testing.B, unit string, render func(ctx context.Context) (int, error)) {
		size := 0
		for b.Loop() {
			var err error
			if size, err = render(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(size), unit)
	}
	b.Run("build", func(b *testing.B) {
		run(b, "pairs", func(ctx context.Context) (int, error) {
			d, err := s.BuildDigest(ctx, "2017-12")
			if err != nil {
				return 0, err
			}
			return d.Totals.Pairs, nil
		})
	})
	b.Run("text", func(b *testing.B) {
		run(b, "bytes", func(ctx context.Context) (int, error) {
			d, err := s.BuildDigest(ctx, "2017-12")
			if err != nil {
				return 0, err
			}
			size := len(d.PlainText())
			for _, m := range d.Messages() {
				size += len(m)
			}
			return size, nil
		})
	})
	b.Run("json", func(b *testing.B) {
		run(b, "bytes", func(ctx context.Context) (int, error) {
			d, err := s.BuildDigest(ctx, "2017-12")
			if err != nil {
				return 0, err
			}
			data, err := d.JSON()
			return len(data), err
		})
	})
	b.Run("xlsx", func(b *testing.B) {
		run(b, "bytes", func(ctx context.Context) (int, error) {
			d, err := s.BuildDigest(ctx, "2017-12")
			if err != nil {
				return 0, err
			}
			data, err := d.XLSX()
			return len(data), err
		})
	})
	// The bulletin is issued inside a write transaction (the bot's update,
	// the digest campaign): this is how long it holds the writer.
	b.Run("bulletin", func(b *testing.B) {
		run(b, "bytes", func(ctx context.Context) (int, error) {
			size := 0
			err := db.Update(ctx, func(tx *store.Tx) error {
				_, data, err := s.Bulletin(ctx, tx, "2017-12", 0)
				size = len(data)
				return err
			})
			return size, err
		})
	})
}

// The year's database is what the benchmark says it is.
func TestYearStoreIsAFullYear(t *testing.T) {
	s, _, n := yearStore(t)
	d, err := s.BuildDigest(context.Background(), "2017-12")
	if err != nil {
		t.Fatal(err)
	}
	pairs := len(plan.Default().Assignments())
	if n < 12*pairs || d.Totals.Pairs != pairs || d.Totals.Reported != pairs || d.Acceptance == nil {
		t.Fatalf("%d versions for %d pairs; digest totals %+v, acceptance %v", n, pairs, d.Totals, d.Acceptance != nil)
	}
}
