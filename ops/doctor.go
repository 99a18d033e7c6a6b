package ops

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

// Status is a doctor check's verdict.
type Status string

// Verdicts. A warning is worth reading but does not fail the doctor.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Finding is one check's result: what was found and, when it is not
// well, what to do.
type Finding struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// Doctor checks a deployment from outside: the token and the Bot API
// (through the proxy), the database file, the plan in force, the calendar,
// the clock, the schedule and the outbox. It changes nothing.
type Doctor struct {
	DBPath   string
	API      *API
	Proxy    string // how the Bot API is reached, for the report (no credentials)
	Calendar schedule.Calendar
	Location *time.Location
	Now      func() time.Time
	// Scheduler builds the scheduler of the plan in force, for the runs
	// done and to come.
	Scheduler func(db *store.DB, p *plan.Plan) (*schedule.Scheduler, error)
	// StuckAfter is how long a due message may wait (default 10 minutes).
	StuckAfter time.Duration
	// MinFreeBytes is the free disk space below which the disk check fails
	// (default 200 MiB).
	MinFreeBytes uint64
	// MaxWALBytes is the WAL size above which the WAL check fails (default
	// 256 MiB: checkpoints are not keeping up, e.g. a reader holds them off).
	MaxWALBytes int64
}

// Run runs every check, in the order an operator would fix things.
func (d *Doctor) Run(ctx context.Context) []Finding {
	if d.StuckAfter <= 0 {
		d.StuckAfter = 10 * time.Minute
	}
	if d.MinFreeBytes == 0 {
		d.MinFreeBytes = 200 << 20
	}
	if d.MaxWALBytes <= 0 {
		d.MaxWALBytes = 256 << 20
	}
	now := d.Now().In(d.Location)
	var out []Finding
	add := func(f Finding) { out = append(out, f) }

	add(d.checkAPI(ctx))
	if f, ok := d.checkWebhook(ctx); ok {
		add(f)
	}
	fs := d.checkDatabaseFile(ctx)
	out = append(out, fs...)
	dbOK := true
	for _, f := range fs {
		// The checks below open the database; an older schema would be
		// migrated by that, and the doctor changes nothing.
		if (f.Check == "database" && f.Status == Fail) || (f.Check == "schema" && f.Status != OK) {
			dbOK = false
		}
	}
	add(d.checkCalendar(now))
	add(Finding{Check: "time zone", Status: OK, Detail: fmt.Sprintf("%s, now %s", d.Location, now.Format("2006-01-02 15:04 Mon"))})
	if !dbOK {
		return out
	}
	db, err := store.Open(ctx, d.DBPath, store.Options{Now: d.Now})
	if err != nil {
		add(Finding{Check: "database", Status: Fail, Detail: err.Error(), Fix: "see the checks above"})
		return out
	}
	defer db.Close()
	p, f := d.checkPlan(ctx, db, now)
	add(f)
	if p != nil {
		add(d.checkSchedule(ctx, db, p, now))
	}
	add(d.checkOutbox(ctx, db, now))
	return out
}

func (d *Doctor) checkAPI(ctx context.Context) Finding {
	f := Finding{Check: "bot api"}
	if d.API.Token == "" {
		f.Status, f.Detail, f.Fix = Fail, "TELEGRAM_BOT_TOKEN is not set", "export the token @BotFather gave you (in the unit file's EnvironmentFile)"
		return f
	}
	me, date, err := d.API.GetMe(ctx)
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr) && (apiErr.Code == 401 || apiErr.Code == 404):
		f.Status, f.Detail = Fail, "Telegram rejected the token (via "+d.Proxy+")"
		f.Fix = "set TELEGRAM_BOT_TOKEN to the token @BotFather gave you"
	case err != nil:
		f.Status, f.Detail = Fail, fmt.Sprintf("Bot API unreachable via %s: %v", d.Proxy, err)
		f.Fix = "check the network; in mainland China set HTTPS_PROXY or ALL_PROXY (e.g. socks5://127.0.0.1:1080)"
	default:
		f.Status, f.Detail = OK, fmt.Sprintf("@%s, reached via %s", me, d.Proxy)
		if !date.IsZero() {
			// The machine's own clock, not the injected one: this is
			// about the server's time being right.
			skew := time.Since(date)
			if skew > time.Minute || skew < -time.Minute {
				f.Status = Fail
				f.Detail += fmt.Sprintf("; but this clock is %s off Telegram's", skew.Round(time.Second))
				f.Fix = "synchronise the clock (timedatectl set-ntp true)"
			}
		}
	}
	return f
}

