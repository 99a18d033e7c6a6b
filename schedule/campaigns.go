package schedule

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Each campaign decides its recipients and enqueues their messages in one
// transaction with its campaign row. Keys are (kind, period, [slot,]
// contact): however often a campaign is triggered — cron, catch-up, the
// operator, two processes at once — each contact gets its message once.

// done reports whether a scheduled run is already recorded: its own
// campaign, or a later slot of the same kind and period (the later reminder
// supersedes an earlier one that was missed).
func done(ctx context.Context, tx *store.Tx, kind string, period plan.Period, slot string) (bool, error) {
	cs, err := tx.CampaignsOf(ctx, kind, period)
	if err != nil {
		return false, err
	}
	for _, c := range cs {
		if c.Slot >= slot {
			return true, nil
		}
	}
	return false, nil
}

// fanOut runs one campaign in one transaction: unless it is scheduled and
// already done, it gives each active unit contact the message compose
// returns for them (none when compose says no), keyed kind:period:[slot:]
// contact, and records the campaign. It returns how many messages were
// newly enqueued.
func (s *Scheduler) fanOut(ctx context.Context, kind string, period plan.Period, slot, trigger string, scheduled bool,
	compose func(tx *store.Tx) (func(c store.Contact) (store.Payload, bool), error)) (int, error) {
	n := 0
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		n = 0
		if scheduled {
			if ok, err := done(ctx, tx, kind, period, slot); ok || err != nil {
				return err
			}
		}
		message, err := compose(tx)
		if err != nil {
			return err
		}
		contacts, err := tx.ActiveContacts(ctx, store.RoleContact)
		if err != nil {
			return err
		}
		key := fmt.Sprintf("%s:%s:", kind, period)
		if slot != "" {
			key += slot + ":"
		}
		for _, c := range contacts {
			payload, ok := message(c)
			if !ok {
				continue
			}
			added, err := tx.Enqueue(ctx, store.Message{
				Key:  key + strconv.FormatInt(c.UserID, 10),
				Kind: kind, Period: period, ChatID: c.ChatID, UserID: c.UserID,
				Priority: store.PriorityBulk, Method: store.SendMessage, Payload: payload,
			})
			if err != nil {
				return err
			}
			if added {
				n++
			}
		}
		return tx.RecordCampaign(ctx, store.Campaign{Kind: kind, Period: period, Slot: slot, Trigger: trigger, Messages: n})
	})
	return n, err
}

// prompt asks every active unit contact to report for period on p's
// measures.
func (s *Scheduler) prompt(ctx context.Context, p *plan.Plan, period plan.Period, trigger string, scheduled bool) (int, error) {
	byUnit := p.TasksByUnit()
	return s.fanOut(ctx, KindPrompt, period, "", trigger, scheduled, func(tx *store.Tx) (func(store.Contact) (store.Payload, bool), error) {
		reported, err := reportedBy(ctx, tx, p, period)
		return func(c store.Contact) (store.Payload, bool) {
			tasks := byUnit[c.Unit]
			if len(tasks) == 0 {
				return store.Payload{}, false
			}
			return s.msgs.Prompt(c.Unit, tasks, reported[c.Unit], period), true
		}, err
	})
}

// remind names, to each contact whose unit has unreported measures for
// period, those measures. Nobody whose unit has reported everything is
// reminded.
func (s *Scheduler) remind(ctx context.Context, p *plan.Plan, period plan.Period, slot, trigger string, scheduled bool) (int, error) {
	byUnit := p.TasksByUnit()
	return s.fanOut(ctx, KindRemind, period, slot, trigger, scheduled, func(tx *store.Tx) (func(store.Contact) (store.Payload, bool), error) {
		reported, err := reportedBy(ctx, tx, p, period)
		return func(c store.Contact) (store.Payload, bool) {
			var missing []plan.Task
			for _, t := range byUnit[c.Unit] {
				if _, ok := reported[c.Unit][t.Measure.ID]; !ok {
					missing = append(missing, t)
				}
			}
			if len(missing) == 0 {
				return store.Payload{}, false
			}
			return s.msgs.Reminder(c.Unit, missing, period), true
		}, err
	})
}

