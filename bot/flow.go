package bot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// A report in two taps. Navigation edits the message whose button was
// pressed instead of sending a new one: 我的任务 → a measure → its status
// choice → the prompt for the text are one message, changing. Only the
// contact's text and the confirmation are new, so a report adds at most two
// messages to the chat. The confirmation offers 下一项 (the next measure not
// yet reported), whose status choice takes the confirmation's place, and a
// measure reported before offers 本期无新进展: last period's report again, in
// one tap.
//
// Buttons under messages that must stay as they are (a prompt, a difficulty
// alert, a message from the office) keep the forms that send a new message
// (m:, r:); the forms here are only put under navigation messages.

// Navigation callbacks (wire forms in callback.go).
const (
	cbMeasureHere = 'v'
	cbReportHere  = 'e'
	cbNext        = 'n'
	cbNoNews      = 'k'
)

// Labels of the navigation buttons.
const (
	labelNoNews   = "本期无新进展（沿用上期）"
	labelBackList = "返回我的任务"
)

// noNewsMark opens the text of a report made with 本期无新进展, so the
// office and the digest read it as what it is.
const noNewsMark = "【本期无新进展，沿用上期】"

// onFlowCallback answers the navigation buttons.
func (h *Handlers) onFlowCallback(r *request, c callback) error {
	r.inPlace = true
	switch c.kind {
	case cbMeasureHere:
		// The office's lists (/unit) stay: it has no 我的任务 to go back to.
		r.inPlace = r.contact.CanReport()
		return h.showMeasure(r, c.measureID)
	case cbReportHere:
		return h.startReport(r, callback{kind: cbReport, measureID: c.measureID, period: c.period})
	case cbNext:
		carry, err := h.savedLine(r)
		if err != nil {
			return err
		}
		r.carry = carry
		return h.startReport(r, callback{kind: cbReport, measureID: c.measureID, period: c.period})
	case cbNoNews:
		return h.noNews(r, c)
	}
	return nil
}

// canEdit reports whether show will edit the pressed message.
func (r *request) canEdit() bool { return r.inPlace && r.callbackMessageID() != 0 }

// show answers with text and markup: in place of the pressed message when
// the request asks for it and the message can take them (one part of text,
// an inline keyboard or none), else as a new message.
func (r *request) show(text string, markup json.RawMessage) {
	text = r.carry + text
	inline := len(markup) == 0 || bytes.HasPrefix(markup, []byte(`{"inline_keyboard"`))
	if r.canEdit() && inline && len(splitText(text, maxText)) == 1 {
		r.edit(r.callbackMessageID(), text, markup)
		return
	}
	r.reply(text, markup)
}