func (d *Doctor) checkWebhook(ctx context.Context) (Finding, bool) {
	info, err := d.API.WebhookInfo(ctx)
	if err != nil {
		return Finding{}, false // the API check already says why
	}
	f := Finding{Check: "updates", Status: OK}
	if info.URL == "" {
		f.Detail = fmt.Sprintf("long polling; %d updates waiting", info.Pending)
	} else {
		f.Detail = fmt.Sprintf("webhook %s; %d updates waiting", info.URL, info.Pending)
	}
	if info.LastErrorDate > 0 {
		when := time.Unix(info.LastErrorDate, 0)
		f.Detail += fmt.Sprintf("; last error %s: %s", when.In(d.Location).Format("01-02 15:04"), info.LastErrorMessage)
		if d.Now().Sub(when) < time.Hour {
			f.Status = Fail
			f.Fix = "Telegram cannot deliver to the webhook: check the reverse proxy, its certificate and that serve listens"
		}
	}
	if info.Pending > 100 && f.Status == OK {
		f.Status, f.Fix = Warn, "updates are piling up: is serve running?"
	}
	return f, true
}

func (d *Doctor) checkDatabaseFile(ctx context.Context) []Finding {
	var out []Finding
	info, err := os.Stat(d.DBPath)
	if err != nil {
		return []Finding{{Check: "database", Status: Fail, Detail: err.Error(),
			Fix: "run serve once to create it, or point --db / REFORMBOT_DB at it"}}
	}
	f := Finding{Check: "database", Status: OK, Detail: fmt.Sprintf("%s, %s", d.DBPath, humanBytes(info.Size()))}
	if err := store.Verify(ctx, d.DBPath); err != nil {
		f.Status, f.Detail = Fail, err.Error()
		f.Fix = "restore the newest good backup: reformbot backup --list, then reformbot restore FILE"
	}
	out = append(out, f)

	v, err := store.ReadSchemaVersion(ctx, d.DBPath)
	s := Finding{Check: "schema", Status: OK, Detail: fmt.Sprintf("version %d, current", v)}
	switch {
	case err != nil:
		s.Status, s.Detail = Fail, err.Error()
	case v > store.SchemaVersion():
		s.Status, s.Detail = Fail, fmt.Sprintf("version %d is newer than this binary knows (%d)", v, store.SchemaVersion())
		s.Fix = "run the newer reformbot that wrote it"
	case v < store.SchemaVersion():
		s.Status, s.Detail = Warn, fmt.Sprintf("version %d; this binary migrates it to %d when serve starts", v, store.SchemaVersion())
	}
	out = append(out, s)

	m := Finding{Check: "file modes", Status: OK, Detail: fmt.Sprintf("%v", info.Mode().Perm())}
	switch {
	case info.Mode().Perm()&0o200 == 0 || !writable(d.DBPath):
		m.Status, m.Detail = Fail, fmt.Sprintf("%s is read-only (%v)", d.DBPath, info.Mode().Perm())
		m.Fix = "chown reformbot: and chmod 600 the database file"
	case !dirWritable(filepath.Dir(d.DBPath)):
		m.Status, m.Detail = Fail, filepath.Dir(d.DBPath)+" is not writable: SQLite needs it for the WAL"
		m.Fix = "make the directory writable by the service user"
	case info.Mode().Perm()&0o077 != 0:
		m.Status = Warn
		m.Detail += ": other users can read the reports and contacts"
		m.Fix = "chmod 600 " + d.DBPath
	}
	out = append(out, m)

	if free, ok := freeBytes(filepath.Dir(d.DBPath)); ok {
		df := Finding{Check: "disk", Status: OK, Detail: humanBytes(int64(free)) + " free"}
		if free < d.MinFreeBytes {
			df.Status, df.Fix = Fail, "free some space: the database, its WAL and the backups need room"
		}
		out = append(out, df)
	}
	if wal, err := os.Stat(d.DBPath + "-wal"); err == nil {
		w := Finding{Check: "wal", Status: OK, Detail: humanBytes(wal.Size())}
		if wal.Size() > d.MaxWALBytes {
			w.Status, w.Fix = Fail, "checkpoints are not keeping up: stop long-running readers (sqlite3 shells, replicators) or restart serve"
		}
		out = append(out, w)
	}
	return out
}

