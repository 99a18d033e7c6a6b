package bot

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Every text a user reads. Short Simplified Chinese, fit for a phone; HTML
// parse mode, so anything that came from a user or the plan goes through esc.

const (
	textSorry        = "抱歉，处理您的消息时出错了。请稍后再试，或联系区委改革办。"
	textGroupHint    = "请在与我的私聊中使用本机器人。"
	textNotBound     = "您好！本机器人用于改革任务的进展填报。\n请使用区委改革办发给您的邀请链接完成绑定。"
	textBadInvite    = "邀请链接无效或已过期。请联系区委改革办获取新的邀请链接。"
	textTooMany      = "尝试次数过多，请一小时后再试，或联系区委改革办。"
	textRevoked      = "您的绑定已被取消。如需继续使用，请联系区委改革办获取新的邀请链接。"
	textOfficeOnly   = "该功能仅供区委改革办使用。"
	textNoTasks      = "本单位在当前改革计划中暂无任务。"
	textStale        = "该按钮已失效，请重新打开「我的任务」。"
	textCancelled    = "已取消。"
	textNothingToEnd = "当前没有进行中的填报。"
	// textStatusFirst answers words sent while the status buttons wait.
	textStatusFirst = "请先点选上方的本期进展状态，再发送进展说明。不填报请点「取消」。"
	// textNothingToCancel is the office's: it does not 填报.
	textNothingToCancel = "当前没有需要取消的操作。"
	// textReportOver answers a 取消 left under a report since saved or
	// left for another.
	textReportOver  = "这项填报已结束，无需取消。"
	textSticker     = "暂不支持贴纸和语音。请发送文字，或点击「我的任务」。"
	textEdited      = "已保存的内容不会随消息编辑而改变。如需更正，请在「我的任务」中重新填报。"
	textNeedTask    = "如需提交照片或文件，请先在「我的任务」中选择任务并点击「填报进展」。"
	textAskText     = "请用几句话说明本期进展（可同时发送照片或文件）："
	textTooLong     = "内容过长（最多 %d 字），请精简后重新发送。"
	textFileTooBig  = "文件过大（最大 %d MB），请压缩后重新发送。"
	textNotYours    = "您所在单位不负责该任务，不能填报。"
	textBadPeriod   = "该填报期次无效，请重新打开「我的任务」。"
	textSearchEmpty = "未找到与「%s」相关的任务。\n可点击「我的任务」查看本单位任务，或发送「帮助」。"
	textUnknownCmd  = "无法识别该命令。发送「帮助」查看用法。"
)

func esc(s string) string { return html.EscapeString(s) }

// helpText is /help, by role, in the words of the plan in force; the
// command lines come from the route table.
func helpText(c store.Contact, w words, bulletins bool) string {
	var b strings.Builder
	b.WriteString(w.name() + "\n\n")
	switch {
	case c.IsOffice():
		b.WriteString("您是区委改革办联络人。\n")
		b.WriteString(helpLines(true, w, bulletins))
		b.WriteString("各单位反映「存在困难需协调」时，您会立即收到通知。")
	case c.CanReport():
		fmt.Fprintf(&b, "您是「%s」的联络人。\n", esc(c.Unit))
		b.WriteString(helpLines(false, w, bulletins))
		if w.promptWhen != "" {
			fmt.Fprintf(&b, "%s会提醒您填报%s进展。", w.promptWhen, w.period())
		} else {
			b.WriteString("区委改革办会按时提醒您填报进展。")
		}
	default:
		b.WriteString(textNotBound)
	}
	if c.IsOffice() {
		b.WriteString(w.officeSampleNote())
	} else {
		b.WriteString(w.sampleNote())
	}
	return b.String()
}

// statusLabel is a report status for a list, or 未填报.
func statusLabel(r *store.Report) string {
	if r == nil {
		return "未填报"
	}
	return r.Status.Label()
}

// statusMark is a small colour cue before a status.
func statusMark(r *store.Report) string {
	if r == nil {
		return "⚪"
	}
	return markOf(r.Status)
}

// markOf is a status's colour cue: ✅ only for 已完成 (and materials
// submitted), the others their own.
func markOf(s plan.Status) string {
	switch s {
	case plan.Done, plan.Submitted:
		return "✅"
	case plan.OnTrack:
		return "🟢"
	case plan.Behind:
		return "🟡"
	case plan.NeedsHelp:
		return "🔴"
	case plan.Returned:
		return "🔁"
	}
	return "⚪"
}

func unitList(units []string) string {
	if len(units) == 0 {
		return "无"
	}
	return esc(strings.Join(units, "、"))
}

// shortDate is a time for people: 4月25日 09:30, in the office's zone.
func shortDate(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("1月2日 15:04")
}

// clip shortens s to n runes for a list.
func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

// attachmentLine describes a report's files: 附件：3 个（照片 2、文件 1）.
func attachmentLine(atts []store.Attachment) string {
	if len(atts) == 0 {
		return ""
	}
	photos := 0
	for _, a := range atts {
		if a.Kind == store.Photo {
			photos++
		}
	}
	return fmt.Sprintf("附件 %d 个（照片 %d、文件 %d）", len(atts), photos, len(atts)-photos)
}

func sizeLabel(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n/(1<<10))
	default:
		return fmt.Sprintf("%d 字节", n)
	}
}
