package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/luohu/reformbot/schedule"
)

// willRun keeps the runs serve would do and returns, in order, the years
// of those it would not (no plan in force covers their period).
func willRun(s *schedule.Scheduler, occ []schedule.Occurrence) (kept []schedule.Occurrence, unplanned []int) {
	for _, o := range occ {
		if s.WillRun(o) {
			kept = append(kept, o)
		} else if y := o.Period.Year(); !slices.Contains(unplanned, y) {
			unplanned = append(unplanned, y)
		}
	}
	return kept, unplanned
}

// printUnplanned tells the operator which years' runs are left out of the
// schedule because no plan covers them, and says plainly when that leaves
// nothing to send.
func printUnplanned(env *Env, s *schedule.Scheduler, kept []schedule.Occurrence, unplanned []int, from, to time.Time) {
	if len(unplanned) == 0 {
		return
	}
	years := make([]string, len(unplanned))
	for i, y := range unplanned {
		years[i] = fmt.Sprint(y)
	}
	have := "none"
	if list := s.Plans().List(); len(list) > 0 {
		have = strings.Trim(strings.Join(strings.Fields(fmt.Sprint(list)), ", "), "[]")
	}
	why := fmt.Sprintf("no plan covers %s (the database has plans for %s); activate that year's plan with 'reformbot plan activate FILE'",
		strings.Join(years, " or "), have)
	if len(kept) == 0 {
		fmt.Fprintf(env.Stdout, "nothing will be sent from %s to %s: %s\n",
			from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly), why)
		return
	}
	fmt.Fprintf(env.Stdout, "note: runs for %s are not listed and will not be sent: %s\n", strings.Join(years, " or "), why)
}
