package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai works on a machine without a zoneinfo database

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// common are the flags every command that touches the database shares.
// Each flag has an environment fallback, so a server's unit file can set
// them once.
type common struct {
	db       string
	planFile string
	tz       string
	logLevel string
	holidays string
	env      *Env
}

func addCommon(fs *flag.FlagSet, env *Env) *common {
	c := &common{env: env}
	fs.StringVar(&c.db, "db", envOr(env, "REFORMBOT_DB", "reformbot.db"), "SQLite database file (env REFORMBOT_DB)")
	fs.StringVar(&c.planFile, "plan", env.Getenv("REFORMBOT_PLAN"), "plan file (YAML) instead of the plan in force or the embedded default (env REFORMBOT_PLAN)")
	fs.StringVar(&c.tz, "tz", envOr(env, "REFORMBOT_TZ", "Asia/Shanghai"), "the office's time zone (env REFORMBOT_TZ)")
	fs.StringVar(&c.holidays, "holidays", env.Getenv("REFORMBOT_HOLIDAYS"), "holidays file (default holidays.yaml next to the database; env REFORMBOT_HOLIDAYS)")
	fs.StringVar(&c.logLevel, "log-level", envOr(env, "REFORMBOT_LOG_LEVEL", "info"), "debug, info, warn or error (env REFORMBOT_LOG_LEVEL)")
	return c
}

func envOr(env *Env, key, fallback string) string {
	if v := strings.TrimSpace(env.Getenv(key)); v != "" {
		return v
	}
	return fallback
}

// location loads the office's time zone.
func (c *common) location() (*time.Location, error) {
	loc, err := time.LoadLocation(c.tz)
	if err != nil {
		return nil, usagef("bad --tz %q: %v (want an IANA name such as Asia/Shanghai)", c.tz, err)
	}
	return loc, nil
}

// logger writes text logs to stderr at the chosen level.
func (c *common) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usagef("bad --log-level %q: want debug, info, warn or error", c.logLevel)
	}
	return slog.New(slog.NewTextHandler(c.env.Stderr, &slog.HandlerOptions{Level: level})), nil
}

// open opens the database, warning when its file is readable by others.
func (c *common) open(ctx context.Context) (*store.DB, error) {
	db, err := store.Open(ctx, c.db, store.Options{Now: c.env.Now})
	if err == nil {
		if mode, exposed := db.Exposed(); exposed {
			fmt.Fprintf(c.env.Stderr, "warning: %s is readable by other users (mode %v); it holds contacts and reports: chmod 600 it (and its -wal, -shm files)\n",
				c.db, mode)
		}
	}
	return db, err
}

// openIn opens the database and reads the office's zone: how most
// commands begin.
func (c *common) openIn(ctx context.Context) (*store.DB, *time.Location, error) {
	loc, err := c.location()
	if err != nil {
		return nil, nil, err
	}
	db, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	return db, loc, nil
}

// loadPlan returns the plan a command works with: the --plan file when
// given (validated), else the plan in force now in the database, else the
// embedded sample.
func (c *common) loadPlan(ctx context.Context, db *store.DB) (*plan.Plan, error) {
	if c.planFile != "" {
		return loadPlanFile(c.planFile)
	}
	if db != nil {
		p, err := db.Plan(ctx)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	sample := plan.Default()
	sample.Sample = true
	return sample, nil
}

// loadPlanFile loads and validates a plan file; its problems are the error.
func loadPlanFile(path string) (*plan.Plan, error) {
	p, err := plan.Load(path)
	if err != nil {
		return nil, err
	}
	if problems := p.Validate(); len(problems) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "plan %s has %d problem(s):", path, len(problems))
		for _, pr := range problems {
			fmt.Fprintf(&b, "\n  %s:%d: %s", path, pr.Line, pr.Message)
		}
		return nil, errors.New(b.String())
	}
	return p, nil
}

// periodFlag reads a required --period: one that has begun (a digest or a
// bulletin of a period to come would be empty, and a bulletin's number is
// kept for good).
func (c *common) periodFlag(s string) (plan.Period, error) {
	if strings.TrimSpace(s) == "" {
		return "", usagef("--period is required, e.g. --period 2017-04")
	}
	p, err := plan.ParsePeriod(s)
	if err != nil {
		return "", usagef("%v", err)
	}
	loc, err := c.location()
	if err != nil {
		return "", err
	}
	if start := p.Start(loc); start.After(c.env.Now()) {
		return "", usagef("period %s has not begun (it starts %s)", p, start.Format("2006-01-02"))
	}
	return p, nil
}

// writeOutput writes data to path atomically (a temporary file renamed into
// place, so a failure leaves no partial file), or to stdout when path is
// empty or "-".
func writeOutput(env *Env, path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := env.Stdout.Write(data)
		return err
	}
	tmp, err := os.CreateTemp(dirOf(path), ".reformbot-*")
	if err != nil {
		return outputError(path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// checkOutput fails, before anything is done, when path cannot be
// written: a command that makes something (invites) must not make it for
// nobody.
func checkOutput(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	tmp, err := os.CreateTemp(dirOf(path), ".reformbot-*")
	if err != nil {
		return outputError(path, err)
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// outputError says which file could not be written and why, without the
// name of the temporary file it was being written through.
func outputError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot write %s: %w", path, err)
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}
