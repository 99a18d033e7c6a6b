package schedule

import (
	"context"
	"time"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Bulletin issues the bulletin (通报) of period in tx and renders it as a
// Word document: its number comes from the store (number > 0 asks for that
// number, see store.Tx.IssueBulletin), its words from the same digest as
// everything else, read in the same transaction. An empty period means the
// period of the latest prompt, which is what the office reports on. The
// CLI, the digest campaign and the bot's /bulletin all come here.
func (s *Scheduler) Bulletin(ctx context.Context, tx *store.Tx, period plan.Period, number int) (*digest.Bulletin, []byte, error) {
	now := s.now()
	if period == "" {
		period = s.promptPeriod(now.In(s.cfg.Location))
	}
	if err := s.CheckPeriod(period); err != nil {
		return nil, nil, err
	}
	pl, err := s.planAsThen(ctx, tx.PlanAt, period)
	if err != nil {
		return nil, nil, err
	}
	issued, err := tx.IssueBulletin(ctx, period, number)
	if err != nil {
		return nil, nil, err
	}
	// The period and the three before it: the bulletin compares with the
	// previous period, whose stalled pairs need two more.
	p := period
	reports, err := tx.PeriodReports(ctx, pl.Key(), p, p.Prev(), p.Prev().Prev(), p.Prev().Prev().Prev())
	if err != nil {
		return nil, nil, err
	}
	in := digest.Input{Plan: pl, Period: period, Reports: reports, Location: s.cfg.Location, GeneratedAt: now}
	if pl.Reporting.Acceptance && period.Next().Year() != period.Year() {
		if in.Acceptance, err = tx.PeriodReports(ctx, pl.Key(), plan.YearPeriod(period.Year())); err != nil {
			return nil, nil, err
		}
	}
	if in.Contacts, err = tx.Contacts(ctx); err != nil {
		return nil, nil, err
	}
	in.Renamed = s.renamed()
	if in.Returned, err = tx.ReturnedReports(ctx, pl.Key(), period); err != nil {
		return nil, nil, err
	}
	b := digest.NewBulletin(in, digest.BulletinInfo{
		Number:     issued.Number,
		Issuer:     s.cfg.Issuer,
		Date:       now,
		NextPrompt: s.promptOf(period.Next()),
	})
	data, err := b.DOCX()
	if err != nil {
		return nil, nil, err
	}
	return b, data, nil
}

// promptOf is when period's prompt goes out (moved to a working day), or
// zero when the schedule has none for it.
func (s *Scheduler) promptOf(period plan.Period) time.Time {
	from := period.Start(s.cfg.Location).AddDate(0, -1, 0)
	for _, o := range s.Occurrences(from, period.End(s.cfg.Location).AddDate(0, 2, 0)) {
		if o.Kind == KindPrompt && o.Period == period {
			return o.Due
		}
	}
	return time.Time{}
}
