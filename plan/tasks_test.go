package plan

import (
	"fmt"
	"testing"
)

func TestTasksFollowAssignments(t *testing.T) {
	p := &Plan{
		Categories: []Category{{Number: 2, Projects: []Project{{Number: 1, Measures: []Measure{
			{ID: "2.1.1", LeadUnits: []string{"A"}, CoUnits: []string{"各街道办"}},
			{ID: "2.1.2", LeadUnits: []string{"各街道办"}, CoUnits: []string{"A"}},
			{ID: "2.1.3", LeadUnits: []string{"B"}, CoUnits: []string{"A", "B"}},
		}}}}},
		Units: []Unit{
			{Name: "A"}, {Name: "B"}, {Name: "东门街道办"}, {Name: "南湖街道办"},
			{Name: "各街道办", Group: true, Members: []string{"东门街道办", "南湖街道办"}},
		},
	}
	tasks := func(unit string) string {
		var out []string
		for _, t := range p.Tasks(unit) {
			out = append(out, t.Measure.ID+":"+string(t.Role))
		}
		return fmt.Sprint(out)
	}
	tests := []struct{ unit, want string }{
		{"A", "[2.1.1:lead 2.1.2:co 2.1.3:co]"},
		{"B", "[2.1.3:lead]"}, // named lead and co: lead, once
		{"东门街道办", "[2.1.2:lead 2.1.1:co]"},
		{"各街道办", "[]"}, // a group with members stands for them, not itself
		{"nobody", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.unit, func(t *testing.T) {
			if got := tasks(tt.unit); got != tt.want {
				t.Errorf("Tasks(%s) = %s, want %s", tt.unit, got, tt.want)
			}
		})
	}
	// Without members, the group is a unit of its own.
	p.Units[4].Members = nil
	if got := tasks("各街道办"); got != "[2.1.2:lead 2.1.1:co]" {
		t.Errorf("group without members: %s", got)
	}
}
