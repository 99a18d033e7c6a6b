package web

import (
	"context"
	"slices"
	"sort"
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

	plan *plan.Plan // the plan they were built with
	// cold and hot are the current reports they were built from, of
	// Periods and of the two periods before the year (the stalled rule
	// looks back on them), ordered by period: hot those of the current
	// and previous periods, which are read again on a change, cold the
	// older ones, kept (and shared with the next view) until coldTTL.
	cold, hot  []store.Report
	returned   []store.Review // the office's returns (退回补充) among them
	coldReadAt time.Time      // when the older periods were read
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

// loadYear builds the year's digests from its reports, by pl, the year's
// plan.
//
// The whole year is one lean read (store.YearReports, YearReturns; the
// 督办, a few rows, by PeriodUrges per period built) and one
// digest.BuildPeriods, which indexes the plan and each period's
// reports once for all the digests: for a city's year that keeps even the
// first page after start under 100 ms. (Reading and building on two
// cores cut the wall time by a quarter but cost more CPU and 7 MB more
// peak memory.)
//
// Reports come in for the current period and the one before it (a
// reminder's button reports on the period it reminds of). Older periods
// change rarely: given last, the view built before for the same year and
// current period, loadYear reads only those two again and keeps the older
// periods' reports and digests. The cache refreshes those after coldTTL.
func (s *Server) loadYear(ctx context.Context, year int, pl *plan.Plan, last *yearView) (*yearView, error) {
	cur := s.current()
	now := s.cfg.Now()
	y := &yearView{Year: year, Current: cur, plan: pl, coldReadAt: now}
	for _, p := range periodsOf(year, pl.Reporting.Cadence, s.cfg.Location) {
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
	build := y.Periods
	reuse := last != nil && last.Year == year && last.Current == cur && last.plan == pl
	if reuse {
		read, build = hotOnly(read, hot), hotOnly(y.Periods, hot)
	}
	fresh, err := s.cfg.Store.YearReports(ctx, pl.Key(), read...)
	if err != nil {
		return nil, err
	}
	returns, err := s.cfg.Store.YearReturns(ctx, pl.Key(), read...)
	if err != nil {
		return nil, err
	}
	// The 督办 of the periods built (a kept digest keeps its own).
	var urges []store.Urge
	for _, p := range build {
		u, err := s.cfg.Store.PeriodUrges(ctx, pl.Key(), p)
		if err != nil {
			return nil, err
		}
		urges = append(urges, u...)
	}
	var input []store.Report
	if reuse {
		// The older periods' reports, returns and digests come from last;
		// the digests built now need the two periods before theirs too.
		y.coldReadAt, y.cold, y.hot = last.coldReadAt, last.cold, fresh
		for _, rv := range last.returned {
			if !hot(rv.Period) {
				y.returned = append(y.returned, rv)
			}
		}
		y.returned = append(y.returned, returns...)
		from := sort.Search(len(y.cold), func(i int) bool { return y.cold[i].Period >= cur.Prev().Prev().Prev() })
		input = slices.Concat(y.cold[from:], y.hot)
	} else {
		split := sort.Search(len(fresh), func(i int) bool { return hot(fresh[i].Period) })
		y.cold, y.hot, y.returned = fresh[:split:split], fresh[split:], returns
		input = fresh
	}

	in := digest.Input{Plan: pl, Reports: input, Location: s.cfg.Location, GeneratedAt: now, Returned: y.returned, Urges: urges}
	built := digest.BuildPeriods(in, build...)
	if reuse {
		// The older periods' digests were built from this period and the
		// two before, all older: kept. build is the latest periods.
		y.Digests = append(last.Digests[:len(y.Periods)-len(build):len(y.Periods)-len(build)], built...)
	} else {
		y.Digests = built
	}
	return y, nil
}

func hotOnly(periods []plan.Period, hot func(plan.Period) bool) []plan.Period {
	var out []plan.Period
	for _, p := range periods {
		if hot(p) {
			out = append(out, p)
		}
	}
	return out
}
