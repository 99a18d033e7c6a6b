package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

const (
	// maxReportText bounds a report's text: a few sentences, not a paper.
	maxReportText = 2000
	// maxFileMB is the largest attachment accepted; it is also the largest
	// file the Bot API lets a bot download again.
	maxFileMB = 20
	// conversationTTL is how long a started report waits for its text, and
	// how long photos sent after a report are added to it.
	conversationTTL = 48 * time.Hour
	// wordsAddedFor is how long after a save words are more of the report.
	// People finish a thought in a second message within minutes; a day
	// later a sentence is a question or a search, not the report.
	wordsAddedFor = 2 * time.Hour
)

// reportTarget checks that the user may report on measureID for period and
// returns the measure. When they may not, it answers the user itself and
// returns false.
func (h *Handlers) reportTarget(r *request, measureID string, period plan.Period) (plan.Task, bool, error) {
	if !r.contact.CanReport() {
		r.reply(textNotBound, nil)
		return plan.Task{}, false, nil
	}
	v, ok := h.forPeriod(period)
	if !ok {
		r.reply(textBadPeriod, nil)
		return plan.Task{}, false, nil
	}
	t, ok := v.ix.measure(measureID)
	if !ok {
		r.reply(textStale, nil)
		return plan.Task{}, false, nil
	}
	if _, ok := v.ix.role(r.unitIn(v), measureID); !ok {
		r.reply(textNotYours, nil)
		return plan.Task{}, false, nil
	}
	open, err := h.periodOpen(r, period)
	if err != nil {
		return plan.Task{}, false, err
	}
	if !open {
		r.reply(textBadPeriod, nil)
		return plan.Task{}, false, nil
	}
	return t, true, nil
}

// periodOpen reports whether the user may report for a period now: the
// current period or one that ended less than a year ago, of the plan's
// cadence; the acceptance year on offer; or any period the user was
// prompted, reminded or asked for — a prompt answered late still counts for
// its own period. A forged callback naming any other period is refused.
func (h *Handlers) periodOpen(r *request, p plan.Period) (bool, error) {
	if h.periodOpenByCalendar(r, p) {
		return true, nil // without asking the outbox: this is on every report's path
	}
	return r.tx.Asked(r.ctx, r.userID, p)
}

// periodOpenByCalendar is periodOpen without the prompts: this year's
// acceptance, or a period of the plan's cadence begun and ended less than
// a year ago.
func (h *Handlers) periodOpenByCalendar(r *request, p plan.Period) bool {
	if p.IsYear() {
		year, ok := h.acceptanceYear(r)
		return ok && p == plan.YearPeriod(year)
	}
	v, ok := h.forPeriod(p)
	if !ok || p.IsQuarter() != (v.plan.Reporting.Cadence == plan.Quarterly) {
		return false
	}
	now := r.now()
	return !p.Start(h.loc).After(now) && p.End(h.loc).After(now.AddDate(-1, 0, 0))
}

// startReport answers 填报进展: the unit's report of the period first, if
// it has one (reguard.go), else choose a status.
func (h *Handlers) startReport(r *request, c callback) error {
	if shown, err := h.guardReport(r, c); shown || err != nil {
		return err
	}
	return h.chooseStatusFor(r, c)
}

// chooseStatusFor asks for the status of a report on c's measure and period.
func (h *Handlers) chooseStatusFor(r *request, c callback) error {
	t, ok, err := h.reportTarget(r, c.measureID, c.period)
	if !ok || err != nil {
		return err
	}
	err = r.tx.SetConversation(r.ctx, store.Conversation{
		UserID: r.userID, State: store.ChoosingStatus,
		MeasureID: c.measureID, Unit: h.unitFor(r, c.period), Period: c.period,
	})
	if err != nil {
		return err
	}
	var rows [][]button
	for i := 0; i < len(plan.Statuses); i += 2 {
		var row []button
		for j := i; j < i+2 && j < len(plan.Statuses); j++ {
			row = append(row, button{
				Text:         plan.Statuses[j].Label(),
				CallbackData: callback{kind: cbStatus, measureID: c.measureID, period: c.period, status: plan.Statuses[j]}.String(),
			})
		}
		rows = append(rows, row)
	}
	noNews, err := h.noNewsRow(r, c) // flow.go
	if err != nil {
		return err
	}
	if noNews != nil {
		rows = append(rows, noNews)
	}
	rows = append(rows, []button{{Text: "取消", CallbackData: callback{kind: cbCancel, measureID: c.measureID}.String()}})
	r.show(fmt.Sprintf("填报 <b>%s %s</b>（%s）\n请选择本期进展状态：",
		t.Measure.ID, esc(t.Measure.Title), c.period.Label()), rowsOf(rows...))
	return nil
}

