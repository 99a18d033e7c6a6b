// Package plan is reformbot's domain: a year's reform plan with its
// categories, projects, measures and the units responsible for them.
//
// A Plan comes from three places: the importer, which reads a published plan
// document (Import); the plan file, which the office edits by hand (Load,
// Parse, WriteFile); and the default plan embedded in the binary (Default).
// Every other package imports these types; this package imports none of ours.
package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Plan is one year's reform plan.
type Plan struct {
	// Title is the plan's own title, e.g. 深圳市罗湖区2017年改革计划.
	Title string `json:"title" yaml:"title"`
	// DocNumber is the notice's document number, e.g. 罗办发〔2017〕1号.
	DocNumber string `json:"doc_number,omitempty" yaml:"doc_number,omitempty"`
	// Issuers are the offices that issued the notice.
	Issuers []string `json:"issuers,omitempty" yaml:"issuers,omitempty"`
	// Published is the notice's date, YYYY-MM-DD.
	Published string `json:"published,omitempty" yaml:"published,omitempty"`
	// Year is the year the plan is for.
	Year int `json:"year,omitempty" yaml:"year,omitempty"`
	// Reporting is how progress is reported and accepted.
	Reporting Reporting `json:"reporting" yaml:"reporting"`
	// Categories in document order.
	Categories []Category `json:"categories" yaml:"categories"`
	// Units are every unit named by a measure, plus any the office added.
	Units []Unit `json:"units" yaml:"units"`
	// Sample is true for the embedded sample plan put in force when the
	// office has loaded none: its periods follow the calendar. The store
	// keeps it; it is not part of the plan file.
	Sample bool `json:"-" yaml:"-"`
	// Source is the file the plan was loaded from (lines and comments), or
	// nil. Compare plans without it.
	Source *Source `json:"-" yaml:"-"`
}

// Cadence is how often units report progress.
type Cadence string

// Reporting cadences.
const (
	Monthly   Cadence = "monthly"
	Quarterly Cadence = "quarterly"
)

// Reporting holds the notice's own supervision mechanisms, which the
// scheduler follows.
type Reporting struct {
	// Cadence of progress reports: monthly (the notice's 按月排出进度进展) or quarterly.
	Cadence Cadence `json:"cadence" yaml:"cadence"`
	// Acceptance is true when lead units submit result materials at year end
	// (the notice's 成果验收制).
	Acceptance bool `json:"acceptance" yaml:"acceptance"`
	// Basis quotes the sentences of the notice the two fields come from.
	Basis []string `json:"basis,omitempty" yaml:"basis,omitempty"`
}

// Category is one of the plan's top sections, e.g. 二、新推重点改革项目.
type Category struct {
	// Number is the section's number in the document (二 → 2), or 0 when the
	// document has no such level.
	Number   int       `json:"number" yaml:"number"`
	Title    string    `json:"title" yaml:"title"`
	Projects []Project `json:"projects" yaml:"projects"`
}

// Project is a reform project, e.g. （一）强区放权体制机制改革.
type Project struct {
	// Number is the project's number within its category (（一） → 1), or 0.
	Number int    `json:"number" yaml:"number"`
	Title  string `json:"title" yaml:"title"`
	// Summary is the project's introductory paragraph.
	Summary  string    `json:"summary,omitempty" yaml:"summary,omitempty"`
	Measures []Measure `json:"measures" yaml:"measures"`
}

// Measure is one numbered reform measure.
type Measure struct {
	// ID is the document's own numbering in digits, category.project.measure,
	// e.g. 2.1.1 for 二（一）1. Levels the document lacks are left out.
	ID string `json:"id" yaml:"id"`
	// Title is the measure's lead phrase, up to the first 。.
	Title string `json:"title" yaml:"title"`
	// Text is the measure's full text without the unit clause.
	Text string `json:"text" yaml:"text"`
	// LeadUnits (牵头单位) by canonical unit name.
	LeadUnits []string `json:"lead_units" yaml:"lead_units"`
	// CoUnits (协办单位 and the like) by canonical unit name.
	CoUnits []string `json:"co_units" yaml:"co_units"`
	// Deadline (完成时限) as an ISO date, YYYY-MM-DD, when the document gives
	// one date; "" otherwise.
	Deadline string `json:"deadline,omitempty" yaml:"deadline,omitempty"`
	// DeadlineText is the deadline as the document wrote it, e.g.
	// 2026年6月底前 or 长期坚持.
	DeadlineText string `json:"deadline_text,omitempty" yaml:"deadline_text,omitempty"`
	// Leaders (责任领导) are people named beside the units; never units.
	Leaders []string `json:"leaders,omitempty" yaml:"leaders,omitempty"`
}

