package bot

import (
	"fmt"

	"github.com/luohu/reformbot/plan"
)

// cityPlan is a plan at a city's scale, shaped like the district's: 670
// measures in 6 categories, 80 units, the heaviest (市财政局) responsible
// for 130 measures — as many as a real city plan's heaviest unit, more
// than Telegram takes buttons in one message.
func cityPlan() *plan.Plan {
	const (
		categories = 6
		projects   = 10
		measures   = 670
		units      = 80
		heavy      = "市财政局"
	)
	names := []string{heavy}
	for i := 1; i < units; i++ {
		names = append(names, fmt.Sprintf("市直单位%02d", i))
	}
	p := &plan.Plan{
		Title:     "某市2026年全面深化改革工作要点",
		Year:      2026,
		Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true},
	}
	n := 0
	for c := 1; c <= categories; c++ {
		cat := plan.Category{Number: c, Title: fmt.Sprintf("第%d类改革", c)}
		for j := 1; j <= projects; j++ {
			proj := plan.Project{Number: j, Title: fmt.Sprintf("第%d.%d项改革", c, j)}
			for k := 1; n < measures*c/categories; k++ {
				lead := []string{names[1+n%(units-1)]}
				co := []string{names[1+(n+40)%(units-1)]}
				switch {
				case n%11 < 2: // 122 of 670 led by the heaviest unit
					lead = []string{heavy}
				case n%67 == 6: // and 8 more as a co-unit
					co = append(co, heavy)
				}
				id := fmt.Sprintf("%d.%d.%d", c, j, k)
				title := fmt.Sprintf("推进第%s项改革举措落地见效", id)
				proj.Measures = append(proj.Measures, plan.Measure{
					ID: id, Title: title, Text: title + "。完善制度，明确责任，按月报告进展。",
					LeadUnits: lead, CoUnits: co,
				})
				n++
				if k >= (measures/categories+projects-1)/projects {
					break
				}
			}
			cat.Projects = append(cat.Projects, proj)
		}
		p.Categories = append(p.Categories, cat)
	}
	for _, name := range names {
		p.Units = append(p.Units, plan.Unit{Name: name, Aliases: []string{}})
	}
	return p
}
