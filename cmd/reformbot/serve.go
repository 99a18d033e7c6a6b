package main

import (
	"context"
	"errors"
	"flag"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/ops"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/sender"
	"github.com/luohu/reformbot/web"
)

func init() {
	commands["serve"] = command{
		summary: "run the bot: take updates, push prompts, reminders and digests (the default)",
		run:     runServe,
	}
}

// scheduleFlags are the schedule's settings as flags.
type scheduleFlags struct {
	prompt, digest, acceptance string
	reminders                  string
	noWorkdays                 bool
	catchUp                    time.Duration
	bulletin                   bool
	issuer                     string
}

func addScheduleFlags(fs *flag.FlagSet, env *Env) *scheduleFlags {
	f := &scheduleFlags{}
	fs.StringVar(&f.prompt, "prompt-cron", env.Getenv("REFORMBOT_PROMPT_CRON"), `when prompts go out (default "0 9 25 * *"; quarterly plans "0 9 25 3,6,9,12 *")`)
	fs.StringVar(&f.reminders, "remind-cron", env.Getenv("REFORMBOT_REMIND_CRON"), `when reminders go out, specs separated by ";" (default "0 9 28 * *;0 9 1 * *")`)
	fs.StringVar(&f.digest, "digest-cron", env.Getenv("REFORMBOT_DIGEST_CRON"), `when the office digest goes out (default "0 9 2 * *")`)
	fs.StringVar(&f.acceptance, "acceptance-cron", env.Getenv("REFORMBOT_ACCEPTANCE_CRON"), `when lead units are asked for year-end results (default "0 9 1 12 *")`)
	fs.BoolVar(&f.noWorkdays, "no-workdays", env.Getenv("REFORMBOT_NO_WORKDAYS") != "", "keep nominal dates instead of moving actions off weekends and public holidays")
	fs.DurationVar(&f.catchUp, "catch-up", 7*24*time.Hour, "how long after its time a missed action is still done on start")
	fs.BoolVar(&f.bulletin, "bulletin", env.Getenv("REFORMBOT_BULLETIN") != "", "send the bulletin (通报, .docx) with the monthly digest (env REFORMBOT_BULLETIN)")
	fs.StringVar(&f.issuer, "issuer", envOr(env, "REFORMBOT_ISSUER", ""), "the office named on the bulletin (default 区委改革办; env REFORMBOT_ISSUER)")
	return f
}

