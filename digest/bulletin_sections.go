package digest

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/luohu/reformbot/plan"
)

// problemParas is 三、存在的困难和问题: difficulties with their text, then
// pairs behind, stalled and overdue.
func (d *Digest) problemParas() []BulletinPara {
	var hard, behind, stalled, overdue []string
	for _, x := range d.Difficulties {
		said := "：“" + shorten(x.Text, quoteDifficulty) + "”"
		if strings.TrimSpace(x.Text) == "" {
			said = shownText(x.Text, x.Attachments)
		}
		hard = append(hard, fmt.Sprintf("%s %s（%s）%s", x.MeasureID, x.MeasureTitle, x.Unit, said))
	}
	for _, m := range d.Measures {
		for _, u := range m.Units {
			if u.Reported && u.Status == plan.Behind {
				behind = append(behind, fmt.Sprintf("%s %s（%s）", m.ID, m.Title, u.Unit))
			}
		}
	}
	for _, s := range d.Stalled {
		how := fmt.Sprintf("连续%d期%s", len(s.Periods), s.Status)
		if s.Status == plan.OnTrack {
			how += "且进展说明无变化"
		}
		stalled = append(stalled, fmt.Sprintf("%s %s（%s，%s）", s.MeasureID, s.MeasureTitle, s.Unit, how))
	}
	for _, o := range d.Overdue {
		overdue = append(overdue, fmt.Sprintf("%s %s（%s，完成时限%s，%s）", o.MeasureID, o.MeasureTitle, o.Unit, cnDeadline(o.Deadline), statusOrMissing(o.Status)))
	}
	// Difficulties are the leaders' action list: one numbered paragraph
	// each, with the unit's words. The rest are listed in one paragraph.
	groups := []struct {
		title    string
		items    []string
		show     bool
		numbered bool
	}{
		{"存在困难需协调的事项", hard, true, true},
		{"进度滞后的事项", behind, true, false},
		{"连续三期无变化的事项", stalled, true, false},
		{"逾期未完成的事项", overdue, d.hasDeadlines(), false},
	}
	if len(hard)+len(behind)+len(stalled)+len(overdue) == 0 {
		found := "进度滞后或连续三期无变化"
		if d.hasDeadlines() {
			found = "进度滞后、连续三期无变化或逾期"
		}
		return []BulletinPara{{Text: "本期各单位未反映需协调解决的困难，未发现" + found + "的任务。"}}
	}
	var out []BulletinPara
	n := 0
	for _, g := range groups {
		if !g.show {
			continue
		}
		n++
		lead := fmt.Sprintf("（%s）%s。", cnNumber(n), g.title)
		if len(g.items) == 0 {
			out = append(out, BulletinPara{Lead: lead, Text: "本期无。"})
			continue
		}
		if !g.numbered {
			out = append(out, BulletinPara{Lead: lead, Text: fmt.Sprintf("共%d项：%s。", len(g.items), strings.Join(g.items, "；"))})
			continue
		}
		out = append(out, BulletinPara{Lead: lead, Text: fmt.Sprintf("共%d项：", len(g.items))})
		for i, it := range g.items {
			out = append(out, BulletinPara{Text: fmt.Sprintf("%d．%s。", i+1, it)})
		}
	}
	return out
}

// lateParas is 四、未按时报送单位: units with contacts and unreported pairs,
// then units no contact was ever bound to, named.
func (d *Digest) lateParas(date time.Time) []BulletinPara {
	unbound := map[string]bool{}
	for _, u := range d.Unbound {
		unbound[u] = true
	}
	var late []string
	pairs := 0
	for _, m := range d.Missing {
		if unbound[m.Unit] {
			continue
		}
		pairs += len(m.Measures)
		late = append(late, fmt.Sprintf("%s（%s）", m.Unit, strings.Join(m.Measures, "、")))
	}
	asOf := cnDate(date.In(d.location()))
	var out []BulletinPara
	if len(late) > 0 {
		out = append(out, BulletinPara{Text: fmt.Sprintf("截至%s，以下%d个单位有%d项任务未按时报送进展情况，予以通报：%s。",
			asOf, len(late), pairs, strings.Join(late, "；"))})
	}
	if len(d.Unbound) > 0 {
		ids := map[string]int{}
		for _, m := range d.Missing {
			ids[m.Unit] = len(m.Measures)
		}
		named := make([]string, len(d.Unbound))
		for i, u := range d.Unbound {
			named[i] = u
			if ids[u] > 0 {
				named[i] += fmt.Sprintf("（%d项未报送）", ids[u])
			}
		}
		out = append(out, BulletinPara{Text: fmt.Sprintf("以下%d个单位至今未明确报送联络人、未接入进展报送，予以点名：%s。",
			len(d.Unbound), strings.Join(named, "、"))})
	}
	if len(out) == 0 {
		out = append(out, BulletinPara{Text: fmt.Sprintf("截至%s，各责任单位均已按时报送本期进展情况。", asOf)})
	}
	return out
}

