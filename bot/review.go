package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// The office's side of the 督查督办 loop: 已阅 and 退回补充 on a unit's
// report, and 督办 (urge.go). Their buttons use multi-letter prefixes, which
// parseCallback's one-letter forms can never be confused with:
//
//	rvr:<report>           已阅
//	rvx:<report>           退回补充: asks the office for a comment
//	urg:<measure>:<unit#>  督办 a unit on a measure: asks for the words
//	ugu:<unit#>            督办 a unit on its unreported tasks (the unit view)
//	rpu:<measure>:<period> 更新 a report the unit already has this period
//	rpk:<measure>:<period> 更新, keeping that report's attachments
//
// <unit#> is unitTag(unit): unit names are too long for 64 bytes beside the
// longest measure id. Like every callback, these only name things; who may
// press them is decided from the store.
const (
	readPrefix   = "rvr"
	returnPrefix = "rvx"
	urgePrefix   = "urg"
	unitPrefix   = "ugu"
	updatePrefix = "rpu"
	keepPrefix   = "rpk"
)

// Conversation states of the office: the next text is a return's comment
// or a 督办's words.
const (
	stateReturning = "returning"
	stateUrging    = "urging"
)

// maxOfficeText bounds a comment or a 督办's words.
const maxOfficeText = 500

// officeTextTTL is how long the office's next text is taken as the comment
// or words asked for.
const officeTextTTL = 30 * time.Minute

// unitTag is a short stable name for a unit in callback data.
func unitTag(unit string) string {
	sum := sha256.Sum256([]byte(unit))
	return hex.EncodeToString(sum[:4])
}

func isTag(s string) bool {
	_, err := hex.DecodeString(s)
	return len(s) == 8 && err == nil && strings.ToLower(s) == s
}

type reviewCallback struct {
	prefix    string
	reportID  int64
	measureID string
	unitTag   string
	period    plan.Period
}

// parseReviewCallback reads this file's callback forms; ok is false for
// data that is none of them.
func parseReviewCallback(data string) (reviewCallback, bool) {
	parts := strings.Split(data, ":")
	c := reviewCallback{prefix: parts[0]}
	switch {
	case len(data) > 64:
		return c, false
	case (c.prefix == readPrefix || c.prefix == returnPrefix) && len(parts) == 2:
		id, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || id <= 0 || strconv.FormatInt(id, 10) != parts[1] {
			return c, false
		}
		c.reportID = id
		return c, true
	case c.prefix == urgePrefix && len(parts) == 3:
		if !plan.IsMeasureID(parts[1]) || !isTag(parts[2]) {
			return c, false
		}
		c.measureID, c.unitTag = parts[1], parts[2]
		return c, true
	case c.prefix == unitPrefix && len(parts) == 2:
		c.unitTag = parts[1]
		return c, isTag(parts[1])
	case (c.prefix == updatePrefix || c.prefix == keepPrefix) && len(parts) == 3:
		p, err := plan.ParsePeriod(parts[2])
		if !plan.IsMeasureID(parts[1]) || err != nil || string(p) != parts[2] || p.IsYear() {
			return c, false
		}
		c.measureID, c.period = parts[1], p
		return c, true
	}
	return c, false
}

// onReviewCallback answers this file's buttons; handled is false for any
// other data.
func (h *Handlers) onReviewCallback(r *request, data string, bound bool) (handled bool, err error) {
	c, ok := parseReviewCallback(data)
	if !ok {
		return false, nil
	}
	r.answer("")
	if !bound || r.contact.Status == store.Revoked {
		return true, h.unbound(r)
	}
	switch c.prefix {
	case updatePrefix, keepPrefix:
		// The guard's question becomes the status choice, in place, as
		// the rest of the report flow does (flow.go).
		r.inPlace = true
		return true, h.confirmUpdate(r, c)
	}
	if !r.contact.IsOffice() {
		r.reply(textOfficeOnly, keyboardFor(r.contact))
		return true, nil
	}
	switch c.prefix {
	case readPrefix:
		return true, h.markRead(r, c.reportID)
	case returnPrefix:
		return true, h.askReturn(r, c.reportID)
	default:
		return true, h.askUrge(r, c)
	}
}

