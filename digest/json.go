package digest

import (
	"encoding/json"
	"time"
)

// The JSON contract. Other tools read it, so these types change only by
// adding fields. Lists are always arrays, never null; a unit's status, text
// and reported_at are null when it has not reported. Times are RFC 3339 in
// the office's zone.

type jsonDigest struct {
	Period       string            `json:"period"`
	PeriodLabel  string            `json:"period_label"`
	PlanTitle    string            `json:"plan_title"`
	GeneratedAt  string            `json:"generated_at"`
	Totals       jsonTotals        `json:"totals"`
	Projects     []jsonProject     `json:"projects"`
	Measures     []jsonMeasure     `json:"measures"`
	Missing      []jsonMissing     `json:"missing"`
	Difficulties []jsonDifficulty  `json:"difficulties"`
	Stalled      []jsonStalled     `json:"stalled"`
	Unreachable  []jsonUnreachable `json:"unreachable"`
	Acceptance   *jsonAcceptance   `json:"acceptance,omitempty"`
	Overdue      []jsonOverdue     `json:"overdue"`
	Unbound      []string          `json:"unbound"`
	Returned     []jsonReturned    `json:"returned"`
	Urged        []jsonUrged       `json:"urged"`
}

// jsonOverdue is a pair past its deadline; see the package doc.
type jsonOverdue struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Unit     string `json:"unit"`
	Deadline string `json:"deadline"`
}

type jsonTotals struct {
	Pairs        int `json:"pairs"`
	Reported     int `json:"reported"`
	Missing      int `json:"missing"`
	Difficulties int `json:"difficulties"`
	Behind       int `json:"behind"`
	Done         int `json:"done"`
	Stalled      int `json:"stalled"`
	Percent      int `json:"percent"`
	Overdue      int `json:"overdue"`
}

type jsonProject struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Category     string `json:"category"`
	Light        Light  `json:"light"`
	Reported     int    `json:"reported"`
	Total        int    `json:"total"`
	Missing      int    `json:"missing"`
	Behind       int    `json:"behind"`
	Difficulties int    `json:"difficulties"`
	Stalled      int    `json:"stalled"`
	Overdue      int    `json:"overdue"`
}

type jsonMeasure struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	ProjectID string     `json:"project_id"`
	Units     []jsonUnit `json:"units"`
}

type jsonUnit struct {
	Unit        string  `json:"unit"`
	Role        string  `json:"role"`
	Status      *string `json:"status"`      // the label people read, or null
	StatusCode  *string `json:"status_code"` // the stable code (plan.StatusCode), or null
	Text        *string `json:"text"`
	ReportedAt  *string `json:"reported_at"`
	Reporter    string  `json:"reporter"`
	Attachments int     `json:"attachments"`
	Stalled     bool    `json:"stalled"`
}

type jsonMissing struct {
	Unit     string   `json:"unit"`
	Measures []string `json:"measures"`
}

type jsonDifficulty struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Unit       string `json:"unit"`
	Text       string `json:"text"`
	ReportedAt string `json:"reported_at"`
	Reporter   string `json:"reporter"`
}

type jsonStalled struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Unit       string   `json:"unit"`
	Status     string   `json:"status"`
	StatusCode string   `json:"status_code"`
	Periods    []string `json:"periods"`
}

type jsonUnreachable struct {
	Unit    string `json:"unit"`
	UserID  int64  `json:"user_id"`
	Name    string `json:"name"`
	Blocked bool   `json:"blocked"`
	Error   string `json:"error"`
}

type jsonAcceptance struct {
	Year      int                     `json:"year"`
	Submitted int                     `json:"submitted"`
	Measures  []jsonAcceptanceMeasure `json:"measures"`
}

type jsonAcceptanceMeasure struct {
	ID          string           `json:"id"`
	Title       string           `json:"title"`
	LeadUnits   []string         `json:"lead_units"`
	Submissions []jsonSubmission `json:"submissions"`
	Pending     []string         `json:"pending"`
}

type jsonSubmission struct {
	Unit        string `json:"unit"`
	Text        string `json:"text"`
	Attachments int    `json:"attachments"`
	SubmittedAt string `json:"submitted_at"`
	Reporter    string `json:"reporter"`
}

