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

// projectParas is 二、各项目进展: one short paragraph per project giving
// each measure's status — those needing attention by title and unit, the
// rest by number — and its lead units' most telling reports quoted.
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
			n := 0
			groups := map[int][]string{} // by severity
			var quotes []quote
			for _, m := range byProject[p.ID] {
				if len(m.Units) == 0 {
					continue
				}
				n++
				leads := leadUnits(m)
				sev, item := measureItem(m, leads, overdue[m.ID])
				groups[sev] = append(groups[sev], item)
				for _, u := range leads {
					if u.Reported && strings.TrimSpace(u.Text) != "" {
						quotes = append(quotes, quote{m.ID, u})
					}
				}
			}
			var states []string
			for sev, name := range severityNames {
				if items := groups[sev]; len(items) > 0 {
					states = append(states, fmt.Sprintf("%s%d项：%s", name, len(items), strings.Join(items, "、")))
				}
			}
			// The most telling first: difficulties, then delays, then the rest.
			sort.SliceStable(quotes, func(a, b int) bool { return severity(quotes[a].report) < severity(quotes[b].report) })
			var said []string
			for _, q := range quotes[:min(len(quotes), quotesPerProject)] {
				said = append(said, q.report.Unit+"（"+q.measureID+"）报告：“"+shorten(q.report.Text, quoteProgress)+"”")
			}
			text := fmt.Sprintf("本项目%d项任务，本期应报送%d项、已报送%d项。%s。", n, p.Total, p.Reported, strings.Join(states, "；"))
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

// quote is a lead unit's report quoted in its project's paragraph, named
// by its measure: a unit often leads two measures of one project.
type quote struct {
	measureID string
	report    UnitReport
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

// severityNames name the severities, most urgent first.
var severityNames = []string{"存在困难需协调", "进度滞后", "未报送", "按计划推进", "已完成"}

// severity ranks a unit's standing for the leaders, most urgent first: an
// index of severityNames.
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

// measureItem is a measure's place in its project's paragraph: the most
// urgent status of its lead units, and the measure as listed there — by
// title and unit when it needs attention, by number otherwise; 已逾期 when
// past its deadline.
func measureItem(m Measure, leads []UnitReport, late bool) (int, string) {
	worst := leads[0]
	for _, u := range leads[1:] {
		if severity(u) < severity(worst) {
			worst = u
		}
	}
	sev := severity(worst)
	item := m.ID
	if sev < 2 {
		item += " " + m.Title + "（" + worst.Unit + "）"
	}
	if late {
		item += "（已逾期）"
	}
	return sev, item
}
