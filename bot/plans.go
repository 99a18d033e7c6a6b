package bot

import (
	"slices"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// planView is one plan in force with its index: what a handler answers
// from.
type planView struct {
	plan *plan.Plan
	ix   *planIndex
}

// plansState is the plans in force as the bot sees them. It is replaced
// whole when the office activates a plan, so a handler that took it keeps a
// consistent view for the rest of its update.
type plansState struct {
	years    *plan.Years
	byKey    map[int]planView
	formerly map[string][]string // a unit's former names, from every plan in force
}

// SetPlans replaces the plans in force: serve calls it when the office
// activates a plan, and updates from then on are answered from them. An
// empty set is ignored.
func (h *Handlers) SetPlans(y *plan.Years) {
	if y.Empty() {
		return // the bot always answers from some plan
	}
	st := &plansState{years: y, byKey: map[int]planView{}, formerly: map[string][]string{}}
	old := h.state.Load()
	for _, key := range append(y.List(), plan.SampleYear) {
		p, ok := y.Year(key)
		if !ok {
			continue
		}
		// Indexing normalises every unit name; keep the index of a plan
		// that did not change.
		if old != nil {
			if v, ok := old.byKey[key]; ok && v.plan == p {
				st.byKey[key] = v
				continue
			}
		}
		st.byKey[key] = planView{plan: p, ix: newPlanIndex(p)}
	}
	for _, v := range st.byKey {
		for from, to := range v.plan.Renames() {
			st.formerly[to] = append(st.formerly[to], from)
		}
	}
	h.state.Store(st)
}

// current is the plan people work with at t (plan.Years.Current).
func (h *Handlers) current(t time.Time) planView {
	st := h.state.Load()
	return st.byKey[st.years.Current(t).Key()]
}

// forPeriod is the plan a period belongs to, if any.
func (h *Handlers) forPeriod(p plan.Period) (planView, bool) {
	st := h.state.Load()
	pl, ok := st.years.For(p)
	if !ok {
		return planView{}, false
	}
	return st.byKey[pl.Key()], true
}

// forKey is the plan in force for a plan year (a report's PlanYear).
func (h *Handlers) forKey(key int) (planView, bool) {
	v, ok := h.state.Load().byKey[key]
	return v, ok
}

// view is the plan in force at the request's time (current): the newest,
// once a new year's plan is active. What units report and the office looks
// at follows collected, which can still be the year before's.
func (r *request) view() planView { return r.h.current(r.now()) }

// roleIn is a unit's role in a measure of the plan of period.
func (h *Handlers) roleIn(period plan.Period, unit, measureID string) (plan.Role, bool) {
	v, ok := h.forPeriod(period)
	if !ok {
		return "", false
	}
	return v.ix.role(unit, measureID)
}

// taskOf is the measure a stored report is about, in its own plan year; a
// measure the plan no longer has is named by its ID alone.
func (h *Handlers) taskOf(rep store.Report) plan.Task {
	if v, ok := h.forKey(rep.PlanYear); ok {
		if t, ok := v.ix.measure(rep.MeasureID); ok {
			return t
		}
	}
	return plan.Task{Measure: plan.Measure{ID: rep.MeasureID}}
}

// unitIn is the user's unit as plan v names it: a unit renamed since (its
// contacts now carry the new name) is found under the name it had in an
// earlier year's plan, so that year's acceptance and reports go on under
// the name they belong to.
func (r *request) unitIn(v planView) string { return r.h.nameIn(v, r.contact.Unit) }

// nameIn is unit as plan v names it: unit, or the former name v knows it
// by.
func (h *Handlers) nameIn(v planView, unit string) string {
	if _, ok := v.ix.byUnit[unit]; ok || v.ix == nil {
		return unit
	}
	for _, old := range h.state.Load().formerly[unit] {
		if _, ok := v.ix.byUnit[old]; ok {
			return old
		}
	}
	return unit
}

// unitFor is the user's unit as the plan of period names it.
func (h *Handlers) unitFor(r *request, period plan.Period) string {
	v, ok := h.forPeriod(period)
	if !ok {
		return r.contact.Unit
	}
	return r.unitIn(v)
}

// unitContacts are the contacts of unit, found also when unit is a former
// name: a report or task of an earlier year keeps the name it had, while
// the unit's contacts carry its new one.
func (h *Handlers) unitContacts(r *request, unit string) ([]store.Contact, error) {
	names := []string{unit}
	for to, froms := range h.state.Load().formerly {
		if slices.Contains(froms, unit) {
			names = append(names, to)
		}
	}
	var out []store.Contact
	for _, name := range names {
		cs, err := r.tx.UnitContacts(r.ctx, name)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// viaLabel says which group a member unit has a task from: " · 来自各街道办".
func viaLabel(t plan.Task) string {
	if t.Via == "" {
		return ""
	}
	return " · 来自" + esc(t.Via)
}
