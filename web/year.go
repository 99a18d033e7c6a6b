package web

import (
	"context"
	"time"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
)

// yearView is every period of a year, each as the digest the bot would
// build for it (without the contacts and failed messages, which the grid
// does not show). Periods after the current one are left out.
type yearView struct {
	Year    int
	Current plan.Period
	Periods []plan.Period
	Digests []*digest.Digest // one per period, same order
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
	return plan.PeriodOf(s.cfg.Now().In(s.cfg.Location), s.cfg.Plan.Reporting.Cadence)
}

// loadYear builds the year's digests from one read of its reports (and the
// two periods before it, which the stalled rule looks back on).
func (s *Server) loadYear(ctx context.Context, year int) (*yearView, error) {
	cur := s.current()
	all := periodsOf(year, s.cfg.Plan.Reporting.Cadence, s.cfg.Location)
	y := &yearView{Year: year, Current: cur}
	for _, p := range all {
		if p > cur && len(p) == len(cur) {
			break
		}
		y.Periods = append(y.Periods, p)
	}
	if len(y.Periods) == 0 {
		return y, nil
	}
	read := append([]plan.Period{y.Periods[0].Prev().Prev(), y.Periods[0].Prev()}, y.Periods...)
	reports, err := s.cfg.Store.PeriodReports(ctx, read...)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	for _, p := range y.Periods {
		y.Digests = append(y.Digests, digest.Build(digest.Input{
			Plan: s.cfg.Plan, Period: p, Reports: reports, Location: s.cfg.Location, GeneratedAt: now,
		}))
	}
	return y, nil
}
