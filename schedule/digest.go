package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// BuildDigest gathers what a digest of period needs from the store and
// builds it: the period's reports and the two before (for stalled
// measures), the year's acceptance submissions when period ends the year,
// the contacts, and the period's messages that could not be delivered.
//
// The plan is the year's version in force when the period ended, so a
// digest reads as the plan read then (a renamed unit under its old name,
// a measure's units before a reassignment); a measure an amendment has
// since removed is kept, with its reports, and marked 已调整.
func (s *Scheduler) BuildDigest(ctx context.Context, period plan.Period) (*digest.Digest, error) {
	p, err := s.planAsThen(ctx, s.db.PlanAt, period)
	if err != nil {
		return nil, err
	}
	reports, err := s.db.PeriodReports(ctx, p.Key(), period, period.Prev(), period.Prev().Prev())
	if err != nil {
		return nil, err
	}
	in := digest.Input{
		Plan:        p,
		Period:      period,
		Reports:     reports,
		Location:    s.cfg.Location,
		GeneratedAt: s.now(),
	}
	// The year's last digest (sent in January) also lists the year-end
	// acceptance submissions.
	if p.Reporting.Acceptance && period.Next().Year() != period.Year() {
		if in.Acceptance, err = s.db.PeriodReports(ctx, p.Key(), plan.YearPeriod(period.Year())); err != nil {
			return nil, err
		}
	}
	if in.Contacts, err = s.db.Contacts(ctx); err != nil {
		return nil, err
	}
	in.Renamed = s.renamed()
	if in.Returned, err = s.db.ReturnedReports(ctx, p.Key(), period); err != nil {
		return nil, err
	}
	if in.Urges, err = s.db.PeriodUrges(ctx, p.Key(), period); err != nil {
		return nil, err
	}
	for _, kind := range []string{KindPrompt, KindRemind} {
		msgs, err := s.db.FailedMessages(ctx, kind, period)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			m.FileData = nil
			in.Failed = append(in.Failed, m)
		}
	}
	return digest.Build(in), nil
}

// digest builds period's digest and enqueues it for every active office
// contact: the summary message(s), the XLSX workbook and the chart, and
// with Config.Bulletin the bulletin, issued in the same transaction. date
// (the day it goes out) is in the keys, so a digest sent again on another
// day by the operator reaches the office again, but never twice in a day.
func (s *Scheduler) digest(ctx context.Context, period plan.Period, date time.Time, trigger string, scheduled bool) (int, error) {
	if scheduled {
		// Building a digest takes a while: not when it is already sent.
		var sent bool
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			var err error
			sent, err = done(ctx, tx, KindDigest, period, "")
			return err
		})
		if sent || err != nil {
			return 0, err
		}
	}
	d, err := s.BuildDigest(ctx, period)
	if err != nil {
		return 0, err
	}
	texts := d.Messages()
	if local := date.In(s.cfg.Location); local.Month() == time.December {
		// The office hears in time that next year's holidays are missing.
		if notice := MissingNotice(s.cfg.Calendar, local); notice != "" {
			texts = append(texts, notice)
		}
	}
	xlsx, err := d.XLSX()
	if err != nil {
		return 0, err
	}
	chart, err := d.PNG()
	if err != nil {
		return 0, err
	}
	// A chart taller than a photo shows legibly (a big plan) goes as a
	// document, under the same key: one chart row per office contact.
	chartMethod, chartCaption := store.SendPhoto, period.Label()+" 各项目填报率和完成率"
	if !digest.ChartIsPhoto(chart) {
		chartMethod, chartCaption = store.SendDocument, chartCaption+"（长图，点开查看）"
	}
	day := date.In(s.cfg.Location).Format(time.DateOnly)
	n := 0
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		n = 0
		if scheduled {
			if ok, err := done(ctx, tx, KindDigest, period, ""); ok || err != nil {
				return err
			}
		}
		office, err := tx.ActiveContacts(ctx, store.RoleOffice)
		if err != nil {
			return err
		}
		if len(office) == 0 {
			s.log.Warn("schedule: no office contact to send the digest to", "period", period)
		}
		var bulletin *store.Message
		if s.cfg.Bulletin && len(office) > 0 {
			b, docx, err := s.Bulletin(ctx, tx, period, 0)
			if err != nil {
				return err
			}
			bulletin = &store.Message{
				Method: store.SendDocument, Payload: store.Payload{Caption: b.Caption()},
				FileName: b.FileName(), FileData: docx,
			}
		}
		for _, c := range office {
			key := fmt.Sprintf("%s:%s:%s:%d", KindDigest, period, day, c.UserID)
			msgs := make([]store.Message, 0, len(texts)+2)
			for i, text := range texts {
				msgs = append(msgs, store.Message{
					Key: fmt.Sprintf("%s:text-%d", key, i), Method: store.SendMessage,
					Payload: store.Payload{Text: text, ParseMode: "HTML", NoPreview: true},
				})
			}
			msgs = append(msgs,
				store.Message{
					Key: key + ":xlsx", Method: store.SendDocument,
					Payload:  store.Payload{Caption: period.Label() + " 改革进展汇总表"},
					FileName: fmt.Sprintf("改革进展汇总-%s.xlsx", period), FileData: xlsx,
				},
				store.Message{
					Key: key + ":png", Method: chartMethod,
					Payload:  store.Payload{Caption: chartCaption},
					FileName: d.ChartFileName(), FileData: chart,
				},
			)
			if bulletin != nil {
				m := *bulletin
				m.Key = key + ":docx"
				msgs = append(msgs, m)
			}
			for _, m := range msgs {
				m.Kind, m.Period, m.ChatID, m.UserID, m.Priority = KindDigest, period, c.ChatID, c.UserID, store.PriorityBulk
				added, err := tx.Enqueue(ctx, m)
				if err != nil {
					return err
				}
				if added {
					n++
				}
			}
		}
		return tx.RecordCampaign(ctx, store.Campaign{Kind: KindDigest, Period: period, Trigger: trigger, Messages: n})
	})
	return n, err
}

