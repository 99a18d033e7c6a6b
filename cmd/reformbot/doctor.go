package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/ops"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

func init() {
	commands["doctor"] = command{summary: "check the token, the Bot API, the database, the calendar, the schedule and the outbox", run: runDoctor}
}

// botHTTPClient is the Bot API client serve uses: through HTTPS_PROXY or
// ALL_PROXY, with room for the long poll.
func botHTTPClient(env *Env, poll time.Duration) *http.Client {
	return ops.ProxyFromEnv(env.Getenv).Client(poll + 15*time.Second)
}

func runDoctor(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "doctor", "[--json] [schedule flags]")
	c := addCommon(fs, env)
	sf := addScheduleFlags(fs, env)
	asJSON := fs.Bool("json", false, "print the findings as JSON, for monitoring")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("doctor takes no arguments besides flags")
	}
	loc, err := c.location()
	if err != nil {
		return err
	}
	log, err := c.logger()
	if err != nil {
		return err
	}
	cfg, err := c.withCalendar(sf.config(schedule.Config{}))
	if err != nil {
		return err
	}
	apiURL := envOr(env, "TELEGRAM_API_URL", "https://api.telegram.org")
	proxy := ops.ProxyFromEnv(env.Getenv)
	d := &ops.Doctor{
		DBPath:   c.db,
		API:      &ops.API{URL: apiURL, Token: strings.TrimSpace(env.Getenv("TELEGRAM_BOT_TOKEN")), Client: proxy.Client(30 * time.Second)},
		Proxy:    proxy.Describe(apiURL),
		Calendar: cfg.Calendar,
		Location: loc,
		Now:      env.Now,
		Scheduler: func(db *store.DB, p *plan.Plan) (*schedule.Scheduler, error) {
			return schedule.New(c.scheduleFor(sf, p, loc, cfg.Calendar), db, p, bot.Compose{}, log, env.Now)
		},
	}
	findings := d.Run(ctx)
	failed := 0
	for _, f := range findings {
		if f.Status == ops.Fail {
			failed++
		}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			OK       bool          `json:"ok"`
			Findings []ops.Finding `json:"findings"`
		}{failed == 0, findings}); err != nil {
			return err
		}
	} else {
		for _, f := range findings {
			mark := map[ops.Status]string{ops.OK: "✓", ops.Warn: "!", ops.Fail: "✗"}[f.Status]
			fmt.Fprintf(env.Stdout, "%s %-11s %s\n", mark, f.Check, f.Detail)
			if f.Fix != "" {
				fmt.Fprintf(env.Stdout, "  %-11s → %s\n", "", f.Fix)
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("doctor: %d check(s) failed", failed)
	}
	return nil
}

// scheduleFor is the schedule of plan p with the flags and calendar given.
func (c *common) scheduleFor(sf *scheduleFlags, p *plan.Plan, loc *time.Location, cal schedule.Calendar) schedule.Config {
	cfg := sf.config(defaultSchedule(p, loc))
	cfg.Calendar = cal
	return cfg
}
