package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

// sampleNote tells the operator that the sample is in force and how to
// load the office's own plan.
const sampleNote = "the sample plan (示例计划, the embedded 2017 Luohu plan, periods following the calendar) is in force; " +
	"load the office's own: reformbot plan import DOC -o plan.yaml; reformbot plan check plan.yaml; reformbot plan activate plan.yaml"

// planWatchInterval is how often serve looks for a plan activated by
// another process; activation promises it is picked up within 10 s.
const planWatchInterval = 3 * time.Second

func runPlanActivate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "plan activate", "FILE")
	c := addCommon(fs, env)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return usagef("plan activate: want one plan file, got %d", len(rest))
	}
	p, err := loadPlanForYear(rest[0])
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := db.Activate(ctx, p)
	if err != nil {
		return err
	}
	writeActivation(env.Stdout, p, a)
	if a.Changed {
		fmt.Fprintln(env.Stdout, "a running serve picks it up within 10 s")
	}
	return nil
}

// loadPlanForYear loads and validates a plan file that is to be activated:
// it must name its year, under which its reports are filed.
func loadPlanForYear(path string) (*plan.Plan, error) {
	p, err := loadPlanFile(path)
	if err != nil {
		return nil, err
	}
	if p.Year < 2000 || p.Year > 2999 {
		return nil, fmt.Errorf("plan %s has no year: add a line such as `year: 2026`; its periods and reports are filed under it", path)
	}
	return p, nil
}

// writeActivation says what activating p did.
func writeActivation(w io.Writer, p *plan.Plan, a store.Activation) {
	name := fmt.Sprintf("%d", a.Year)
	if a.Year == plan.SampleYear {
		name = "sample"
	}
	switch {
	case !a.Changed:
		fmt.Fprintf(w, "%s v%d is already in force: %s; nothing changed\n", name, a.Version, p.Title)
		return
	case a.NewYear:
		fmt.Fprintf(w, "new year %s: %s, %d measures\n", name, p.Title, len(p.Measures()))
	default:
		fmt.Fprintf(w, "changes against %s v%d:\n%s", name, a.Version-1, a.Diff)
	}
	fmt.Fprintf(w, "activated %s v%d\n", name, a.Version)
}

