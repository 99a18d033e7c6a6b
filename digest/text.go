package digest

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/luohu/reformbot/plan"
)

// MessageLimit is the most a message of Messages may hold, counted in UTF-16
// code units of the HTML source. Telegram allows 4096 after parsing; the
// margin covers its own counting.
const MessageLimit = 3800

// Clip lengths, in runes, for what users and the plan wrote.
const (
	clipTitle = 40
	clipText  = 200
	clipShort = 60
)

// Messages renders the digest for Telegram in HTML parse mode: the first
// message is the headline summary with every project's light, the rest the
// lists. Sections are kept whole in one message when they fit; a longer one
// is split between lines, and every message after the first starts with a
// continuation header. Everything from the plan, the reports and the
// contacts is escaped; the only tags are <b> and <i>.
func (d *Digest) Messages() []string {
	return pack(d.sections(), fmt.Sprintf("📊 <b>%s 改革进展汇总</b>", esc(periodLabel(d.Period))))
}

// Overview is the headline and every project's light, without the lists:
// the office's 本期总览 while a period is under way. It is one message for
// any plan of a sensible size.
func (d *Digest) Overview() []string {
	sections := append([][]string{d.headline()}, d.projectSections()...)
	return pack(sections, fmt.Sprintf("📊 <b>%s 改革进展汇总</b>", esc(periodLabel(d.Period))))
}

// PlainText is the text of Messages in one piece without markup, for a
// terminal or a file (the CLI's digest --format text).
func (d *Digest) PlainText() string {
	var parts []string
	for _, sec := range d.sections() {
		parts = append(parts, strings.Join(sec, "\n"))
	}
	// Tags go before unescaping, so a user's literal "<b>" stays text.
	s := strings.NewReplacer("<b>", "", "</b>", "", "<i>", "", "</i>", "").Replace(strings.Join(parts, "\n\n"))
	return html.UnescapeString(s) + "\n"
}

// sections are the digest's text in HTML, a list of lines per section.
func (d *Digest) sections() [][]string {
	sections := [][]string{d.headline()}
	sections = append(sections, d.projectSections()...)
	sections = append(sections, d.difficultySection(), d.stalledSection())
	if len(d.Overdue) > 0 {
		sections = append(sections, d.overdueSection())
	}
	sections = append(sections, d.missingSection())
	sections = append(sections, d.loopSections()...) // loop.go
	if len(d.Unbound) > 0 {
		sections = append(sections, d.unboundSection())
	}
	sections = append(sections, d.unreachableSection())
	if d.Acceptance != nil {
		sections = append(sections, d.acceptanceSection())
	}
	return append(sections, []string{"详见附件 Excel 和图表。"})
}

func (d *Digest) headline() []string {
	t := d.Totals
	lines := []string{fmt.Sprintf("📊 <b>%s 改革进展汇总</b>", esc(periodLabel(d.Period)))}
	if d.PlanTitle != "" {
		lines = append(lines, "<i>"+esc(clip(d.PlanTitle, clipShort))+"</i>")
	}
	lines = append(lines,
		"生成时间："+d.cnDateTime(d.GeneratedAt),
		fmt.Sprintf("应填报 %d 项（任务×责任单位），已填报 %d 项（%d%%），未填报 %d 项，困难 %d 项",
			t.Pairs, t.Reported, t.Percent(), t.Missing, t.Difficulties))
	if t.Overdue > 0 {
		lines[len(lines)-1] += fmt.Sprintf("，逾期 %d 项", t.Overdue)
	}
	n := map[Light]int{}
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			n[p.Light]++
		}
	}
	lines = append(lines, fmt.Sprintf("🔴 红灯 %d 个项目，🟡 黄灯 %d 个，🟢 绿灯 %d 个", n[Red], n[Yellow], n[Green]))
	return lines
}

