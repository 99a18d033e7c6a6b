package plan

import (
	"fmt"
	"slices"
	"strings"
)

// Diff is what changed from one version of a year's plan to the next: the
// office reads it before activating, and the store keeps it with the new
// version.
type Diff struct {
	Added      []string     `json:"added,omitempty"`   // measure IDs new in the plan
	Removed    []string     `json:"removed,omitempty"` // measure IDs no longer in it
	Reassigned []Reassigned `json:"reassigned,omitempty"`
	Retitled   []Retitled   `json:"retitled,omitempty"`
	Renamed    []Renamed    `json:"renamed,omitempty"` // units with a new name (formerly)
	Members    []Members    `json:"members,omitempty"` // groups whose members changed
}

// Members is a group whose listed members changed.
type Members struct {
	Group  string   `json:"group"`
	Before []string `json:"before"`
	After  []string `json:"after"`
}

// Reassigned is a measure whose responsible units changed.
type Reassigned struct {
	ID     string   `json:"id"`
	Before []string `json:"before"` // lead units, then co-units, as the plan named them
	After  []string `json:"after"`
}

// Retitled is a measure whose title changed.
type Retitled struct {
	ID     string `json:"id"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Renamed is a unit that the new plan lists with its old name in formerly.
type Renamed struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Empty reports whether nothing changed that matters to reporting.
func (d Diff) Empty() bool {
	return len(d.Added)+len(d.Removed)+len(d.Reassigned)+len(d.Retitled)+len(d.Renamed)+len(d.Members) == 0
}

// Compare returns what changed from old to new. A unit renamed with
// formerly is not a reassignment: measures that moved only from the old
// name to the new one are listed under Renamed alone.
func Compare(old, new *Plan) Diff {
	var d Diff
	renamed := map[string]string{} // old name → new name
	for _, u := range new.Units {
		for _, f := range u.Formerly {
			if _, still := old.Unit(f); still && f != u.Name {
				if _, known := new.Unit(f); !known {
					renamed[f] = u.Name
					d.Renamed = append(d.Renamed, Renamed{From: f, To: u.Name})
				}
			}
		}
	}
	for _, u := range new.Units {
		o, _ := old.Unit(u.Name)
		if u.Group && !slices.Equal(o.Members, u.Members) {
			d.Members = append(d.Members, Members{Group: u.Name, Before: o.Members, After: u.Members})
		}
	}
	before := map[string]Measure{}
	for _, t := range old.Measures() {
		before[t.Measure.ID] = t.Measure
	}
	seen := map[string]bool{}
	for _, t := range new.Measures() {
		m := t.Measure
		seen[m.ID] = true
		o, ok := before[m.ID]
		if !ok {
			d.Added = append(d.Added, m.ID)
			continue
		}
		if o.Title != m.Title {
			d.Retitled = append(d.Retitled, Retitled{ID: m.ID, Before: o.Title, After: m.Title})
		}
		was, now := unitsOf(o, renamed), unitsOf(m, nil)
		if !slices.Equal(was, now) {
			d.Reassigned = append(d.Reassigned, Reassigned{ID: m.ID, Before: unitsOf(o, nil), After: now})
		}
	}
	for _, t := range old.Measures() {
		if !seen[t.Measure.ID] {
			d.Removed = append(d.Removed, t.Measure.ID)
		}
	}
	return d
}

// unitsOf lists a measure's lead then co-units, with old names mapped to
// new ones when renamed is given; "|" separates the roles so that a unit
// moved from lead to co counts as reassigned.
func unitsOf(m Measure, renamed map[string]string) []string {
	var out []string
	for _, u := range m.LeadUnits {
		if r, ok := renamed[u]; ok {
			u = r
		}
		out = append(out, u)
	}
	out = append(out, "|")
	for _, u := range m.CoUnits {
		if r, ok := renamed[u]; ok {
			u = r
		}
		out = append(out, u)
	}
	return out
}

// String lists the changes one per line, for the operator.
func (d Diff) String() string {
	if d.Empty() {
		return "no change to measures or units\n"
	}
	var b strings.Builder
	for _, id := range d.Added {
		fmt.Fprintf(&b, "+ %s added\n", id)
	}
	for _, id := range d.Removed {
		fmt.Fprintf(&b, "- %s removed (its reports stay in history)\n", id)
	}
	for _, r := range d.Reassigned {
		fmt.Fprintf(&b, "~ %s reassigned: %s → %s\n", r.ID, roles(r.Before), roles(r.After))
	}
	for _, r := range d.Retitled {
		fmt.Fprintf(&b, "~ %s retitled: %s → %s\n", r.ID, r.Before, r.After)
	}
	for _, r := range d.Renamed {
		fmt.Fprintf(&b, "~ unit %s renamed %s (contacts and history follow)\n", r.From, r.To)
	}
	for _, m := range d.Members {
		after := strings.Join(m.After, "、")
		if after == "" {
			after = "none (the group reports itself)"
		}
		fmt.Fprintf(&b, "~ group %s: members %s (each reports on its own)\n", m.Group, after)
	}
	return b.String()
}

// roles writes a unitsOf list as "lead1、lead2 / co1".
func roles(units []string) string {
	i := slices.Index(units, "|")
	if i < 0 {
		return strings.Join(units, "、")
	}
	s := strings.Join(units[:i], "、")
	if co := units[i+1:]; len(co) > 0 {
		s += " / 协办 " + strings.Join(co, "、")
	}
	return s
}
