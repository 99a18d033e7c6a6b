package digest

import (
	"sort"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// The rules of the package doc, in code. Keep the two in step.

// light is a project's traffic light; the first matching rule wins.
func light(p Project) Light {
	switch {
	case p.Hard > 0 || p.Overdue > 0 || p.Reported*2 < p.Total:
		return Red
	case p.Behind > 0 || p.Missing > 0 || p.Stalled > 0:
		return Yellow
	default:
		return Green
	}
}

// pairKey names a (measure, unit) pair.
type pairKey struct{ measure, unit string }

// builder holds Build's indexes while it walks the plan once.
type builder struct {
	in  Input
	loc *time.Location
	// periods are the digest's period and the two before it, newest first;
	// reports[i] holds the current reports of periods[i] by pair.
	periods [3]plan.Period
	reports [3]map[pairKey]store.Report
	tasks   []plan.Task
	// assigned lists each measure's responsible units, lead first.
	assigned map[string][]plan.Assignment
	// missingByUnit and unitSeen collect the missing list as the walk goes;
	// unitSeen is every assigned unit in first-appearance order.
	missingByUnit map[string][]string
	unitSeen      []string
	unitKnown     map[string]bool
	// cutoff is when deadlines are judged (see Overdue); zero when the
	// period is malformed, and then nothing is overdue.
	cutoff time.Time
}

func newBuilder(in Input, loc *time.Location) *builder {
	b := &builder{
		in:            in,
		loc:           loc,
		tasks:         in.Plan.Measures(),
		assigned:      map[string][]plan.Assignment{},
		missingByUnit: map[string][]string{},
		unitKnown:     map[string]bool{},
	}
	b.periods[0] = in.Period
	// Prev is only defined for a well-formed period; a malformed one gets no
	// history, hence no stalled pairs, rather than a panic.
	if p, err := plan.ParsePeriod(string(in.Period)); err == nil && p == in.Period {
		b.periods[1] = p.Prev()
		b.periods[2] = p.Prev().Prev()
		b.cutoff = p.End(loc)
		if g := in.GeneratedAt; !g.IsZero() && g.Before(b.cutoff) {
			b.cutoff = g
		}
	}
	for i := range b.reports {
		b.reports[i] = map[pairKey]store.Report{}
	}
	returned := returnedIDs(in) // loop.go: a returned report is not reported
	for _, r := range in.Reports {
		for i, p := range b.periods {
			if i == 0 && returned[r.ID] {
				continue
			}
			if p != "" && r.Period == p {
				keepNewest(b.reports[i], r)
			}
		}
	}
	for _, a := range in.Plan.Assignments() {
		b.assigned[a.MeasureID] = append(b.assigned[a.MeasureID], a)
	}
	return b
}

// keepNewest adds a current report to m, keeping the newer of two for the
// same pair (the store allows one; a caller's merge might not).
func keepNewest(m map[pairKey]store.Report, r store.Report) {
	if !r.Current() {
		return
	}
	k := pairKey{r.MeasureID, r.Unit}
	if old, ok := m[k]; ok && (old.CreatedAt.After(r.CreatedAt) || old.CreatedAt.Equal(r.CreatedAt) && old.ID > r.ID) {
		return
	}
	m[k] = r
}

// measures walks the plan in document order, filling d's measures,
// difficulties, stalled pairs and totals, and builds the projects' counts
// as it goes; categories reads them back.
func (b *builder) measures(d *Digest) {
	i := 0
	for _, c := range b.in.Plan.Categories {
		cat := Category{Title: c.Title, Projects: []Project{}}
		for _, pr := range c.Projects {
			if len(pr.Measures) == 0 {
				continue
			}
			// Measures() lists the tasks in this same nested order, so the
			// i-th task is this project's next measure.
			proj := Project{ID: b.tasks[i].Project.ID, Title: pr.Title, Category: c.Title}
			for range pr.Measures {
				d.Measures = append(d.Measures, b.measure(d, &proj, b.tasks[i]))
				i++
			}
			if proj.Total > 0 {
				proj.Light = light(proj)
				cat.Projects = append(cat.Projects, proj)
			}
		}
		if len(cat.Projects) > 0 {
			d.Categories = append(d.Categories, cat)
		}
	}
}

// measure is one measure's row, counting its pairs into proj and d.
func (b *builder) measure(d *Digest, proj *Project, t plan.Task) Measure {
	m := Measure{
		ID:           t.Measure.ID,
		Title:        t.Measure.Title,
		ProjectID:    proj.ID,
		ProjectTitle: proj.Title,
		Deadline:     t.Measure.Deadline,
		Units:        []UnitReport{},
	}
	for _, a := range b.assigned[m.ID] {
		if !b.unitKnown[a.Unit] {
			b.unitKnown[a.Unit] = true
			b.unitSeen = append(b.unitSeen, a.Unit)
		}
		u := UnitReport{Unit: a.Unit, Role: a.Role}
		proj.Total++
		d.Totals.Pairs++
		key := pairKey{m.ID, a.Unit}
		if b.overdue(t.Measure.Deadline, key) {
			proj.Overdue++
			d.Overdue = append(d.Overdue, Overdue{
				MeasureID: m.ID, MeasureTitle: m.Title, Unit: a.Unit, Role: a.Role,
				Deadline: t.Measure.Deadline, DeadlineText: t.Measure.DeadlineText, Status: b.latest(key),
			})
		}
		r, ok := b.reports[0][key]
		if !ok {
			proj.Missing++
			d.Totals.Missing++
			b.missingByUnit[a.Unit] = append(b.missingByUnit[a.Unit], m.ID)
			m.Units = append(m.Units, u)
			continue
		}
		u.Reported, u.Status, u.Text = true, r.Status, r.Text
		u.ReportedAt, u.Reporter, u.Attachments = r.CreatedAt.In(b.loc), r.ReporterName, len(r.Attachments)
		proj.Reported++
		d.Totals.Reported++
		switch r.Status {
		case plan.Done:
			d.Totals.Done++
		case plan.Behind:
			proj.Behind++
			d.Totals.Behind++
		case plan.NeedsHelp:
			proj.Hard++
			d.Difficulties = append(d.Difficulties, Difficulty{
				MeasureID: m.ID, MeasureTitle: m.Title, Unit: a.Unit,
				Text: r.Text, Attachments: u.Attachments, ReportedAt: u.ReportedAt, Reporter: r.ReporterName,
			})
		}
		if b.stalled(key, r) {
			u.Stalled = true
			proj.Stalled++
			d.Stalled = append(d.Stalled, Stalled{
				MeasureID: m.ID, MeasureTitle: m.Title, Unit: a.Unit, Status: r.Status,
				Periods: []plan.Period{b.periods[2], b.periods[1], b.periods[0]},
			})
		}
		m.Units = append(m.Units, u)
	}
	return m
}

// stalled applies the stalled rule to a pair whose current report is now.
func (b *builder) stalled(key pairKey, now store.Report) bool {
	if now.Status == plan.Done || b.periods[2] == "" {
		return false
	}
	for _, earlier := range b.reports[1:] {
		r, ok := earlier[key]
		if !ok || r.Status != now.Status {
			return false
		}
		if now.Status == plan.OnTrack && noSpace(r.Text) != noSpace(now.Text) {
			return false
		}
	}
	return true
}

// noSpace is s without white space: Chinese text has none between words, so
// a pasted text with another line break or trailing space is the same text.
func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// missing is the missing list: plan units in plan order, then the units the
// plan does not list in first-appearance order.
func (b *builder) missing() []Missing {
	out := []Missing{}
	add := func(unit string) {
		if ids := b.missingByUnit[unit]; len(ids) > 0 {
			out = append(out, Missing{Unit: unit, Measures: ids})
			delete(b.missingByUnit, unit)
		}
	}
	for _, u := range b.in.Plan.Units {
		add(u.Name)
	}
	for _, u := range b.unitSeen {
		add(u)
	}
	return out
}

// acceptance is the acceptance section, or nil when the digest has none.
func (b *builder) acceptance() *Acceptance {
	p := b.in.Period
	yearEnd := strings.HasSuffix(string(p), "-12") || strings.HasSuffix(string(p), "-Q4")
	if len(b.in.Acceptance) == 0 && !(yearEnd && b.in.Plan.Reporting.Acceptance) {
		return nil
	}
	year := plan.YearPeriod(p.Year())
	latest := map[pairKey]store.Report{}
	for _, r := range b.in.Acceptance {
		if r.Period == year {
			keepNewest(latest, r)
		}
	}
	byMeasure := map[string][]store.Report{}
	for _, r := range latest {
		byMeasure[r.MeasureID] = append(byMeasure[r.MeasureID], r)
	}
	acc := &Acceptance{Year: p.Year(), Measures: []AcceptanceMeasure{}}
	for _, t := range b.tasks {
		m := AcceptanceMeasure{ID: t.Measure.ID, Title: t.Measure.Title, LeadUnits: []string{}, Submissions: []Submission{}, Pending: []string{}}
		rank := map[string]int{}
		for i, a := range b.assigned[m.ID] {
			rank[a.Unit] = i + 1
			if a.Role == plan.Lead {
				m.LeadUnits = append(m.LeadUnits, a.Unit)
			}
		}
		subs := byMeasure[m.ID]
		// Responsible units in plan order, then anyone else by name.
		sort.Slice(subs, func(i, j int) bool {
			ri, rj := rank[subs[i].Unit], rank[subs[j].Unit]
			if (ri == 0) != (rj == 0) {
				return ri != 0
			}
			if ri != rj {
				return ri < rj
			}
			return subs[i].Unit < subs[j].Unit
		})
		done := map[string]bool{}
		for _, r := range subs {
			done[r.Unit] = true
			m.Submissions = append(m.Submissions, Submission{
				Unit: r.Unit, Text: r.Text, Attachments: len(r.Attachments),
				SubmittedAt: r.CreatedAt.In(b.loc), Reporter: r.ReporterName,
			})
		}
		for _, u := range m.LeadUnits {
			if !done[u] {
				m.Pending = append(m.Pending, u)
			}
		}
		if len(m.Submissions) > 0 {
			acc.Submitted++
		}
		acc.Measures = append(acc.Measures, m)
	}
	return acc
}

// unreachable lists blocked contacts and those whose message failed, one
// entry per user: the office first, then units in plan order, then other
// units by name, then by user ID.
func unreachable(in Input) []Unreachable {
	out := []Unreachable{}
	byUser := map[int64]store.Contact{}
	at := map[int64]int{}
	add := func(c store.Contact) int {
		if i, ok := at[c.UserID]; ok {
			return i
		}
		unit := c.Unit
		if c.Role == store.RoleOffice || unit == "" {
			unit = OfficeName
		}
		at[c.UserID] = len(out)
		out = append(out, Unreachable{Unit: unit, UserID: c.UserID, Name: c.Name, Blocked: c.Status == store.Blocked})
		return len(out) - 1
	}
	for _, c := range in.Contacts {
		byUser[c.UserID] = c
	}
	for _, c := range in.Contacts {
		if c.Status == store.Blocked && (c.Role == store.RoleContact || c.Role == store.RoleOffice) {
			add(c)
		}
	}
	for _, m := range in.Failed {
		c, ok := byUser[m.UserID]
		if m.State != store.Failed || m.UserID == 0 || !ok || c.Status == store.Revoked {
			continue
		}
		// Failed rows come in enqueue order, so the last error is the latest.
		out[add(c)].Error = m.Error
	}
	rank := map[string]int{OfficeName: 1}
	if in.Plan != nil {
		for i, u := range in.Plan.Units {
			if _, ok := rank[u.Name]; !ok {
				rank[u.Name] = i + 2
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank[out[i].Unit], rank[out[j].Unit]
		switch {
		case (ri == 0) != (rj == 0):
			return ri != 0
		case ri != rj:
			return ri < rj
		case out[i].Unit != out[j].Unit:
			return out[i].Unit < out[j].Unit
		}
		return out[i].UserID < out[j].UserID
	})
	return out
}
