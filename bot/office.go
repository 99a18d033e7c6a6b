package bot

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// The reform office's queries. Each checks the office role from the store.

// periodStatus is every responsible unit's report for one period.
type periodStatus struct {
	period  plan.Period
	reports map[[2]string]*store.Report // (measure, unit) → current report
}

func (h *Handlers) loadPeriod(r *request, period plan.Period) (*periodStatus, error) {
	v, ok := h.forPeriod(period)
	if !ok {
		v = r.collected()
	}
	reports, err := r.tx.PeriodReports(r.ctx, v.plan.Key(), period)
	if err != nil {
		return nil, err
	}
	ps := &periodStatus{period: period, reports: map[[2]string]*store.Report{}}
	renames := v.plan.Renames()
	for i := range reports {
		rep := &reports[i]
		ps.reports[[2]string{rep.MeasureID, rep.Unit}] = rep
	}
	// A report made under a unit's former name counts for the unit, unless
	// it has one under its name now.
	for i := range reports {
		rep := &reports[i]
		key := [2]string{rep.MeasureID, renames[rep.Unit]}
		if key[1] != "" && ps.reports[key] == nil {
			ps.reports[key] = rep
		}
	}
	if _, err := h.markReturned(r, pointers(reports)); err != nil { // review.go: 需补充 counts as not reported
		return nil, err
	}
	return ps, nil
}

func (ps *periodStatus) report(measureID, unit string) *store.Report {
	return ps.reports[[2]string{measureID, unit}]
}

func (h *Handlers) requireOffice(r *request) bool {
	if r.contact.IsOffice() {
		return true
	}
	r.reply(textOfficeOnly, keyboardFor(r.contact))
	return false
}

// overview answers 本期总览: the digest's headline and every project's
// light for the current period, by the same rules as the monthly digest.
func (h *Handlers) overview(r *request) error {
	if !h.requireOffice(r) {
		return nil
	}
	v, period := r.collected(), r.period()
	reports, err := r.tx.PeriodReports(r.ctx, v.plan.Key(), period, period.Prev(), period.Prev().Prev())
	if err != nil {
		return err
	}
	returned, err := r.tx.ReturnedReports(r.ctx, v.plan.Key(), period)
	if err != nil {
		return err
	}
	d := digest.Build(digest.Input{
		Plan: v.plan, Period: period, Reports: reports,
		Location: h.loc, GeneratedAt: r.tx.Now(), Returned: returned,
	})
	parts := d.Overview()
	for i, part := range parts {
		var markup json.RawMessage
		if i == len(parts)-1 {
			markup = officeKeyboard()
		}
		r.reply(part, markup)
	}
	return nil
}

