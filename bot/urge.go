package bot

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// 督办: the office presses a unit on a measure with its own words, by
// /urge 编号 单位 内容 or the 督办 button in the measure's view; or on all
// its tasks, by /urge 单位 内容 or the 督办 button in the unit's view. The unit's
// contacts get the words with the measure's 填报进展 button at once; the
// urge is recorded (the measure's history, the digest's 督办 n 次).

// urgeCommand answers /urge 编号 单位 内容.
func (h *Handlers) urgeCommand(r *request, args string) error {
	if !h.requireOffice(r) {
		return nil
	}
	v := r.collected()
	usage := "用法：/urge 任务编号 单位 督办内容\n如：/urge " + esc(h.words(r.now()).measureEx) + " " +
		esc(h.words(r.now()).unitEx) + " 请于本周五前补报"
	fields := strings.Fields(args)
	if len(fields) >= 2 && !plan.IsMeasureID(fields[0]) {
		// /urge 单位 内容: the unit's unreported tasks.
		if u, ok := v.plan.Unit(fields[0]); ok {
			text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(args), fields[0]))
			if utf8Len(text) > maxOfficeText {
				r.reply(fmt.Sprintf("督办内容过长，请控制在 %d 字以内。", maxOfficeText), nil)
				return nil
			}
			return h.urgeUnit(r, u.Name, text)
		}
	}
	if len(fields) < 3 {
		r.reply(usage, nil)
		return nil
	}
	id, name := fields[0], fields[1]
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(args), id)), name))
	if _, ok := v.ix.measure(id); !ok {
		r.reply(fmt.Sprintf("未找到任务编号「%s」。\n%s", esc(clip(id, 20)), usage), nil)
		return nil
	}
	u, ok := v.plan.Unit(name)
	if !ok {
		msg := fmt.Sprintf("未找到单位「%s」。", esc(clip(name, 30)))
		if s := v.plan.SuggestUnits(name, 5); len(s) > 0 {
			msg += "\n您是否要找：" + esc(strings.Join(s, "、"))
		}
		r.reply(msg, nil)
		return nil
	}
	if utf8Len(text) > maxOfficeText {
		r.reply(fmt.Sprintf("督办内容过长，请控制在 %d 字以内。", maxOfficeText), nil)
		return nil
	}
	return h.urge(r, id, u.Name, text)
}

func utf8Len(s string) int { return len([]rune(s)) }

// askUrge answers a 督办 button: the next text is the words.
func (h *Handlers) askUrge(r *request, c reviewCallback) error {
	v := r.collected()
	if c.prefix == unitPrefix {
		return h.askUnitUrge(r, c)
	}
	t, ok := v.ix.measure(c.measureID)
	if !ok {
		r.reply(textStale, nil)
		return nil
	}
	unit := ""
	for _, a := range v.ix.units(c.measureID) {
		if unitTag(a.Unit) == c.unitTag {
			unit = a.Unit
		}
	}
	if unit == "" {
		r.reply(textStale, nil)
		return nil
	}
	if why, err := h.urgeRefusal(r, unit, c.measureID); why != "" || err != nil {
		r.reply(why, nil)
		return err
	}
	err := r.tx.SetConversation(r.ctx, store.Conversation{
		UserID: r.userID, State: stateUrging, MeasureID: c.measureID, Unit: unit, Period: r.period(),
	})
	if err != nil {
		return err
	}
	r.reply(fmt.Sprintf("督办 <b>%s</b> · %s %s\n请输入督办内容（将立即发给该单位联络人），或发送「取消」：",
		esc(unit), t.Measure.ID, esc(t.Measure.Title)), askText("如：请于本周五前补报"))
	return nil
}

