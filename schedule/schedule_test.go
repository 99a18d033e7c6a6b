package schedule

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, shanghai) }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// texts is a Messages that writes plain, checkable texts.
type texts struct{}

func (texts) Prompt(unit string, tasks []plan.Task, reported map[string]plan.Status, period plan.Period) store.Payload {
	return store.Payload{Text: fmt.Sprintf("prompt %s %s %d", unit, period, len(tasks))}
}

func (texts) Reminder(unit string, missing []plan.Task, period plan.Period) store.Payload {
	var ids []string
	for _, t := range missing {
		ids = append(ids, t.Measure.ID)
	}
	return store.Payload{Text: fmt.Sprintf("remind %s %s %s", unit, period, strings.Join(ids, ","))}
}

func (texts) AcceptanceRequest(unit string, tasks []plan.Task, year int) store.Payload {
	return store.Payload{Text: fmt.Sprintf("acceptance %s %d %d", unit, year, len(tasks))}
}

func testPlan() *plan.Plan {
	return &plan.Plan{
		Title:     "测试计划",
		Year:      2017,
		Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true},
		Categories: []plan.Category{{Number: 2, Title: "新推", Projects: []plan.Project{{Number: 1, Title: "项目", Measures: []plan.Measure{
			{ID: "2.1.1", Title: "甲", Text: "甲。", LeadUnits: []string{"区编办"}, CoUnits: []string{"区财政局"}},
			{ID: "2.1.2", Title: "乙", Text: "乙。", LeadUnits: []string{"区财政局"}, CoUnits: []string{}},
		}}}}},
		Units: []plan.Unit{{Name: "区编办", Aliases: []string{}}, {Name: "区财政局", Aliases: []string{}}},
	}
}

type fixture struct {
	db    *store.DB
	clock *clock
	s     *Scheduler
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	return newFixtureFor(t, cfg, testPlan())
}