// reviewable loads a report the office may review: the current version.
// When it is not, it tells the office and returns false.
func (h *Handlers) reviewable(r *request, id int64) (store.Report, bool, error) {
	rep, err := r.tx.Report(r.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		r.reply(textStale, nil)
		return rep, false, nil
	}
	if err != nil {
		return rep, false, err
	}
	if !rep.Current() {
		r.reply(fmt.Sprintf("%s 已更新了这份填报，请查看最新版本后再审阅。", esc(rep.Unit)), nil)
		return rep, false, nil
	}
	return rep, true, nil
}

// markRead records 已阅; the unit sees it in the measure's detail.
func (h *Handlers) markRead(r *request, id int64) error {
	rep, ok, err := h.reviewable(r, id)
	if !ok || err != nil {
		return err
	}
	last, err := r.tx.LatestReviews(r.ctx, rep.ID)
	if err != nil {
		return err
	}
	if rv := last[rep.ID]; rv.Kind == store.ReviewRead {
		r.reply(fmt.Sprintf("这份填报已于 %s 记为已阅。", shortDate(rv.At, h.loc)), nil)
		return nil
	}
	if _, err := r.tx.AddReview(r.ctx, store.Review{ReportID: rep.ID, Kind: store.ReviewRead, ByID: r.userID, ByName: displayName(r.user)}); err != nil {
		return err
	}
	t := h.taskOf(rep)
	r.reply(fmt.Sprintf("已阅：%s · %s %s · %s", esc(rep.Unit), t.Measure.ID, esc(clip(t.Measure.Title, 20)), rep.Period.Label()), nil)
	return nil
}

// askReturn answers 退回补充: the next text is the comment.
func (h *Handlers) askReturn(r *request, id int64) error {
	rep, ok, err := h.reviewable(r, id)
	if !ok || err != nil {
		return err
	}
	err = r.tx.SetConversation(r.ctx, store.Conversation{
		UserID: r.userID, State: stateReturning, MeasureID: rep.MeasureID, Unit: rep.Unit, Period: rep.Period, ReportID: rep.ID,
	})
	if err != nil {
		return err
	}
	t := h.taskOf(rep)
	r.reply(fmt.Sprintf("退回补充：<b>%s</b> · %s %s · %s\n请输入需要补充的内容（将立即发给该单位联络人），或发送「取消」：",
		esc(rep.Unit), t.Measure.ID, esc(t.Measure.Title), rep.Period.Label()), askText("需补充的内容…"))
	return nil
}

// onOfficeText takes text as a return's comment or a 督办's words when the
// office is writing one. It reports whether the text was taken.
func (h *Handlers) onOfficeText(r *request, text string) (bool, error) {
	if !r.contact.IsOffice() {
		return false, nil
	}
	conv, err := r.conversation()
	if err != nil || conv == nil || (conv.State != stateReturning && conv.State != stateUrging) {
		return false, err
	}
	if r.tx.Now().Sub(conv.UpdatedAt) > officeTextTTL {
		// A comment asked for long ago: this text is something else (a
		// search, a question), never words sent to a unit by mistake.
		return false, r.tx.EndConversation(r.ctx, r.userID)
	}
	if n := utf8.RuneCountInString(text); n > maxOfficeText {
		r.reply(fmt.Sprintf("内容过长（%d 字），请控制在 %d 字以内后重新发送。", n, maxOfficeText), askText("…"))
		return true, nil
	}
	if err := r.tx.EndConversation(r.ctx, r.userID); err != nil {
		return true, err
	}
	if conv.State == stateUrging {
		return true, h.urge(r, conv.MeasureID, conv.Unit, text)
	}
	rep, ok, err := h.reviewable(r, conv.ReportID)
	if !ok || err != nil {
		return true, err
	}
	return true, h.returnReport(r, rep, text)
}

