package bot

import (
	"context"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// stillCollecting bounds how long into a period the last one can still be
// the one collected: its digest's catch-up window.
const stillCollecting = 7 * 24 * time.Hour

// collecting is the period being collected at now and the calendar's
// period of the plan in force. They differ in the first days of a period
// while the last one's digest has not gone out (its campaign row decides;
// its reminders come on the 1st): the last one is still being collected.
// A new year is no exception: in early January, until December's digest,
// December is collected under its own year's plan, even once the new
// year's plan is in force.
func (h *Handlers) collecting(ctx context.Context, tx *store.Tx, now time.Time) (open, calendar plan.Period) {
	calendar = h.current(now).plan.PeriodAt(now)
	start := calendar.Start(h.loc)
	if now.Before(start) || now.Sub(start) >= stillCollecting {
		return calendar, calendar
	}
	last, ok := h.periodBefore(calendar)
	if !ok {
		return calendar, calendar
	}
	digested, err := tx.Ran(ctx, store.KindDigest, last)
	if err != nil {
		h.log.Warn("bot: reading campaigns failed", "err", err)
		return calendar, calendar
	}
	if digested {
		return calendar, calendar
	}
	return last, calendar
}

// periodBefore is the period that ends where p begins, in the cadence of
// the plan it belongs to: at a new year, the last period of the year
// before's plan. ok is false when no plan in force has it.
func (h *Handlers) periodBefore(p plan.Period) (plan.Period, bool) {
	end := p.Start(h.loc).Add(-time.Nanosecond)
	v, ok := h.forPeriod(plan.YearPeriod(end.Year()))
	if !ok {
		return "", false
	}
	last := v.plan.PeriodAt(end)
	return last, last != p
}

// period is the period the user reports for, or the office looks at, now
// (collecting): 我的任务, the office's views and 督办 are about it. A unit
// that has no task in the plan of the period still being collected but
// has some in the plan in force (new in the new year's plan) is already in
// the calendar's period: there is nothing left for it to finish.
func (r *request) period() plan.Period {
	if r.open != "" {
		return r.open
	}
	open, calendar := r.h.collecting(r.ctx, r.tx, r.now())
	r.open = open
	if open != calendar && r.contact.CanReport() && r.newcomer(open, calendar) {
		r.open = calendar
	}
	return r.open
}

// newcomer reports whether the user's unit has tasks in the plan of
// calendar and none in the plan of open.
func (r *request) newcomer(open, calendar plan.Period) bool {
	was, ok := r.h.forPeriod(open)
	if !ok {
		return true
	}
	is, ok := r.h.forPeriod(calendar)
	if !ok || was.plan == is.plan {
		return false
	}
	return len(was.ix.tasks(r.unitIn(was))) == 0 && len(is.ix.tasks(r.unitIn(is))) > 0
}

// collected is the plan of the period being collected (period): the plan
// 我的任务, the office's views, search and 督办 answer from. In early
// January, until December's digest, it is the year before's.
func (r *request) collected() planView {
	if v, ok := r.h.forPeriod(r.period()); ok {
		return v
	}
	return r.view()
}

// inForce is the plan in force and its calendar period, when it is not
// the plan of the period being collected (early January, before
// December's digest). The office's lookups by ID or name fall back to it,
// so the new year's measures and units are found too.
func (r *request) inForce() (planView, plan.Period, bool) {
	v := r.view()
	if v.plan == r.collected().plan {
		return planView{}, "", false
	}
	return v, v.plan.PeriodAt(r.now()), true
}
