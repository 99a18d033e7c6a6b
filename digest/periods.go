package digest

import (
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// BuildPeriods builds the digests of several periods at once: the i-th is
// exactly what Build makes of in with Period set to periods[i]. So
// in.Reports should hold the current reports of those periods and of the
// two before each; in.Returned and in.Urges may hold those of every period
// (Build keeps its own period's); Contacts and Failed count for each.
//
// Twelve Builds for a year each index the plan's measures and pairs, and
// each index three periods' reports by pair: for a city's plan that was
// most of their time. BuildPeriods does each once and shares it, read
// only, between the periods' builders; the rules are Build's own code.
// The dashboard's year pages (package web) use it.
func BuildPeriods(in Input, periods ...plan.Period) []*Digest {
	out := make([]*Digest, len(periods))
	if in.Plan == nil || len(periods) < 2 {
		for i, p := range periods {
			one := in
			one.Period = p
			out[i] = Build(one)
		}
		return out
	}
	loc := in.Location
	if loc == nil {
		loc = officeZone()
	}
	tasks := in.Plan.Measures()
	assigned := map[string][]plan.Assignment{}
	for _, a := range in.Plan.Assignments() {
		assigned[a.MeasureID] = append(assigned[a.MeasureID], a)
	}
	// Each period's current reports by pair, as history (every one) and,
	// for its own digest, without those the office returned (loop.go).
	wanted := map[plan.Period]bool{}
	for _, p := range periods {
		wanted[p] = true
		if q, err := plan.ParsePeriod(string(p)); err == nil && q == p {
			wanted[p.Prev()], wanted[p.Prev().Prev()] = true, true
		}
	}
	// Sized first: grown one report at a time, the maps of a city's year
	// were rehashed a dozen times each.
	size := map[plan.Period]int{}
	for _, r := range in.Reports {
		if wanted[r.Period] {
			size[r.Period]++
		}
	}
	history := make(map[plan.Period]map[pairKey]store.Report, len(size))
	for p, n := range size {
		history[p] = make(map[pairKey]store.Report, n)
	}
	for _, r := range in.Reports {
		if m := history[r.Period]; m != nil {
			keepNewest(m, r)
		}
	}
	for i, p := range periods {
		one := in
		one.Period = p
		// newBuilder over an empty plan and no reports costs nothing and
		// sets what depends on the period alone (its two predecessors,
		// the deadline cutoff); the shared indexes go in after.
		b := newBuilder(Input{Plan: &plan.Plan{}, Period: p, GeneratedAt: in.GeneratedAt}, loc)
		b.in, b.tasks, b.assigned = one, tasks, assigned
		for j, q := range b.periods {
			if q != "" && history[q] != nil {
				b.reports[j] = history[q]
			}
		}
		// After newBuilder, only loopLists reads b.in.Reports: to check
		// that a return is of a current report. Without returns it needs
		// none of the year's reports.
		b.in.Reports = nil
		if returned := returnedIDs(one); len(returned) > 0 {
			// Rare: index the period again without them, as newBuilder does.
			own := map[pairKey]store.Report{}
			for _, r := range in.Reports {
				switch {
				case r.Period != p:
				case returned[r.ID]:
					b.in.Reports = append(b.in.Reports, r)
				default:
					keepNewest(own, r)
				}
			}
			b.reports[0] = own
		}
		out[i] = b.build()
	}
	return out
}

// build is Build's work once its builder is made: keep the two in step.
func (b *builder) build() *Digest {
	in := b.in
	d := emptyDigest(in, b.loc)
	d.PlanTitle = in.Plan.Title
	b.measures(d)
	d.Missing = b.missing()
	d.Unbound = b.unbound()
	d.Acceptance = b.acceptance()
	b.loopLists(d)
	d.Unreachable = unreachable(in)
	d.Totals.Difficulties = len(d.Difficulties)
	d.Totals.Stalled = len(d.Stalled)
	d.Totals.Overdue = len(d.Overdue)
	return d
}