// Unit is a responsible unit, e.g. 区编办.
type Unit struct {
	// Name is the canonical name, in Simplified Chinese.
	Name string `json:"name" yaml:"name"`
	// Aliases are other spellings that mean the same unit.
	Aliases []string `json:"aliases" yaml:"aliases"`
	// Group is true for a collective such as 各街道办.
	Group bool `json:"group" yaml:"group"`
	// Members of a group, when the office has listed them. A measure given
	// to a group with members is the responsibility of each member.
	Members []string `json:"members,omitempty" yaml:"members,omitempty"`
	// Formerly are the unit's earlier names (e.g. 区卫计局 before it became
	// 区卫健局): their contacts, invites and history follow the unit.
	Formerly []string `json:"formerly,omitempty" yaml:"formerly,omitempty"`
}

// Role is a unit's part in a measure.
type Role string

// Roles.
const (
	Lead Role = "lead"
	Co   Role = "co"
)

// Label is the role's Chinese name for people.
func (r Role) Label() string {
	if r == Lead {
		return "牵头"
	}
	return "协办"
}

// Assignment is one unit's responsibility for one measure.
type Assignment struct {
	MeasureID string
	Unit      string
	Role      Role
	Via       string // the group the unit has it through as a member, or ""
}

// Task is a measure as seen by a responsible unit.
type Task struct {
	Measure  Measure
	Project  ProjectRef
	Role     Role
	Via      string // the group the unit has it through as a member, or ""
	Position int    // the measure's position in the plan, for stable ordering
}

// ProjectRef names a project and its category without its measures.
type ProjectRef struct {
	ID            string // e.g. "2.1"
	Title         string
	CategoryTitle string
}

// ProjectID returns the ID of the project a measure ID belongs to: "2.1" for
// "2.1.3". A one-level ID has no project and returns "".
func ProjectID(measureID string) string {
	i := strings.LastIndexByte(measureID, '.')
	if i < 0 {
		return ""
	}
	return measureID[:i]
}

// Measures returns every measure in document order with its project.
func (p *Plan) Measures() []Task {
	var out []Task
	for _, c := range p.Categories {
		for _, pr := range c.Projects {
			ref := projectRef(c, pr)
			for _, m := range pr.Measures {
				out = append(out, Task{Measure: m, Project: ref, Position: len(out)})
			}
		}
	}
	return out
}

func projectRef(c Category, pr Project) ProjectRef {
	ref := ProjectRef{Title: pr.Title, CategoryTitle: c.Title}
	switch {
	case c.Number > 0 && pr.Number > 0:
		// Not from the first measure's id: that may be a sub-measure
		// (2.1.2.1 is in project 2.1, not 2.1.2).
		ref.ID = fmt.Sprintf("%d.%d", c.Number, pr.Number)
	case len(pr.Measures) > 0:
		ref.ID = ProjectID(pr.Measures[0].ID)
	}
	if ref.ID == "" {
		ref.ID = fmt.Sprintf("%d.%d", c.Number, pr.Number)
	}
	return ref
}

// Measure finds a measure by ID.
func (p *Plan) Measure(id string) (Task, bool) {
	id = strings.TrimSpace(id)
	for _, t := range p.Measures() {
		if t.Measure.ID == id {
			return t, true
		}
	}
	return Task{}, false
}

