package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// showTasks answers 我的任务: the unit's measures, unreported first, lead
// before co, with this period's status and a button per measure; a long
// list pages (pages.go).
func (h *Handlers) showTasks(r *request) error { return h.tasksPage(r, 0, false) }

// showTasksPage answers a page button of 我的任务 by turning the page in
// place.
func (h *Handlers) showTasksPage(r *request, n int) error { return h.tasksPage(r, n, true) }

func (h *Handlers) tasksPage(r *request, n int, inPlace bool) error {
	if !r.contact.CanReport() {
		if r.contact.IsOffice() {
			r.reply("您是区委改革办联络人，没有本单位任务。可使用「本期总览」「未填报单位」或 /unit 单位名称。", officeKeyboard())
			return nil
		}
		return h.unbound(r)
	}
	v := r.collected()
	unit := r.unitIn(v) // the name the plan of the period has for it
	tasks := v.ix.tasks(unit)
	yearEnd, yearEndOpen := h.yearEndButton(r, v) // yearend.go
	if len(tasks) == 0 {
		if yearEndOpen {
			r.reply(textNoTasks+"\n上一年度的成果材料仍可提交：", oneColumn(yearEnd))
			return nil
		}
		r.reply(textNoTasks, contactKeyboard())
		return nil
	}
	period := r.period()
	current := map[string]*store.Report{}
	// Reports made under a former name count for the unit; its own name's
	// come last and win.
	names := append(append([]string(nil), h.state.Load().formerly[unit]...), unit)
	for _, name := range names {
		reports, err := r.tx.UnitReports(r.ctx, v.plan.Key(), name, period)
		if err != nil {
			return err
		}
		for i := range reports {
			current[reports[i].MeasureID] = &reports[i]
		}
	}
	tasks, err := h.returnedFirst(r, tasks, current) // review.go
	if err != nil {
		return err
	}
	text, markup := taskList(unit, period, tasks, current, r.now(), n, func(n int) callback { return callback{kind: cbTasksPage, n: n} })
	if yearEndOpen {
		markup = withButtonRow(markup, yearEnd)
	}
	if inPlace {
		r.showPage(text, markup)
	} else {
		r.reply(text, markup)
	}
	return nil
}

// taskListFooter closes a unit's task list.
const taskListFooter = "\n点击下方任务查看详情、填报进展。"

// taskList renders page n of a unit's tasks with their status in a
// period and their deadlines as they stand at now, and its keyboard. to makes a page button's callback; with nil
// there are none, and only the first page is shown.
func taskList(unit string, period plan.Period, tasks []plan.Task, current map[string]*store.Report, now time.Time, n int,
	to func(int) callback) (string, json.RawMessage) {
	var b strings.Builder
	lead, counted := 0, 0
	for _, t := range tasks {
		if t.Role == plan.Lead {
			lead++
		}
		if reported(current[t.Measure.ID]) {
			counted++
		}
	}
	fmt.Fprintf(&b, "<b>%s</b> · %s\n", esc(unit), period.Label())
	fmt.Fprintf(&b, "共 %d 项任务（牵头 %d、协办 %d），本期已填报 %d 项。\n", len(tasks), lead, len(tasks)-lead, counted)
	ordered := unreportedFirst(tasks, func(id string) bool { return reported(current[id]) })
	lo, hi, at, pages := page(len(ordered), n)
	switch {
	case to != nil:
		b.WriteString(pageLine(at, pages))
	case pages > 1:
		fmt.Fprintf(&b, "显示前 %d 项，未填报的排在前面。\n", hi-lo)
	}
	var buttons []button
	role, done := plan.Role(""), false
	for _, t := range ordered[lo:hi] {
		rep := current[t.Measure.ID]
		if t.Role != role || reported(rep) != done {
			role, done = t.Role, reported(rep)
			if done {
				fmt.Fprintf(&b, "\n<b>%s任务（已填报）</b>\n", role.Label())
			} else {
				fmt.Fprintf(&b, "\n<b>%s任务</b>\n", role.Label())
			}
		}
		fmt.Fprintf(&b, "%s %s %s\n　 %s%s · %s\n", statusMark(rep), t.Measure.ID, esc(t.Measure.Title),
			esc(t.Project.Title), viaLabel(t), statusLabel(rep))
		if note := deadlineNote(t.Measure, now, rep != nil && rep.Status == plan.Done); note != "" {
			fmt.Fprintf(&b, "　 %s\n", note)
		}
		buttons = append(buttons, button{
			Text:         buttonLabel(t.Measure.ID + " " + t.Measure.Title),
			CallbackData: callback{kind: cbMeasureHere, measureID: t.Measure.ID}.String(),
		})
	}
	b.WriteString(taskListFooter)
	var nav []button
	if to != nil {
		nav = navRow(at, pages, to)
	}
	return b.String(), withNav(buttons, nav)
}