// projectSections are one section per category, the last with the legend.
func (d *Digest) projectSections() [][]string {
	var out [][]string
	for _, c := range d.Categories {
		title := c.Title
		if title == "" {
			title = "改革项目"
		}
		lines := []string{"<b>" + esc(clip(title, clipTitle)) + "</b>"}
		for _, p := range c.Projects {
			line := fmt.Sprintf("%s %s %s %d/%d", lightMark(p.Light), esc(p.ID), esc(clip(p.Title, clipTitle)), p.Reported, p.Total)
			var why []string
			for _, x := range []struct {
				n    int
				name string
			}{{p.Hard, "困难"}, {p.Overdue, "逾期"}, {p.Behind, "滞后"}, {p.Missing, "未填"}, {p.Stalled, "停滞"}} {
				if x.n > 0 {
					why = append(why, fmt.Sprintf("%s %d", x.name, x.n))
				}
			}
			if len(why) > 0 {
				line += "（" + strings.Join(why, "、") + "）"
			}
			lines = append(lines, line)
		}
		out = append(out, lines)
	}
	if len(out) > 0 {
		last := len(out) - 1
		out[last] = append(out[last], "<i>数字为已填报/应填报。🔴 有困难、逾期或填报不足一半；🟡 有滞后、未填报或停滞；🟢 全部填报且正常。</i>")
	}
	return out
}

func lightMark(l Light) string {
	switch l {
	case Red:
		return "🔴"
	case Yellow:
		return "🟡"
	}
	return "🟢"
}

func (d *Digest) difficultySection() []string {
	lines := []string{fmt.Sprintf("<b>⚠️ 存在困难需协调（%d 项）</b>", len(d.Difficulties))}
	for _, x := range d.Difficulties {
		lines = append(lines, fmt.Sprintf("• %s %s｜%s：%s",
			esc(x.MeasureID), esc(clip(x.MeasureTitle, clipTitle)), esc(x.Unit), esc(clip(shownText(x.Text, x.Attachments), clipText))))
	}
	return orNone(lines)
}

func (d *Digest) stalledSection() []string {
	lines := []string{fmt.Sprintf("<b>⏸ 停滞（连续三期状态未变）（%d 项）</b>", len(d.Stalled))}
	for _, s := range d.Stalled {
		span := ""
		if n := len(s.Periods); n > 0 {
			span = fmt.Sprintf("（%s至%s）", periodLabel(s.Periods[0]), periodLabel(s.Periods[n-1]))
		}
		lines = append(lines, fmt.Sprintf("• %s %s｜%s：%s%s",
			esc(s.MeasureID), esc(clip(s.MeasureTitle, clipTitle)), esc(s.Unit), esc(s.Status.Label()), esc(span)))
	}
	return orNone(lines)
}

func (d *Digest) missingSection() []string {
	lines := []string{fmt.Sprintf("<b>📝 未填报（%d 项，%d 个单位）</b>", d.Totals.Missing, len(d.Missing))}
	for _, m := range d.Missing {
		line := fmt.Sprintf("• %s（%d）：%s", esc(m.Unit), len(m.Measures), esc(strings.Join(m.Measures, "、")))
		if n := d.urgedCount(m.Unit); n > 0 {
			line += fmt.Sprintf(" · 督办 %d 次", n)
		}
		lines = append(lines, line)
	}
	return orNone(lines)
}

func (d *Digest) overdueSection() []string {
	lines := []string{fmt.Sprintf("<b>⏰ 逾期未完成（%d 项）</b>", len(d.Overdue))}
	for _, o := range d.Overdue {
		lines = append(lines, fmt.Sprintf("• %s %s｜%s：时限 %s，%s",
			esc(o.MeasureID), esc(clip(o.MeasureTitle, clipTitle)), esc(o.Unit), esc(cnDeadline(o.Deadline)), esc(statusOrMissing(o.Status))))
	}
	return lines
}

func (d *Digest) unboundSection() []string {
	return []string{
		fmt.Sprintf("<b>🔌 未绑定联络人的单位（%d 个）</b>", len(d.Unbound)),
		esc(strings.Join(d.Unbound, "、")),
		"<i>这些单位从未绑定联络人，收不到填报提醒，请发送邀请链接。</i>",
	}
}

// statusOrMissing is a reported status as people read it, or 未填报 when
// there is none. fmt prints a status through its String method where it
// has one, so this stays the label when statuses are stored as codes.
func statusOrMissing(s plan.Status) string {
	if s == "" {
		return "未填报"
	}
	return fmt.Sprint(s)
}

func (d *Digest) unreachableSection() []string {
	lines := []string{fmt.Sprintf("<b>📵 无法送达的联络人（%d 人）</b>", len(d.Unreachable))}
	for _, u := range d.Unreachable {
		who := esc(u.Unit)
		if u.Name != "" {
			who += " " + esc(clip(u.Name, clipTitle))
		}
		var why []string
		if u.Blocked {
			why = append(why, "已屏蔽机器人或未启动对话")
		}
		if u.Error != "" {
			why = append(why, "发送失败："+failureReason(u.Error)) // reasons.go
		}
		lines = append(lines, fmt.Sprintf("• %s（ID %d）：%s", who, u.UserID, strings.Join(why, "；")))
	}
	return orNone(lines)
}

