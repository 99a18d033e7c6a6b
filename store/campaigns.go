package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/luohu/reformbot/plan"
)

// Kinds of campaign. They are also the outbox kinds of their messages;
// the scheduler names its actions by them.
const (
	KindPrompt     = "prompt"
	KindRemind     = "remind"
	KindDigest     = "digest"
	KindAcceptance = "acceptance"
)

// Campaign records that a scheduled action was carried out for a period:
// the prompts of 2017-04, the reminder of 2017-04 on 2017-04-28, the digest
// of 2017-04. It is written in the transaction that enqueues its messages.
type Campaign struct {
	Kind      string
	Period    plan.Period
	Slot      string // distinguishes several runs of a kind in one period, e.g. the reminder's date
	Trigger   string // cron, catch-up or operator
	CreatedAt time.Time
	Messages  int // messages enqueued by the run that created it
}

// Campaign returns the campaign (kind, period, slot), or ErrNotFound.
func (tx *Tx) Campaign(ctx context.Context, kind string, period plan.Period, slot string) (Campaign, error) {
	c := Campaign{Kind: kind, Period: period, Slot: slot}
	var created string
	err := tx.tx.QueryRowContext(ctx, `
		SELECT
			trigger,
			created_at,
			messages
		FROM campaigns WHERE kind = ? AND period = ? AND slot = ?`,
		kind, string(period), slot).Scan(&c.Trigger, &created, &c.Messages)
	if errors.Is(err, sql.ErrNoRows) {
		return Campaign{}, ErrNotFound
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("store: campaign: %w", err)
	}
	c.CreatedAt = parseTime(created)
	return c, nil
}

// RecordCampaign records a campaign; recording one that exists does nothing.
func (tx *Tx) RecordCampaign(ctx context.Context, c Campaign) error {
	_, err := tx.tx.ExecContext(ctx, `
		INSERT INTO campaigns (
			kind,
			period,
			slot,
			trigger,
			created_at,
			messages
		) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, period, slot) DO NOTHING`,
		c.Kind, string(c.Period), c.Slot, c.Trigger, formatTime(tx.now), c.Messages)
	if err != nil {
		return fmt.Errorf("store: record campaign: %w", err)
	}
	return nil
}

// Campaigns returns every campaign, oldest first.
func (db *DB) Campaigns(ctx context.Context) ([]Campaign, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT
			kind,
			period,
			slot,
			trigger,
			created_at,
			messages
		FROM campaigns ORDER BY created_at, kind`)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		var c Campaign
		var period, created string
		if err := rows.Scan(&c.Kind, &period, &c.Slot, &c.Trigger, &created, &c.Messages); err != nil {
			return nil, fmt.Errorf("store: campaigns: %w", err)
		}
		c.Period, c.CreatedAt = plan.Period(period), parseTime(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Ran reports whether a campaign of kind was carried out for period, in
// any slot.
func (tx *Tx) Ran(ctx context.Context, kind string, period plan.Period) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM campaigns WHERE kind = ? AND period = ?`, kind, string(period)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: campaigns: %w", err)
	}
	return n > 0, nil
}

// CampaignsOf returns the campaigns of a kind for a period, by slot.
func (tx *Tx) CampaignsOf(ctx context.Context, kind string, period plan.Period) ([]Campaign, error) {
	rows, err := tx.tx.QueryContext(ctx, `
		SELECT
			slot,
			trigger,
			created_at,
			messages
		FROM campaigns WHERE kind = ? AND period = ? ORDER BY slot`, kind, string(period))
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		c := Campaign{Kind: kind, Period: period}
		var created string
		if err := rows.Scan(&c.Slot, &c.Trigger, &created, &c.Messages); err != nil {
			return nil, fmt.Errorf("store: campaigns: %w", err)
		}
		c.CreatedAt = parseTime(created)
		out = append(out, c)
	}
	return out, rows.Err()
}