// showMeasure answers a measure's button: its full text, its units, and
// the reports the user may see, with 填报进展 for a responsible unit.
func (h *Handlers) showMeasure(r *request, measureID string) error {
	v, period := r.collected(), r.period()
	t, ok := v.ix.measure(measureID)
	newer := false // a measure of the plan in force, not of the period being collected
	if !ok {
		if nv, np, has := r.inForce(); has {
			if t, ok = nv.ix.measure(measureID); ok {
				v, period, newer = nv, np, true
			}
		}
	}
	if !ok {
		r.reply(textStale, nil)
		return nil
	}
	unit := r.unitIn(v)
	var viewerRole plan.Role
	var responsible bool
	if r.contact.CanReport() {
		viewerRole, responsible = v.ix.role(unit, measureID)
	}
	reports, err := r.tx.MeasureReports(r.ctx, v.plan.Key(), measureID, 200)
	if err != nil {
		return err
	}
	// A report made under a unit's former name is the unit's.
	renames := v.plan.Renames()
	for i := range reports {
		if to := renames[reports[i].Unit]; to != "" {
			reports[i].Unit = to
		}
	}
	reviews, err := h.markReturned(r, pointers(reports)) // review.go
	if err != nil {
		return err
	}
	// Who may see whose reports: the office everything; a lead unit every
	// responsible unit's (co-units report to it); anyone else only their own.
	visible := func(of string) bool {
		switch {
		case r.contact.IsOffice():
			return true
		case !responsible:
			return false
		case viewerRole == plan.Lead:
			return true
		default:
			return of == unit
		}
	}
	var sb strings.Builder
	writeMeasureHeader(&sb, t, v.ix.units(measureID))
	own := latestFor(reports, unit, period)
	if note := deadlineNote(t.Measure, r.now(), own != nil && own.Status == plan.Done); note != "" {
		sb.WriteString(note + "\n")
	}
	if responsible {
		fmt.Fprintf(&sb, "本单位：%s%s · %s %s%s\n", viewerRole.Label(), viaLabel(plan.Task{Via: v.ix.via(unit, measureID)}),
			period.Label(), statusMark(own), statusLabel(own))
		if own != nil {
			sb.WriteString(reviewNote(reviews[own.ID], h.loc))
		}
	}
	fmt.Fprintf(&sb, "\n<b>任务内容</b>\n%s\n", esc(t.Measure.Text))

	var buttons [][]button
	if responsible || r.contact.IsOffice() {
		sb.WriteString("\n<b>各单位最新进展</b>\n")
		for _, a := range v.ix.units(measureID) {
			if !visible(a.Unit) {
				continue
			}
			rep := latest(reports, a.Unit)
			if rep == nil {
				fmt.Fprintf(&sb, "⚪ %s（%s）：尚未填报\n", esc(a.Unit), a.Role.Label())
				continue
			}
			fmt.Fprintf(&sb, "%s %s（%s）· %s · %s\n", statusMark(rep), esc(a.Unit), a.Role.Label(), rep.Period.Label(), rep.Status)
			buttons = append(buttons, writeReportLines(&sb, rep, "查看附件："+a.Unit, h.loc)...)
			if r.contact.IsOffice() {
				sb.WriteString(reviewNote(reviews[rep.ID], h.loc))
			}
		}
	}
	if r.contact.IsOffice() || (responsible && viewerRole == plan.Lead) {
		// The year-end acceptance's materials, newest year first.
		first := true
		for i := range reports {
			rep := &reports[i]
			if !rep.Period.IsYear() || !visible(rep.Unit) {
				continue
			}
			if first {
				sb.WriteString("\n<b>年度成果材料</b>\n")
				first = false
			}
			fmt.Fprintf(&sb, "📦 %s · %s\n", esc(rep.Unit), rep.Period.Label())
			buttons = append(buttons, writeReportLines(&sb, rep, "查看成果材料："+rep.Unit, h.loc)...)
		}
	}
	// Nothing to review or press yet on a new year's measure while the
	// last year's December is being collected; the 督办 flows follow the
	// period being collected.
	if r.contact.IsOffice() && !newer {
		history, rows, err := h.officeMeasureExtras(r, measureID, v.ix.units(measureID), func(unit string) *store.Report { return latest(reports, unit) })
		if err != nil {
			return err
		}
		sb.WriteString(history)
		buttons = append(buttons, rows...)
	}
	if responsible {
		actions := []button{{
			Text:         "填报进展（" + period.Label() + "）",
			CallbackData: callback{kind: cbReportHere, measureID: measureID, period: period}.String(),
		}}
		if year, ok := h.acceptanceYear(r); ok && h.leadsIn(r, year, t) {
			actions = append(actions, button{
				Text:         "提交成果材料",
				CallbackData: callback{kind: cbAcceptance, measureID: measureID, period: plan.YearPeriod(year)}.String(),
			})
		}
		buttons = append([][]button{actions}, buttons...)
		buttons = append(buttons, []button{{Text: "返回我的任务", CallbackData: callback{kind: cbTasks}.String()}})
	}
	r.show(sb.String(), rowsOrNil(buttons))
	return nil
}