func (d *Doctor) checkCalendar(now time.Time) Finding {
	f := Finding{Check: "calendar", Status: OK}
	cc, ok := d.Calendar.(interface {
		Covers(year int) bool
		Source(year int) string
	})
	if !ok {
		f.Detail = "every day is a working day (--no-workdays)"
		return f
	}
	var known []string
	for y := now.Year(); y <= now.Year()+1; y++ {
		if src := cc.Source(y); src != "" {
			known = append(known, fmt.Sprintf("%d (%s)", y, src))
		}
	}
	f.Detail = "holidays known for " + strings.Join(known, ", ")
	if len(known) == 0 {
		f.Detail = "no holiday data for this year or the next"
	}
	if missing := schedule.MissingYears(d.Calendar, now); len(missing) > 0 {
		y := missing[len(missing)-1]
		f.Status = Fail
		f.Detail += fmt.Sprintf("; %d is missing: actions would move off weekends only", y)
		f.Fix = fmt.Sprintf("when the State Council publishes it: reformbot calendar add %d --off \"%d-01-01 元旦\" ... --work ...", y, y)
	} else if !cc.Covers(now.Year() + 1) {
		f.Detail += fmt.Sprintf("; %d is needed from 1 December", now.Year()+1)
	}
	return f
}

func (d *Doctor) checkPlan(ctx context.Context, db *store.DB, now time.Time) (*plan.Plan, Finding) {
	f := Finding{Check: "plan", Status: OK}
	p, err := db.Plan(ctx)
	if errors.Is(err, store.ErrNotFound) {
		f.Status, f.Detail, f.Fix = Fail, "no plan in force", "start serve (with --plan FILE for your own plan)"
		return nil, f
	}
	if err != nil {
		f.Status, f.Detail = Fail, err.Error()
		return nil, f
	}
	contacts, err := db.Contacts(ctx)
	if err != nil {
		f.Status, f.Detail = Fail, err.Error()
		return p, f
	}
	bound := map[string]bool{}
	office := 0
	for _, c := range contacts {
		if c.CanReport() {
			bound[c.Unit] = true
		}
		if c.IsOffice() {
			office++
		}
	}
	var without []string
	for unit := range p.TasksByUnit() {
		if !bound[unit] {
			without = append(without, unit)
		}
	}
	sort.Strings(without)
	f.Detail = fmt.Sprintf("%s (%d), %d measures, %d units, %d office contacts", p.Title, p.Year, len(p.Measures()), len(p.Units), office)
	if len(without) > 0 {
		f.Status = Warn
		shown := without
		if len(shown) > 5 {
			shown = shown[:5]
		}
		f.Detail += fmt.Sprintf("; %d units without a contact: %s", len(without), strings.Join(shown, "、"))
		if len(without) > len(shown) {
			f.Detail += " …"
		}
		f.Fix = "reformbot invite UNIT, and send each unit its link"
	}
	if office == 0 {
		f.Status = Warn
		f.Fix = strings.TrimPrefix(f.Fix+"; ", "; ") + "reformbot invite --office: the digest has no one to go to"
	}
	if years, err := db.Plans(ctx); err == nil && years.Stale(now) {
		// serve prompts no period of a year without a plan: nothing
		// else here (units without a contact) matters until this
		// year's plan is in force.
		y := now.Year()
		f.Status = Fail
		f.Detail = fmt.Sprintf("%s (%d) is over and no plan covers %d: serve sends no prompts, reminders or digests", p.Title, p.Year, y)
		f.Fix = fmt.Sprintf("no plan for %d: import and activate it (reformbot plan import FILE -o plan-%d.yaml, then reformbot plan activate plan-%d.yaml)", y, y, y)
		if p.Year == y-1 && now.Month() == time.January {
			// January still belongs to last year's plan: its December
			// digest and year-end acceptance go out under it. Only the
			// new year's first prompt, late in the month, needs the
			// new plan; offices often get it later than that.
			f.Status = Warn
			f.Detail = fmt.Sprintf("%s (%d) still serves December's digest and the year-end acceptance; no plan for %d yet: its first prompt needs one", p.Title, p.Year, y)
		}
	}
	return p, f
}