func runPlanList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "plan list", "")
	c := addCommon(fs, env)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("plan list takes no arguments besides flags")
	}
	db, loc, err := c.openIn(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	versions, err := db.PlanVersions(ctx)
	if err != nil {
		return err
	}
	if len(versions) == 0 {
		fmt.Fprintln(env.Stdout, "no plan in the database: serve puts the sample plan (示例计划) in force; load the office's own with reformbot plan activate FILE")
		return nil
	}
	years, err := db.Plans(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%-6s %-7s %-8s %-16s %s\n", "YEAR", "VERSION", "MEASURES", "ACTIVATED", "TITLE")
	for _, v := range versions {
		year := fmt.Sprint(v.Year)
		if v.Year == plan.SampleYear {
			year = "sample"
		}
		version := fmt.Sprint(v.Version)
		if v.InForce {
			version += "*"
		}
		fmt.Fprintf(env.Stdout, "%-6s %-7s %-8d %-16s %s\n", year, version, v.Measures,
			v.ActivatedAt.In(loc).Format("2006-01-02 15:04"), v.Title)
	}
	fmt.Fprintln(env.Stdout, "* the version in force for its year")
	if _, ok := years.Sample(); ok {
		fmt.Fprintln(env.Stdout, sampleNote)
	}
	return nil
}

// plansForServe puts serve's plan in force and returns the plans: the
// --plan file is activated (a new version when it changed); without it the
// database's plans are kept, and only an empty database gets the embedded
// sample.
func plansForServe(ctx context.Context, c *common, db *store.DB, log *slog.Logger) (*plan.Years, error) {
	var p *plan.Plan
	if c.planFile != "" {
		var err error
		if p, err = loadPlanForYear(c.planFile); err != nil {
			return nil, err
		}
	} else {
		years, err := db.Plans(ctx)
		if err != nil {
			return nil, err
		}
		if !years.Empty() {
			return years, nil
		}
		p = plan.Default()
		p.Sample = true
	}
	a, err := db.Activate(ctx, p)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	writeActivation(&b, p, a)
	log.Info("plan", "file", c.planFile, "year", a.Year, "version", a.Version, "changed", a.Changed, "what", strings.TrimSpace(b.String()))
	return db.Plans(ctx)
}

// logPlans says which plans are in force, and warns when the year is past
// every plan's year.
func logPlans(log *slog.Logger, years *plan.Years, now time.Time) {
	if s, ok := years.Sample(); ok {
		log.Warn(sampleNote, "title", s.Title)
		return
	}
	cur := years.Current(now)
	log.Info("plans in force", "years", fmt.Sprint(years.List()), "current", cur.Year, "title", cur.Title, "measures", len(cur.Measures()))
	if years.Stale(now) {
		log.Warn("the date is past the plan's year and no newer plan is loaded: no prompts go out; activate this year's plan with reformbot plan activate FILE",
			"plan_year", cur.Year, "today", now.Format(time.DateOnly))
	}
}

// applyPlans puts the plans in force in the running bot and scheduler, and
// tells contacts whose unit the plan in force leaves out.
func applyPlans(ctx context.Context, years *plan.Years, b *bot.Bot, sched *schedule.Scheduler, log *slog.Logger) {
	b.SetPlans(years)
	sched.SetPlans(years)
	if n, err := b.TellUnitsLeft(ctx); err != nil {
		log.Error("plans: telling contacts whose unit has no task", "err", err)
	} else if n > 0 {
		log.Info("plans: contacts told their unit has no task in the plan in force", "contacts", n)
	}
}

// watchPlans polls the database for a plan activated by another process
// (reformbot plan activate) and hands the new plans to apply, until ctx is
// done.
func watchPlans(ctx context.Context, db *store.DB, log *slog.Logger, now func() time.Time, apply func(*plan.Years)) {
	stamp, err := db.PlansStamp(ctx)
	if err != nil {
		log.Error("plans: watch", "err", err)
	}
	t := time.NewTicker(planWatchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s, err := db.PlansStamp(ctx)
		if err != nil || s == stamp {
			if err != nil && ctx.Err() == nil {
				log.Warn("plans: watch", "err", err)
			}
			continue
		}
		years, err := db.Plans(ctx)
		if err != nil {
			log.Warn("plans: reload", "err", err)
			continue
		}
		stamp = s
		apply(years)
		log.Info("plans: a newly activated plan is in force")
		logPlans(log, years, now())
	}
}

func runPlanMembers(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "plan members", "[--plan FILE] GROUP MEMBER...")
	c := addCommon(fs, env)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) < 2 {
		fs.Usage()
		return usagef("plan members: want a group and at least one member, e.g. plan members 各街道办 东门街道办 桂园街道办")
	}
	var db *store.DB
	var p *plan.Plan
	if c.planFile != "" {
		if p, err = plan.Load(c.planFile); err != nil {
			return err
		}
	} else {
		if db, err = c.open(ctx); err != nil {
			return err
		}
		defer db.Close()
		if p, err = db.Plan(ctx); err != nil {
			return fmt.Errorf("plan members: no plan in the database: %w", err)
		}
	}
	if err := addMembers(p, rest[0], rest[1:]); err != nil {
		return err
	}
	if problems := p.Validate(); len(problems) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "plan members: the plan would have %d problem(s):", len(problems))
		for _, pr := range problems {
			fmt.Fprintf(&b, "\n  %s", pr.Message)
		}
		return fmt.Errorf("%s", b.String())
	}
	if c.planFile != "" {
		if err := p.WriteFile(c.planFile); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "wrote %s; put it in force with reformbot plan activate %s\n", c.planFile, c.planFile)
		return nil
	}
	a, err := db.Activate(ctx, p)
	if err != nil {
		return err
	}
	writeActivation(env.Stdout, p, a)
	if a.Changed {
		fmt.Fprintln(env.Stdout, "a running serve picks it up within 10 s; invite each member with reformbot invite MEMBER")
	}
	return nil
}

// addMembers lists members under group, declaring as units those the plan
// does not know yet.
func addMembers(p *plan.Plan, group string, members []string) error {
	g := -1
	if u, ok := p.Unit(group); ok {
		for i := range p.Units {
			if p.Units[i].Name == u.Name {
				g = i
			}
		}
	}
	if g < 0 {
		return fmt.Errorf("plan members: %q is not a unit of the plan", group)
	}
	if !p.Units[g].Group {
		return fmt.Errorf("plan members: %s is not a group (group: true in the plan file)", p.Units[g].Name)
	}
	for _, m := range members {
		m = strings.TrimSpace(m)
		name := m
		if u, ok := p.Unit(m); ok {
			if u.Group {
				return fmt.Errorf("plan members: %s is a group itself; list its members instead", u.Name)
			}
			name = u.Name
		} else {
			p.Units = append(p.Units, plan.Unit{Name: m, Aliases: []string{}})
		}
		if !slices.Contains(p.Units[g].Members, name) {
			p.Units[g].Members = append(p.Units[g].Members, name)
		}
	}
	return nil
}