// writeReportLines writes a report's text and who wrote it when, under its
// heading line; with attachments, it returns their button, labelled files.
func writeReportLines(sb *strings.Builder, rep *store.Report, files string, loc *time.Location) [][]button {
	if rep.Text != "" {
		fmt.Fprintf(sb, "　 %s\n", esc(clip(rep.Text, 300)))
	}
	fmt.Fprintf(sb, "　 —— %s %s", esc(rep.ReporterName), shortDate(rep.CreatedAt, loc))
	var rows [][]button
	if line := attachmentLine(rep.Attachments); line != "" {
		sb.WriteString(" · " + line)
		rows = append(rows, []button{{Text: buttonLabel(files), CallbackData: callback{kind: cbFiles, reportID: rep.ID}.String()}})
	}
	sb.WriteString("\n")
	return rows
}

func rowsOrNil(rows [][]button) []byte {
	if len(rows) == 0 {
		return nil
	}
	return rowsOf(rows...)
}

// writeMeasureHeader writes a measure's title, project and units.
func writeMeasureHeader(sb *strings.Builder, t plan.Task, units []plan.Assignment) {
	var lead, co []string
	for _, a := range units {
		if a.Role == plan.Lead {
			lead = append(lead, a.Unit)
		} else {
			co = append(co, a.Unit)
		}
	}
	fmt.Fprintf(sb, "<b>%s %s</b>\n", t.Measure.ID, esc(t.Measure.Title))
	fmt.Fprintf(sb, "项目：%s（%s）\n", esc(t.Project.Title), esc(t.Project.CategoryTitle))
	fmt.Fprintf(sb, "牵头单位：%s\n协办单位：%s\n", unitList(lead), unitList(co))
}

// latest returns a unit's newest current report among reports (which come
// newest period first), or nil.
func latest(reports []store.Report, unit string) *store.Report {
	for i := range reports {
		if reports[i].Unit == unit && !reports[i].Period.IsYear() {
			return &reports[i]
		}
	}
	return nil
}

// latestFor returns a unit's current report for one period, or nil.
func latestFor(reports []store.Report, unit string, period plan.Period) *store.Report {
	for i := range reports {
		if reports[i].Unit == unit && reports[i].Period == period {
			return &reports[i]
		}
	}
	return nil
}

// acceptanceYear is the year whose results lead units may submit now:
// in December for that year, in January for the year just ended, when that
// year's plan has a year-end acceptance.
func (h *Handlers) acceptanceYear(r *request) (int, bool) {
	now := r.now()
	year := now.Year()
	switch now.Month() {
	case 12:
	case 1:
		year--
	default:
		return 0, false
	}
	v, ok := h.forPeriod(plan.YearPeriod(year))
	return year, ok && v.plan.Reporting.Acceptance
}

// leadsIn reports whether the user's unit leads the measure t in the plan
// of year: in January the measure shown is the new year's, and its ID may
// name another measure in the year being accepted.
func (h *Handlers) leadsIn(r *request, year int, t plan.Task) bool {
	v, ok := h.forPeriod(plan.YearPeriod(year))
	if !ok {
		return false
	}
	m, ok := v.ix.measure(t.Measure.ID)
	if !ok || m.Measure.Title != t.Measure.Title {
		return false
	}
	role, ok := v.ix.role(r.unitIn(v), t.Measure.ID)
	return ok && role == plan.Lead
}
