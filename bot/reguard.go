package bot

import (
	"errors"
	"fmt"

	"github.com/luohu/reformbot/store"
)

// The re-report guard: a unit has one report per measure and period,
// whichever of its contacts wrote it, so 填报进展 on a measure the unit
// already reported first shows that report and asks 更新 or 取消. A new
// version keeps the old one's attachments only when the contact says so.

// guardReport shows the unit's current report of the period, if it has
// one, with 更新 / 取消; shown is true when it answered the user.
func (h *Handlers) guardReport(r *request, c callback) (shown bool, err error) {
	t, ok, err := h.reportTarget(r, c.measureID, c.period)
	if !ok || err != nil {
		return true, err
	}
	v, _ := h.forPeriod(c.period) // reportTarget found it
	prev, err := r.tx.CurrentReport(r.ctx, v.plan.Key(), c.measureID, h.unitFor(r, c.period), c.period)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	loc := h.loc
	who := " " + esc(prev.ReporterName) + " " // 由 张三 于
	if prev.ReporterID == r.userID {
		who = "您" // 由您于
	}
	text := fmt.Sprintf("<b>%s %s</b>（%s）\n本期已由%s于 %s 填报：%s", t.Measure.ID, esc(t.Measure.Title), c.period.Label(),
		who, dayLabel(prev.CreatedAt, loc), prev.Status.Label())
	if prev.Text != "" {
		text += "——" + esc(clip(prev.Text, 300))
	}
	if line := attachmentLine(prev.Attachments); line != "" {
		text += "\n" + line
	}
	reviews, err := r.tx.LatestReviews(r.ctx, prev.ID)
	if err != nil {
		return true, err
	}
	if reviews[prev.ID].Kind == store.ReviewReturned && len(prev.Attachments) == 0 {
		// Sent back for more: the unit knows, and there is nothing to
		// choose about attachments. Straight to the status.
		return false, nil
	}
	text += "\n" + reviewNote(reviews[prev.ID], loc)
	update := func(prefix string) string { return prefix + ":" + c.measureID + ":" + string(c.period) }
	var rows [][]button
	if len(prev.Attachments) > 0 {
		text += "\n要更新吗？新版本默认不带原附件。"
		rows = append(rows,
			[]button{{Text: "更新（保留原附件）", CallbackData: update(keepPrefix)}},
			[]button{{Text: "更新（不保留附件）", CallbackData: update(updatePrefix)}})
	} else {
		text += "\n要更新吗？原记录会保留。"
		rows = append(rows, []button{{Text: "更新", CallbackData: update(updatePrefix)}})
	}
	rows = append(rows, []button{{Text: "取消", CallbackData: callback{kind: cbGuardCancel, measureID: c.measureID}.String()}})
	r.show(text, rowsOf(rows...))
	return true, nil
}

// cbGuardCancel is the guard's 取消 (g:<measure>): nothing was started, so
// it is not the 取消 of a report (x:), which would answer that the report
// saved is over.
const cbGuardCancel = 'g'

// guardCancel answers the guard's 取消: the contact chose not to update.
// Whatever else is under way goes on.
func (h *Handlers) guardCancel(r *request) error {
	r.inPlace = true
	r.show(textCancelled, backToList(r))
	return nil
}

// confirmUpdate answers 更新: note whether the attachments are kept, then
// choose a status as for a first report.
func (h *Handlers) confirmUpdate(r *request, c reviewCallback) error {
	cb := callback{kind: cbReport, measureID: c.measureID, period: c.period}
	if _, ok, err := h.reportTarget(r, c.measureID, c.period); !ok || err != nil {
		return err
	}
	var keep int64
	if c.prefix == keepPrefix {
		v, _ := h.forPeriod(c.period)
		prev, err := r.tx.CurrentReport(r.ctx, v.plan.Key(), c.measureID, h.unitFor(r, c.period), c.period)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		keep = prev.ID
	}
	if err := r.tx.KeepAttachments(r.ctx, r.userID, keep); err != nil {
		return err
	}
	return h.chooseStatusFor(r, cb)
}

// carryFrom is the version whose attachments the report being saved
// carries: the report being written, or the one the contact chose to keep
// (none otherwise).
func (h *Handlers) carryFrom(r *request, conv *store.Conversation) (int64, error) {
	if conv.ReportID != 0 {
		return conv.ReportID, nil
	}
	return r.tx.KeptAttachments(r.ctx, r.userID)
}

// tellResubmitted closes the 退回补充 loop: when a version the office sent
// back is replaced, the office contact who sent it back (all office
// contacts, if that one is gone) is told what came instead.
func (h *Handlers) tellResubmitted(r *request, prev, rep store.Report) error {
	if prev.ID == 0 {
		return nil
	}
	reviews, err := r.tx.LatestReviews(r.ctx, prev.ID)
	if err != nil {
		return err
	}
	rv := reviews[prev.ID]
	if rv.Kind != store.ReviewReturned {
		return nil
	}
	office, err := r.tx.ActiveContacts(r.ctx, store.RoleOffice)
	if err != nil {
		return err
	}
	to := office
	for _, c := range office {
		if c.UserID == rv.ByID {
			to = []store.Contact{c}
		}
	}
	t := h.taskOf(rep)
	text := fmt.Sprintf("📝 <b>已补充</b>\n任务：%s %s\n单位：%s\n期次：%s\n退回意见：%s\n补充后：%s——%s（%s）",
		t.Measure.ID, esc(t.Measure.Title), esc(rep.Unit), rep.Period.Label(), esc(clip(rv.Comment, 100)),
		rep.Status.Label(), esc(clip(rep.Text, 200)), esc(rep.ReporterName))
	markup := oneColumn(button{Text: "查看任务详情", CallbackData: callback{kind: cbMeasure, measureID: rep.MeasureID}.String()})
	for _, c := range to {
		r.sendTo(c.ChatID, c.UserID, store.KindAlert, store.PriorityAlert, text, markup)
	}
	return nil
}

// tellDifficultyCleared tells the office when a version that raised 存在困难需协调 was
// replaced by one that does not: the difficulty was cleared, and by whom.
func (h *Handlers) tellDifficultyCleared(r *request, prev, rep store.Report) error {
	if prev.ID == 0 || !prev.Status.Difficulty() || rep.Status.Difficulty() || rep.Period.IsYear() {
		return nil
	}
	office, err := r.tx.ActiveContacts(r.ctx, store.RoleOffice)
	if err != nil {
		return err
	}
	t := h.taskOf(rep)
	loc := h.loc
	text := fmt.Sprintf("✅ <b>困难已解除</b>\n任务：%s %s\n单位：%s\n期次：%s\n原反映：%s（%s %s）\n现状态：%s（%s 更新）",
		t.Measure.ID, esc(t.Measure.Title), esc(rep.Unit), rep.Period.Label(), esc(clip(prev.Text, 100)),
		esc(prev.ReporterName), dayLabel(prev.CreatedAt, loc), rep.Status.Label(), esc(rep.ReporterName))
	markup := oneColumn(button{Text: "查看任务详情", CallbackData: callback{kind: cbMeasure, measureID: rep.MeasureID}.String()})
	for _, c := range office {
		r.sendTo(c.ChatID, c.UserID, store.KindAlert, store.PriorityAlert, text, markup)
	}
	return nil
}