// chooseStatus answers a status button: now write the text.
func (h *Handlers) chooseStatus(r *request, c callback) error {
	t, ok, err := h.reportTarget(r, c.measureID, c.period)
	if !ok || err != nil {
		return err
	}
	status := c.status
	err = r.tx.SetConversation(r.ctx, store.Conversation{
		UserID: r.userID, State: store.WritingText,
		MeasureID: c.measureID, Unit: h.unitFor(r, c.period), Period: c.period, Status: status,
	})
	if err != nil {
		return err
	}
	hint := textAskText
	if status == plan.NeedsHelp {
		hint = "请说明遇到的困难和需要协调的事项（区委改革办会立即收到）："
	}
	text := fmt.Sprintf("<b>%s %s</b>（%s）\n状态：<b>%s</b>\n%s",
		t.Measure.ID, esc(t.Measure.Title), c.period.Label(), status, hint)
	// The status choice becomes the question (flow.go); an edit cannot
	// carry a ForceReply, and none is needed: the next text is the answer.
	r.inPlace = true
	if r.canEdit() {
		r.show(text, rowsOf([]button{{Text: "取消", CallbackData: callback{kind: cbCancel, measureID: c.measureID}.String()}}))
		return nil
	}
	r.reply(text, askText("本期进展…"))
	return nil
}

// startAcceptance answers 提交成果材料: send the year's result materials.
func (h *Handlers) startAcceptance(r *request, c callback) error {
	t, ok, err := h.reportTarget(r, c.measureID, c.period)
	if !ok || err != nil {
		return err
	}
	if role, _ := h.roleIn(c.period, h.unitFor(r, c.period), c.measureID); role != plan.Lead {
		r.reply("成果材料由牵头单位提交。", nil)
		return nil
	}
	err = r.tx.SetConversation(r.ctx, store.Conversation{
		UserID: r.userID, State: store.WritingText,
		MeasureID: c.measureID, Unit: h.unitFor(r, c.period), Period: c.period, Status: plan.Submitted,
	})
	if err != nil {
		return err
	}
	r.reply(fmt.Sprintf("提交 <b>%s %s</b>（%s）成果材料。\n请发送文件或照片，并用文字简要说明取得的成果：",
		t.Measure.ID, esc(t.Measure.Title), c.period.Label()), askText("成果说明…"))
	return nil
}

