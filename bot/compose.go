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
	return promptPage(unit, tasks, reported, period, 0)
}

// promptPage is page n of the prompt (pages.go): the unreported measures
// first.
func promptPage(unit string, tasks []plan.Task, reported map[string]plan.Status, period plan.Period, n int) store.Payload {
	var sb strings.Builder
	fmt.Fprintf(&sb, "📋 <b>%s 改革任务进展填报</b>\n", period.Label())
	fmt.Fprintf(&sb, "%s：请填报以下 %d 项任务的本期进展。\n", esc(unit), len(tasks))
	// What the office sent back first (as in 我的任务), then the rest not
	// reported, then what is.
	ordered := unreportedFirst(tasks, func(id string) bool { st, ok := reported[id]; return ok && st != plan.Returned })
	ordered = unreportedFirst(ordered, func(id string) bool { return reported[id] != plan.Returned })
	lo, hi, at, pages := page(len(ordered), n)
	sb.WriteString(pageLine(at, pages))
	buttons := writeTaskLines(&sb, ordered[lo:hi], reported, func(t plan.Task) callback {
		return callback{kind: cbReport, measureID: t.Measure.ID, period: period}
	})
	sb.WriteString("\n点击下方任务，选择状态并用几句话说明进展，可附照片或文件。")
	nav := navRow(at, pages, func(n int) callback { return callback{kind: cbPromptPage, period: period, n: n} })
	return store.Payload{Text: sb.String(), ParseMode: "HTML", NoPreview: true, ReplyMarkup: withNav(buttons, nav)}
}

// Reminder names the measures a unit has not yet reported for a period,
// and those of them due within 30 days of the period's end (when reminders
// go out).
func (Compose) Reminder(unit string, missing []plan.Task, period plan.Period) store.Payload {
	var sb strings.Builder
	fmt.Fprintf(&sb, "⏰ <b>填报提醒</b>（%s）\n", period.Label())
	fmt.Fprintf(&sb, "%s尚有 %d 项任务未填报本期进展：\n", esc(unit), len(missing))
	lo, hi, at, pages := page(len(missing), 0)
	sb.WriteString(pageLine(at, pages))
	buttons := writeTaskLines(&sb, missing[lo:hi], nil, func(t plan.Task) callback {
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
	// The next pages are the prompt's: its unreported measures come first,
	// in the same order as these.
	nav := navRow(at, pages, func(n int) callback { return callback{kind: cbPromptPage, period: period, n: n} })
	return store.Payload{Text: sb.String(), ParseMode: "HTML", NoPreview: true, ReplyMarkup: withNav(buttons, nav)}
}

// AcceptanceRequest asks a lead unit for the year's result materials.
func (Compose) AcceptanceRequest(unit string, tasks []plan.Task, year int) store.Payload {
	return acceptancePage(unit, tasks, year, 0)
}

// acceptancePage is page n of the acceptance request.
func acceptancePage(unit string, tasks []plan.Task, year, n int) store.Payload {
	var sb strings.Builder
	fmt.Fprintf(&sb, "🏁 <b>%d年度改革成果验收</b>\n", year)
	fmt.Fprintf(&sb, "请%s报送以下 %d 项牵头任务的年度成果材料（文件或照片，并附简要说明）：\n", esc(unit), len(tasks))
	lo, hi, at, pages := page(len(tasks), n)
	sb.WriteString(pageLine(at, pages))
	buttons := writeTaskLines(&sb, tasks[lo:hi], nil, func(t plan.Task) callback {
		return callback{kind: cbAcceptance, measureID: t.Measure.ID, period: plan.YearPeriod(year)}
	})
	sb.WriteString("\n点击下方任务提交，区委改革办将据此组织成果验收。")
	nav := navRow(at, pages, func(n int) callback {
		return callback{kind: cbPromptPage, period: plan.YearPeriod(year), n: n}
	})
	return store.Payload{Text: sb.String(), ParseMode: "HTML", NoPreview: true, ReplyMarkup: withNav(buttons, nav)}
}

// writeTaskLines lists tasks under 牵头/协办 headings and returns a button
// per task.
func writeTaskLines(sb *strings.Builder, tasks []plan.Task, reported map[string]plan.Status, cb func(plan.Task) callback) []button {
	var buttons []button
	role, done := plan.Role(""), false
	for _, t := range tasks {
		st, has := reported[t.Measure.ID]
		ok := has && st != plan.Returned // sent back: not reported
		if (t.Role != role || ok != done) && t.Role != "" {
			role, done = t.Role, ok
			if done {
				fmt.Fprintf(sb, "\n<b>%s（已填报）</b>\n", role.Label())
			} else {
				fmt.Fprintf(sb, "\n<b>%s</b>\n", role.Label())
			}
		}
		switch {
		case ok:
			fmt.Fprintf(sb, "%s %s %s（已填报：%s）\n", markOf(st), t.Measure.ID, esc(t.Measure.Title), st)
		case has:
			fmt.Fprintf(sb, "%s %s %s（%s）\n", markOf(st), t.Measure.ID, esc(t.Measure.Title), st)
		default:
			fmt.Fprintf(sb, "· %s %s\n", t.Measure.ID, esc(t.Measure.Title))
		}
		buttons = append(buttons, button{
			Text:         buttonLabel(t.Measure.ID + " " + t.Measure.Title),
			CallbackData: cb(t).String(),
		})
	}
	return buttons
}
