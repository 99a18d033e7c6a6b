// Package schedule decides what the office's monthly loop pushes and when:
// prompts, reminders, digests and the year-end acceptance request. Cron is
// only the trigger; what has been done is kept in the store as campaigns,
// so a run missed while the bot was down is caught up on start and a
// repeated trigger does nothing. Every message goes to the outbox with an
// idempotency key (kind, period, contact) in the transaction that decides
// it; the bot's sender delivers it.
//
// schedule never imports bot: the words and buttons of the messages come
// through the Messages interface.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Kinds of scheduled action: the store's kinds of campaign, which are
// also the outbox kinds of their messages.
const (
	KindPrompt     = store.KindPrompt
	KindRemind     = store.KindRemind
	KindDigest     = store.KindDigest
	KindAcceptance = store.KindAcceptance
)

// Triggers, as recorded on campaigns.
const (
	TriggerCron     = "cron"
	TriggerCatchUp  = "catch-up"
	TriggerOperator = "operator"
)

// Config is when things happen. Specs are standard cron (minute hour day
// month weekday) in the office's time zone.
type Config struct {
	Location *time.Location
	// Prompt asks every contact to report; its date fixes the period.
	Prompt string
	// Reminders go to contacts whose unit has unreported measures, for the
	// period of the latest prompt.
	Reminders []string
	// Digest goes to the office, for the period of the latest prompt.
	Digest string
	// Acceptance asks lead units for the year's result materials, when the
	// plan has year-end acceptance.
	Acceptance string
	// Calendar moves an action that falls on a day off to the next working
	// day; nil means ChinaCalendar. Use EveryDay to keep nominal dates.
	Calendar Calendar
	// Bulletin sends the office's bulletin (通报, a Word document) with the
	// digest; Issuer is the office named on it ("" means 区委改革办).
	Bulletin bool
	Issuer   string
	// CatchUp is how long after its time a missed action is still done when
	// the bot starts (default 7 days). Older ones are left: a prompt three
	// weeks late does more harm than good, and the reminders cover it.
	CatchUp time.Duration
}

// DefaultConfig is the notice's monthly loop: prompt on the 25th, remind on
// the 28th and the 1st, digest on the 2nd, acceptance request on 1 December,
// all at 09:00. A quarterly plan gets the same days in the quarter's last
// month and the month after.
func DefaultConfig(c plan.Cadence) Config {
	if c == plan.Quarterly {
		return Config{
			Prompt:     "0 9 25 3,6,9,12 *",
			Reminders:  []string{"0 9 28 3,6,9,12 *", "0 9 1 1,4,7,10 *"},
			Digest:     "0 9 2 1,4,7,10 *",
			Acceptance: "0 9 1 12 *",
			CatchUp:    7 * 24 * time.Hour,
		}
	}
	return Config{
		Prompt:     "0 9 25 * *",
		Reminders:  []string{"0 9 28 * *", "0 9 1 * *"},
		Digest:     "0 9 2 * *",
		Acceptance: "0 9 1 12 *",
		CatchUp:    7 * 24 * time.Hour,
	}
}

// Messages writes the messages unit contacts receive. The bot's Compose
// implements it.
type Messages interface {
	Prompt(unit string, tasks []plan.Task, reported map[string]plan.Status, period plan.Period) store.Payload
	Reminder(unit string, missing []plan.Task, period plan.Period) store.Payload
	AcceptanceRequest(unit string, tasks []plan.Task, year int) store.Payload
}

// Store is what the scheduler needs of the store.
type Store interface {
	Update(ctx context.Context, fn func(tx *store.Tx) error) error
	PeriodReports(ctx context.Context, planYear int, periods ...plan.Period) ([]store.Report, error)
	Contacts(ctx context.Context) ([]store.Contact, error)
	FailedMessages(ctx context.Context, kind string, period plan.Period) ([]store.Message, error)
	PlanAt(ctx context.Context, year int, t time.Time) (*plan.Plan, error)
	// The office's loop (退回补充, 督办) for the digest.
	ReturnedReports(ctx context.Context, planYear int, period plan.Period) ([]store.Review, error)
	PeriodUrges(ctx context.Context, planYear int, period plan.Period) ([]store.Urge, error)
}

// action is one configured kind of run with its parsed spec.
type action struct {
	kind  string
	spec  string
	sched cron.Schedule
}

// Scheduler runs the loop for the plans in force. Each run works with the
// plan its period belongs to, so the December digest and the year-end
// acceptance of 2025 use the 2025 plan after the 2026 plan is in force, and
// a period no plan covers is not run at all.
type Scheduler struct {
	cfg     Config
	db      Store
	plans   atomic.Pointer[plan.Years]
	cadence plan.Cadence // the specs are for it
	msgs    Messages
	log     *slog.Logger
	now     func() time.Time
	notify  func() // wakes the sender after an enqueue; may be nil

	actions []action

	mu sync.Mutex // one tick at a time
}

