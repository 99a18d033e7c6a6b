package bot

import (
	"strings"

	"github.com/luohu/reformbot/plan"
)

// planIndex answers the bot's questions about the plan in force without
// walking it on every update. The plan does not change while serve runs.
type planIndex struct {
	plan      *plan.Plan
	measures  map[string]plan.Task         // by measure ID
	order     []plan.Task                  // document order
	byMeasure map[string][]plan.Assignment // responsible units, lead first
	byUnit    map[string][]plan.Task       // a unit's tasks, lead first, with Role set
	unitKeys  map[string][]string          // unit → its name and aliases, normalised for search
	lowered   []searchText                 // order's titles and texts in lower case, for search
}

// searchText is a measure's words as search compares them.
type searchText struct{ title, text string }

func newPlanIndex(p *plan.Plan) *planIndex {
	ix := &planIndex{
		plan:      p,
		measures:  map[string]plan.Task{},
		order:     p.Measures(),
		byMeasure: map[string][]plan.Assignment{},
	}
	for _, t := range ix.order {
		ix.measures[t.Measure.ID] = t
		// Lowering a measure's text on every search was nearly all of a
		// search's time (300 µs with a district's plan).
		ix.lowered = append(ix.lowered, searchText{strings.ToLower(t.Measure.Title), strings.ToLower(t.Measure.Text)})
	}
	for _, a := range p.Assignments() {
		ix.byMeasure[a.MeasureID] = append(ix.byMeasure[a.MeasureID], a)
	}
	ix.byUnit = p.TasksByUnit()
	// Normalising goes through OpenCC: do it once, not on every search.
	ix.unitKeys = map[string][]string{}
	for _, u := range p.Units {
		for _, n := range append(append([]string{u.Name}, u.Aliases...), u.Formerly...) {
			ix.unitKeys[u.Name] = append(ix.unitKeys[u.Name], plan.NormalizeUnitName(n))
		}
	}
	return ix
}

// role is the unit's role in a measure, and false when it has none.
func (ix *planIndex) role(unit, measureID string) (plan.Role, bool) {
	for _, a := range ix.byMeasure[measureID] {
		if a.Unit == unit {
			return a.Role, true
		}
	}
	return "", false
}

// via is the group through which a unit has a measure, or "".
func (ix *planIndex) via(unit, measureID string) string {
	for _, a := range ix.byMeasure[measureID] {
		if a.Unit == unit {
			return a.Via
		}
	}
	return ""
}

// tasks returns a unit's tasks, lead first.
func (ix *planIndex) tasks(unit string) []plan.Task { return ix.byUnit[unit] }

// measure finds a measure by ID.
func (ix *planIndex) measure(id string) (plan.Task, bool) {
	t, ok := ix.measures[id]
	return t, ok
}

// units returns the units responsible for a measure, lead first.
func (ix *planIndex) units(measureID string) []plan.Assignment { return ix.byMeasure[measureID] }

// unitNames are every unit that has at least one task, in plan order.
func (ix *planIndex) unitNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range ix.order {
		for _, a := range ix.byMeasure[t.Measure.ID] {
			if !seen[a.Unit] {
				seen[a.Unit] = true
				out = append(out, a.Unit)
			}
		}
	}
	return out
}
