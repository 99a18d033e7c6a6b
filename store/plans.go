package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/luohu/reformbot/plan"
)

// Activation is what activating a plan did.
type Activation struct {
	Year    int  // the plan year (plan.SampleYear for the sample)
	Version int  // the version now in force for the year
	NewYear bool // it is the year's first plan
	Changed bool // false when the plan was already the year's version in force
	Diff    plan.Diff
}

// PlanVersion is one kept version of a year's plan.
type PlanVersion struct {
	Year        int // plan.SampleYear for the sample
	Version     int
	Title       string
	Measures    int
	ActivatedAt time.Time
	Diff        plan.Diff // against the version before
	InForce     bool      // the newest version of its year
}

// Activate makes p the plan in force for its year (p.Key()). A plan that
// differs from the year's version in force becomes a new version, kept with
// its diff; the same plan again changes nothing. Earlier versions and other
// years' plans are never deleted.
func (db *DB) Activate(ctx context.Context, p *plan.Plan) (Activation, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return Activation{}, fmt.Errorf("store: activate plan: %w", err)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	a := Activation{Year: p.Key()}
	err = db.Update(ctx, func(tx *Tx) error {
		a.Changed, a.NewYear, a.Diff = false, false, plan.Diff{}
		prev, err := planInForce(ctx, tx.tx, a.Year)
		switch {
		case errors.Is(err, ErrNotFound):
			a.NewYear, a.Version = true, 1
		case err != nil:
			return err
		case prev.hash == hash:
			a.Version = prev.version
			return nil
		default:
			a.Version = prev.version + 1
			a.Diff = plan.Compare(prev.plan, p)
		}
		a.Changed = true
		diff := ""
		if !a.NewYear {
			d, err := json.Marshal(a.Diff)
			if err != nil {
				return err
			}
			diff = string(d)
		}
		if _, err := tx.tx.ExecContext(ctx, `
			INSERT INTO plans (
				year,
				version,
				title,
				body,
				hash,
				diff,
				activated_at
			) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.Year, a.Version, p.Title, string(body), hash, diff, formatTime(tx.now)); err != nil {
			return err
		}
		if err := followRenames(ctx, tx, p); err != nil {
			return err
		}
		return audit(ctx, tx, 0, "plan.activate", fmt.Sprintf("%d v%d", a.Year, a.Version), p.Title)
	})
	if err != nil {
		return Activation{}, fmt.Errorf("store: activate plan: %w", err)
	}
	return a, nil
}

// storedPlan is a version as read back.
type storedPlan struct {
	year, version int
	hash          string
	plan          *plan.Plan
}

func planInForce(ctx context.Context, q querier, year int) (storedPlan, error) {
	var body string
	s := storedPlan{year: year}
	err := q.QueryRowContext(ctx, `
		SELECT
			version,
			hash,
			body
		FROM plans
		WHERE year = ?
		ORDER BY version DESC
		LIMIT 1`, year).Scan(&s.version, &s.hash, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, err
	}
	s.plan, err = decodePlan(year, body)
	return s, err
}

func decodePlan(year int, body string) (*plan.Plan, error) {
	var p plan.Plan
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return nil, fmt.Errorf("plan of %d: %w", year, err)
	}
	p.Sample = year == plan.SampleYear
	return &p, nil
}

// Plans returns the plans in force: the newest version of every year.
func (db *DB) Plans(ctx context.Context) (*plan.Years, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT
			p.year,
			p.body
		FROM plans p
		WHERE p.version = (SELECT max(version) FROM plans WHERE year = p.year)
		ORDER BY p.year`)
	if err != nil {
		return nil, fmt.Errorf("store: plans: %w", err)
	}
	defer rows.Close()
	var plans []*plan.Plan
	for rows.Next() {
		var year int
		var body string
		if err := rows.Scan(&year, &body); err != nil {
			return nil, fmt.Errorf("store: plans: %w", err)
		}
		p, err := decodePlan(year, body)
		if err != nil {
			return nil, fmt.Errorf("store: plans: %w", err)
		}
		plans = append(plans, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: plans: %w", err)
	}
	return plan.NewYears(plans...), nil
}

// Plan returns the plan people work with now (plan.Years.Current), or
// ErrNotFound when no plan was ever activated.
func (db *DB) Plan(ctx context.Context) (*plan.Plan, error) {
	years, err := db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	p := years.Current(db.now())
	if p == nil {
		return nil, ErrNotFound
	}
	return p, nil
}

// PlanVersions lists every kept version, by year then version.
func (db *DB) PlanVersions(ctx context.Context) ([]PlanVersion, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT
			p.year,
			p.version,
			p.title,
			p.body,
			p.diff,
			p.activated_at,
			p.version = (SELECT max(version) FROM plans WHERE year = p.year)
		FROM plans p
		ORDER BY p.year, p.version`)
	if err != nil {
		return nil, fmt.Errorf("store: plan versions: %w", err)
	}
	defer rows.Close()
	var out []PlanVersion
	for rows.Next() {
		var v PlanVersion
		var body, diff, at string
		if err := rows.Scan(&v.Year, &v.Version, &v.Title, &body, &diff, &at, &v.InForce); err != nil {
			return nil, fmt.Errorf("store: plan versions: %w", err)
		}
		p, err := decodePlan(v.Year, body)
		if err != nil {
			return nil, fmt.Errorf("store: plan versions: %w", err)
		}
		v.Measures = len(p.Measures())
		v.ActivatedAt = parseTime(at)
		if diff != "" {
			if err := json.Unmarshal([]byte(diff), &v.Diff); err != nil {
				return nil, fmt.Errorf("store: plan versions: diff of %d v%d: %w", v.Year, v.Version, err)
			}
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// PlansStamp changes whenever a plan is activated, so that a running serve
// can notice another process's activation cheaply.
func (db *DB) PlansStamp(ctx context.Context) (int64, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0) FROM plans`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: plans stamp: %w", err)
	}
	return n, nil
}

// followRenames moves the contacts, unused invites and conversations of a
// unit's former names (plan.Unit.Formerly) to its name now: its people keep
// working. Reports keep the name they were made under, so that earlier
// periods read as they were.
func followRenames(ctx context.Context, tx *Tx, p *plan.Plan) error {
	for from, to := range p.Renames() {
		var moved int64
		for _, stmt := range []string{
			`UPDATE contacts SET unit = ? WHERE unit = ? AND role = 'contact'`,
			`UPDATE invites SET unit = ? WHERE unit = ? AND used_at IS NULL`,
			`UPDATE conversations SET unit = ? WHERE unit = ?`,
		} {
			res, err := tx.tx.ExecContext(ctx, stmt, to, from)
			if err != nil {
				return fmt.Errorf("rename %s to %s: %w", from, to, err)
			}
			n, _ := res.RowsAffected()
			moved += n
		}
		if moved > 0 {
			if err := audit(ctx, tx, 0, "unit.rename", from+" → "+to, fmt.Sprintf("%d rows", moved)); err != nil {
				return err
			}
		}
	}
	return nil
}

// PlanAt returns the version of a year's plan in force at t: the latest
// activated at or before t, else the year's first version. A period's
// digest is built from it, so that it reads as the plan read then.
func (db *DB) PlanAt(ctx context.Context, year int, t time.Time) (*plan.Plan, error) {
	return planAt(ctx, db.db, year, t)
}

// PlanAt is DB.PlanAt within the transaction.
func (tx *Tx) PlanAt(ctx context.Context, year int, t time.Time) (*plan.Plan, error) {
	return planAt(ctx, tx.tx, year, t)
}

func planAt(ctx context.Context, q querier, year int, t time.Time) (*plan.Plan, error) {
	var body string
	err := q.QueryRowContext(ctx, `
		SELECT body
		FROM plans
		WHERE year = ?
		ORDER BY activated_at <= ? DESC, CASE WHEN activated_at <= ? THEN version ELSE -version END DESC
		LIMIT 1`, year, formatTime(t), formatTime(t)).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: plan of %d at %s: %w", year, t, err)
	}
	p, err := decodePlan(year, body)
	if err != nil {
		return nil, fmt.Errorf("store: plan at: %w", err)
	}
	return p, nil
}