// New validates cfg and prepares a scheduler for the plan p (replaced by
// SetPlans). cfg's specs are for p's cadence. A bad spec is an error that
// names it.
func New(cfg Config, db Store, p *plan.Plan, msgs Messages, log *slog.Logger, now func() time.Time) (*Scheduler, error) {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Calendar == nil {
		cfg.Calendar = ChinaCalendar{}
	}
	if cfg.CatchUp <= 0 {
		cfg.CatchUp = 7 * 24 * time.Hour
	}
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	s := &Scheduler{cfg: cfg, db: db, cadence: p.Reporting.Cadence, msgs: msgs, log: log, now: now}
	s.plans.Store(plan.NewYears(p))
	add := func(kind, spec string) error {
		sched, err := parseSpec(spec)
		if err != nil {
			return fmt.Errorf("schedule: %s: %w", kind, err)
		}
		s.actions = append(s.actions, action{kind: kind, spec: spec, sched: sched})
		return nil
	}
	if err := add(KindPrompt, cfg.Prompt); err != nil {
		return nil, err
	}
	for _, r := range cfg.Reminders {
		if err := add(KindRemind, r); err != nil {
			return nil, err
		}
	}
	if err := add(KindDigest, cfg.Digest); err != nil {
		return nil, err
	}
	if p.Reporting.Acceptance {
		if err := add(KindAcceptance, cfg.Acceptance); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// SetPlans replaces the plans in force, e.g. after the office activated a
// plan; runs from then on use them. The cadence and whether there is a
// year-end acceptance stay those of the plan given to New.
func (s *Scheduler) SetPlans(y *plan.Years) { s.plans.Store(y) }

// Plans returns the plans in force.
func (s *Scheduler) Plans() *plan.Years { return s.plans.Load() }

// OnEnqueue sets a function called after messages are enqueued, e.g. to
// wake the sender in the same process.
func (s *Scheduler) OnEnqueue(fn func()) { s.notify = fn }

// Occurrence is one run of an action: what it is about and when it is due.
type Occurrence struct {
	Kind    string
	Period  plan.Period
	Slot    string    // tells apart several runs of a kind in one period (reminders: the nominal date)
	Nominal time.Time // the time its spec names
	Due     time.Time // Nominal moved to a working day
	Moved   string    // when Due is not Nominal, why: what Nominal's date is (周末, 春节 …)
}

// Occurrences lists the runs due in [from, to), in order of due time.
func (s *Scheduler) Occurrences(from, to time.Time) []Occurrence {
	var out []Occurrence
	for _, a := range s.actions {
		n := a.sched.Next(from.In(s.cfg.Location).AddDate(0, 0, -2*maxShift).Add(-time.Second))
		for i := 0; i < 100000 && !n.IsZero() && n.Before(to); i++ {
			due := s.dueOf(a.kind, n)
			if !due.Before(from) && due.Before(to) {
				o := s.occurrence(a.kind, n, due)
				if !due.Equal(n) {
					o.Moved = s.whyMoved(n, due)
				}
				out = append(out, o)
			}
			n = a.sched.Next(n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out
}

// dueOf is when a run nominally at nominal is due: moved to a working
// day, and a digest past its period's last reminder.
func (s *Scheduler) dueOf(kind string, nominal time.Time) time.Time {
	due := nextWorkday(s.cfg.Calendar, nominal)
	if kind == KindDigest {
		due = s.afterLastReminder(nominal, due)
	}
	return due
}

// afterLastReminder moves a digest due on (or before) the day its period's
// last reminder is due to the next working day after it. A holiday or a
// weekend moves both onto one day (the 1st's reminder and the 2nd's
// digest after 劳动节 or a Sunday), and the units would have no time to
// act on the reminder before the period is closed.
func (s *Scheduler) afterLastReminder(nominal, due time.Time) time.Time {
	for _, a := range s.actions {
		if a.kind != KindRemind {
			continue
		}
		// The reminder nominally last before the digest, within a month.
		var last time.Time
		for r := a.sched.Next(nominal.AddDate(0, -1, 0)); !r.IsZero() && !r.After(nominal); r = a.sched.Next(r) {
			last = r
		}
		if last.IsZero() {
			continue
		}
		remind := nextWorkday(s.cfg.Calendar, last)
		y, m, d := remind.In(s.cfg.Location).Date()
		dayAfter := time.Date(y, m, d+1, due.Hour(), due.Minute(), 0, 0, s.cfg.Location)
		if due.Before(dayAfter) {
			due = nextWorkday(s.cfg.Calendar, dayAfter)
		}
	}
	return due
}

func (s *Scheduler) occurrence(kind string, nominal, due time.Time) Occurrence {
	o := Occurrence{Kind: kind, Nominal: nominal, Due: due}
	switch kind {
	case KindPrompt:
		o.Period = plan.PeriodOf(nominal, s.cadence)
	case KindAcceptance:
		o.Period = plan.YearPeriod(nominal.Year())
	default:
		o.Period = s.promptPeriod(nominal)
	}
	if kind == KindRemind {
		o.Slot = nominal.Format(time.DateOnly)
	}
	return o
}

// promptPeriod is the period of the latest prompt at or before t: what a
// reminder or a digest at t is about.
func (s *Scheduler) promptPeriod(t time.Time) plan.Period {
	var prompt cron.Schedule
	for _, a := range s.actions {
		if a.kind == KindPrompt {
			prompt = a.sched
		}
	}
	// Walk prompts forward from a year before t; keep the last one ≤ t.
	last := time.Time{}
	for n := prompt.Next(t.AddDate(-1, 0, 0)); !n.IsZero() && !n.After(t); n = prompt.Next(n) {
		last = n
	}
	if last.IsZero() {
		return plan.PeriodOf(t, s.cadence).Prev()
	}
	return plan.PeriodOf(last, s.cadence)
}

// Tick does every run that is due and not yet done: due at or before now,
// and no longer ago than the catch-up window. When several runs of one kind
// for one period are due (two reminders missed while down), only the latest
// is done. trigger is recorded on the campaigns it creates.
func (s *Scheduler) Tick(ctx context.Context, trigger string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().In(s.cfg.Location)
	s.warnMissing(now)
	due := s.Occurrences(now.Add(-s.cfg.CatchUp), now.Add(time.Second))
	latest := map[[2]string]Occurrence{}
	for _, o := range due {
		key := [2]string{o.Kind, string(o.Period)}
		if cur, ok := latest[key]; !ok || o.Nominal.After(cur.Nominal) {
			latest[key] = o
		}
	}
	var errs []error
	for _, o := range due {
		if latest[[2]string{o.Kind, string(o.Period)}] != o {
			continue
		}
		if err := s.Run(ctx, o, trigger); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Run does one occurrence unless its campaign, or a later one of the same
// kind and period, is already recorded, or no plan in force covers its
// period (a real plan's periods are those of its year).
func (s *Scheduler) Run(ctx context.Context, o Occurrence, trigger string) error {
	p, ok := s.planOf(o)
	if !ok {
		s.log.Debug("schedule: no plan for the period", "kind", o.Kind, "period", o.Period)
		return nil
	}
	var n int
	var err error
	switch o.Kind {
	case KindPrompt:
		n, err = s.prompt(ctx, p, o.Period, trigger, true)
	case KindRemind:
		n, err = s.remind(ctx, p, o.Period, o.Slot, trigger, true)
	case KindDigest:
		n, err = s.digest(ctx, o.Period, o.Due, trigger, true)
	case KindAcceptance:
		n, err = s.acceptance(ctx, p, o.Period.Year(), trigger, true)
	default:
		return fmt.Errorf("schedule: unknown kind %q", o.Kind)
	}
	if err != nil {
		return fmt.Errorf("schedule: %s %s: %w", o.Kind, o.Period, err)
	}
	if n > 0 {
		s.log.Info("schedule: enqueued", "kind", o.Kind, "period", o.Period, "slot", o.Slot, "messages", n, "trigger", trigger)
		if s.notify != nil {
			s.notify()
		}
	}
	return nil
}

// Start catches up on missed runs, then lets cron trigger each action at
// its (working-day) times until ctx is done. It returns after the last
// triggered run has finished.
func (s *Scheduler) Start(ctx context.Context) {
	if err := s.Tick(ctx, TriggerCatchUp); err != nil {
		s.log.Error("schedule: catch-up failed", "err", err)
	}
	c := cron.New(
		cron.WithLocation(s.cfg.Location),
		cron.WithChain(cron.Recover(cronLogger{s.log})),
	)
	for _, a := range s.actions {
		ws := workdaySchedule{base: a.sched, cal: s.cfg.Calendar, loc: s.cfg.Location}
		if a.kind == KindDigest {
			ws.later = s.afterLastReminder
		}
		c.Schedule(ws, cron.FuncJob(func() {
			if err := s.Tick(ctx, TriggerCron); err != nil {
				s.log.Error("schedule: run failed", "err", err)
			}
		}))
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
}

// cronLogger routes robfig/cron's logging into slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