// acceptance asks the contacts of every lead unit for the year's result
// materials on the measures they lead.
func (s *Scheduler) acceptance(ctx context.Context, p *plan.Plan, year int, trigger string, scheduled bool) (int, error) {
	byUnit := p.TasksByUnit()
	return s.fanOut(ctx, KindAcceptance, plan.YearPeriod(year), "", trigger, scheduled, func(*store.Tx) (func(store.Contact) (store.Payload, bool), error) {
		return func(c store.Contact) (store.Payload, bool) {
			var lead []plan.Task
			for _, t := range byUnit[c.Unit] {
				if t.Role == plan.Lead {
					lead = append(lead, t)
				}
			}
			if len(lead) == 0 {
				return store.Payload{}, false
			}
			return s.msgs.AcceptanceRequest(c.Unit, lead, year), true
		}, nil
	})
}

// reportedBy maps unit → measure → status of the current reports on p's
// measures for period. A report made under a unit's former name counts for
// the unit; one the office returned (退回补充, 需补充) does not count.
func reportedBy(ctx context.Context, tx *store.Tx, p *plan.Plan, period plan.Period) (map[string]map[string]plan.Status, error) {
	reports, err := tx.PeriodReports(ctx, p.Key(), period)
	if err != nil {
		return nil, err
	}
	returns, err := tx.ReturnedReports(ctx, p.Key(), period)
	if err != nil {
		return nil, err
	}
	returned := map[int64]bool{}
	for _, rv := range returns {
		returned[rv.ReportID] = true
	}
	renames := p.Renames()
	out := map[string]map[string]plan.Status{}
	for _, r := range reports {
		if returned[r.ID] {
			continue
		}
		if now, ok := renames[r.Unit]; ok {
			r.Unit = now
		}
		if out[r.Unit] == nil {
			out[r.Unit] = map[string]plan.Status{}
		}
		out[r.Unit][r.MeasureID] = r.Status
	}
	return out, nil
}

// CheckPeriod makes sure an operator's period belongs to a plan in force
// and fits its cadence.
func (s *Scheduler) CheckPeriod(p plan.Period) error {
	if p.IsYear() {
		return fmt.Errorf("period %s is a year; this command takes a reporting period", p)
	}
	_, err := s.planFor(p)
	return err
}

// planFor returns the plan in force for an operator's period, or an error
// that says which plan years exist.
func (s *Scheduler) planFor(period plan.Period) (*plan.Plan, error) {
	years := s.plans.Load()
	p, ok := years.For(period)
	if !ok {
		have := "none"
		if list := years.List(); len(list) > 0 {
			have = strings.Trim(strings.Join(strings.Fields(fmt.Sprint(list)), ", "), "[]")
		}
		return nil, fmt.Errorf("no plan in force for %s: the database has plans for %s (activate that year's plan with `reformbot plan activate FILE`)", period, have)
	}
	switch {
	case period.IsQuarter() && p.Reporting.Cadence != plan.Quarterly:
		return nil, fmt.Errorf("period %s is a quarter, but this plan reports monthly: use YYYY-MM", period)
	case !period.IsQuarter() && p.Reporting.Cadence == plan.Quarterly:
		return nil, fmt.Errorf("period %s is a month, but this plan reports quarterly: use YYYY-Qn", period)
	}
	return p, nil
}

// PromptNow enqueues period's prompts for every active contact now. Those
// already prompted for period are not prompted again; it returns how many
// were newly enqueued.
func (s *Scheduler) PromptNow(ctx context.Context, period plan.Period) (int, error) {
	p, err := s.planFor(period)
	if err != nil {
		return 0, err
	}
	n, err := s.prompt(ctx, p, period, TriggerOperator, false)
	if n > 0 && s.notify != nil {
		s.notify()
	}
	return n, err
}

// RemindNow enqueues reminders for period to contacts whose unit still has
// unreported measures. At most one reminder per contact per day: running it
// twice in a day sends nothing more.
func (s *Scheduler) RemindNow(ctx context.Context, period plan.Period) (int, error) {
	p, err := s.planFor(period)
	if err != nil {
		return 0, err
	}
	slot := s.now().In(s.cfg.Location).Format(time.DateOnly)
	n, err := s.remind(ctx, p, period, slot, TriggerOperator, false)
	if n > 0 && s.notify != nil {
		s.notify()
	}
	return n, err
}
