package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/luohu/reformbot/plan"
)

// Bulletin is the number (期号) a period's bulletin was issued under.
type Bulletin struct {
	Period   plan.Period
	Year     int
	Number   int
	IssuedAt time.Time
}

// ErrBulletinNumberTaken is returned when a number asked for is already
// another period's in the same year.
var ErrBulletinNumberTaken = errors.New("store: bulletin number already used")

// IssueBulletin returns the number of period's bulletin, issuing one when
// the period has none: number when it is positive, else one more than the
// year's highest. Asking again gives the same number; asking with another
// positive number renumbers the period, unless that number is another
// period's that year (ErrBulletinNumberTaken, naming the period).
func (tx *Tx) IssueBulletin(ctx context.Context, period plan.Period, number int) (Bulletin, error) {
	b, err := tx.bulletin(ctx, period)
	switch {
	case err == nil && (number <= 0 || number == b.Number):
		return b, nil
	case err != nil && !errors.Is(err, ErrNotFound):
		return Bulletin{}, err
	}
	year := period.Year()
	if number <= 0 {
		if err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM bulletins WHERE year = ?`, year).Scan(&number); err != nil {
			return Bulletin{}, fmt.Errorf("store: bulletin number: %w", err)
		}
	} else {
		var other string
		err := tx.tx.QueryRowContext(ctx, `SELECT period FROM bulletins WHERE year = ? AND number = ? AND period <> ?`, year, number, string(period)).Scan(&other)
		if err == nil {
			return Bulletin{}, fmt.Errorf("%w: %d年第%d期 is %s's", ErrBulletinNumberTaken, year, number, other)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Bulletin{}, fmt.Errorf("store: bulletin number: %w", err)
		}
	}
	_, err = tx.tx.ExecContext(ctx, `
		INSERT INTO bulletins (
			period,
			year,
			number,
			issued_at
		) VALUES (?, ?, ?, ?)
		ON CONFLICT (period) DO UPDATE SET number = excluded.number, issued_at = excluded.issued_at`,
		string(period), year, number, formatTime(tx.now))
	if err != nil {
		return Bulletin{}, fmt.Errorf("store: issue bulletin: %w", err)
	}
	return Bulletin{Period: period, Year: year, Number: number, IssuedAt: tx.now}, nil
}

func (tx *Tx) bulletin(ctx context.Context, period plan.Period) (Bulletin, error) {
	b := Bulletin{Period: period}
	var issued string
	err := tx.tx.QueryRowContext(ctx, `
		SELECT
			year,
			number,
			issued_at
		FROM bulletins WHERE period = ?`, string(period)).Scan(&b.Year, &b.Number, &issued)
	if errors.Is(err, sql.ErrNoRows) {
		return Bulletin{}, ErrNotFound
	}
	if err != nil {
		return Bulletin{}, fmt.Errorf("store: bulletin: %w", err)
	}
	b.IssuedAt = parseTime(issued)
	return b, nil
}