// JSON returns the digest in its stable JSON contract, indented.
func (d *Digest) JSON() ([]byte, error) {
	t := d.Totals
	out := jsonDigest{
		Period:      string(d.Period),
		PeriodLabel: periodLabel(d.Period),
		PlanTitle:   d.PlanTitle,
		GeneratedAt: d.stamp(d.GeneratedAt),
		Totals: jsonTotals{
			Pairs: t.Pairs, Reported: t.Reported, Missing: t.Missing, Difficulties: t.Difficulties,
			Behind: t.Behind, Done: t.Done, Stalled: t.Stalled, Percent: t.Percent(),
			Overdue: t.Overdue,
		},
		Projects:     []jsonProject{},
		Measures:     []jsonMeasure{},
		Missing:      []jsonMissing{},
		Difficulties: []jsonDifficulty{},
		Stalled:      []jsonStalled{},
		Unreachable:  []jsonUnreachable{},
		Overdue:      []jsonOverdue{},
		Unbound:      nonNil(d.Unbound),
	}
	out.Returned, out.Urged = d.jsonLoop() // loop.go
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			out.Projects = append(out.Projects, jsonProject{
				ID: p.ID, Title: p.Title, Category: p.Category, Light: p.Light,
				Reported: p.Reported, Total: p.Total, Missing: p.Missing,
				Behind: p.Behind, Difficulties: p.Hard, Stalled: p.Stalled,
				Overdue: p.Overdue,
			})
		}
	}
	for _, m := range d.Measures {
		jm := jsonMeasure{ID: m.ID, Title: m.Title, ProjectID: m.ProjectID, Units: []jsonUnit{}}
		for _, u := range m.Units {
			ju := jsonUnit{Unit: u.Unit, Role: string(u.Role), Reporter: u.Reporter, Attachments: u.Attachments, Stalled: u.Stalled}
			if u.Reported {
				status, code, text, at := u.Status.Label(), string(u.Status), u.Text, d.stamp(u.ReportedAt)
				ju.Status, ju.StatusCode, ju.Text, ju.ReportedAt = &status, &code, &text, &at
			}
			jm.Units = append(jm.Units, ju)
		}
		out.Measures = append(out.Measures, jm)
	}
	for _, m := range d.Missing {
		out.Missing = append(out.Missing, jsonMissing{Unit: m.Unit, Measures: nonNil(m.Measures)})
	}
	for _, x := range d.Difficulties {
		out.Difficulties = append(out.Difficulties, jsonDifficulty{
			ID: x.MeasureID, Title: x.MeasureTitle, Unit: x.Unit, Text: x.Text,
			ReportedAt: d.stamp(x.ReportedAt), Reporter: x.Reporter,
		})
	}
	for _, s := range d.Stalled {
		js := jsonStalled{ID: s.MeasureID, Title: s.MeasureTitle, Unit: s.Unit, Status: s.Status.Label(), StatusCode: string(s.Status), Periods: []string{}}
		for _, p := range s.Periods {
			js.Periods = append(js.Periods, string(p))
		}
		out.Stalled = append(out.Stalled, js)
	}
	for _, o := range d.Overdue {
		out.Overdue = append(out.Overdue, jsonOverdue{ID: o.MeasureID, Title: o.MeasureTitle, Unit: o.Unit, Deadline: o.Deadline})
	}
	for _, u := range d.Unreachable {
		out.Unreachable = append(out.Unreachable, jsonUnreachable(u))
	}
	if a := d.Acceptance; a != nil {
		ja := &jsonAcceptance{Year: a.Year, Submitted: a.Submitted, Measures: []jsonAcceptanceMeasure{}}
		for _, m := range a.Measures {
			jm := jsonAcceptanceMeasure{
				ID: m.ID, Title: m.Title, LeadUnits: nonNil(m.LeadUnits),
				Submissions: []jsonSubmission{}, Pending: nonNil(m.Pending),
			}
			for _, s := range m.Submissions {
				jm.Submissions = append(jm.Submissions, jsonSubmission{
					Unit: s.Unit, Text: s.Text, Attachments: s.Attachments,
					SubmittedAt: d.stamp(s.SubmittedAt), Reporter: s.Reporter,
				})
			}
			ja.Measures = append(ja.Measures, jm)
		}
		out.Acceptance = ja
	}
	return json.MarshalIndent(out, "", "  ")
}

// stamp is t in RFC 3339 in the office's zone.
func (d *Digest) stamp(t time.Time) string { return t.In(d.location()).Format(time.RFC3339) }

// location is the digest's zone, also for a Digest not made by Build.
func (d *Digest) location() *time.Location {
	if d.Location == nil {
		return officeZone()
	}
	return d.Location
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
