package web

import (
	"context"
	"time"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// yearView is every period of a year, each as the digest the bot would
// build for it (without the contacts and failed messages, which the grid
// does not show). Periods after the current one are left out.
type yearView struct {
	Year    int
	Current plan.Period
	Periods []plan.Period
	Digests []*digest.Digest // one per period, same order

	plan       *plan.Plan                     // the plan they were built with
	byPeriod   map[plan.Period][]store.Report // the reports they were built from
	returned   map[plan.Period][]store.Review // the office's returns (退回补充) of each period
	coldReadAt time.Time                      // when the older periods were read
}

// periodsOf lists the periods of year in the plan's cadence.
func periodsOf(year int, c plan.Cadence, loc *time.Location) []plan.Period {
	var out []plan.Period
	for p := plan.PeriodOf(time.Date(year, 1, 15, 12, 0, 0, 0, loc), c); p.Year() == year; p = p.Next() {
		out = append(out, p)
	}
	return out
}

// current is the period in progress, as the bot counts it.
func (s *Server) current() plan.Period {
	return plan.PeriodOf(s.cfg.Now().In(s.cfg.Location), s.inForce().Reporting.Cadence)
}

// loadYear builds the year's digests from its reports (and the two
// periods before it, which the stalled rule looks back on).
//
// Reports come in for the current period and the one before it (a
// reminder's button reports on the period it reminds of). Older periods
// change rarely: given last, the view built before for the same year and
// current period, loadYear reads only those two again and keeps the older
// periods' reports and digests. The cache refreshes those after coldTTL.
func (s *Server) loadYear(ctx context.Context, year int, last *yearView) (*yearView, error) {
	cur := s.current()
	now := s.cfg.Now()
	pl := s.inForce()
	all := periodsOf(year, s.inForce().Reporting.Cadence, s.cfg.Location)
	y := &yearView{Year: year, Current: cur, plan: pl, byPeriod: map[plan.Period][]store.Report{}, returned: map[plan.Period][]store.Review{}, coldReadAt: now}
	for _, p := range all {
		if p > cur && len(p) == len(cur) {
			break
		}
		y.Periods = append(y.Periods, p)
	}
	if len(y.Periods) == 0 {
		return y, nil
	}
	hot := func(p plan.Period) bool { return p >= cur.Prev() }
	read := append([]plan.Period{y.Periods[0].Prev().Prev(), y.Periods[0].Prev()}, y.Periods...)
	reuse := last != nil && last.Year == year && last.Current == cur && last.plan == pl
	if reuse {
		y.coldReadAt = last.coldReadAt
		var hotOnes []plan.Period
		for _, p := range read {
			if hot(p) {
				hotOnes = append(hotOnes, p)
			} else {
				y.byPeriod[p] = last.byPeriod[p]
				y.returned[p] = last.returned[p]
			}
		}
		read = hotOnes
	}
	if len(read) > 0 {
		reports, err := s.cfg.Store.PeriodReports(ctx, pl.Key(), read...)
		if err != nil {
			return nil, err
		}
		for _, r := range reports {
			y.byPeriod[r.Period] = append(y.byPeriod[r.Period], r)
		}
		for _, p := range read {
			if y.returned[p], err = s.cfg.Store.ReturnedReports(ctx, pl.Key(), p); err != nil {
				return nil, err
			}
		}
	}
	for i, p := range y.Periods {
		if reuse && !hot(p) {
			// Built from this period and the two before, all older.
			y.Digests = append(y.Digests, last.Digests[i])
			continue
		}
		// Each digest gets its period and the two before it, not the
		// whole year to sort through.
		in := append(append(append([]store.Report(nil), y.byPeriod[p.Prev().Prev()]...), y.byPeriod[p.Prev()]...), y.byPeriod[p]...)
		y.Digests = append(y.Digests, digest.Build(digest.Input{
			Plan: pl, Period: p, Reports: in, Location: s.cfg.Location, GeneratedAt: now, Returned: y.returned[p],
		}))
	}
	return y, nil
}
