package plan

import (
	"strings"
	"testing"
)

// brokenPlan has one of each problem, on the line the comment names.
const brokenPlan = `title: 测试计划
reporting:
  cadence: weekly # 3
  acceptance: false
categories:
  - number: 2
    title: 新推重点改革项目
    projects:
      - number: 1
        title: 强区放权
        measures:
          - id: 2.1.1
            title: 大职能
            lead_units: [区编办]
            co_units: [区财政局] # 15: unknown unit
            text: …
          - id: 2.1.1 # 17: duplicate id
            title: "" # 18: empty title
            lead_units: [] # 19: no lead
            co_units: []
            text: …
          - id: 3.1.1 # 22: under the wrong project
            title: 错位
            lead_units: [区住建局] # 24: an alias
            co_units: [区委(政府)办] # 25: another bracket style
            text: …
          - id: 2.x # 27: malformed
            title: 格式
            lead_units: [区编办, 区编办] # 29: twice
            co_units: []
            text: …
units:
  - name: 区编办
    aliases: []
  - name: 区住房建设局
    aliases: [区住建局]
  - name: 区委（政府）办
    aliases: []
  - name: 各街道办
    group: true
    members: [桂园街道办, 区编办] # 41: an undeclared member
  - name: 区法制办
    members: [区编办] # 43: members of no group
  - name: 区编办 # 44: declared twice
`

func TestValidate(t *testing.T) {
	p, err := Parse([]byte(brokenPlan))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line    int
		message string
	}{
		{3, "cadence must be monthly or quarterly"},
		{15, `unknown unit "区财政局"`},
		{17, "2.1.1 appears twice (first at line 12)"},
		{18, "has no title"},
		{19, "has no lead unit"},
		{22, "its id should start with 2.1."},
		{24, "an alias of 区住房建设局"},
		{25, "write the unit's name as declared"},
		{27, "must be numbers joined by dots"},
		{29, "names 区编办 twice"},
		{41, `unknown unit "桂园街道办"`},
		{43, "lists members but is no group"},
		{44, "declared twice"},
	}
	problems := p.Validate()
	for _, w := range want {
		found := false
		for _, pr := range problems {
			if pr.Line == w.line && strings.Contains(pr.Message, w.message) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem on line %d with %q", w.line, w.message)
		}
	}
	if len(problems) != len(want) {
		for _, pr := range problems {
			t.Log(pr)
		}
		t.Errorf("%d problems, want %d", len(problems), len(want))
	}
}

func TestValidateGroups(t *testing.T) {
	tests := []struct {
		name, units, want string
	}{
		{"declared members", "  - name: 桂园街道办\n  - name: 各街道办\n    group: true\n    members: [桂园街道办]\n", ""},
		{"itself", "  - name: 各街道办\n    group: true\n    members: [各街道办]\n", "lists itself"},
		{"a group in a group", "  - name: 各部门\n    group: true\n  - name: 各街道办\n    group: true\n    members: [各部门]\n", "lists group 各部门"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := "title: t\nreporting:\n  cadence: monthly\nunits:\n" + tt.units
			p, err := Parse([]byte(file))
			if err != nil {
				t.Fatal(err)
			}
			problems := p.Validate()
			switch {
			case tt.want == "" && len(problems) > 0:
				t.Errorf("problems %v", problems)
			case tt.want != "" && (len(problems) != 1 || !strings.Contains(problems[0].Message, tt.want)):
				t.Errorf("problems %v, want one with %q", problems, tt.want)
			}
		})
	}
}

// A plan built in code has no lines; its problems still say what is wrong.
func TestValidateWithoutFile(t *testing.T) {
	p := &Plan{Title: "t", Reporting: Reporting{Cadence: Monthly}, Categories: []Category{{Number: 1, Title: "c",
		Projects: []Project{{Number: 1, Title: "p", Measures: []Measure{{ID: "1.1.1", Title: "m"}}}}}}}
	problems := p.Validate()
	if len(problems) != 1 || problems[0].Line != 0 || !strings.Contains(problems[0].Message, "no lead unit") {
		t.Errorf("problems %v", problems)
	}
}
