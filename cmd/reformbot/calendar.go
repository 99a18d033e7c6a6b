package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/luohu/reformbot/schedule"
)

func init() {
	commands["calendar"] = command{
		summary: "show which years' holidays are known, or add a year's holidays and 调休 days",
		run:     runCalendar,
	}
}

// holidaysPath is the holidays file: --holidays, or holidays.yaml next to
// the database (so a StateDirectory or a Docker volume holds both).
func (c *common) holidaysPath() string {
	if c.holidays != "" {
		return c.holidays
	}
	return filepath.Join(filepath.Dir(c.db), "holidays.yaml")
}

// calendar is the working-day calendar: the built-in data and the office's
// holidays file, read again when the file changes.
func (c *common) calendar() (*schedule.FileCalendar, error) {
	cal, err := schedule.NewFileCalendar(c.holidaysPath(), c.env.Now)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.holidaysPath(), err)
	}
	return cal, nil
}

// withCalendar puts the office's calendar into cfg unless the flags chose
// another one (--no-workdays).
func (c *common) withCalendar(cfg schedule.Config) (schedule.Config, error) {
	if cfg.Calendar != nil {
		return cfg, nil
	}
	cal, err := c.calendar()
	if err != nil {
		return cfg, err
	}
	cfg.Calendar = cal
	return cfg, nil
}

func warnMissingHolidays(log *slog.Logger, cal schedule.Calendar, now time.Time) {
	for _, y := range schedule.MissingYears(cal, now) {
		log.Warn("no holiday data for this year: actions move off weekends only; add it with reformbot calendar add", "year", y)
	}
}

// printMissingHolidays tells the operator which listed years have no
// holiday data, so the dates shown for them may still move.
func printMissingHolidays(env *Env, cal schedule.Calendar, from, to time.Time) {
	cc, ok := cal.(interface{ Covers(int) bool })
	if !ok {
		return
	}
	for y := from.Year(); y <= to.Year(); y++ {
		if !cc.Covers(y) {
			fmt.Fprintf(env.Stdout, "note: no holiday data for %d: its dates move off weekends only; add them with 'reformbot calendar add %d'\n", y, y)
		}
	}
}

func runCalendar(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "add" {
		return runCalendarAdd(env, args[1:])
	}
	fs := newFlagSet(env, "calendar", "[YEAR] | add YEAR --off DATES --work DATES [--replace]")
	c := addCommon(fs, env)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	cal, err := c.calendar()
	if err != nil {
		return err
	}
	now := env.Now()
	if loc, err := c.location(); err == nil {
		now = now.In(loc)
	}
	if len(rest) == 0 {
		fmt.Fprintf(env.Stdout, "holidays file: %s\n", c.holidaysPath())
		for y := now.Year() - 1; y <= now.Year()+1; y++ {
			src := cal.Source(y)
			if src == "" {
				src = "MISSING: run 'reformbot calendar add " + strconv.Itoa(y) + " --off ... --work ...'"
			}
			fmt.Fprintf(env.Stdout, "%d  %s\n", y, src)
		}
		for _, y := range schedule.MissingYears(cal, now) {
			fmt.Fprintf(env.Stdout, "warning: %d has no holiday data yet\n", y)
		}
		return nil
	}
	year, err := strconv.Atoi(rest[0])
	if err != nil || len(rest) > 1 {
		return usagef("calendar takes a year, e.g. 'reformbot calendar 2028'")
	}
	if !cal.Covers(year) {
		fmt.Fprintf(env.Stdout, "%d: no holiday data (weekends only)\n", year)
		return nil
	}
	fmt.Fprintf(env.Stdout, "%d (%s): days that are not what their weekday suggests\n", year, cal.Source(year))
	for d := time.Date(year, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		work, why := cal.Day(d)
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		if work == weekend {
			state := "off "
			if work {
				state = "work"
			}
			fmt.Fprintf(env.Stdout, "%s  %s  %s\n", d.Format("2006-01-02 Mon"), state, why)
		}
	}
	return nil
}

// listFlag collects a repeatable flag whose values may also be separated by
// commas.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*l = append(*l, item)
		}
	}
	return nil
}

func runCalendarAdd(env *Env, args []string) error {
	fs := newFlagSet(env, "calendar add", `YEAR --off "2028-01-26..2028-02-01 春节" --work "2028-02-05 春节调休" [--replace]`)
	c := addCommon(fs, env)
	var off, work listFlag
	fs.Var(&off, "off", "days off: DATE or DATE..DATE, optionally followed by a name; repeat or separate by commas")
	fs.Var(&work, "work", "调休 working days (weekend days that are worked), same form")
	replace := fs.Bool("replace", false, "the days given are the whole year: drop the year's other days (default: add to them)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("calendar add needs one YEAR, e.g. 'reformbot calendar add 2028 --off 2028-01-01 ...'")
	}
	year, err := strconv.Atoi(rest[0])
	if err != nil {
		return usagef("bad year %q", rest[0])
	}
	if len(off) == 0 && (*replace || len(work) == 0) {
		return usagef("calendar add needs days: --off (and --work); --replace needs the year's days off")
	}
	path := c.holidaysPath()
	h, err := schedule.LoadHolidays(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	y := schedule.HolidayYear{Off: off, Work: work}
	if err := y.Check(year); err != nil {
		return usagef("%v", err)
	}
	// Days are added to what the year holds (the file's, else the
	// built-in arrangement, which a year in the file replaces), so adding
	// 劳动节 keeps 春节.
	what := fmt.Sprintf("added %d to %s", year, path)
	old, inFile := h[year]
	builtIn := false
	if !inFile {
		old, builtIn = schedule.BuiltinYear(year)
	}
	if len(off) == 0 && !inFile && !builtIn {
		// A year of 调休 days only would count as known and hide that
		// its holidays are missing.
		return usagef("%d has no holiday data yet: give its days off (--off) too", year)
	}
	switch {
	case *replace:
		what = fmt.Sprintf("replaced %d in %s (--replace: its other days are gone)", year, path)
	case inFile || builtIn:
		merged, r, err := old.Merge(year, y)
		if err != nil {
			return usagef("%v", err)
		}
		y = merged
		what = fmt.Sprintf("added %d day(s) to %d in %s (%d given again)", r.Added, year, path, r.Replaced)
		if builtIn {
			what += ", keeping the rest of its built-in arrangement"
		}
	}
	h[year] = y
	data, err := h.Marshal()
	if err != nil {
		return err
	}
	if err := writeOutput(env, path, data); err != nil {
		return err
	}
	os.Chmod(path, 0o644)
	fmt.Fprintf(env.Stdout, "%s; %d now holds:\n", what, year)
	for _, item := range y.Off {
		fmt.Fprintf(env.Stdout, "  off   %s\n", item)
	}
	for _, item := range y.Work {
		fmt.Fprintf(env.Stdout, "  work  %s\n", item)
	}
	fmt.Fprintln(env.Stdout, "a running serve picks it up within a minute")
	return nil
}
