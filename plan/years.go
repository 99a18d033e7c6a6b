package plan

import (
	"sort"
	"time"
)

// SampleYear is the plan year under which the store keeps the embedded
// sample plan and everything reported against it. The sample stands for
// "this year", whatever year its file names, so its reports never mix with
// those of a real plan.
const SampleYear = 0

// Key is the plan year the store files the plan and its reports under: its
// Year, or SampleYear for the sample.
func (p *Plan) Key() int {
	if p.Sample {
		return SampleYear
	}
	return p.Year
}

// Covers reports whether period belongs to the plan: a real plan's periods
// are those of its year; the sample's periods follow the calendar.
func (p *Plan) Covers(period Period) bool {
	return p.Sample || period.Year() == p.Year
}

// PeriodAt is the plan's reporting period at t: the period of its cadence
// containing t, kept within the plan's year (a real plan past its year
// stays at its last period, one not yet begun at its first).
func (p *Plan) PeriodAt(t time.Time) Period {
	period := PeriodOf(t, p.Reporting.Cadence)
	switch {
	case p.Sample || p.Year == 0 || t.Year() == p.Year:
		return period
	case t.Year() > p.Year:
		return PeriodOf(time.Date(p.Year, 12, 1, 0, 0, 0, 0, t.Location()), p.Reporting.Cadence)
	default:
		return PeriodOf(time.Date(p.Year, 1, 1, 0, 0, 0, 0, t.Location()), p.Reporting.Cadence)
	}
}

// Years are the plans in force: the latest version of each plan year, and
// the sample when no real plan was ever loaded. It is a value: when the
// office activates a plan, a new Years replaces the old one.
type Years struct {
	byKey map[int]*Plan
	keys  []int // real plan years, ascending
}

// NewYears collects plans in force. Of two plans with one key the later
// wins.
func NewYears(plans ...*Plan) *Years {
	y := &Years{byKey: map[int]*Plan{}}
	for _, p := range plans {
		y.byKey[p.Key()] = p
	}
	for k := range y.byKey {
		if k != SampleYear {
			y.keys = append(y.keys, k)
		}
	}
	sort.Ints(y.keys)
	return y
}

// Empty reports whether there is no plan at all.
func (y *Years) Empty() bool { return len(y.byKey) == 0 }

// List returns the real plan years in ascending order.
func (y *Years) List() []int { return append([]int(nil), y.keys...) }

// Sample returns the sample plan when it is the one in force.
func (y *Years) Sample() (*Plan, bool) {
	if len(y.keys) > 0 {
		return nil, false
	}
	p, ok := y.byKey[SampleYear]
	return p, ok
}

// Year returns the plan in force for a plan year (SampleYear: the sample).
func (y *Years) Year(key int) (*Plan, bool) {
	p, ok := y.byKey[key]
	return p, ok
}

// For returns the plan a period belongs to: the real plan of the period's
// year, or the sample when no real plan was loaded. A period of a year
// without a plan has none.
func (y *Years) For(period Period) (*Plan, bool) {
	if s, ok := y.Sample(); ok {
		return s, true
	}
	p, ok := y.byKey[period.Year()]
	return p, ok
}

// Current is the plan people work with at t: the plan of t's year; else
// the newest plan of an earlier year (its year has ended and no newer plan
// is loaded); else the earliest plan to come; else the sample. It returns
// nil when there is no plan.
func (y *Years) Current(t time.Time) *Plan {
	if s, ok := y.Sample(); ok {
		return s
	}
	if p, ok := y.byKey[t.Year()]; ok {
		return p
	}
	var best *Plan
	for _, k := range y.keys {
		if k < t.Year() {
			best = y.byKey[k]
		}
	}
	if best == nil && len(y.keys) > 0 {
		best = y.byKey[y.keys[0]]
	}
	return best
}

// Stale reports whether t is past the year of every real plan: the office
// should load the new year's plan.
func (y *Years) Stale(t time.Time) bool {
	return len(y.keys) > 0 && y.keys[len(y.keys)-1] < t.Year()
}
