package bot

import (
	"errors"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// onCallback answers an inline button. Every callback is answered, so the
// button never spins; what it asks for is checked against the user's
// binding in the store, whatever the data says.
func (h *Handlers) onCallback(r *request, q *models.CallbackQuery) error {
	bound, err := r.loadReachedContact()
	if err != nil {
		return err
	}
	if prefix, id, ok := parseNoticeCallback(q.Data); ok {
		return h.onNoticeCallback(r, q, prefix, id, bound)
	}
	if handled, err := h.onReviewCallback(r, q.Data, bound); handled { // review.go
		return err
	}
	c, err := parseCallback(q.Data)
	if err != nil {
		r.answer(textStale)
		return nil
	}
	if !bound || (!r.contact.CanReport() && !r.contact.IsOffice()) {
		r.answer("")
		return h.unbound(r)
	}
	r.answer("")
	switch c.kind {
	case cbTasks:
		return h.tasksPage(r, 0, true) // 返回我的任务: the detail becomes the list
	case cbTasksPage:
		return h.showTasksPage(r, c.n)
	case cbPromptPage:
		return h.showPromptPage(r, c)
	case cbMeasure:
		return h.showMeasure(r, c.measureID)
	case cbReport:
		return h.startReport(r, c)
	case cbStatus:
		return h.chooseStatus(r, c)
	case cbAcceptance:
		return h.startAcceptance(r, c)
	case cbFiles:
		return h.queueFiles(r, c.reportID)
	case cbCancel:
		return h.cancel(r, c.measureID)
	case cbGuardCancel:
		return h.guardCancel(r) // reguard.go
	case cbSearchPage:
		r.inPlace = true
		return h.searchPage(r, c.query, c.n)
	case cbMeasureHere, cbReportHere, cbNext, cbNoNews:
		return h.onFlowCallback(r, c) // flow.go
	}
	return nil
}

// queueFiles queues a report's attachments again by file_id, to someone who
// may see that report: the office, the reporting unit, or the measure's
// lead unit.
func (h *Handlers) queueFiles(r *request, reportID int64) error {
	rep, err := r.tx.Report(r.ctx, reportID)
	if errors.Is(err, store.ErrNotFound) {
		r.reply(textStale, nil)
		return nil
	}
	if err != nil {
		return err
	}
	allowed := r.contact.IsOffice()
	if r.contact.CanReport() {
		allowed = rep.Unit == r.contact.Unit
		if v, ok := h.forKey(rep.PlanYear); ok {
			unit := r.unitIn(v)
			role, ok := v.ix.role(unit, rep.MeasureID)
			allowed = allowed || rep.Unit == unit || (ok && role == plan.Lead)
		}
	}
	if !allowed {
		r.reply("您无权查看该单位的填报附件。", nil)
		return nil
	}
	if len(rep.Attachments) == 0 {
		r.reply("该填报没有附件。", nil)
		return nil
	}
	for _, a := range rep.Attachments {
		method := store.SendDocument
		if a.Kind == store.Photo {
			method = store.SendPhoto
		}
		caption := rep.Unit + " · " + rep.MeasureID + " · " + rep.Period.Label()
		if a.Caption != "" {
			caption += "\n" + a.Caption
		}
		r.queue(store.Message{
			Kind: store.KindReply, ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
			Method: method, Payload: store.Payload{FileID: a.FileID, Caption: clipUTF16(caption, 1024)},
		})
	}
	return nil
}