// Unit finds a unit by its canonical name, any alias or a former name
// (formerly). Names are compared after NormalizeUnitName, so Traditional
// characters, spaces and bracket styles do not matter.
func (p *Plan) Unit(name string) (Unit, bool) {
	key := NormalizeUnitName(name)
	if key == "" {
		return Unit{}, false
	}
	for _, u := range p.Units {
		if NormalizeUnitName(u.Name) == key {
			return u, true
		}
		for _, a := range u.Aliases {
			if NormalizeUnitName(a) == key {
				return u, true
			}
		}
	}
	for _, u := range p.Units {
		for _, f := range u.Formerly {
			if NormalizeUnitName(f) == key {
				return u, true
			}
		}
	}
	return Unit{}, false
}

// Renames maps each former name a unit lists (formerly) to its name now,
// leaving out a former name that is still a unit of the plan.
func (p *Plan) Renames() map[string]string {
	names := map[string]bool{}
	for _, u := range p.Units {
		names[u.Name] = true
	}
	out := map[string]string{}
	for _, u := range p.Units {
		for _, f := range u.Formerly {
			if !names[f] {
				out[f] = u.Name
			}
		}
	}
	return out
}

// SuggestUnits returns up to n unit names close to name, best first, for
// "did you mean" messages.
func (p *Plan) SuggestUnits(name string, n int) []string {
	key := []rune(NormalizeUnitName(name))
	type scored struct {
		name  string
		score int
	}
	var all []scored
	for _, u := range p.Units {
		best := 0
		for _, cand := range append([]string{u.Name}, u.Aliases...) {
			if s := similarity(key, []rune(NormalizeUnitName(cand))); s > best {
				best = s
			}
		}
		if best > 0 {
			all = append(all, scored{u.Name, best})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].name)
	}
	return out
}

// similarity counts the runes of a that occur in b, ignoring the common
// prefix 区 that nearly every unit shares.
func similarity(a, b []rune) int {
	in := map[rune]bool{}
	for _, r := range b {
		in[r] = true
	}
	n := 0
	for _, r := range a {
		if in[r] && r != '区' {
			n++
		}
	}
	return n
}

// Tasks returns the measures a unit is responsible for, lead ones first,
// then co ones, each in document order. Responsibility is as Assignments
// decides it, so a member of a group with listed members has the group's
// measures.
func (p *Plan) Tasks(unit string) []Task { return p.TasksByUnit()[unit] }

// TasksByUnit returns every responsible unit's tasks, as Tasks orders them.
func (p *Plan) TasksByUnit() map[string][]Task {
	measures := map[string]Task{}
	for _, t := range p.Measures() {
		measures[t.Measure.ID] = t
	}
	assignments := p.Assignments()
	out := map[string][]Task{}
	for _, role := range []Role{Lead, Co} {
		for _, a := range assignments {
			if a.Role == role {
				t := measures[a.MeasureID]
				t.Role, t.Via = role, a.Via
				out[a.Unit] = append(out[a.Unit], t)
			}
		}
	}
	return out
}

// Assignments returns every (measure, unit, role) of the plan in document
// order. A group with members is expanded to its members; a group without
// members stands for itself. A unit named both lead and co is lead.
func (p *Plan) Assignments() []Assignment {
	members := map[string][]string{}
	for _, u := range p.Units {
		if u.Group && len(u.Members) > 0 {
			members[u.Name] = u.Members
		}
	}
	var out []Assignment
	for _, t := range p.Measures() {
		seen := map[string]bool{}
		add := func(units []string, role Role) {
			for _, name := range units {
				expanded, via := members[name], name
				if expanded == nil {
					expanded, via = []string{name}, ""
				}
				for _, u := range expanded {
					if !seen[u] {
						seen[u] = true
						out = append(out, Assignment{MeasureID: t.Measure.ID, Unit: u, Role: role, Via: via})
					}
				}
			}
		}
		add(t.Measure.LeadUnits, Lead)
		add(t.Measure.CoUnits, Co)
	}
	return out
}

// UnitNames returns the canonical names of every unit, in plan order.
func (p *Plan) UnitNames() []string {
	out := make([]string, len(p.Units))
	for i, u := range p.Units {
		out[i] = u.Name
	}
	return out
}
