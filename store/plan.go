package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/luohu/reformbot/plan"
)

// SyncPlan makes p the plan in force: the whole plan as JSON, and its
// measures, units and assignments as tables. It does nothing when p is the
// plan already in force. It reports whether anything changed.
//
// Reports and contacts name measures and units by text, so a plan edit never
// deletes them; a report for a measure the new plan lacks stays in history.
func (db *DB) SyncPlan(ctx context.Context, p *plan.Plan) (changed bool, err error) {
	body, err := json.Marshal(p)
	if err != nil {
		return false, fmt.Errorf("store: sync plan: %w", err)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	err = db.Update(ctx, func(tx *Tx) error {
		var current string
		err := tx.tx.QueryRowContext(ctx, `SELECT hash FROM plan_in_force WHERE id = 1`).Scan(&current)
		if err == nil && current == hash {
			return nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		changed = true
		return replacePlan(ctx, tx, p, string(body), hash)
	})
	if err != nil {
		return false, fmt.Errorf("store: sync plan: %w", err)
	}
	return changed, nil
}

func replacePlan(ctx context.Context, tx *Tx, p *plan.Plan, body, hash string) error {
	for _, stmt := range []string{`DELETE FROM assignments`, `DELETE FROM measures`, `DELETE FROM units`} {
		if _, err := tx.tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if _, err := tx.tx.ExecContext(ctx, `
		INSERT INTO plan_in_force (
			id,
			title,
			body,
			hash,
			loaded_at
		) VALUES (1, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			title = excluded.title,
			body = excluded.body,
			hash = excluded.hash,
			loaded_at = excluded.loaded_at`,
		p.Title, body, hash, formatTime(tx.now)); err != nil {
		return err
	}
	for _, t := range p.Measures() {
		if _, err := tx.tx.ExecContext(ctx, `
			INSERT INTO measures (
				id,
				position,
				project_id,
				project_title,
				category_title,
				title,
				text
			) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.Measure.ID, t.Position, t.Project.ID, t.Project.Title, t.Project.CategoryTitle, t.Measure.Title, t.Measure.Text); err != nil {
			return fmt.Errorf("measure %s: %w", t.Measure.ID, err)
		}
	}
	units := map[string]bool{}
	addUnit := func(name string, group bool) error {
		if units[name] {
			return nil
		}
		units[name] = true
		_, err := tx.tx.ExecContext(ctx, `
			INSERT INTO units (
				name,
				is_group
			) VALUES (?, ?)`, name, group)
		return err
	}
	for _, u := range p.Units {
		if err := addUnit(u.Name, u.Group); err != nil {
			return fmt.Errorf("unit %s: %w", u.Name, err)
		}
	}
	for _, a := range p.Assignments() {
		// A group member the office named but did not declare is still a unit.
		if err := addUnit(a.Unit, false); err != nil {
			return fmt.Errorf("unit %s: %w", a.Unit, err)
		}
		if _, err := tx.tx.ExecContext(ctx, `
			INSERT INTO assignments (
				measure_id,
				unit,
				role
			) VALUES (?, ?, ?)`, a.MeasureID, a.Unit, string(a.Role)); err != nil {
			return fmt.Errorf("assignment %s %s: %w", a.MeasureID, a.Unit, err)
		}
	}
	return audit(ctx, tx, 0, "plan.sync", p.Title, fmt.Sprintf("%d measures, %d units", len(p.Measures()), len(units)))
}

// Plan returns the plan in force, or ErrNotFound if none was ever synced.
func (db *DB) Plan(ctx context.Context) (*plan.Plan, error) {
	var body string
	err := db.db.QueryRowContext(ctx, `SELECT body FROM plan_in_force WHERE id = 1`).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: plan: %w", err)
	}
	var p plan.Plan
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return nil, fmt.Errorf("store: plan: %w", err)
	}
	return &p, nil
}