// acceptanceParas is the year-end acceptance status, one line per measure.
func (d *Digest) acceptanceParas() []BulletinPara {
	a := d.Acceptance
	out := []BulletinPara{{Text: fmt.Sprintf("%d年度成果验收材料已提交%d项，共%d项。各任务情况如下：", a.Year, a.Submitted, len(a.Measures))}}
	for _, m := range a.Measures {
		var parts []string
		if len(m.Submissions) > 0 {
			var subs []string
			for _, s := range m.Submissions {
				sub := s.Unit
				if s.Attachments > 0 {
					sub += fmt.Sprintf("，附件%d个", s.Attachments)
				}
				subs = append(subs, sub)
			}
			parts = append(parts, "已提交（"+strings.Join(subs, "；")+"）")
		}
		if len(m.Pending) > 0 {
			parts = append(parts, "未提交："+strings.Join(m.Pending, "、"))
		}
		if len(parts) == 0 {
			parts = append(parts, "未提交")
		}
		out = append(out, BulletinPara{Text: fmt.Sprintf("%s %s：%s。", m.ID, m.Title, strings.Join(parts, "；"))})
	}
	return out
}

// nextSteps is 下一步工作: a placeholder the office rewrites, prefilled with
// what reformbot knows.
func (d *Digest) nextSteps(issuer string, nextPrompt time.Time, yearEnd bool) []BulletinPara {
	var s strings.Builder
	s.WriteString("下一步，" + issuer)
	if !nextPrompt.IsZero() {
		s.WriteString("将于" + cnDate(nextPrompt.In(d.location())) + "发出")
	} else {
		s.WriteString("将按时发出")
	}
	s.WriteString(periodLabel(d.Period.Next()) + "进展填报提醒，请各责任单位按时报送。")
	if n := len(d.Difficulties); n > 0 {
		fmt.Fprintf(&s, "对存在困难需协调的%d项任务，提请相关区领导协调解决。", n)
	}
	var late []string
	if d.Totals.Behind > 0 {
		late = append(late, "进度滞后")
	}
	if d.Totals.Overdue > 0 {
		late = append(late, "逾期")
	}
	if len(late) > 0 {
		s.WriteString("对" + strings.Join(late, "和") + "的任务，督促责任单位制定整改措施、限期完成。")
	}
	if len(d.Missing) > 0 || len(d.Unbound) > 0 {
		s.WriteString("对未按时报送和未明确联络人的单位，跟踪督促落实。")
	}
	if yearEnd {
		fmt.Fprintf(&s, "做好%d年度改革任务成果验收工作，请各牵头单位按要求提交成果材料。", d.Period.Year())
	}
	return []BulletinPara{
		{Text: "【请根据实际情况修改本部分，定稿前删除此提示】", Editable: true},
		{Text: s.String(), Editable: true},
	}
}

// shorten puts text on one line and keeps at most n runes of it, cutting
// after the last full sentence that fits (or else a clause, or else at n)
// and marking the cut with an ellipsis. It never cuts inside a character:
// it counts runes and keeps combining marks with their base.
func shorten(text string, n int) string {
	s := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	cut, clause := -1, -1 // rune counts to keep
	for i := 0; i < n; i++ {
		switch r[i] {
		case '。', '！', '？', '!', '?':
			end := i + 1
			for end < n && strings.ContainsRune("”’」』）)", r[end]) {
				end++
			}
			cut = end
		case '；', ';', '，', ',', '、', '：', ':':
			clause = i
		}
	}
	min := n / 3
	switch {
	case cut >= min:
		return string(r[:cut]) + "……"
	case clause >= min:
		return string(r[:clause]) + "……"
	}
	end := n
	for end > 0 && (joinsPrevious(r[end]) || r[end-1] == 0x200D) {
		end--
	}
	return strings.TrimRight(string(r[:end]), " ") + "……"
}

// joinsPrevious reports whether r belongs to the character before it: a
// combining mark, a variation selector or a zero-width joiner.
func joinsPrevious(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200D ||
		(r >= 0xFE00 && r <= 0xFE0F) || (r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0100 && r <= 0xE01EF)
}

// FileName is the file name the bulletin is sent and saved under.
func (b *Bulletin) FileName() string {
	return fmt.Sprintf("改革进展通报-%d年第%d期.docx", b.Period.Year(), b.Number)
}

// Caption is the bulletin's caption when sent in Telegram.
func (b *Bulletin) Caption() string {
	return fmt.Sprintf("%s 改革进展情况通报（%d年第%d期）草稿，请修改后印发", periodLabel(b.Period), b.Period.Year(), b.Number)
}

// PlainText is the bulletin as text, one paragraph a line, for the CLI and
// for reading a bulletin in a test.
func (b *Bulletin) PlainText() string {
	var s strings.Builder
	fmt.Fprintf(&s, "%s\n%s\n%s　%s\n", b.Title, b.Issue, b.Issuer, b.Date)
	for _, sec := range b.Sections {
		s.WriteString("\n" + sec.Heading + "\n")
		for _, p := range sec.Paras {
			s.WriteString(p.Lead + p.Text + "\n")
		}
	}
	return s.String()
}
