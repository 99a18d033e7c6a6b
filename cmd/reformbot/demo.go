package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
	"github.com/luohu/reformbot/web"
)

func init() {
	commands["demo"] = command{
		summary: "try reformbot without Telegram: the bot, a phone-like chat and the dashboard in your browser",
		run:     runDemo,
	}
}

// demoClock is the demo's time: it runs like a clock from a start in the
// plan's year, and jumps forward when the visitor asks for the next
// scheduled action. The store, the bot, the scheduler and the fake Bot API
// all read it.
type demoClock struct {
	mu     sync.Mutex
	offset time.Duration // virtual minus real
	real   func() time.Time
}

func newDemoClock(start time.Time, real func() time.Time) *demoClock {
	return &demoClock{offset: start.Sub(real()), real: real}
}

func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.real().Add(c.offset)
}

// jumpTo moves the clock forward to t (never back).
func (c *demoClock) jumpTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := t.Sub(c.real().Add(c.offset)); d > 0 {
		c.offset += d
	}
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo", "[--http 127.0.0.1:8080] [--db FILE]")
	dbPath := fs.String("db", "", "keep the demo's data in this SQLite file (default: a fresh temporary one)")
	addr := fs.String("http", "127.0.0.1:8080", "where the demo page listens")
	tz := fs.String("tz", "Asia/Shanghai", "the office's time zone")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("demo takes no arguments besides flags")
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return usagef("bad --tz %q: %v", *tz, err)
	}
	c := &common{tz: *tz, logLevel: "warn", env: env}
	log, _ := c.logger()

	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "reformbot-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "demo.db")
	}
	app, err := startDemo(ctx, *dbPath, loc, env.Now, log)
	if err != nil {
		return err
	}
	defer app.Close()
	serveWeb, bound, err := listenWeb(*addr, app.web.Handler(), log)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "reformbot demo: open http://%s in your browser (Ctrl-C to stop)\n", bound)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		serveWeb(runCtx)
	}()
	err = app.bot.Run(runCtx)
	cancel()
	wg.Wait()
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// demoApp is the demo wired up on one database: the store, the fake Bot
// API, the scheduler, the bot and the dashboard with the demo's page.
// runDemo serves it; tests drive it as it is.
type demoApp struct {
	db   *store.DB
	api  *fakeapi.Server
	bot  *bot.Bot
	web  *web.Server
	demo *demo
}

// Close stops the fake Bot API and closes the database.
func (a *demoApp) Close() {
	if a.api != nil {
		a.api.Close()
	}
	if a.db != nil {
		a.db.Close()
	}
}

// startDemo wires the demo on the database at dbPath, fresh or kept from
// an earlier run; now is the real time its clock starts from. Nothing runs
// until the caller runs the bot.
func startDemo(ctx context.Context, dbPath string, loc *time.Location, now func() time.Time, log *slog.Logger) (_ *demoApp, err error) {
	app := &demoApp{}
	defer func() {
		if err != nil {
			app.Close() // what was opened before the failure
		}
	}()
	p := plan.Default()
	p.Sample = true // its periods follow the calendar
	year := now().Year()
	// The day before April's prompt: the first tap shows a month's loop.
	clock := newDemoClock(time.Date(year, 4, 24, 10, 0, 0, 0, loc), now)
	db, err := store.Open(ctx, dbPath, store.Options{Now: clock.Now})
	if err != nil {
		return nil, err
	}
	app.db = db
	// A kept database: the clock goes on from its last scheduled action,
	// not back to April, where every step would run what is done already.
	if cs, err := db.Campaigns(ctx); err != nil {
		return nil, err
	} else if len(cs) > 0 {
		clock.jumpTo(cs[len(cs)-1].CreatedAt)
	}
	if _, err := db.Activate(ctx, p); err != nil {
		return nil, err
	}
	years, err := db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	p = years.Current(clock.Now())
	people, err := demoPeople(ctx, db, p)
	if err != nil {
		return nil, err
	}
	if err := seedDemo(ctx, dbPath, p, people, clock.Now()); err != nil {
		return nil, err
	}

	// The bot asks for the updates after the last one its database holds;
	// a kept --db holds an earlier run's, so the fake numbers on from there.
	last, err := db.LastUpdateID(ctx)
	if err != nil {
		return nil, err
	}
	api := fakeapi.New(fakeapi.WithClock(clock.Now), fakeapi.WithBotUsername("reformbot_demo_bot"), fakeapi.WithFirstUpdateID(last+1))
	app.api = api
	scfg := defaultSchedule(p, loc)
	sched, err := schedule.New(scfg, db, p, bot.Compose{}, log, clock.Now)
	if err != nil {
		return nil, err
	}
	b, err := bot.New(withSchedule(bot.Config{Token: api.Token(), APIURL: api.URL(), Location: loc, PollTimeout: 2 * time.Second}, sched, scfg), db, p, log)
	if err != nil {
		return nil, err
	}
	app.bot = b
	sched.OnEnqueue(b.Sender().Wake)
	b.SetPlans(years)
	sched.SetPlans(years)

	d := &demo{api: api, sched: sched, clock: clock, people: people, loc: loc, log: log, done: clock.Now()}
	ws, err := web.New(ctx, web.Config{
		Plan: p, Store: db, Digests: sched, Location: loc, Now: clock.Now, Log: log,
		Files:    web.BotFiles{APIURL: api.URL(), Token: api.Token()},
		BotToken: api.Token(),
		Home:     d.page(),
	})
	if err != nil {
		return nil, err
	}
	d.web = ws
	d.mount(ws)
	app.web, app.demo = ws, d
	return app, nil
}
