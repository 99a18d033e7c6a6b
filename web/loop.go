package web

import (
	"context"
	"sort"
	"time"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// The office's loop on the pages, as the bot shows it: a report whose
// latest review is a return is 需补充 (plan.Returned) and counts as not
// reported, the digest's rule (digest/loop.go); one read is 已阅; a
// measure's reviews and 督办 are its 审阅与督办记录, newest last.

// reviewMark is the office's latest verdict on a report version.
type reviewMark struct {
	Returned bool   // 退回补充: the report is 需补充
	Comment  string // the office's words, for a return
	Day      string // when, e.g. 4月28日
}

func markOf(rv store.Review, loc *time.Location) *reviewMark {
	switch rv.Kind {
	case store.ReviewRead:
		return &reviewMark{Day: dayLabel(rv.At, loc)}
	case store.ReviewReturned:
		return &reviewMark{Returned: true, Comment: rv.Comment, Day: dayLabel(rv.At, loc)}
	}
	return nil
}

// loopEvent is a line of a measure's 审阅与督办记录.
type loopEvent struct {
	at     time.Time
	When   string // 4月28日 15:04
	Kind   string // 已阅, 退回补充 or 督办
	Unit   string
	Period plan.Period
	Text   string
}

// measureLoop is the measure's reviews and 督办 of units the viewer may
// see, oldest first.
func (s *Server) measureLoop(ctx context.Context, planYear int, measureID string, maysee func(string) bool) ([]loopEvent, error) {
	reviews, err := s.cfg.Store.MeasureReviews(ctx, planYear, measureID)
	if err != nil {
		return nil, err
	}
	urges, err := s.cfg.Store.MeasureUrges(ctx, planYear, measureID)
	if err != nil {
		return nil, err
	}
	loc := s.cfg.Location
	var out []loopEvent
	for _, rv := range reviews {
		if !maysee(rv.Unit) {
			continue
		}
		e := loopEvent{at: rv.At, When: shortDate(rv.At, loc), Kind: "已阅", Unit: rv.Unit, Period: rv.Period}
		if rv.Kind == store.ReviewReturned {
			e.Kind, e.Text = "退回补充", rv.Comment
		}
		out = append(out, e)
	}
	for _, u := range urges {
		if maysee(u.Unit) {
			out = append(out, loopEvent{at: u.At, When: shortDate(u.At, loc), Kind: "督办", Unit: u.Unit, Period: u.Period, Text: u.Text})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out, nil
}

// returnedIn is the period's returned pairs, by measure and unit, as the
// digest lists them.
func returnedIn(d *digest.Digest) map[pair]digest.Returned {
	if len(d.Returned) == 0 {
		return nil
	}
	out := make(map[pair]digest.Returned, len(d.Returned))
	for _, r := range d.Returned {
		out[pair{r.MeasureID, r.Unit}] = r
	}
	return out
}

type pair struct{ measureID, unit string }

// returnedReports finds the reports of the year's returns whose IDs are
// wanted, among the reports the view was built from.
func (y *yearView) returnedReports(ids map[int64]bool) map[int64]store.Report {
	out := map[int64]store.Report{}
	if len(ids) == 0 {
		return out
	}
	for _, reports := range [][]store.Report{y.cold, y.hot} {
		for _, r := range reports {
			if ids[r.ID] {
				out[r.ID] = r
			}
		}
	}
	return out
}

// dayLabel is a date for people: 4月28日; shortDate adds the time.
func dayLabel(t time.Time, loc *time.Location) string { return t.In(loc).Format("1月2日") }

func shortDate(t time.Time, loc *time.Location) string { return t.In(loc).Format("1月2日 15:04") }

// periodReturns are one period's returns: every pair the digest lists
// (returnedIn), and one unit's among them with the reports sent back.
type periodReturns struct {
	pairs   map[pair]digest.Returned
	reports map[string]returnedReport // the unit's, by measure
}

// returnedReport is a report the office sent back and that return.
type returnedReport struct {
	review store.Review
	stored store.Report
}

// report is the returned report as the unit's row of a digest (ur, the
// digest's own row, is not reported and holds the role).
func (r returnedReport) report(ur *digest.UnitReport) *digest.UnitReport {
	return &digest.UnitReport{Unit: ur.Unit, Role: ur.Role, Status: r.stored.Status, Text: r.stored.Text,
		ReportedAt: r.stored.CreatedAt, Reporter: r.stored.ReporterName, Attachments: len(r.stored.Attachments)}
}

// unitReturns are the returns of each period of y.Digests, with the
// unit's reports among them.
func unitReturns(y *yearView, unit string) []periodReturns {
	out := make([]periodReturns, len(y.Digests))
	index := make(map[plan.Period]int, len(y.Digests))
	for j, d := range y.Digests {
		out[j].pairs = returnedIn(d)
		index[d.Period] = j
	}
	var mine []store.Review
	ids := map[int64]bool{}
	for _, rv := range y.returned {
		j, ok := index[rv.Period]
		if !ok || rv.Unit != unit {
			continue
		}
		if _, listed := out[j].pairs[pair{rv.MeasureID, rv.Unit}]; listed {
			mine = append(mine, rv)
			ids[rv.ReportID] = true
		}
	}
	reports := y.returnedReports(ids)
	for _, rv := range mine {
		rep, ok := reports[rv.ReportID]
		if !ok {
			continue
		}
		j := index[rv.Period]
		if out[j].reports == nil {
			out[j].reports = map[string]returnedReport{}
		}
		out[j].reports[rv.MeasureID] = returnedReport{review: rv, stored: rep}
	}
	return out
}
