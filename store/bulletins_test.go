package store

import (
	"context"
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

func TestIssueBulletinNumbers(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, func() time.Time { return time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC) })
	issue := func(period plan.Period, number int) (Bulletin, error) {
		var b Bulletin
		err := db.Update(ctx, func(tx *Tx) error {
			var err error
			b, err = tx.IssueBulletin(ctx, period, number)
			return err
		})
		return b, err
	}
	steps := []struct {
		name   string
		period plan.Period
		number int
		want   int
	}{
		{"first of the year", "2026-09", 0, 1},
		{"counts up", "2026-10", 0, 2},
		{"stable when asked again", "2026-09", 0, 1},
		{"counts up again", "2026-11", 0, 3},
		{"a new year starts at 1", "2027-01", 0, 1},
		{"given number", "2026-12", 11, 11},
		{"next after the highest", "2026-08", 0, 12},
		{"renumbered on request", "2026-11", 4, 4},
		{"renumbered stays", "2026-11", 0, 4},
		{"the freed number is not reused by counting", "2026-07", 0, 13},
		{"quarterly periods count in their year", "2027-Q1", 0, 2},
	}
	for _, s := range steps {
		b, err := issue(s.period, s.number)
		if err != nil || b.Number != s.want || b.Year != s.period.Year() {
			t.Fatalf("%s: IssueBulletin(%s, %d) = %+v, %v; want number %d", s.name, s.period, s.number, b, err, s.want)
		}
	}
	if _, err := issue("2026-10", 11); !errors.Is(err, ErrBulletinNumberTaken) || !strings.Contains(err.Error(), "2026-12") {
		t.Errorf("taking 2026-12's number: err = %v", err)
	}
	if b, _ := issue("2026-10", 0); b.Number != 2 {
		t.Errorf("a refused renumbering changed 2026-10 to %d", b.Number)
	}
}

// Two branches adding migrations with the same number would merge without a
// conflict, and the second file would never run: numbers must be unique
// (gaps are fine: each issue's migration may take its own number).
func TestMigrationNumbersAreUnique(t *testing.T) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]string{}
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			t.Errorf("%s has no number", base)
			continue
		}
		if other, dup := seen[n]; dup {
			t.Errorf("migrations %s and %s share number %d: renumber one", other, base, n)
		}
		seen[n] = base
	}
}