// conversation returns the user's live conversation, or nil. One left
// unanswered for longer than conversationTTL is over.
func (r *request) conversation() (*store.Conversation, error) {
	conv, err := r.tx.Conversation(r.ctx, r.userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if r.tx.Now().Sub(conv.UpdatedAt) > conversationTTL {
		return nil, r.tx.EndConversation(r.ctx, r.userID)
	}
	return &conv, nil
}

// onReportText takes text as the report being written, if one is. It
// reports whether the text was taken.
func (h *Handlers) onReportText(r *request, text string) (bool, error) {
	conv, err := r.conversation()
	if err != nil || conv == nil {
		return false, err
	}
	search := isSearch(text)
	if conv.State == store.ChoosingStatus && !search {
		// Words before the status: say what comes first, rather than
		// searching for them.
		r.reply(textStatusFirst, nil)
		return true, nil
	}
	late := conv.State == store.Attaching && r.tx.Now().Sub(conv.UpdatedAt) > wordsAddedFor
	if search || late || conv.State == store.Attaching && plan.IsMeasureID(text) {
		// An explicit 搜索, or a measure's number, searches; the report
		// stays open.
		return false, nil
	}
	if conv.State == store.Attaching {
		// Saved, and the contact goes on writing: more of the report, as a
		// caption would be. Never a search that loses the words.
		if _, ok, err := h.reportTarget(r, conv.MeasureID, conv.Period); !ok || err != nil || conv.Unit != h.unitFor(r, conv.Period) {
			if err != nil {
				return true, err
			}
			return true, r.tx.EndConversation(r.ctx, r.userID)
		}
		return true, h.addToReport(r, conv, text, nil)
	}
	if conv.State != store.WritingText {
		return false, nil
	}
	if utf8.RuneCountInString(text) > maxReportText {
		r.reply(fmt.Sprintf(textTooLong, maxReportText), nil)
		return true, nil
	}
	if _, ok, err := h.reportTarget(r, conv.MeasureID, conv.Period); !ok || err != nil || conv.Unit != h.unitFor(r, conv.Period) {
		if err != nil {
			return true, err
		}
		return true, r.tx.EndConversation(r.ctx, r.userID)
	}
	rep, err := h.saveReport(r, conv, text, nil)
	if err != nil {
		return true, err
	}
	h.confirm(r, rep)
	return true, nil
}

// saveReport stores a new current version for the conversation's measure
// and period, with an optional new attachment, and moves the conversation
// on to Attaching. A difficulty goes to every office contact at once.
//
// A file before any words saves a draft (text ""): the contact is asked
// for the words, more files join the draft, the words finish it (the same
// version), and the office hears of the change only then, compared with
// the version the draft replaced. 取消 discards the draft (cancel).
func (h *Handlers) saveReport(r *request, conv *store.Conversation, text string, att *store.Attachment) (store.Report, error) {
	v, ok := h.forPeriod(conv.Period)
	if !ok {
		return store.Report{}, fmt.Errorf("bot: no plan for %s", conv.Period)
	}
	draft, err := h.draftOf(r, conv)
	if err != nil {
		return store.Report{}, err
	}
	if draft != nil && text == "" && att != nil {
		// Another file before the words: it joins the draft.
		a, err := r.tx.AddAttachment(r.ctx, draft.ID, *att)
		if err != nil {
			return store.Report{}, err
		}
		draft.Attachments = append(draft.Attachments, a)
		return *draft, r.tx.SetConversation(r.ctx, *conv) // keeps it alive
	}
	rep, prev, err := h.replaceReport(r, conv, v, draft, text)
	if err != nil {
		return store.Report{}, err
	}
	if text != "" {
		if err := h.tellDifficultyCleared(r, prev, rep); err != nil {
			return store.Report{}, err
		}
		if err := h.tellResubmitted(r, prev, rep); err != nil { // reguard.go
			return store.Report{}, err
		}
	}
	if prev.ID != 0 && prev.ReporterID != r.userID && conv.ReportID == 0 && prev.CreatedAt.After(conv.UpdatedAt) {
		// Two contacts of the unit wrote at once: the later one replaces
		// the earlier, which stays in the history. Say so.
		r.saveNote = fmt.Sprintf("\n注意：%s 于 %s 也填报了此项，您的填报已作为最新版本保存，其填报记录保留。",
			esc(prev.ReporterName), shortDate(prev.CreatedAt, h.loc))
	}
	if att != nil {
		a, err := r.tx.AddAttachment(r.ctx, rep.ID, *att)
		if err != nil {
			return store.Report{}, err
		}
		rep.Attachments = append(rep.Attachments, a)
	}
	next := *conv
	next.ReportID = rep.ID
	next.State = store.Attaching
	if text == "" {
		// A file came before any words: keep asking for the text.
		next.State = store.WritingText
	}
	if err := r.tx.SetConversation(r.ctx, next); err != nil {
		return store.Report{}, err
	}
	if rep.Status.Difficulty() && text != "" {
		if err := h.alertOffice(r, rep); err != nil {
			return store.Report{}, err
		}
	}
	return rep, nil
}

// replaceReport stores the report's new current version, and returns the
// version it replaced. Words for a draft finish it in place, so a report
// begun with a photo is one version; what it replaced is the version
// before the draft.
func (h *Handlers) replaceReport(r *request, conv *store.Conversation, v planView, draft *store.Report, text string) (rep, prev store.Report, err error) {
	if draft != nil && text != "" {
		rep, err = r.tx.FinishDraft(r.ctx, draft.ID, r.userID, text, displayName(r.user))
		if err == nil {
			prev, err = r.tx.PreviousVersion(r.ctx, draft.ID)
			if errors.Is(err, store.ErrNotFound) {
				err = nil
			}
			return rep, prev, err
		}
		if !errors.Is(err, store.ErrNotFound) {
			return rep, prev, err
		}
		// Reviewed meanwhile: a new version, as for any report.
	}
	carry, err := h.carryFrom(r, conv) // reguard.go
	if err != nil {
		return rep, prev, err
	}
	return r.tx.ReplaceReport(r.ctx, store.Report{
		PlanYear: v.plan.Key(), MeasureID: conv.MeasureID, Unit: conv.Unit, Period: conv.Period, Status: conv.Status,
		Text: text, ReporterID: r.userID, ReporterName: displayName(r.user), CarryFrom: carry,
	})
}

// draftOf is the draft the conversation saved (a file before the words),
// while it is still the current version; nil otherwise.
func (h *Handlers) draftOf(r *request, conv *store.Conversation) (*store.Report, error) {
	if conv.State != store.WritingText || conv.ReportID == 0 {
		return nil, nil
	}
	d, err := r.tx.Report(r.ctx, conv.ReportID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !d.Current() || d.ReporterID != r.userID {
		return nil, nil // another contact's report has replaced it since
	}
	return &d, nil
}

// confirm tells the contact exactly what was stored.
func (h *Handlers) confirm(r *request, rep store.Report) {
	t := h.taskOf(rep)
	var sb strings.Builder
	fmt.Fprintf(&sb, "✅ 已保存 <b>%s %s</b> %s%s：\n", t.Measure.ID, esc(t.Measure.Title), rep.Period.Label(),
		map[bool]string{true: "成果材料", false: "进展"}[rep.Period.IsYear()])
	fmt.Fprintf(&sb, "单位：%s\n状态：%s\n内容：%s\n", esc(rep.Unit), rep.Status, esc(rep.Text))
	if line := attachmentLine(rep.Attachments); line != "" {
		sb.WriteString(line + "\n")
	}
	sb.WriteString("\n如需补充文字、照片或文件，请直接发送。需要修改可重新填报，原记录会保留。")
	if rep.Status.Difficulty() {
		sb.WriteString("\n已通知区委改革办。")
	}
	sb.WriteString(r.saveNote)
	markup, note := h.afterSave(r, rep) // flow.go: 下一项
	sb.WriteString(note)
	r.show(sb.String(), markup)
}

// alertOffice sends a raised difficulty to every active office contact.
func (h *Handlers) alertOffice(r *request, rep store.Report) error {
	office, err := r.tx.ActiveContacts(r.ctx, store.RoleOffice)
	if err != nil {
		return err
	}
	t := h.taskOf(rep)
	text := fmt.Sprintf("⚠️ <b>困难反映</b>\n任务：%s %s\n项目：%s\n单位：%s\n填报人：%s\n期次：%s\n内容：%s",
		t.Measure.ID, esc(t.Measure.Title), esc(t.Project.Title), esc(rep.Unit), esc(rep.ReporterName),
		rep.Period.Label(), esc(rep.Text))
	markup := rowsOf(
		[]button{{Text: "查看任务详情", CallbackData: callback{kind: cbMeasure, measureID: rep.MeasureID}.String()}},
		reviewRow(&rep)) // review.go
	for _, c := range office {
		r.sendTo(c.ChatID, c.UserID, store.KindAlert, store.PriorityAlert, text, markup)
	}
	return nil
}

// onFile takes a photo or document as part of the report in progress.
func (h *Handlers) onFile(r *request, m *models.Message) error {
	att := attachmentOf(m)
	if att.Size > maxFileMB<<20 {
		r.reply(fmt.Sprintf(textFileTooBig, maxFileMB), nil)
		return nil
	}
	// A caption becomes the report's text: the same limit applies.
	if utf8.RuneCountInString(strings.TrimSpace(m.Caption)) > maxReportText {
		r.reply(fmt.Sprintf(textTooLong, maxReportText), nil)
		return nil
	}
	conv, err := r.conversation()
	if err != nil {
		return err
	}
	if conv == nil || conv.State == store.ChoosingStatus {
		r.reply(textNeedTask, nil)
		return nil
	}
	if _, ok, err := h.reportTarget(r, conv.MeasureID, conv.Period); !ok || err != nil || conv.Unit != h.unitFor(r, conv.Period) {
		if err != nil {
			return err
		}
		return r.tx.EndConversation(r.ctx, r.userID)
	}
	caption := strings.TrimSpace(m.Caption)
	if conv.State == store.WritingText {
		rep, err := h.saveReport(r, conv, caption, &att)
		if err != nil {
			return err
		}
		if caption == "" {
			r.reply(fmt.Sprintf("已收到%s。请继续输入文字说明：", fileNoun(att)), askText("本期进展…"))
			return nil
		}
		h.confirm(r, rep)
		return nil
	}
	return h.addToReport(r, conv, caption, &att)
}

// addToReport adds to the saved report the contact is still sending to
// (Attaching): words, a text or a caption, make a new version with them
// appended (the files so far carry over), never dropped; a file joins the
// current version. Words added to a difficulty follow it to the office.
func (h *Handlers) addToReport(r *request, conv *store.Conversation, words string, att *store.Attachment) error {
	v, _ := h.forPeriod(conv.Period) // the caller's reportTarget found it
	cur, err := r.tx.CurrentReport(r.ctx, v.plan.Key(), conv.MeasureID, conv.Unit, conv.Period)
	if err != nil {
		return err
	}
	if words != "" {
		text := strings.TrimSpace(cur.Text + "\n" + words)
		if utf8.RuneCountInString(text) > maxReportText {
			r.reply(fmt.Sprintf(textTooLong, maxReportText), nil)
			return nil
		}
		cur, err = r.tx.SaveReport(r.ctx, store.Report{
			PlanYear: cur.PlanYear, MeasureID: cur.MeasureID, Unit: cur.Unit, Period: cur.Period, Status: cur.Status,
			Text: text, ReporterID: r.userID, ReporterName: displayName(r.user), CarryFrom: cur.ID,
		})
		if err != nil {
			return err
		}
		conv.ReportID = cur.ID
		if cur.Status.Difficulty() {
			if err := h.alertAdded(r, cur, words); err != nil {
				return err
			}
		}
	}
	if att != nil {
		att.Caption = words
		if _, err := r.tx.AddAttachment(r.ctx, cur.ID, *att); err != nil {
			return err
		}
	}
	if err := r.tx.SetConversation(r.ctx, *conv); err != nil { // keeps it alive
		return err
	}
	t, _ := v.ix.measure(conv.MeasureID)
	what := fmt.Sprintf("<b>%s %s</b> %s的填报中", t.Measure.ID, esc(t.Measure.Title), conv.Period.Label())
	var added string
	switch {
	case att != nil && words != "":
		added = fmt.Sprintf("已将%s添加到%s，说明已补充到进展内容。", fileNoun(*att), what)
	case att != nil:
		added = fmt.Sprintf("已将%s添加到%s。", fileNoun(*att), what)
	default:
		added = fmt.Sprintf("✅ 已将这段文字补充到%s。\n内容：%s", what, esc(cur.Text))
		if cur.Status.Difficulty() {
			added += "\n已通知区委改革办。"
		}
	}
	r.reply(added, nil)
	return nil
}

// alertAdded tells the office what a contact added to a difficulty already
// raised: the first alert went with the first words.
func (h *Handlers) alertAdded(r *request, rep store.Report, words string) error {
	office, err := r.tx.ActiveContacts(r.ctx, store.RoleOffice)
	if err != nil {
		return err
	}
	t := h.taskOf(rep)
	text := fmt.Sprintf("⚠️ <b>困难反映（补充）</b>\n任务：%s %s\n单位：%s\n填报人：%s\n期次：%s\n补充：%s",
		t.Measure.ID, esc(t.Measure.Title), esc(rep.Unit), esc(rep.ReporterName), rep.Period.Label(), esc(words))
	markup := rowsOf(
		[]button{{Text: "查看任务详情", CallbackData: callback{kind: cbMeasure, measureID: rep.MeasureID}.String()}},
		reviewRow(&rep)) // review.go
	for _, c := range office {
		r.sendTo(c.ChatID, c.UserID, store.KindAlert, store.PriorityAlert, text, markup)
	}
	return nil
}

func fileNoun(a store.Attachment) string {
	if a.Kind == store.Photo {
		return "照片"
	}
	if a.FileName != "" {
		return fmt.Sprintf("文件「%s」（%s）", esc(a.FileName), sizeLabel(a.Size))
	}
	return "文件"
}

// attachmentOf describes a message's photo (largest size) or document.
func attachmentOf(m *models.Message) store.Attachment {
	if m.Document != nil {
		d := m.Document
		return store.Attachment{Kind: store.Document, FileID: d.FileID, FileUniqueID: d.FileUniqueID,
			FileName: d.FileName, MimeType: d.MimeType, Size: d.FileSize}
	}
	p := m.Photo[len(m.Photo)-1]
	return store.Attachment{Kind: store.Photo, FileID: p.FileID, FileUniqueID: p.FileUniqueID, Size: int64(p.FileSize)}
}

// cancel ends what is in progress. A report not yet finished is taken
// back whole: a draft its files saved goes, and the version it replaced is
// current again, as before the report started.
func (h *Handlers) cancel(r *request, measureID string) error {
	conv, err := r.conversation()
	if err != nil {
		return err
	}
	active := conv != nil && conv.State != store.Attaching
	// A 取消 button names its report's measure: one left under a question
	// already answered must not end the report begun since.
	mine := active && (measureID == "" || conv.MeasureID == measureID)
	var undone string
	if mine {
		if undone, err = h.discardDraft(r, conv); err != nil {
			return err
		}
	}
	if r.callbackMessageID() != 0 {
		// 取消 under a question: the question becomes the answer, its
		// buttons go (flow.go), and the way back to the list stays.
		text := textCancelled + undone
		if measureID != "" && !mine && conv != nil && (active || conv.MeasureID == measureID) {
			text = textReportOver // another report under way, or this one saved
		}
		r.inPlace = true
		r.show(text, backToList(r))
	} else {
		text := textCancelled + undone
		switch {
		case conv != nil && conv.State == store.Attaching:
			// The report is saved; what 取消 can end is its staying open.
			text = "这项填报已保存，无需取消。之后发送的文字和文件不再添加到其中。"
			mine = true
		case !active && r.contact.IsOffice():
			text = textNothingToCancel
		case !active:
			text = textNothingToEnd
		}
		r.reply(text, keyboardFor(r.contact))
	}
	if !mine {
		return nil
	}
	return r.tx.EndConversation(r.ctx, r.userID)
}

// discardDraft takes back the draft the conversation saved, if any, and
// says so in a line for 已取消.
func (h *Handlers) discardDraft(r *request, conv *store.Conversation) (string, error) {
	draft, err := h.draftOf(r, conv)
	if err != nil || draft == nil {
		return "", err
	}
	restored, err := r.tx.DiscardDraft(r.ctx, draft.ID, r.userID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil // the office has reviewed it: it stays
	}
	if err != nil {
		return "", err
	}
	if restored.ID != 0 {
		return fmt.Sprintf("刚才发送的附件未保存，本期填报仍为原记录（%s）。", restored.Status), nil
	}
	return "刚才发送的附件未保存。", nil
}

// backToList is the 返回我的任务 button, for contacts who have the list.
func backToList(r *request) []byte {
	if !r.contact.CanReport() {
		return nil
	}
	return rowsOf([]button{{Text: labelBackList, CallbackData: callback{kind: cbTasks}.String()}})
}

// onNoText answers a message with neither text nor file (voice, sticker):
// one writing a report is asked for that report's words.
func (h *Handlers) onNoText(r *request) error {
	conv, err := r.conversation()
	if err != nil {
		return err
	}
	if conv == nil || conv.State != store.WritingText {
		r.reply(textSticker, nil)
		return nil
	}
	var t plan.Task
	if v, ok := h.forPeriod(conv.Period); ok {
		t, _ = v.ix.measure(conv.MeasureID)
	}
	r.reply(fmt.Sprintf("暂不支持语音和贴纸。请用文字写下 <b>%s %s</b> 的%s进展，或发送「取消」。",
		t.Measure.ID, esc(t.Measure.Title), conv.Period.Label()), nil)
	return nil
}