// urge records a 督办 of unit on measureID and sends it to the unit's
// contacts, in the update's transaction.
func (h *Handlers) urge(r *request, measureID, unit, words string) error {
	if measureID == "" {
		return h.urgeUnit(r, unit, words)
	}
	v := r.collected()
	t, ok := v.ix.measure(measureID)
	if !ok {
		r.reply(textStale, nil)
		return nil
	}
	if _, ok := v.ix.role(unit, measureID); !ok {
		r.reply(fmt.Sprintf("%s 不是 %s 的责任单位。", esc(unit), esc(measureID)), nil)
		return nil
	}
	if why, err := h.urgeRefusal(r, unit, measureID); why != "" || err != nil {
		r.reply(why, nil)
		return err
	}
	contacts, err := h.unitContacts(r, unit)
	if err != nil {
		return err
	}
	period := r.period()
	if _, err := r.tx.AddUrge(r.ctx, store.Urge{PlanYear: v.plan.Key(), MeasureID: measureID, Unit: unit, Period: period,
		Text: words, ByID: r.userID, ByName: displayName(r.user)}); err != nil {
		return err
	}
	text := fmt.Sprintf("📣 <b>督办</b>\n任务：%s %s\n期次：%s\n区委改革办：%s",
		t.Measure.ID, esc(t.Measure.Title), period.Label(), esc(words))
	markup := oneColumn(
		button{Text: "填报进展（" + period.Label() + "）", CallbackData: callback{kind: cbReport, measureID: measureID, period: period}.String()},
		button{Text: "查看任务详情", CallbackData: callback{kind: cbMeasure, measureID: measureID}.String()},
	)
	for _, c := range contacts {
		r.sendTo(c.ChatID, c.UserID, store.KindUrge, store.PriorityAlert, text, markup)
	}
	r.reply(fmt.Sprintf("已督办 %s（%d 位联络人）：%s %s", esc(unit), len(contacts), t.Measure.ID, esc(clip(t.Measure.Title, 20))), officeKeyboard())
	return nil
}

// maxReviewRows bounds the units given review buttons in a measure's view:
// with their attachment buttons they stay within Telegram's ~100 buttons
// and 10 KB of markup (fakeapi refuses more). A measure rarely has more
// units; the rest are reached with /urge.
const maxReviewRows = 20

// officeMeasureExtras is what the office sees in a measure's view beyond
// the units' reports: per unit, 已阅 / 退回补充 on its latest report and
// 督办; and the measure's history of reviews and 督办.
func (h *Handlers) officeMeasureExtras(r *request, measureID string, units []plan.Assignment, latestOf func(unit string) *store.Report) (string, [][]button, error) {
	v := r.collected()
	var rows [][]button
	for i, a := range units {
		if i >= maxReviewRows {
			break
		}
		row := []button{}
		if rep := latestOf(a.Unit); rep != nil && rep.Status != plan.Returned {
			row = append(row, reviewRow(rep)...)
		}
		label := "督办"
		if len(row) == 0 {
			label = buttonLabel("督办·" + a.Unit)
		}
		row = append(row, button{Text: label, CallbackData: urgePrefix + ":" + measureID + ":" + unitTag(a.Unit)})
		rows = append(rows, row)
	}
	reviews, err := r.tx.MeasureReviews(r.ctx, v.plan.Key(), measureID)
	if err != nil {
		return "", nil, err
	}
	urges, err := r.tx.MeasureUrges(r.ctx, v.plan.Key(), measureID)
	if err != nil {
		return "", nil, err
	}
	type event struct {
		at   int64
		line string
	}
	var events []event
	loc := h.loc
	for _, rv := range reviews {
		line := fmt.Sprintf("%s 已阅 %s %s", shortDate(rv.At, loc), esc(rv.Unit), rv.Period.Label())
		if rv.Kind == store.ReviewReturned {
			line = fmt.Sprintf("%s 退回补充 %s %s：%s", shortDate(rv.At, loc), esc(rv.Unit), rv.Period.Label(), esc(clip(rv.Comment, 60)))
		}
		events = append(events, event{rv.At.UnixNano(), line})
	}
	for _, u := range urges {
		events = append(events, event{u.At.UnixNano(), fmt.Sprintf("%s 督办 %s：%s", shortDate(u.At, loc), esc(u.Unit), esc(clip(u.Text, 60)))})
	}
	if len(events) == 0 {
		return "", rows, nil
	}
	// Newest last; the last 10.
	for i := 1; i < len(events); i++ {
		for j := i; j > 0 && events[j].at < events[j-1].at; j-- {
			events[j], events[j-1] = events[j-1], events[j]
		}
	}
	if len(events) > 10 {
		events = events[len(events)-10:]
	}
	var sb strings.Builder
	sb.WriteString("\n<b>审阅与督办记录</b>\n")
	for _, e := range events {
		sb.WriteString(e.line + "\n")
	}
	return sb.String(), rows, nil
}

