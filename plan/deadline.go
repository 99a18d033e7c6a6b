package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A measure's deadline is kept as the document writes it (deadline_text)
// and, when it names one day, as an ISO date (deadline): 2026年6月底前 is
// 2026-06-30, 年底前 the plan year's 12-31, 2026年9月15日 that day.
// 长期坚持 or 2026年6月、12月 name no one day and leave deadline empty.

var (
	deadlineDay   = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日`)
	deadlineMonth = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(?:底|末|份)?`)
	deadlineYear  = regexp.MustCompile(`^(?:(\d{4})年)?(?:年)?(?:底|末|内|年底|年末)`)
	deadlineISO   = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`)
	deadlineQtr   = regexp.MustCompile(`^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?`)
	// Excel's default date format (14) as excelize prints it: 06-30-26.
	deadlineExcel = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})-(\d{2})$`)
)

// parseDeadline reads a deadline as one ISO date, given the plan's year
// for deadlines that name none; ok is false when it names no one day.
func parseDeadline(text string, year int) (string, bool) {
	s := strings.Join(strings.Fields(text), "")
	s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "。"), "完成"), "前")
	s = strings.TrimPrefix(s, "于")
	yearOf := func(m string) (int, bool) {
		if m == "" {
			return year, year > 0
		}
		y, err := strconv.Atoi(m)
		return y, err == nil
	}
	date := func(y, mo, d int) (string, bool) {
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if mo < 1 || mo > 12 || d < 1 || t.Month() != time.Month(mo) {
			return "", false
		}
		return t.Format("2006-01-02"), true
	}
	lastDay := func(y, mo int) int { return time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day() }
	// One day only: a second date or a list means several.
	rest := func(m []string) bool {
		tail := strings.TrimSpace(s[len(m[0]):])
		return tail == "" || tail == "前" || tail == "底前"
	}
	if m := deadlineISO.FindStringSubmatch(s); m != nil && rest(m) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		return date(y, mo, d)
	}
	if m := deadlineExcel.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		return date(2000+y, mo, d)
	}
	if m := deadlineDay.FindStringSubmatch(s); m != nil && rest(m) {
		y, ok := yearOf(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if !ok {
			return "", false
		}
		return date(y, mo, d)
	}
	if m := deadlineMonth.FindStringSubmatch(s); m != nil && rest(m) {
		y, ok := yearOf(m[1])
		mo, _ := strconv.Atoi(m[2])
		if !ok || mo < 1 || mo > 12 {
			return "", false
		}
		return date(y, mo, lastDay(y, mo))
	}
	if m := deadlineQtr.FindStringSubmatch(s); m != nil && rest(m) {
		y, ok := yearOf(m[1])
		q := strings.Index("一二三四", m[2])/len("一") + 1
		if n, err := strconv.Atoi(m[2]); err == nil {
			q = n
		}
		if !ok {
			return "", false
		}
		return date(y, 3*q, lastDay(y, 3*q))
	}
	if m := deadlineYear.FindStringSubmatch(s); m != nil && rest(m) {
		if y, ok := yearOf(m[1]); ok {
			return date(y, 12, 31)
		}
	}
	if m := regexp.MustCompile(`^(\d{4})年$`).FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return date(y, 12, 31)
	}
	return "", false
}

// setDeadlines fills every measure's ISO deadline from its text, now that
// the plan's year is known.
func setDeadlines(p *Plan) []Warning {
	for ci := range p.Categories {
		for pi := range p.Categories[ci].Projects {
			ms := p.Categories[ci].Projects[pi].Measures
			for mi := range ms {
				if d, ok := parseDeadline(ms[mi].DeadlineText, p.Year); ok {
					ms[mi].Deadline = d
				}
			}
		}
	}
	return nil
}

// placeWarnings names the place of each warning in a Word or Excel
// document.
func placeWarnings(warnings []Warning, lines []sourceLine) {
	where := map[int]string{}
	for _, l := range lines {
		if l.where != "" {
			where[l.num] = l.where
		}
	}
	for i := range warnings {
		if warnings[i].Where == "" {
			warnings[i].Where = where[warnings[i].Line]
		}
	}
}

// noPlanError says why a document gave no measure, naming the first item
// that looked like one and the end of its text, where its units should be.
func noPlanError(root *item, lines []sourceLine) error {
	where := map[int]string{}
	for _, l := range lines {
		where[l.num] = whereOf(l)
	}
	var first *item
	var walk func(*item)
	walk = func(it *item) {
		for _, c := range it.children {
			if first == nil && (c.level == levelNumbered || c.level == levelParen && len(c.children) == 0) && !c.hasUnits {
				first = c
			}
			walk(c)
		}
	}
	walk(root)
	if first == nil {
		return fmt.Errorf("%w: 没有找到任何举措：文中没有编号条目（1. 或（一）），也没有带“牵头单位”等列的任务表", ErrNoPlan)
	}
	text := []rune(first.text())
	if len(text) > 30 {
		text = append([]rune("…"), text[len(text)-30:]...)
	}
	return fmt.Errorf("%w: 没有找到任何举措：%s的条目“%s”没有可识别的责任单位写法（如（牵头单位：…；配合单位：…）或“××牵头”）", ErrNoPlan, where[first.line], string(text))
}

// deadlinePhrase is a deadline as a measure's text ends with it: 2018年6月底前完成,
// 年底前完成, 9月底前, 第三季度完成.
const deadlinePhrase = `((?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日|底|末)?|年?底|年末|年内|第?[一二三四1-4]季度(?:末|底)?)(?:前完成|前|完成))`

// textDeadline matches a deadline that closes a text: after a comma or a
// full stop (…改革，年底前完成。) or in brackets (…办法（9月底前）).
var textDeadline = regexp.MustCompile(`(?:(?:^|[，,；;。])` + deadlinePhrase + `|[（(]` + deadlinePhrase + `[）)])[。；;]?\s*$`)

// deadlineInText is the deadline a measure's text ends with, as written, or
// "". Only the closing words count: in 6月底前完成试点，年底前全面推开 the
// dates are steps, not the measure's deadline.
func deadlineInText(text string) string {
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		text = text[i+1:]
	}
	m := textDeadline.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[1] + m[2]
}