// missing answers 未填报单位: each unit with measures not yet reported this
// period.
func (h *Handlers) missing(r *request) error {
	if !h.requireOffice(r) {
		return nil
	}
	ps, err := h.loadPeriod(r, r.period())
	if err != nil {
		return err
	}
	bound, err := h.boundUnits(r)
	if err != nil {
		return err
	}
	var lines, unbound []string
	count := 0
	ix := r.collected().ix
	for _, unit := range ix.unitNames() {
		var ids []string
		for _, t := range ix.tasks(unit) {
			if !reported(ps.report(t.Measure.ID, unit)) {
				ids = append(ids, t.Measure.ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		count += len(ids)
		line := fmt.Sprintf("%s（%d）：%s", esc(unit), len(ids), strings.Join(ids, "、"))
		if bound[unit] {
			lines = append(lines, line)
		} else {
			unbound = append(unbound, line)
		}
	}
	if len(lines)+len(unbound) == 0 {
		r.reply(fmt.Sprintf("%s：所有单位均已填报。", ps.period.Label()), officeKeyboard())
		return nil
	}
	// 未填报 (bound, not reported) and 未绑定 (nobody to prompt: the
	// office must invite them first) ask for different actions.
	var sections []string
	if len(lines) > 0 {
		sections = append(sections, fmt.Sprintf("未填报（已绑定联络人）%d 个单位：\n%s", len(lines), strings.Join(lines, "\n")))
	}
	if len(unbound) > 0 {
		sections = append(sections, fmt.Sprintf("未绑定联络人 %d 个单位（收不到提醒，请先发邀请）：\n%s", len(unbound), strings.Join(unbound, "\n")))
	}
	r.reply(fmt.Sprintf("<b>%s 未填报</b>：%d 个单位，%d 项\n\n%s\n\n发送 /unit 单位名称 查看详情。",
		ps.period.Label(), len(lines)+len(unbound), count, strings.Join(sections, "\n\n")), officeKeyboard())
	return nil
}

// boundUnits are the units some contact was ever bound to (revoked and
// blocked ones count: the unit was onboarded), under their names now.
func (h *Handlers) boundUnits(r *request) (map[string]bool, error) {
	contacts, err := r.tx.Contacts(r.ctx)
	if err != nil {
		return nil, err
	}
	renamed := map[string]string{}
	for to, froms := range h.state.Load().formerly {
		for _, from := range froms {
			renamed[from] = to
		}
	}
	bound := map[string]bool{}
	for _, c := range contacts {
		if c.Role == store.RoleContact && c.Unit != "" {
			bound[c.Unit] = true
			if to := renamed[c.Unit]; to != "" {
				bound[to] = true
			}
		}
	}
	return bound, nil
}

// unitQuery answers /unit 名称: a unit's tasks and this period's status.
func (h *Handlers) unitQuery(r *request, name string) error {
	if !h.requireOffice(r) {
		return nil
	}
	if strings.TrimSpace(name) == "" {
		r.reply("请输入单位名称，如：/unit "+esc(h.words(r.now()).unitEx), nil)
		return nil
	}
	v, period := r.collected(), r.period()
	u, ok := v.plan.Unit(name)
	newer := false // a unit of the plan in force only, while December is collected
	if !ok || len(v.ix.tasks(u.Name)) == 0 {
		if nv, np, has := r.inForce(); has {
			if nu, found := nv.plan.Unit(name); found && len(nv.ix.tasks(nu.Name)) > 0 {
				v, period, u, ok, newer = nv, np, nu, true, true
			}
		}
	}
	if !ok {
		msg := fmt.Sprintf("未找到单位「%s」。", esc(clip(name, 30)))
		if s := v.plan.SuggestUnits(name, 5); len(s) > 0 {
			msg += "\n您是否要找：" + esc(strings.Join(s, "、"))
		}
		r.reply(msg, nil)
		return nil
	}
	tasks := v.ix.tasks(u.Name)
	if len(tasks) == 0 {
		r.reply(fmt.Sprintf("「%s」在当前改革计划中没有任务。", esc(u.Name)), nil)
		return nil
	}
	ps, err := h.loadPeriod(r, period)
	if err != nil {
		return err
	}
	current := map[string]*store.Report{}
	open := 0
	for _, t := range tasks {
		current[t.Measure.ID] = ps.report(t.Measure.ID, u.Name)
		if !reported(current[t.Measure.ID]) {
			open++
		}
	}
	text, markup := taskList(u.Name, ps.period, tasks, current, r.now(), 0, nil)
	// The office reads a unit's list; it does not report for it.
	text = strings.TrimSuffix(text, taskListFooter) + "\n点击下方任务查看详情和各单位进展。"
	contacts, err := r.tx.UnitContacts(r.ctx, u.Name)
	if err != nil {
		return err
	}
	var names []string
	for _, c := range contacts {
		names = append(names, c.Name)
	}
	if len(names) == 0 {
		text += "\n\n联络人：尚未绑定"
	} else {
		text += "\n\n联络人：" + esc(strings.Join(names, "、"))
		if open > 0 && !newer { // 督办 presses what is not yet reported, in the period being collected
			markup = withUrgeButton(markup, u.Name) // urge.go
		}
	}
	r.reply(text, markup)
	return nil
}

// measureQuery answers /measure 编号: the measure with every unit's report.
func (h *Handlers) measureQuery(r *request, id string) error {
	if !h.requireOffice(r) {
		return nil
	}
	id = strings.TrimSpace(id)
	if id == "" {
		r.reply("请输入任务编号，如：/measure "+esc(h.words(r.now()).measureEx), nil)
		return nil
	}
	_, ok := r.collected().ix.measure(id)
	if nv, _, has := r.inForce(); !ok && has {
		_, ok = nv.ix.measure(id)
	}
	if !ok {
		r.reply(fmt.Sprintf("未找到任务编号「%s」。编号形如 %s，可用「搜索 关键词」查找。", esc(clip(id, 20)), esc(h.words(r.now()).measureEx)), nil)
		return nil
	}
	return h.showMeasure(r, id)
}
