package schedule

import "github.com/luohu/reformbot/plan"

// planOf is the plan o is done with, and whether it is done at all: a plan
// in force must cover o's period, in its own cadence (the scheduler runs
// the cadence of the plan it started with: a monthly prompt or a
// quarter's digest under a plan of the other cadence would ask units for
// a period their plan does not have), and for the year-end acceptance
// request that plan must ask for one.
func (s *Scheduler) planOf(o Occurrence) (*plan.Plan, bool) {
	p, ok := s.plans.Load().For(o.Period)
	switch {
	case !ok:
		return nil, false
	case o.Kind == KindAcceptance:
		return p, p.Reporting.Acceptance
	case o.Period.IsQuarter() != (p.Reporting.Cadence == plan.Quarterly):
		return nil, false
	}
	return p, true
}

// WillRun reports whether Run would do o with the plans in force now, so
// what doctor and schedule show is what serve sends: a period no plan
// covers (a real plan's year is over and the next is not activated) is
// never prompted, reminded or digested.
func (s *Scheduler) WillRun(o Occurrence) bool {
	_, ok := s.planOf(o)
	return ok
}