// savedLine is one line naming the report the user just saved, kept at the
// top when 下一项 replaces its confirmation; "" when there is none.
func (h *Handlers) savedLine(r *request) (string, error) {
	conv, err := r.conversation()
	if err != nil || conv == nil || conv.State != store.Attaching || conv.ReportID == 0 {
		return "", err
	}
	rep, err := r.tx.Report(r.ctx, conv.ReportID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	t := h.taskOf(rep)
	return fmt.Sprintf("✅ 已保存 %s %s：%s\n\n", t.Measure.ID, esc(t.Measure.Title), rep.Status), nil
}

// earlierReport is the unit's newest report on a measure before period in
// the same plan year, or nil.
func (h *Handlers) earlierReport(r *request, measureID string, period plan.Period) (*store.Report, error) {
	v, ok := h.forPeriod(period)
	if !ok || period.IsYear() {
		return nil, nil
	}
	reports, err := r.tx.MeasureReports(r.ctx, v.plan.Key(), measureID, 200)
	if err != nil {
		return nil, err
	}
	unit := h.unitFor(r, period)
	for i := range reports {
		rep := &reports[i]
		if rep.Unit == unit && !rep.Period.IsYear() && string(rep.Period) < string(period) {
			return rep, nil
		}
	}
	return nil, nil
}

// noNewsRow is the 本期无新进展 button for a status choice, nil when the
// unit has nothing earlier to keep.
func (h *Handlers) noNewsRow(r *request, c callback) ([]button, error) {
	prev, err := h.earlierReport(r, c.measureID, c.period)
	if err != nil || prev == nil {
		return nil, err
	}
	return []button{{Text: labelNoNews, CallbackData: callback{kind: cbNoNews, measureID: c.measureID, period: c.period}.String()}}, nil
}

// noNews answers 本期无新进展: the unit's last report on the measure,
// status and text, saved again for this period and marked, without its
// attachments (they belong to the period they were sent for).
func (h *Handlers) noNews(r *request, c callback) error {
	if _, ok, err := h.reportTarget(r, c.measureID, c.period); !ok || err != nil {
		return err
	}
	v, _ := h.forPeriod(c.period) // reportTarget found it
	unit := h.unitFor(r, c.period)
	_, err := r.tx.CurrentReport(r.ctx, v.plan.Key(), c.measureID, unit, c.period)
	if err == nil {
		r.show("本期已有填报，无需再点「本期无新进展」。如需修改，请在任务详情中重新填报。", nil)
		return nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	prev, err := h.earlierReport(r, c.measureID, c.period)
	if err != nil {
		return err
	}
	if prev == nil {
		r.show("该任务此前没有填报，请选择状态并说明本期进展。", nil)
		return nil
	}
	conv := store.Conversation{UserID: r.userID, State: store.WritingText,
		MeasureID: c.measureID, Unit: unit, Period: c.period, Status: prev.Status}
	text := noNewsMark + strings.TrimPrefix(prev.Text, noNewsMark)
	rep, err := h.saveReport(r, &conv, text, nil)
	if err != nil {
		return err
	}
	h.confirm(r, rep)
	return nil
}

// afterSave is what a confirmation offers: 下一项 (the next measure the
// unit has not reported for the period, after this one in the plan's order)
// and 我的任务, and a line when nothing is left. Acceptance submissions keep
// the menu.
func (h *Handlers) afterSave(r *request, rep store.Report) (json.RawMessage, string) {
	if rep.Period.IsYear() {
		return contactKeyboard(), ""
	}
	next, ok, err := h.nextUnreported(r, rep)
	if err != nil {
		// The report is saved; the offer is a convenience.
		h.log.Warn("next measure", "user", r.userID, "err", err)
		return contactKeyboard(), ""
	}
	back := []button{{Text: labelBackList, CallbackData: callback{kind: cbTasks}.String()}}
	if !ok {
		return rowsOf(back), "\n本单位本期任务已全部填报，谢谢！"
	}
	return rowsOf([]button{{
		Text:         buttonLabel("下一项：" + next.Measure.ID + " " + next.Measure.Title),
		CallbackData: callback{kind: cbNext, measureID: next.Measure.ID, period: rep.Period}.String(),
	}}, back), ""
}

// nextUnreported is the unit's next measure after rep's, in the plan's
// order and round to the start, with no report for rep's period.
func (h *Handlers) nextUnreported(r *request, rep store.Report) (plan.Task, bool, error) {
	v, ok := h.forPeriod(rep.Period)
	if !ok {
		return plan.Task{}, false, nil
	}
	unit := h.unitFor(r, rep.Period)
	reported := map[string]bool{rep.MeasureID: true}
	// Reports made under a former name count, as in 我的任务.
	for _, name := range append(append([]string(nil), h.state.Load().formerly[unit]...), unit) {
		ids, err := r.tx.ReportedMeasures(r.ctx, v.plan.Key(), name, rep.Period)
		if err != nil {
			return plan.Task{}, false, err
		}
		for _, id := range ids {
			reported[id] = true
		}
	}
	tasks := v.ix.tasks(unit)
	at := -1
	for i, t := range tasks {
		if t.Measure.ID == rep.MeasureID {
			at = i
		}
	}
	for k := 1; k <= len(tasks); k++ {
		t := tasks[(at+k+len(tasks))%len(tasks)]
		if !reported[t.Measure.ID] {
			return t, true, nil
		}
	}
	return plan.Task{}, false, nil
}
