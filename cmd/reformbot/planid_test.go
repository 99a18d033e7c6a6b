package main

import (
	"strings"
	"testing"

	"github.com/luohu/reformbot/plan"
)

// plan check refuses, with the reason, the measure ids a button cannot
// carry, and accepts the deep ones it can.
func TestPlanCheckMeasureIDs(t *testing.T) {
	long := "2.1." + strings.Repeat("9", plan.MaxMeasureIDLen)
	tests := []struct {
		id   string
		want string // in the problem; "" when the plan is fine
	}{
		{"2.1.2.1", ""},
		{"2.1.2000", ""},
		{"2.1.2.1.1", "at most 4"},
		{long, "a Telegram button carries at most"},
		{"2.1.01", "joined by dots"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p := plan.Default()
			p.Categories[0].Projects[0].Measures[0].ID = tt.id
			var yaml strings.Builder
			if err := p.WriteYAML(&yaml); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := planRun(t, yaml.String(), "plan", "check", "-")
			out := stdout + stderr
			if tt.want == "" {
				if code != 0 {
					t.Errorf("plan check refused %s: exit %d\n%s", tt.id, code, out)
				}
				return
			}
			if code == 0 || !strings.Contains(out, tt.id) || !strings.Contains(out, tt.want) {
				t.Errorf("plan check of %s: exit %d, want a refusal saying %q:\n%s", tt.id, code, tt.want, out)
			}
		})
	}
}