// DigestNow enqueues period's digest for the office now.
func (s *Scheduler) DigestNow(ctx context.Context, period plan.Period) (int, error) {
	if err := s.CheckPeriod(period); err != nil {
		return 0, err
	}
	n, err := s.digest(ctx, period, s.now(), TriggerOperator, false)
	if n > 0 && s.notify != nil {
		s.notify()
	}
	return n, err
}

// adjustedMark follows the title of a measure removed since.
const adjustedMark = "（已调整）"

// planAsThen is the plan a report on period reads: the year's version in
// force when the period ended, with measures removed since marked 已调整.
// planAt reads a year's version in force at a time (store.DB.PlanAt or
// store.Tx.PlanAt).
func (s *Scheduler) planAsThen(ctx context.Context, planAt func(context.Context, int, time.Time) (*plan.Plan, error), period plan.Period) (*plan.Plan, error) {
	p, err := s.planFor(period)
	if err != nil {
		return nil, err
	}
	switch then, err := planAt(ctx, p.Key(), period.End(s.cfg.Location)); {
	case err == nil:
		return markAdjusted(then, p), nil
	case errors.Is(err, store.ErrNotFound): // a plan given to the CLI is not in the store
		return p, nil
	default:
		return nil, err
	}
}

// renamed maps every former unit name of the plans in force to the name
// it was given (for digest.Input.Renamed).
func (s *Scheduler) renamed() map[string]string {
	years := s.plans.Load()
	out := map[string]string{}
	for _, key := range years.List() {
		if p, ok := years.Year(key); ok {
			for from, to := range p.Renames() {
				out[from] = to
			}
		}
	}
	return out
}

// markAdjusted returns then with the title of every measure that now no
// longer has marked 已调整.
func markAdjusted(then, now *plan.Plan) *plan.Plan {
	keep := map[string]bool{}
	for _, t := range now.Measures() {
		keep[t.Measure.ID] = true
	}
	out := then.Clone()
	for i := range out.Categories {
		for j := range out.Categories[i].Projects {
			ms := out.Categories[i].Projects[j].Measures
			for k := range ms {
				if !keep[ms[k].ID] {
					ms[k].Title += adjustedMark
				}
			}
		}
	}
	return out
}
