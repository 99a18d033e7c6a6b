package digest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/luohu/reformbot/plan"
)

// quotesPerProject bounds the reports quoted in a project's paragraph: the
// leaders read the gist; the digest's workbook has every text.
const quotesPerProject = 2

// projectParas is 二、各项目进展: one short paragraph per project with each
// measure's status and its lead units' most telling reports quoted.
func (d *Digest) projectParas() []BulletinPara {
	byProject := map[string][]Measure{}
	for _, m := range d.Measures {
		byProject[m.ProjectID] = append(byProject[m.ProjectID], m)
	}
	overdue := map[string]bool{}
	for _, o := range d.Overdue {
		overdue[o.MeasureID] = true
	}
	var out []BulletinPara
	i := 0
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			i++
			var states []string
			var quotes []UnitReport
			for _, m := range byProject[p.ID] {
				if len(m.Units) == 0 {
					continue
				}
				leads := leadUnits(m)
				states = append(states, measureState(m, leads, overdue[m.ID]))
				for _, u := range leads {
					if u.Reported && strings.TrimSpace(u.Text) != "" {
						quotes = append(quotes, u)
					}
				}
			}
			// The most telling first: difficulties, then delays, then the rest.
			sort.SliceStable(quotes, func(a, b int) bool { return severity(quotes[a]) < severity(quotes[b]) })
			var said []string
			for _, u := range quotes[:min(len(quotes), quotesPerProject)] {
				said = append(said, u.Unit+"报告：“"+shorten(u.Text, quoteProgress)+"”")
			}
			text := fmt.Sprintf("本项目%d项任务，本期应报送%d项、已报送%d项。%s。", len(states), p.Total, p.Reported, strings.Join(states, "；"))
			if len(said) > 0 {
				text += strings.Join(said, "；") + "。"
			}
			out = append(out, BulletinPara{Lead: fmt.Sprintf("（%s）%s（%s灯）。", cnNumber(i), p.Title, p.Light.Label()), Text: text})
		}
	}
	if len(out) == 0 {
		out = append(out, BulletinPara{Text: "本期无明确责任单位的改革项目。"})
	}
	return out
}

// leadUnits are a measure's lead units; when it names only co units, they
// stand in.
func leadUnits(m Measure) []UnitReport {
	var leads []UnitReport
	for _, u := range m.Units {
		if u.Role == plan.Lead {
			leads = append(leads, u)
		}
	}
	if len(leads) == 0 {
		return m.Units
	}
	return leads
}

// severity ranks a unit's standing for the leaders, most urgent first.
func severity(u UnitReport) int {
	switch {
	case !u.Reported:
		return 2
	case u.Status == plan.NeedsHelp:
		return 0
	case u.Status == plan.Behind:
		return 1
	case u.Status == plan.Done:
		return 4
	}
	return 3
}

// measureState is a measure's status by its lead units: the most urgent
// one, naming the unit when the lead units differ, and 已逾期 when late.
func measureState(m Measure, leads []UnitReport, late bool) string {
	worst := leads[0]
	same := true
	for _, u := range leads[1:] {
		if severity(u) != severity(worst) {
			same = false
		}
		if severity(u) < severity(worst) {
			worst = u
		}
	}
	state := "未报送"
	if worst.Reported {
		state = string(worst.Status)
	}
	if !same {
		state += "（" + worst.Unit + "）"
	}
	if late {
		state += "，已逾期"
	}
	return fmt.Sprintf("%s %s：%s", m.ID, m.Title, state)
}
