package plan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Validate reports what keeps the plan from being used: an empty title, a
// malformed or duplicate measure ID, a measure without a lead unit, a unit
// name that is not declared (or only an alias), a group member that is not
// a declared unit, and the like. Problems carry the plan file's lines when
// the plan was loaded from one. `reformbot serve` refuses a plan with
// problems.
//
// Group members must be declared as units themselves (normally with
// group: false): then every name the plan uses is in one list, and a
// member can be given measures of its own.
func (p *Plan) Validate() []Problem {
	v := &validator{src: p.Source, units: map[string]*Unit{}}
	v.plan(p)
	sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
	return v.problems
}

type validator struct {
	src      *Source
	problems []Problem
	units    map[string]*Unit // NormalizeUnitName of names and aliases → unit
}

// add reports a problem at path, or at the nearest enclosing element the
// file has a line for.
func (v *validator) add(path, format string, args ...any) {
	line := 0
	for p := path; p != "" && line == 0; {
		line = v.src.line(p)
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	v.problems = append(v.problems, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) plan(p *Plan) {
	if strings.TrimSpace(p.Title) == "" {
		v.add("title", "the plan has no title")
	}
	switch p.Reporting.Cadence {
	case Monthly, Quarterly:
	default:
		v.add("reporting/cadence", "reporting cadence must be %s or %s, not %q", Monthly, Quarterly, p.Reporting.Cadence)
	}
	v.declareUnits(p.Units)

	catKeys := keyer{}
	seenCat := map[int]bool{}
	ids := map[string]string{} // measure ID → path of its first use
	for _, c := range p.Categories {
		cp := "categories/" + catKeys.unique("#"+strconv.Itoa(c.Number))
		if c.Number < 0 {
			v.add(cp+"/number", "category number %d is negative", c.Number)
		}
		if c.Number > 0 && seenCat[c.Number] {
			v.add(cp+"/number", "category %d appears twice", c.Number)
		}
		seenCat[c.Number] = true
		if strings.TrimSpace(c.Title) == "" && c.Number > 0 {
			v.add(cp+"/title", "category %d has no title", c.Number)
		}
		projKeys := keyer{}
		seenProj := map[int]bool{}
		for _, pr := range c.Projects {
			pp := cp + "/projects/" + projKeys.unique("#"+strconv.Itoa(pr.Number))
			if pr.Number > 0 && seenProj[pr.Number] {
				v.add(pp+"/number", "project %d of category %d appears twice", pr.Number, c.Number)
			}
			seenProj[pr.Number] = true
			if strings.TrimSpace(pr.Title) == "" && pr.Number > 0 {
				v.add(pp+"/title", "project %s has no title", joinID([]int{c.Number, pr.Number}))
			}
			mKeys := keyer{}
			for _, m := range pr.Measures {
				mp := pp + "/measures/" + mKeys.unique("#"+m.ID)
				v.measure(m, mp, c.Number, pr.Number, ids)
			}
		}
	}
}

func (v *validator) measure(m Measure, path string, category, project int, ids map[string]string) {
	name := "measure " + m.ID
	switch {
	case m.ID == "":
		v.add(path, "a measure has no id")
		name = "a measure"
	case CheckMeasureID(m.ID) != nil:
		v.add(path+"/id", "measure id %q %v", m.ID, CheckMeasureID(m.ID))
	default:
		if first, dup := ids[m.ID]; dup {
			v.add(path+"/id", "measure id %s appears twice (first at line %d)", m.ID, v.src.line(first))
		} else {
			ids[m.ID] = path
		}
		if want := joinID([]int{category, project}); want != "" && !strings.HasPrefix(m.ID, want+".") {
			v.add(path+"/id", "measure %s is listed under %s; its id should start with %s.", m.ID, want, want)
		}
	}
	if strings.TrimSpace(m.Title) == "" {
		v.add(path+"/title", "%s has no title", name)
	}
	if len(m.LeadUnits) == 0 {
		v.add(path+"/lead_units", "%s has no lead unit", name)
	}
	if m.Deadline != "" {
		if _, err := time.Parse(time.DateOnly, m.Deadline); err != nil {
			v.add(path+"/deadline", "%s has deadline %q: write a date such as 2026-06-30 (keep the document's words in deadline_text)", name, m.Deadline)
		}
	}
	seen := map[string]bool{}
	for _, r := range []struct {
		field string
		list  []string
	}{{"lead_units", m.LeadUnits}, {"co_units", m.CoUnits}} {
		for i, u := range r.list {
			up := path + "/" + r.field + "/[" + strconv.Itoa(i) + "]"
			v.unitRef(u, up, name)
			if seen[u] {
				v.add(up, "%s names %s twice", name, u)
			}
			seen[u] = true
		}
	}
}

// unitRef checks that a measure or group names a declared unit by its name.
func (v *validator) unitRef(name, path, by string) {
	u, ok := v.units[NormalizeUnitName(name)]
	switch {
	case strings.TrimSpace(name) == "":
		v.add(path, "%s names an empty unit", by)
	case !ok:
		v.add(path, "%s names unknown unit %q%s", by, name, v.suggest(name))
	case u.Name != name && NormalizeUnitName(u.Name) != NormalizeUnitName(name):
		v.add(path, "%s names %q, an alias of %s: write the unit's name", by, name, u.Name)
	case u.Name != name:
		v.add(path, "%s writes %q for %s: write the unit's name as declared", by, name, u.Name)
	}
}

// suggest lists declared units close to name.
func (v *validator) suggest(name string) string {
	p := &Plan{}
	seen := map[string]bool{}
	for _, u := range v.units {
		if !seen[u.Name] {
			seen[u.Name] = true
			p.Units = append(p.Units, *u)
		}
	}
	sort.Slice(p.Units, func(i, j int) bool { return p.Units[i].Name < p.Units[j].Name })
	if s := p.SuggestUnits(name, 3); len(s) > 0 {
		return " (declared under units: did you mean " + strings.Join(s, ", ") + "?)"
	}
	return " (declare it under units:)"
}

// declareUnits indexes the units by every spelling and checks them.
func (v *validator) declareUnits(units []Unit) {
	keys := keyer{}
	paths := make([]string, len(units))
	owner := map[string]int{} // NormalizeUnitName of a spelling → index of the unit declaring it
	for i := range units {
		u := &units[i]
		up := "units/" + keys.unique("#"+u.Name)
		paths[i] = up
		if strings.TrimSpace(u.Name) == "" {
			v.add(up, "a unit has no name")
			continue
		}
		for j, spelling := range append([]string{u.Name}, u.Aliases...) {
			key := NormalizeUnitName(spelling)
			sp := up + "/name"
			if j > 0 {
				sp = up + "/aliases/[" + strconv.Itoa(j-1) + "]"
			}
			other, taken := owner[key]
			switch {
			case taken && other == i:
				// The unit's own name in other brackets: harmless.
			case taken && j == 0 && NormalizeUnitName(units[other].Name) == key:
				v.add(sp, "unit %s is declared twice", u.Name)
			case taken:
				v.add(sp, "%q of unit %s is also unit %s", spelling, u.Name, units[other].Name)
			default:
				owner[key] = i
				v.units[key] = u
			}
		}
	}
	for i, u := range units {
		if len(u.Members) > 0 && !u.Group {
			v.add(paths[i]+"/members", "unit %s lists members but is no group: set group: true", u.Name)
		}
		for j, m := range u.Members {
			mp := paths[i] + "/members/[" + strconv.Itoa(j) + "]"
			v.unitRef(m, mp, "group "+u.Name)
			switch member, ok := v.units[NormalizeUnitName(m)]; {
			case ok && member.Name == u.Name:
				v.add(mp, "group %s lists itself as a member", u.Name)
			case ok && member.Group:
				v.add(mp, "group %s lists group %s: list its units instead", u.Name, member.Name)
			}
		}
	}
}