// newFixtureFor is newFixture with plan p in force.
func newFixtureFor(t *testing.T, cfg Config, p *plan.Plan) *fixture {
	t.Helper()
	clk := &clock{t: at(2017, 1, 1, 0)}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Activate(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if cfg.Prompt == "" {
		def := DefaultConfig(plan.Monthly)
		def.Calendar, def.CatchUp = cfg.Calendar, cfg.CatchUp
		cfg = def
	}
	cfg.Location = shanghai
	s, err := New(cfg, db, p, texts{}, slog.New(slog.NewTextHandler(io.Discard, nil)), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, clock: clk, s: s}
}

// bind adds an active contact directly.
func (f *fixture) bind(t testing.TB, id int64, role store.Role, unit string) {
	t.Helper()
	ctx := context.Background()
	code, _, err := f.db.CreateInvite(ctx, role, unit, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: id, ChatID: id}, store.AttemptLimit{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBadSpecsAreClearErrors(t *testing.T) {
	tests := []struct {
		name, spec, want string
	}{
		{"time zone prefix", "TZ=UTC", "time zone"},
		{"cron time zone prefix", "CRON_TZ=Asia/Shanghai 0 9 25 * *", "time zone"},
		{"empty", "", "empty"},
		{"too few fields", "0 9 25", "cron spec"},
		{"minute out of range", "61 9 25 * *", "cron spec"},
		{"never fires", "0 9 31 2 *", "never fires"},
		{"every", "@every 1h", "@every"},
		{"words", "every month on the 25th", "cron spec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig(plan.Monthly)
			cfg.Prompt = tt.spec
			_, err := New(cfg, nil, testPlan(), texts{}, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "prompt") {
				t.Errorf("New with prompt %q: %v; want an error naming the prompt and %q", tt.spec, err, tt.want)
			}
		})
	}
	cfg := DefaultConfig(plan.Monthly)
	cfg.Reminders = []string{"0 9 28 * *", "TZ=UTC"}
	if _, err := New(cfg, nil, testPlan(), texts{}, nil, nil); err == nil || !strings.Contains(err.Error(), "remind") {
		t.Errorf("bad reminder spec: %v", err)
	}
}

func TestWorkdayMoves(t *testing.T) {
	tests := []struct {
		name     string
		spec     string
		after    time.Time
		want     time.Time
		calendar Calendar
	}{
		{"a weekday stays", "0 9 25 * *", at(2017, 4, 1, 0), at(2017, 4, 25, 9), ChinaCalendar{}},
		{"Saturday moves to Monday", "0 9 25 * *", at(2017, 11, 1, 0), at(2017, 11, 27, 9), ChinaCalendar{}},
		{"Spring Festival moves past the holiday", "0 9 28 * *", at(2017, 1, 2, 0), at(2017, 2, 3, 9), ChinaCalendar{}},
		{"National Day", "0 9 2 * *", at(2017, 9, 10, 0), at(2017, 10, 9, 9), ChinaCalendar{}},
		{"a 调休 Saturday is a working day", "0 9 30 9 *", at(2017, 9, 1, 0), at(2017, 9, 30, 9), ChinaCalendar{}},
		{"every-day calendar keeps the date", "0 9 25 * *", at(2017, 11, 1, 0), at(2017, 11, 25, 9), EveryDay{}},
		{"a moved time still to come is found", "0 9 25 * *", at(2017, 11, 26, 0), at(2017, 11, 27, 9), ChinaCalendar{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := parseSpec(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			got := workdaySchedule{base: base, cal: tt.calendar, loc: shanghai}.Next(tt.after)
			if !got.Equal(tt.want) {
				t.Errorf("Next(%v) = %v, want %v", tt.after, got, tt.want)
			}
		})
	}
}

// A simulated year, ticking every hour: each scheduled action happens
// exactly once, at its working-day time, for the right period.
func TestSimulatedYear(t *testing.T) {
	// The clock ticks every hour, so an hour's catch-up is enough, and
	// December 2016's runs stay out of the picture.
	f := newFixture(t, Config{CatchUp: time.Hour})
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.bind(t, 2, store.RoleContact, "区财政局")
	f.bind(t, 9, store.RoleOffice, "")
	for now := at(2017, 1, 1, 0); now.Before(at(2018, 1, 10, 0)); now = now.Add(time.Hour) {
		f.clock.Set(now)
		if err := f.s.Tick(ctx, TriggerCron); err != nil {
			t.Fatal(err)
		}
	}
	campaigns, err := f.db.Campaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range campaigns {
		got = append(got, fmt.Sprintf("%s %s %s %s", c.CreatedAt.In(shanghai).Format("01-02 15h"), c.Kind, c.Period, c.Slot))
	}
	sort.Strings(got)
	want := expectedYear()
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("campaigns:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Each contact got exactly one prompt per month, and no message twice.
	prompts, _ := f.db.Messages(ctx, KindPrompt, "")
	if len(prompts) != 2*12 {
		t.Errorf("%d prompts in 2017, want 24 (2 contacts × 12 months)", len(prompts))
	}
}

// expectedYear lists what 2017 looks like with the default schedule and the
// mainland calendar (created-at time, kind, period, slot). Worked out by
// hand from the 2017 holiday arrangement.
func expectedYear() []string {
	var out []string
	add := func(when, kind, period, slot string) {
		out = append(out, fmt.Sprintf("%s %s %s %s", when, kind, period, slot))
	}
	// December 2016's last reminder and digest (due Tue 3 and Wed 4 Jan)
	// are not run: the plan is 2017's, and 2016 has none.
	prompts := []string{"01-25", "02-27", "03-27", "04-25", "05-25", "06-26", "07-25", "08-25", "09-25", "10-25", "11-27", "12-25"}
	for i, d := range prompts {
		add(d+" 09h", "prompt", fmt.Sprintf("2017-%02d", i+1), "")
	}
	// Reminders on the 28th and the 1st, moved to working days. January's
	// two both fall in the Spring Festival and move to Fri 3 Feb: only the
	// later one runs.
	reminders := [][3]string{
		{"02-03", "2017-01", "2017-02-01"},
		{"02-28", "2017-02", "2017-02-28"}, {"03-01", "2017-02", "2017-03-01"},
		{"03-28", "2017-03", "2017-03-28"}, {"04-01", "2017-03", "2017-04-01"},
		{"04-28", "2017-04", "2017-04-28"}, {"05-02", "2017-04", "2017-05-01"},
		{"05-31", "2017-05", "2017-05-28"}, {"06-01", "2017-05", "2017-06-01"},
		{"06-28", "2017-06", "2017-06-28"}, {"07-03", "2017-06", "2017-07-01"},
		{"07-28", "2017-07", "2017-07-28"}, {"08-01", "2017-07", "2017-08-01"},
		{"08-28", "2017-08", "2017-08-28"}, {"09-01", "2017-08", "2017-09-01"},
		{"09-28", "2017-09", "2017-09-28"}, {"10-09", "2017-09", "2017-10-01"},
		{"10-30", "2017-10", "2017-10-28"}, {"11-01", "2017-10", "2017-11-01"},
		{"11-28", "2017-11", "2017-11-28"}, {"12-01", "2017-11", "2017-12-01"},
		{"12-28", "2017-12", "2017-12-28"}, {"01-02", "2017-12", "2018-01-01"},
	}
	for _, r := range reminders {
		add(r[0]+" 09h", "remind", r[1], r[2])
	}
	// Digests on the 2nd, moved to working days, and never on the day of
	// the period's last reminder: where a holiday or a weekend moved both
	// onto one day, the digest goes on the next working day (Sat 4 Feb
	// was one in 2017).
	digests := []string{"02-04", "03-02", "04-05", "05-03", "06-02", "07-04", "08-02", "09-04", "10-10", "11-02", "12-04", "01-03"}
	for i, d := range digests {
		add(d+" 09h", "digest", fmt.Sprintf("2017-%02d", i+1), "")
	}
	add("12-01 09h", "acceptance", "2017", "")
	return out
}

// 劳动节 2017 moved the 1st's reminder to Tue 2 May, the day of the digest:
// the digest goes the next working day, so the units have a day to act on
// the reminder before April is closed. Cron fires it then, too.
func TestDigestComesAfterTheLastReminder(t *testing.T) {
	f := newFixture(t, Config{})
	var remind, digest time.Time
	for _, o := range f.s.Occurrences(at(2017, 4, 26, 0), at(2017, 5, 10, 0)) {
		switch {
		case o.Kind == KindRemind && o.Period == "2017-04":
			remind = o.Due
		case o.Kind == KindDigest && o.Period == "2017-04":
			digest = o.Due
		}
	}
	if !remind.Equal(at(2017, 5, 2, 9)) || !digest.Equal(at(2017, 5, 3, 9)) {
		t.Errorf("last reminder %v, digest %v; want 2 May and 3 May 09:00", remind, digest)
	}
	for _, a := range f.s.actions {
		if a.kind != KindDigest {
			continue
		}
		ws := workdaySchedule{base: a.sched, cal: f.s.cfg.Calendar, loc: shanghai, later: f.s.afterLastReminder}
		if got := ws.Next(at(2017, 5, 2, 8)); !got.Equal(at(2017, 5, 3, 9)) {
			t.Errorf("cron fires the digest at %v, want 3 May 09:00", got)
		}
	}
}