// returnReport sends a report back to its unit with the office's comment:
// recorded as a review (the report is 需补充 until the unit reports again)
// and sent at once to the unit's contacts with a 填报进展 button.
func (h *Handlers) returnReport(r *request, rep store.Report, comment string) error {
	contacts, err := h.unitContacts(r, rep.Unit)
	if err != nil {
		return err
	}
	if _, err := r.tx.AddReview(r.ctx, store.Review{ReportID: rep.ID, Kind: store.ReviewReturned, Comment: comment,
		ByID: r.userID, ByName: displayName(r.user)}); err != nil {
		return err
	}
	t := h.taskOf(rep)
	text := fmt.Sprintf("🔁 <b>退回补充</b>\n任务：%s %s\n期次：%s\n区委改革办意见：%s\n\n请补充后重新填报。",
		t.Measure.ID, esc(t.Measure.Title), rep.Period.Label(), esc(comment))
	markup := oneColumn(
		button{Text: "填报进展（" + rep.Period.Label() + "）", CallbackData: callback{kind: cbReport, measureID: rep.MeasureID, period: rep.Period}.String()},
		button{Text: "查看任务详情", CallbackData: callback{kind: cbMeasure, measureID: rep.MeasureID}.String()},
	)
	for _, c := range contacts {
		r.sendTo(c.ChatID, c.UserID, store.KindReview, store.PriorityAlert, text, markup)
	}
	msg := fmt.Sprintf("已退回 %s 补充（%d 位联络人）：%s %s · %s", esc(rep.Unit), len(contacts), t.Measure.ID, esc(clip(t.Measure.Title, 20)), rep.Period.Label())
	if len(contacts) == 0 {
		msg += "\n该单位尚未绑定联络人，消息未能发出；已记为需补充。"
	}
	r.reply(msg, officeKeyboard())
	return nil
}

// markReturned loads the latest review of each report and shows a
// returned one as plan.Returned (in the caller's copy only: the store keeps
// what the unit reported). It returns the reviews by report ID.
func (h *Handlers) markReturned(r *request, reports []*store.Report) (map[int64]store.Review, error) {
	var ids []int64
	for _, rep := range reports {
		if rep != nil {
			ids = append(ids, rep.ID)
		}
	}
	reviews, err := r.tx.LatestReviews(r.ctx, ids...)
	if err != nil {
		return nil, err
	}
	for _, rep := range reports {
		if rep != nil && reviews[rep.ID].Kind == store.ReviewReturned {
			rep.Status = plan.Returned
		}
	}
	return reviews, nil
}

// reported reports whether a report counts as this period's: a returned
// one does not.
func reported(rep *store.Report) bool { return rep != nil && rep.Status != plan.Returned }

// reviewNote is a line under a report saying what the office made of it.
func reviewNote(rv store.Review, loc *time.Location) string {
	switch rv.Kind {
	case store.ReviewRead:
		return "　 改革办已阅 " + dayLabel(rv.At, loc) + "\n"
	case store.ReviewReturned:
		return fmt.Sprintf("　 🔁 改革办退回补充 %s：%s\n", dayLabel(rv.At, loc), esc(clip(rv.Comment, 200)))
	}
	return ""
}

// dayLabel is a date for people: 11月26日.
func dayLabel(t time.Time, loc *time.Location) string { return t.In(loc).Format("1月2日") }

// reviewRow is a report's 已阅 / 退回补充 buttons, named for its unit.
func reviewRow(rep *store.Report) []button {
	return []button{
		{Text: buttonLabel("已阅·" + rep.Unit), CallbackData: readPrefix + ":" + strconv.FormatInt(rep.ID, 10)},
		{Text: "退回补充", CallbackData: returnPrefix + ":" + strconv.FormatInt(rep.ID, 10)},
	}
}

// pointers is reports as pointers into the slice, for markReturned.
func pointers(reports []store.Report) []*store.Report {
	out := make([]*store.Report, len(reports))
	for i := range reports {
		out[i] = &reports[i]
	}
	return out
}

// returnedFirst marks returned reports in current and puts their measures
// first: 我的任务 shows what the office sent back at the top, with 🔁.
func (h *Handlers) returnedFirst(r *request, tasks []plan.Task, current map[string]*store.Report) ([]plan.Task, error) {
	reps := make([]*store.Report, 0, len(current))
	for _, rep := range current {
		reps = append(reps, rep)
	}
	if _, err := h.markReturned(r, reps); err != nil {
		return nil, err
	}
	out := make([]plan.Task, 0, len(tasks))
	for _, t := range tasks {
		if rep := current[t.Measure.ID]; rep != nil && rep.Status == plan.Returned {
			out = append(out, t)
		}
	}
	for _, t := range tasks {
		if rep := current[t.Measure.ID]; rep == nil || rep.Status != plan.Returned {
			out = append(out, t)
		}
	}
	return out, nil
}