// askUnitUrge answers the unit view's 督办: the next text is the words, for
// the unit's unreported tasks of the period.
func (h *Handlers) askUnitUrge(r *request, c reviewCallback) error {
	unit := ""
	for _, name := range r.collected().ix.unitNames() {
		if unitTag(name) == c.unitTag {
			unit = name
		}
	}
	if unit == "" {
		r.reply(textStale, nil)
		return nil
	}
	if why, err := h.urgeRefusal(r, unit, ""); why != "" || err != nil {
		r.reply(why, nil)
		return err
	}
	err := r.tx.SetConversation(r.ctx, store.Conversation{UserID: r.userID, State: stateUrging, Unit: unit, Period: r.period()})
	if err != nil {
		return err
	}
	r.reply(fmt.Sprintf("督办 <b>%s</b>（本期未填报的任务）\n请输入督办内容（将立即发给该单位联络人），或发送「取消」：", esc(unit)),
		askText("如：请于本周五前补报"))
	return nil
}

// urgeUnit records a 督办 of unit on all its tasks and sends it, with the
// period's unreported measures and 我的任务, to the unit's contacts.
func (h *Handlers) urgeUnit(r *request, unit, words string) error {
	v := r.collected()
	tasks := v.ix.tasks(unit)
	if len(tasks) == 0 {
		r.reply(textStale, nil)
		return nil
	}
	if why, err := h.urgeRefusal(r, unit, ""); why != "" || err != nil {
		r.reply(why, nil)
		return err
	}
	contacts, err := h.unitContacts(r, unit)
	if err != nil {
		return err
	}
	ps, err := h.loadPeriod(r, r.period())
	if err != nil {
		return err
	}
	var open []string
	for _, t := range tasks {
		if !reported(ps.report(t.Measure.ID, unit)) {
			open = append(open, t.Measure.ID)
		}
	}
	if _, err := r.tx.AddUrge(r.ctx, store.Urge{PlanYear: v.plan.Key(), Unit: unit, Period: ps.period,
		Text: words, ByID: r.userID, ByName: displayName(r.user)}); err != nil {
		return err
	}
	text := fmt.Sprintf("📣 <b>督办</b>\n单位：%s\n期次：%s\n", esc(unit), ps.period.Label())
	if len(open) > 0 {
		text += fmt.Sprintf("本期未填报：%s\n", esc(strings.Join(open, "、")))
	}
	text += "区委改革办：" + esc(words)
	markup := oneColumn(button{Text: labelTasks, CallbackData: callback{kind: cbTasks}.String()})
	for _, c := range contacts {
		r.sendTo(c.ChatID, c.UserID, store.KindUrge, store.PriorityAlert, text, markup)
	}
	r.reply(fmt.Sprintf("已督办 %s（%d 位联络人）：本期未填报 %d 项", esc(unit), len(contacts), len(open)), officeKeyboard())
	return nil
}

// urgeRefusal says why the office cannot press unit on measureID (on all
// its tasks when ""), before it writes its words: no contact to reach, or
// nothing left to report this period (a report that was sent back counts
// as not reported). "" when it can.
func (h *Handlers) urgeRefusal(r *request, unit, measureID string) (string, error) {
	contacts, err := h.unitContacts(r, unit)
	if err != nil {
		return "", err
	}
	if len(contacts) == 0 {
		return fmt.Sprintf("%s 尚未绑定联络人，督办无法送达。可用 reformbot invite 生成邀请。", esc(unit)), nil
	}
	ps, err := h.loadPeriod(r, r.period())
	if err != nil {
		return "", err
	}
	if measureID != "" {
		if reported(ps.report(measureID, unit)) {
			return fmt.Sprintf("%s 已填报 %s %s进展，无需督办；如需补充，请在任务详情中点「退回补充」。", esc(unit), measureID, ps.period.Label()), nil
		}
		return "", nil
	}
	for _, t := range r.collected().ix.tasks(unit) {
		if !reported(ps.report(t.Measure.ID, unit)) {
			return "", nil
		}
	}
	return fmt.Sprintf("%s %s任务已全部填报，无需督办。", esc(unit), ps.period.Label()), nil
}

// withUrgeButton adds the unit view's 督办 button under its keyboard.
func withUrgeButton(markup json.RawMessage, unit string) json.RawMessage {
	var kb inlineKeyboard
	if len(markup) > 0 {
		if err := json.Unmarshal(markup, &kb); err != nil {
			return markup
		}
	}
	kb.InlineKeyboard = append(kb.InlineKeyboard, []button{{Text: buttonLabel("督办·" + unit), CallbackData: unitPrefix + ":" + unitTag(unit)}})
	return mustJSON(kb)
}
