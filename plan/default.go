package plan

import (
	_ "embed"
	"fmt"
	"sync"
)

// The default plan is the 2017 plan of 深圳市罗湖区, imported from
// testdata/luohu-2017-reform-plan.txt and embedded, so that `reformbot plan
// show` and `reformbot serve` work without any file. default.yaml is
// generated: TestDefaultIsFresh fails when it differs from a fresh import,
// and `go test ./plan -run TestDefaultIsFresh -update` rewrites it.
//
//go:generate go test -run TestDefaultIsFresh -update

//go:embed default.yaml
var defaultYAML []byte

var (
	defaultOnce sync.Once
	defaultPlan *Plan
)

// Default returns the embedded default plan. Each call returns a fresh copy
// that the caller may change.
func Default() *Plan {
	defaultOnce.Do(func() {
		p, err := Parse(defaultYAML)
		if err != nil {
			// The file is generated and tested; this is a broken build.
			panic(fmt.Sprintf("plan: embedded default.yaml: %v", err))
		}
		p.Source.Path = "default.yaml (embedded)"
		defaultPlan = p
	})
	return defaultPlan.Clone()
}

// DefaultYAML returns the embedded default plan file, for writing it out
// as a starting point.
func DefaultYAML() []byte {
	return append([]byte(nil), defaultYAML...)
}

// Clone returns a deep copy of the plan.
func (p *Plan) Clone() *Plan {
	q := *p
	q.Issuers = cloneStrings(p.Issuers)
	q.Reporting.Basis = cloneStrings(p.Reporting.Basis)
	q.Categories = make([]Category, len(p.Categories))
	for i, c := range p.Categories {
		c.Projects = append([]Project(nil), c.Projects...)
		for j, pr := range c.Projects {
			pr.Measures = append([]Measure(nil), pr.Measures...)
			for k, m := range pr.Measures {
				m.LeadUnits, m.CoUnits = cloneStrings(m.LeadUnits), cloneStrings(m.CoUnits)
				m.Leaders = cloneStrings(m.Leaders)
				pr.Measures[k] = m
			}
			c.Projects[j] = pr
		}
		q.Categories[i] = c
	}
	q.Units = make([]Unit, len(p.Units))
	for i, u := range p.Units {
		u.Aliases, u.Members = cloneStrings(u.Aliases), cloneStrings(u.Members)
		u.Formerly = cloneStrings(u.Formerly)
		q.Units[i] = u
	}
	if p.Source != nil {
		s := &Source{Path: p.Source.Path, Workbook: p.Source.Workbook, Lines: make(map[string]int, len(p.Source.Lines)), Comments: make(map[string]Comment, len(p.Source.Comments))}
		for k, v := range p.Source.Lines {
			s.Lines[k] = v
		}
		for k, v := range p.Source.Comments {
			s.Comments[k] = v
		}
		q.Source = s
	}
	return &q
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}
