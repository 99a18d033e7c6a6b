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
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
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
}

func addScheduleFlags(fs *flag.FlagSet, env *Env) *scheduleFlags {
	f := &scheduleFlags{}
	fs.StringVar(&f.prompt, "prompt-cron", env.Getenv("REFORMBOT_PROMPT_CRON"), `when prompts go out (default "0 9 25 * *"; quarterly plans "0 9 25 3,6,9,12 *")`)
	fs.StringVar(&f.reminders, "remind-cron", env.Getenv("REFORMBOT_REMIND_CRON"), `when reminders go out, specs separated by ";" (default "0 9 28 * *;0 9 1 * *")`)
	fs.StringVar(&f.digest, "digest-cron", env.Getenv("REFORMBOT_DIGEST_CRON"), `when the office digest goes out (default "0 9 2 * *")`)
	fs.StringVar(&f.acceptance, "acceptance-cron", env.Getenv("REFORMBOT_ACCEPTANCE_CRON"), `when lead units are asked for year-end results (default "0 9 1 12 *")`)
	fs.BoolVar(&f.noWorkdays, "no-workdays", env.Getenv("REFORMBOT_NO_WORKDAYS") != "", "keep nominal dates instead of moving actions off weekends and public holidays")
	fs.DurationVar(&f.catchUp, "catch-up", 7*24*time.Hour, "how long after its time a missed action is still done on start")
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
	if _, err := parseFlags(fs, args); err != nil {
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
	if *rate <= 0 || *chatRate <= 0 {
		return usagef("--rate and --chat-rate must be positive")
	}

	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := c.planForServe()
	if err != nil {
		return err
	}
	changed, err := db.SyncPlan(ctx, p)
	if err != nil {
		return err
	}
	log.Info("plan in force", "title", p.Title, "measures", len(p.Measures()), "units", len(p.Units), "changed", changed)

	sched, err := schedule.New(sf.config(defaultSchedule(p, loc)), db, p, bot.Compose{}, log, env.Now)
	if err != nil {
		return usagef("%v", err)
	}
	b, err := bot.New(bot.Config{
		Token:       token,
		APIURL:      env.Getenv("TELEGRAM_API_URL"),
		Location:    loc,
		PollTimeout: *poll,
		Webhook:     bot.WebhookConfig{URL: *webhook, Listen: *listen, Secret: env.Getenv("REFORMBOT_WEBHOOK_SECRET")},
		Send:        bot.SendConfig{Global: *rate, PerChat: *chatRate},
	}, db, p, log)
	if err != nil {
		return err
	}
	sched.OnEnqueue(b.Sender().Wake)

	log.Info("reformbot serving", "db", db.Path(), "tz", loc.String())
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sched.Start(runCtx)
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

// planForServe is the plan serve puts in force: the --plan file, or the
// embedded default. (Other commands read the plan in force from the
// database; serve is what decides it.)
func (c *common) planForServe() (*plan.Plan, error) {
	if c.planFile != "" {
		return loadPlanFile(c.planFile)
	}
	return plan.Default(), nil
}

func defaultSchedule(p *plan.Plan, loc *time.Location) schedule.Config {
	cfg := schedule.DefaultConfig(p.Reporting.Cadence)
	cfg.Location = loc
	return cfg
}

func envFloat(env *Env, key string, fallback float64) float64 {
	if v, err := strconv.ParseFloat(strings.TrimSpace(env.Getenv(key)), 64); err == nil {
		return v
	}
	return fallback
}
