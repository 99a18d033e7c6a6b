package main

import (
	"context"
	"fmt"
	"time"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

func init() {
	commands["prompt"] = command{summary: "enqueue a period's prompts now (never twice to one contact)", run: runPrompt}
	commands["remind"] = command{summary: "enqueue reminders now to units with unreported measures", run: runRemind}
	commands["digest"] = command{summary: "print a period's digest (text, json or xlsx), or --send it to the office", run: runDigest}
	commands["export"] = command{summary: "write a period's digest workbook (XLSX)", run: runExport}
	commands["schedule"] = command{summary: "list when prompts, reminders and digests go out", run: runSchedule}
}

// scheduler opens the database and builds a scheduler for the plan in
// force, for the commands that act on a period; a period that does not fit
// the plan's cadence is a usage error.
func scheduler(ctx context.Context, c *common, sf *scheduleFlags, period plan.Period) (*schedule.Scheduler, *store.DB, error) {
	loc, err := c.location()
	if err != nil {
		return nil, nil, err
	}
	log, err := c.logger()
	if err != nil {
		return nil, nil, err
	}
	db, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := c.loadPlan(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	cfg := defaultSchedule(p, loc)
	if sf != nil {
		cfg = sf.config(cfg)
	}
	if cfg, err = c.withCalendar(cfg); err != nil {
		db.Close()
		return nil, nil, err
	}
	s, err := schedule.New(cfg, db, p, bot.Compose{}, log, c.env.Now)
	if err == nil && c.planFile == "" {
		// Each period is worked with its own year's plan.
		var years *plan.Years
		if years, err = db.Plans(ctx); err == nil && !years.Empty() {
			s.SetPlans(years)
		}
	}
	if err == nil && period != "" {
		err = s.CheckPeriod(period)
	}
	if err != nil {
		db.Close()
		return nil, nil, usagef("%v", err)
	}
	return s, db, nil
}

func runPrompt(ctx context.Context, env *Env, args []string) error {
	return runPush(ctx, env, args, "prompt", func(s *schedule.Scheduler, p plan.Period) (int, error) {
		return s.PromptNow(ctx, p)
	})
}

func runRemind(ctx context.Context, env *Env, args []string) error {
	return runPush(ctx, env, args, "remind", func(s *schedule.Scheduler, p plan.Period) (int, error) {
		return s.RemindNow(ctx, p)
	})
}

func runPush(ctx context.Context, env *Env, args []string, name string, push func(*schedule.Scheduler, plan.Period) (int, error)) error {
	fs := newFlagSet(env, name, "--period YYYY-MM")
	c := addCommon(fs, env)
	periodFlag := fs.String("period", "", "reporting period, e.g. 2017-04 (or 2017-Q2 for a quarterly plan)")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("%s takes no arguments besides flags", name)
	}
	period, err := c.periodFlag(*periodFlag)
	if err != nil {
		return err
	}
	s, db, err := scheduler(ctx, c, nil, period)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := push(s, period)
	if err != nil {
		return err
	}
	noun := map[string]string{"prompt": "prompts", "remind": "reminders"}[name]
	fmt.Fprintf(env.Stdout, "%s %s: %d %s enqueued; serve sends them within seconds\n", name, period, n, noun)
	return nil
}

func runDigest(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "digest", "--period YYYY-MM [--format text|json|xlsx] [-o FILE] [--send]")
	c := addCommon(fs, env)
	periodFlag := fs.String("period", "", "reporting period, e.g. 2017-04")
	format := fs.String("format", "text", "text, json or xlsx")
	out := fs.String("o", "", "write to FILE instead of standard output")
	send := fs.Bool("send", false, "also enqueue the digest for every office contact")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("digest takes no arguments besides flags")
	}
	period, err := c.periodFlag(*periodFlag)
	if err != nil {
		return err
	}
	switch *format {
	case "text", "json", "xlsx":
	default:
		return usagef("bad --format %q: want text, json or xlsx", *format)
	}
	if *format == "xlsx" && (*out == "" || *out == "-") {
		return usagef("an XLSX digest needs -o FILE.xlsx")
	}
	_, err = writeDigest(ctx, c, period, *format, *out, *send)
	return err
}

// writeDigest builds period's digest, writes it in format to out (stdout
// when empty) and, with send, enqueues it for the office. It returns the
// bytes written.
func writeDigest(ctx context.Context, c *common, period plan.Period, format, out string, send bool) (int, error) {
	s, db, err := scheduler(ctx, c, nil, period)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	d, err := s.BuildDigest(ctx, period)
	if err != nil {
		return 0, err
	}
	var data []byte
	switch format {
	case "json":
		if data, err = d.JSON(); err == nil {
			data = append(data, '\n')
		}
	case "xlsx":
		data, err = d.XLSX()
	default:
		data = []byte(d.PlainText())
	}
	if err != nil {
		return 0, err
	}
	if err := writeOutput(c.env, out, data); err != nil {
		return 0, err
	}
	if send {
		n, err := s.DigestNow(ctx, period)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(c.env.Stderr, "digest %s: %d messages enqueued for the office\n", period, n)
	}
	return len(data), nil
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "export", "--period YYYY-MM -o FILE.xlsx")
	c := addCommon(fs, env)
	periodFlag := fs.String("period", "", "reporting period, e.g. 2017-04")
	out := fs.String("o", "", "the XLSX file to write")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("export takes no arguments besides flags")
	}
	period, err := c.periodFlag(*periodFlag)
	if err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		return usagef("export needs -o FILE.xlsx")
	}
	n, err := writeDigest(ctx, c, period, "xlsx", *out, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes)\n", *out, n)
	return nil
}

func runSchedule(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "schedule", "[--from YYYY-MM-DD] [--days N] [schedule flags]")
	c := addCommon(fs, env)
	sf := addScheduleFlags(fs, env)
	from := fs.String("from", "", "first day to list (default today)")
	days := fs.Int("days", 62, "how many days to list")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("schedule takes no arguments besides flags")
	}
	s, db, err := scheduler(ctx, c, sf, "")
	if err != nil {
		return err
	}
	defer db.Close()
	loc, _ := c.location()
	start := env.Now().In(loc)
	if *from != "" {
		t, err := time.ParseInLocation(time.DateOnly, *from, loc)
		if err != nil {
			return usagef("bad --from %q: want YYYY-MM-DD", *from)
		}
		start = t
	}
	if *days <= 0 || *days > 3660 {
		return usagef("--days must be between 1 and 3660")
	}
	end := start.AddDate(0, 0, *days)
	printMissingHolidays(env, s.Calendar(), start, end)
	occ, unplanned := willRun(s, s.Occurrences(start, end))
	printUnplanned(env, s, occ, unplanned, start, end)
	for _, o := range occ {
		moved := ""
		if !o.Due.Equal(o.Nominal) {
			moved = " (moved from " + o.Nominal.Format("01-02 Mon") + ": " + o.Moved + ")"
		}
		fmt.Fprintf(env.Stdout, "%s  %-10s %s%s\n", o.Due.Format("2006-01-02 Mon 15:04"), o.Kind, o.Period, moved)
	}
	return nil
}
