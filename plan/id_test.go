package plan

import (
	"strings"
	"testing"
)

func TestCheckMeasureID(t *testing.T) {
	long := "1." + strings.Repeat("9", MaxMeasureIDLen-2)
	tests := []struct {
		id   string
		want string // part of the reason; "" when valid
	}{
		{"2.1.1", ""},
		{"2.1.2.1", ""},
		{"2.1.2000", ""},
		{"7", ""},
		{long, ""},
		{long + "9", "bytes long"},
		{"2.1.2.1.1", "at most 4"},
		{"", "empty"},
		{"2.01", "joined by dots"},
		{"2.0.1", "joined by dots"},
		{"2..1", "joined by dots"},
		{"2.1.", "joined by dots"},
		{"a.1", "joined by dots"},
		{"2.1:1", "joined by dots"},
		{"２.1.1", "joined by dots"},
	}
	for _, tt := range tests {
		err := CheckMeasureID(tt.id)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckMeasureID(%q) = %v, want nil", tt.id, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("CheckMeasureID(%q) = %v, want a reason with %q", tt.id, err, tt.want)
		}
		if IsMeasureID(tt.id) != (tt.want == "") {
			t.Errorf("IsMeasureID(%q) disagrees with CheckMeasureID", tt.id)
		}
	}
}

// A sub-measure's project is the project it is listed under.
func TestSubMeasuresBelongToTheirProject(t *testing.T) {
	p := &Plan{Categories: []Category{{Number: 2, Projects: []Project{{Number: 1, Measures: []Measure{
		{ID: "2.1.2.1"}, {ID: "2.1.2.2"},
	}}}}}}
	ms := p.Measures()
	if len(ms) != 2 || ms[0].Project.ID != "2.1" {
		t.Errorf("the project of 2.1.2.1 is %q, want 2.1", ms[0].Project.ID)
	}
}
