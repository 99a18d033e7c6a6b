package digest

import (
	"time"

	"github.com/luohu/reformbot/plan"
)

// The overdue rule of the package doc, in code.

// latest is the pair's status in the period, or else in the latest of the
// two periods before it that has a report; "" when none has.
func (b *builder) latest(key pairKey) plan.Status {
	for _, m := range b.reports {
		if r, ok := m[key]; ok {
			return r.Status
		}
	}
	return ""
}

// overdue applies the overdue rule to a pair whose measure has deadline.
func (b *builder) overdue(deadline string, key pairKey) bool {
	if deadline == "" || b.cutoff.IsZero() {
		return false
	}
	day, err := time.ParseInLocation(time.DateOnly, deadline, b.loc)
	if err != nil {
		return false // plan.Validate refuses such a plan; never guess
	}
	return !day.AddDate(0, 0, 1).After(b.cutoff) && b.latest(key) != plan.Done
}