// config turns the flags into a schedule config for the plan's cadence.
func (f *scheduleFlags) config(base schedule.Config) schedule.Config {
	if f.prompt != "" {
		base.Prompt = f.prompt
	}
	if f.reminders != "" {
		base.Reminders = nil
		for _, spec := range strings.Split(f.reminders, ";") {
			if spec = strings.TrimSpace(spec); spec != "" {
				base.Reminders = append(base.Reminders, spec)
			}
		}
	}
	if f.digest != "" {
		base.Digest = f.digest
	}
	if f.acceptance != "" {
		base.Acceptance = f.acceptance
	}
	if f.noWorkdays {
		base.Calendar = schedule.EveryDay{}
	}
	base.CatchUp = f.catchUp
	base.Bulletin, base.Issuer = f.bulletin, f.issuer
	return base
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve", "[flags]")
	c := addCommon(fs, env)
	sf := addScheduleFlags(fs, env)
	webhook := fs.String("webhook", env.Getenv("REFORMBOT_WEBHOOK"), "public HTTPS URL for Telegram to post updates to (default: long polling)")
	listen := fs.String("listen", envOr(env, "REFORMBOT_LISTEN", ":8443"), "address the webhook server listens on")
	rate := fs.Float64("rate", envFloat(env, "REFORMBOT_RATE", 30), "messages per second overall (Telegram's limit; the sender paces 3% under it)")
	chatRate := fs.Float64("chat-rate", envFloat(env, "REFORMBOT_CHAT_RATE", 1), "messages per second to one chat")
	poll := fs.Duration("poll-timeout", 25*time.Second, "getUpdates long-polling timeout")
	standby := fs.Bool("standby", false, "if another serve runs on this database, wait and take over when it stops (default: refuse to start)")
	of := addOpsFlags(fs, env)
	wf := addWebFlags(fs, env)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := of.check(); err != nil {
		return err
	}
	token := strings.TrimSpace(env.Getenv("TELEGRAM_BOT_TOKEN"))
	if token == "" {
		return errors.New("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token")
	}
	loc, err := c.location()
	if err != nil {
		return err
	}
	log, err := c.logger()
	if err != nil {
		return err
	}
	capChatRate(fs, env, *rate, chatRate)
	if err := checkServeFlags(sf, *webhook, wf.publicURL, *rate, *chatRate); err != nil {
		return err
	}

	lock, err := takeSenderLock(ctx, env, c.db, *standby, log)
	if err != nil {
		if ctx.Err() != nil {
			return nil // a standby stopped before its turn came
		}
		return err
	}
	defer lock.Release()
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	years, err := plansForServe(ctx, c, db, log)
	if err != nil {
		return err
	}
	logPlans(log, years, env.Now())
	p := years.Current(env.Now())

	scfg, err := c.withCalendar(sf.config(defaultSchedule(p, loc)))
	if err != nil {
		return err
	}
	warnMissingHolidays(log, scfg.Calendar, env.Now().In(loc))
	sched, err := schedule.New(scfg, db, p, bot.Compose{}, log, env.Now)
	if err != nil {
		return usagef("%v", err)
	}
	b, err := bot.New(withSchedule(bot.Config{
		Token:       token,
		APIURL:      env.Getenv("TELEGRAM_API_URL"),
		Location:    loc,
		PollTimeout: *poll,
		Webhook:     bot.WebhookConfig{URL: *webhook, Listen: *listen, Secret: env.Getenv("REFORMBOT_WEBHOOK_SECRET")},
		Send:        sender.Config{Global: *rate, PerChat: *chatRate},
		HTTPClient:  botHTTPClient(env, *poll),
		WebAppURL:   wf.webAppURL(),
	}, sched, scfg), db, p, log)
	if err != nil {
		return err
	}
	serveWeb, ws, err := startDashboard(ctx, wf, web.Config{
		Plan: p, Store: db, Digests: sched, Location: loc, Now: env.Now, Log: log,
		Files: web.BotFiles{APIURL: env.Getenv("TELEGRAM_API_URL"), Token: token}, BotToken: token,
	}, ops.Handler(ops.Config{Bot: b, DB: db, Log: log, Now: env.Now}))
	if err != nil {
		return err
	}
	apply := func(ctx context.Context, y *plan.Years) {
		applyPlans(ctx, y, b, sched, log)
		if ws != nil {
			ws.SetPlan(y.Current(env.Now()))
		}
	}
	apply(ctx, years)

	log.Info("reformbot serving", "db", db.Path(), "tz", loc.String(), "version", version)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	afterCampaign, err := of.start(runCtx, &wg, env, db, b, loc, log)
	if err != nil {
		return err
	}
	sched.OnEnqueue(func() { b.Sender().Wake(); afterCampaign() })
	wg.Add(2)
	go func() {
		defer wg.Done()
		sched.Start(runCtx)
	}()
	go func() {
		defer wg.Done()
		watchPlans(runCtx, db, log, env.Now, func(y *plan.Years) {
			apply(runCtx, y)
			if err := b.RefreshCommands(runCtx); err != nil {
				log.Warn("telegram: setMyCommands failed", "err", err)
			}
		})
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		serveWeb(runCtx)
	}()
	err = b.Run(runCtx)
	// Intake and the sender have stopped; stop cron and wait for a run in
	// progress before the database closes.
	cancel()
	wg.Wait()
	if err != nil {
		return err
	}
	log.Info("reformbot stopped")
	return nil
}

func defaultSchedule(p *plan.Plan, loc *time.Location) schedule.Config {
	cfg := schedule.DefaultConfig(p.Reporting.Cadence)
	cfg.Location = loc
	return cfg
}

// withSchedule gives the bot what it takes from the schedule: the office's
// /bulletin, and the cron specs its texts quote. serve and demo share it.
func withSchedule(cfg bot.Config, sched *schedule.Scheduler, scfg schedule.Config) bot.Config {
	cfg.Bulletins = sched
	cfg.PromptSpec, cfg.DigestSpec = scfg.Prompt, scfg.Digest
	return cfg
}

func envFloat(env *Env, key string, fallback float64) float64 {
	if v, err := strconv.ParseFloat(strings.TrimSpace(env.Getenv(key)), 64); err == nil {
		return v
	}
	return fallback
}
