package plan

import "encoding/json"

// The JSON form of a plan is a contract other tools rely on (`reformbot plan
// import --json`): lists are always arrays, never null, whoever built the
// plan. The MarshalJSON methods below only replace nil lists with empty ones.

// Export is a plan with the warnings of its import, as `reformbot plan
// import --json` prints it.
type Export struct {
	Title      string     `json:"title"`
	DocNumber  string     `json:"doc_number,omitempty"`
	Issuers    []string   `json:"issuers,omitempty"`
	Published  string     `json:"published,omitempty"`
	Year       int        `json:"year,omitempty"`
	Reporting  Reporting  `json:"reporting"`
	Categories []Category `json:"categories"`
	Units      []Unit     `json:"units"`
	Warnings   []Warning  `json:"warnings"`
}

// NewExport pairs a plan with its warnings.
func NewExport(p *Plan, warnings []Warning) Export {
	e := Export{
		Title:      p.Title,
		DocNumber:  p.DocNumber,
		Issuers:    p.Issuers,
		Published:  p.Published,
		Year:       p.Year,
		Reporting:  p.Reporting,
		Categories: orEmpty(p.Categories),
		Units:      orEmpty(p.Units),
		Warnings:   orEmpty(warnings),
	}
	return e
}

func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// MarshalJSON writes the plan with empty lists as [].
func (p Plan) MarshalJSON() ([]byte, error) {
	type plain Plan
	q := plain(p)
	q.Categories, q.Units = orEmpty(q.Categories), orEmpty(q.Units)
	return json.Marshal(q)
}

// MarshalJSON writes the category with empty lists as [].
func (c Category) MarshalJSON() ([]byte, error) {
	type plain Category
	q := plain(c)
	q.Projects = orEmpty(q.Projects)
	return json.Marshal(q)
}

// MarshalJSON writes the project with empty lists as [].
func (p Project) MarshalJSON() ([]byte, error) {
	type plain Project
	q := plain(p)
	q.Measures = orEmpty(q.Measures)
	return json.Marshal(q)
}

// MarshalJSON writes the measure with empty lists as [].
func (m Measure) MarshalJSON() ([]byte, error) {
	type plain Measure
	q := plain(m)
	q.LeadUnits, q.CoUnits = orEmpty(q.LeadUnits), orEmpty(q.CoUnits)
	return json.Marshal(q)
}

// MarshalJSON writes the unit with empty lists as [].
func (u Unit) MarshalJSON() ([]byte, error) {
	type plain Unit
	q := plain(u)
	q.Aliases = orEmpty(q.Aliases)
	return json.Marshal(q)
}