func (d *Doctor) checkSchedule(ctx context.Context, db *store.DB, p *plan.Plan, now time.Time) Finding {
	f := Finding{Check: "schedule", Status: OK}
	s, err := d.Scheduler(db, p)
	if err != nil {
		f.Status, f.Detail = Fail, err.Error()
		return f
	}
	// The plans of every year, as serve has them: a period no plan covers
	// is not run, so it is neither next nor missed.
	if years, err := db.Plans(ctx); err == nil && !years.Empty() {
		s.SetPlans(years)
	}
	campaigns, err := db.Campaigns(ctx)
	if err != nil {
		f.Status, f.Detail = Fail, err.Error()
		return f
	}
	done := map[string]bool{}
	var last store.Campaign
	for _, c := range campaigns {
		done[c.Kind+" "+string(c.Period)] = true
		if c.CreatedAt.After(last.CreatedAt) {
			last = c
		}
	}
	if last.Kind != "" {
		f.Detail = fmt.Sprintf("last run %s %s at %s", last.Kind, last.Period, last.CreatedAt.In(d.Location).Format("2006-01-02 15:04"))
	} else {
		f.Detail = "nothing run yet"
	}
	var next []string
	var unplanned []string // years of runs due with no plan in force
	for _, o := range s.Occurrences(now, now.AddDate(0, 2, 0)) {
		if !s.WillRun(o) {
			if y := fmt.Sprint(o.Period.Year()); !slices.Contains(unplanned, y) {
				unplanned = append(unplanned, y)
			}
			continue
		}
		if len(next) < 3 {
			next = append(next, fmt.Sprintf("%s %s %s", o.Kind, o.Period, o.Due.Format("01-02 15:04")))
		}
	}
	switch {
	case len(next) > 0:
		f.Detail += "; next: " + strings.Join(next, ", ")
	case len(unplanned) > 0:
		f.Status = Warn
		f.Detail += "; nothing will be sent in the next two months: no plan covers " + strings.Join(unplanned, " or ")
		f.Fix = "activate the plan of that year (see the plan check)"
	}
	// A run due in the last week with no campaign: serve was not running.
	// (An hour's grace: the run may be under way.)
	for _, o := range s.Occurrences(now.AddDate(0, 0, -7), now.Add(-time.Hour)) {
		if s.WillRun(o) && !done[o.Kind+" "+string(o.Period)] {
			f.Status = Fail
			f.Detail += fmt.Sprintf("; MISSED %s %s due %s", o.Kind, o.Period, o.Due.Format("01-02 15:04"))
			f.Fix = "is serve running? It catches up on start (within --catch-up)"
		}
	}
	return f
}

func (d *Doctor) checkOutbox(ctx context.Context, db *store.DB, now time.Time) Finding {
	f := Finding{Check: "outbox", Status: OK}
	h, err := db.OutboxHealth(ctx, now)
	if err != nil {
		f.Status, f.Detail = Fail, err.Error()
		return f
	}
	pending := 0
	for _, n := range h.PendingByKind {
		pending += n
	}
	f.Detail = fmt.Sprintf("%d pending (%d due), %d failed", pending, h.Due, h.Failed)
	if !h.OldestDue.IsZero() {
		age := now.Sub(h.OldestDue).Round(time.Second)
		f.Detail += fmt.Sprintf(", oldest due for %s", age)
		if age > d.StuckAfter {
			f.Status, f.Fix = Fail, "messages are not going out: is serve running, and is the Bot API reachable?"
		}
	}
	return f
}