func (d *Digest) acceptanceSection() []string {
	a := d.Acceptance
	lines := []string{fmt.Sprintf("<b>📦 %d年度成果验收材料（已提交 %d/%d 项）</b>", a.Year, a.Submitted, len(a.Measures))}
	for _, m := range a.Measures {
		var parts []string
		if len(m.Submissions) > 0 {
			var subs []string
			for _, s := range m.Submissions {
				sub := esc(s.Unit)
				if s.Text != "" {
					sub += "「" + esc(clip(s.Text, clipShort)) + "」"
				}
				if s.Attachments > 0 {
					sub += fmt.Sprintf("（附件 %d 个）", s.Attachments)
				}
				subs = append(subs, sub)
			}
			parts = append(parts, "已提交 "+strings.Join(subs, "、"))
		}
		if len(m.Pending) > 0 {
			parts = append(parts, "未提交 "+esc(strings.Join(m.Pending, "、")))
		}
		if len(parts) == 0 {
			parts = append(parts, "未提交")
		}
		lines = append(lines, fmt.Sprintf("• %s %s：%s", esc(m.ID), esc(clip(m.Title, clipTitle)), strings.Join(parts, "；")))
	}
	return lines
}

func orNone(lines []string) []string {
	if len(lines) == 1 {
		lines = append(lines, "无")
	}
	return lines
}

// pack joins sections into messages of at most MessageLimit: a blank line
// between sections; a section that does not fit in this message but would
// in the next starts the next; one longer than any message is split between
// its lines. Messages after the first start with header and "（续 i/n）".
func pack(sections [][]string, header string) []string {
	reserve := size(header) + len("（续 999/999）\n")
	limit := MessageLimit - reserve
	var chunks []string
	var cur strings.Builder
	n := 0 // size of cur
	flush := func() {
		if n > 0 {
			chunks = append(chunks, cur.String())
			cur.Reset()
			n = 0
		}
	}
	write := func(sep, s string, sz int) {
		if n > 0 {
			cur.WriteString(sep)
			n += size(sep)
		}
		cur.WriteString(s)
		n += sz
	}
	for _, sec := range sections {
		text := strings.Join(sec, "\n")
		sz := size(text)
		if n > 0 && n+2+sz <= limit {
			write("\n\n", text, sz)
			continue
		}
		if sz <= limit {
			flush()
			write("", text, sz)
			continue
		}
		// Too long for any one message: fill up this one, then go on.
		sep := "\n\n"
		for _, line := range sec {
			line = fit(line, limit)
			lsz := size(line)
			if n > 0 && n+size(sep)+lsz > limit {
				flush()
			}
			write(sep, line, lsz)
			sep = "\n"
		}
	}
	flush()
	for i := 1; i < len(chunks); i++ {
		chunks[i] = fmt.Sprintf("%s（续 %d/%d）\n%s", header, i+1, len(chunks), chunks[i])
	}
	return chunks
}

// size is the length Telegram counts: UTF-16 code units.
func size(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// fit shortens a line longer than limit. Lines are built short, so this is
// a safety net: it drops the line's tags (so none is left open) and cuts
// before an entity rather than inside one.
func fit(line string, limit int) string {
	if size(line) <= limit {
		return line
	}
	line = strings.NewReplacer("<b>", "", "</b>", "", "<i>", "", "</i>", "").Replace(line)
	n, safe, inEntity := 0, 0, false
	for i, r := range line {
		n += utf16.RuneLen(r)
		if n > limit-1 { // room for the ellipsis
			break
		}
		switch {
		case r == '&':
			inEntity = true
		case r == ';':
			inEntity = false
		}
		if !inEntity {
			safe = i + utf8.RuneLen(r)
		}
	}
	return line[:safe] + "…"
}

func esc(s string) string { return html.EscapeString(s) }

// clip puts s on one line and shortens it to n runes.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// periodLabel is the period as people say it, or as given when malformed.
func periodLabel(p plan.Period) string {
	if q, err := plan.ParsePeriod(string(p)); err == nil && q == p {
		return p.Label()
	}
	return string(p)
}
