package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Compose writes the scheduled messages a unit contact receives: the
// monthly prompt, the reminder and the year-end acceptance request. The
// scheduler decides who gets what and when; the words and buttons are the
// bot's, because the buttons are the bot's callbacks. It needs no
// connection to Telegram, so CLI commands use it too.
type Compose struct{}

// Prompt asks a unit to report on its measures for a period, with a
// button per measure. A report made from one of these buttons counts for
// this period, however late it is answered. reported holds the measures the
// unit has already reported for the period.
func (Compose) Prompt(unit string, tasks []plan.Task, reported map[string]plan.Status, period plan.Period) store.Payload {
	var sb strings.Builder
	fmt.Fprintf(&sb, "📋 <b>%s 改革任务进展填报</b>\n", period.Label())
	fmt.Fprintf(&sb, "%s：请填报以下 %d 项任务的本期进展。\n", esc(unit), len(tasks))
	buttons := writeTaskLines(&sb, tasks, reported, func(t plan.Task) callback {
		return callback{kind: cbReport, measureID: t.Measure.ID, period: period}
	})
	sb.WriteString("\n点击下方任务，选择状态并用几句话说明进展，可附照片或文件。")
	return store.Payload{Text: sb.String(), ParseMode: "HTML", NoPreview: true, ReplyMarkup: oneColumn(buttons...)}
}

// Reminder names the measures a unit has not yet reported for a period,
// and those of them due within 30 days of the period's end (when reminders
// go out).
func (Compose) Reminder(unit string, missing []plan.Task, period plan.Period) store.Payload {
	var sb strings.Builder
	fmt.Fprintf(&sb, "⏰ <b>填报提醒</b>（%s）\n", period.Label())
	fmt.Fprintf(&sb, "%s尚有 %d 项任务未填报本期进展：\n", esc(unit), len(missing))
	buttons := writeTaskLines(&sb, missing, nil, func(t plan.Task) callback {
		return callback{kind: cbReport, measureID: t.Measure.ID, period: period}
	})
	var soon []string
	for _, t := range missing {
		if at := period.End(time.UTC); dueSoon(t.Measure, at) {
			soon = append(soon, t.Measure.ID+"（"+esc(deadlineLabel(t.Measure))+"）")
		}
	}
	if len(soon) > 0 {
		fmt.Fprintf(&sb, "\n⏰ 30天内到期：%s\n", strings.Join(soon, "、"))
	}
	sb.WriteString("\n请点击下方任务尽快填报。")
	return store.Payload{Text: sb.String(), ParseMode: "HTML", NoPreview: true, ReplyMarkup: oneColumn(buttons...)}
}

// AcceptanceRequest asks a lead unit for the year's result materials.
func (Compose) AcceptanceRequest(unit string, tasks []plan.Task, year int) store.Payload {
	var sb strings.Builder
	fmt.Fprintf(&sb, "🏁 <b>%d年度改革成果验收</b>\n", year)
	fmt.Fprintf(&sb, "请%s报送以下 %d 项牵头任务的年度成果材料（文件或照片，并附简要说明）：\n", esc(unit), len(tasks))
	buttons := writeTaskLines(&sb, tasks, nil, func(t plan.Task) callback {
		return callback{kind: cbAcceptance, measureID: t.Measure.ID, period: plan.YearPeriod(year)}
	})
	sb.WriteString("\n点击下方任务提交，区委改革办将据此组织成果验收。")
	return store.Payload{Text: sb.String(), ParseMode: "HTML", NoPreview: true, ReplyMarkup: oneColumn(buttons...)}
}

// writeTaskLines lists tasks under 牵头/协办 headings and returns a button
// per task.
func writeTaskLines(sb *strings.Builder, tasks []plan.Task, reported map[string]plan.Status, cb func(plan.Task) callback) []button {
	var buttons []button
	role := plan.Role("")
	for _, t := range tasks {
		if t.Role != role && t.Role != "" {
			role = t.Role
			fmt.Fprintf(sb, "\n<b>%s</b>\n", role.Label())
		}
		if st, ok := reported[t.Measure.ID]; ok {
			fmt.Fprintf(sb, "✅ %s %s（已填报：%s）\n", t.Measure.ID, esc(t.Measure.Title), st)
		} else {
			fmt.Fprintf(sb, "· %s %s\n", t.Measure.ID, esc(t.Measure.Title))
		}
		buttons = append(buttons, button{
			Text:         buttonLabel(t.Measure.ID + " " + t.Measure.Title),
			CallbackData: cb(t).String(),
		})
	}
	return buttons
}
