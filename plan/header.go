package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The notice around a plan says what the plan is (a header of labelled
// fields, as government sites print it, and a title line) and how it is
// supervised (the mechanisms in its text). Both are read from the lines that
// are not part of the plan's categories.

// headerLabel matches the labels of a published notice's header; sites
// space them out to align them ("名 称：").
var headerLabel = regexp.MustCompile(`(索\s*引\s*号|发\s*布\s*机\s*构|发\s*文\s*机\s*关|发\s*布\s*日\s*期|成\s*文\s*日\s*期|名\s*称|标\s*题|文\s*号|发\s*文\s*字\s*号|主\s*题\s*分\s*类)\s*[：:]`)

var (
	datePattern      = regexp.MustCompile(`(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})`)
	yearPattern      = regexp.MustCompile(`(\d{4})\s*年`)
	docNumberPattern = regexp.MustCompile(`[\p{Han}]{1,10}[〔\[［【（(]\s*(\d{4})\s*[〕\]］】）)]\s*(\d{1,4})\s*号`)
	publishedWork    = regexp.MustCompile(`印发\s*《([^》]+)》`)
)

// headerFields reads the labelled fields of the lines, by label without
// spaces: "名称" → "中共…的通知".
func headerFields(lines []sourceLine) map[string]string {
	fields := map[string]string{}
	for _, l := range lines {
		locs := headerLabel.FindAllStringSubmatchIndex(l.text, -1)
		for i, loc := range locs {
			end := len(l.text)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			label := strings.Join(strings.Fields(l.text[loc[2]:loc[3]]), "")
			if _, seen := fields[label]; !seen {
				fields[label] = strings.TrimSpace(l.text[loc[1]:end])
			}
		}
	}
	return fields
}

// readHeader fills the plan's title, issuers, document number, date and
// year from the notice's lines.
func readHeader(p *Plan, lines []sourceLine) []Warning {
	var warnings []Warning
	fields := headerFields(lines)
	name := fields["名称"]
	if name == "" {
		name = fields["标题"]
	}
	if m := publishedWork.FindStringSubmatch(name); m != nil {
		p.Title = strings.TrimSpace(m[1])
		if before, _, ok := strings.Cut(name, "关于"); ok {
			p.Issuers = splitIssuers(before)
		}
	}
	if p.Title == "" {
		for _, l := range lines {
			if m := publishedWork.FindStringSubmatch(l.text); m != nil {
				p.Title = strings.TrimSpace(m[1])
				break
			}
		}
	}
	if p.Title == "" {
		p.Title = titleLine(lines)
	}
	if p.Title == "" {
		warnings = append(warnings, Warning{Line: 1, Message: "未找到标题，请在计划文件中填写"})
	}
	if len(p.Issuers) == 0 {
		for _, label := range []string{"发文机关", "发布机构"} {
			if v := fields[label]; v != "" {
				p.Issuers = splitIssuers(v)
				break
			}
		}
	}
	number := fields["文号"]
	if number == "" {
		number = fields["发文字号"]
	}
	if number == "" {
		for _, l := range lines {
			if m := docNumberPattern.FindString(l.text); m != "" && ownNumber(l.text, m) {
				number = m
				break
			}
		}
	}
	if m := docNumberPattern.FindStringSubmatch(number); m != nil {
		prefix := m[0][:strings.IndexAny(m[0], "〔[［【（(")]
		p.DocNumber = fmt.Sprintf("%s〔%s〕%s号", prefix, m[1], m[2])
	} else {
		p.DocNumber = number
	}
	for _, label := range []string{"发布日期", "成文日期"} {
		if d, ok := parseDate(fields[label]); ok {
			p.Published = d
			break
		}
	}
	if m := yearPattern.FindStringSubmatch(p.Title); m != nil {
		p.Year, _ = strconv.Atoi(m[1])
	} else if len(p.Published) >= 4 {
		p.Year, _ = strconv.Atoi(p.Published[:4])
	}
	return warnings
}

// ownNumber reports whether a line is the notice's own document number, as
// its header prints it ("区改办〔2026〕3号", perhaps with 签发人), rather than a
// sentence citing another document ("根据国办发〔2019〕39号…").
func ownNumber(line, number string) bool {
	rest := strings.Join(strings.Fields(strings.Replace(line, number, "", 1)), "")
	rest, _, _ = strings.Cut(rest, "签发人")
	return utf8.RuneCountInString(rest) <= 2
}

// parseDate reads 2017-03-28, 2017年3月28日, 2017/3/28 or 2017.3.28 as
// YYYY-MM-DD.
func parseDate(s string) (string, bool) {
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d), true
}

// titleLine finds the plan's own title among the notice's lines: a short
// line without sentence punctuation that names a plan.
func titleLine(lines []sourceLine) string {
	for _, l := range lines {
		t := strings.TrimSpace(l.text)
		n := utf8.RuneCountInString(t)
		if n < 4 || n > 40 || strings.ContainsAny(t, "。，：；《") {
			continue
		}
		for _, word := range []string{"计划", "方案", "要点", "分工", "清单", "任务", "安排", "举措"} {
			if strings.Contains(t, word) {
				return t
			}
		}
	}
	return ""
}

// splitIssuers splits "中共深圳市罗湖区委办公室 深圳市罗湖区人民政府办公室".
func splitIssuers(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '、' || r == '，' }) {
		if f = strings.TrimSpace(f); utf8.RuneCountInString(f) >= 2 {
			out = append(out, f)
		}
	}
	return out
}

// readReporting finds the notice's supervision mechanisms: how often
// progress is reported (按月: monthly, 按季度: quarterly) and whether results
// are accepted at year end (验收). A document that says nothing is reported
// on monthly, with a warning.
func readReporting(lines []sourceLine) (Reporting, []Warning) {
	var r Reporting
	var cadence, acceptance string
	var acceptanceRank int
	firstLine := 0
	for _, l := range lines {
		if firstLine == 0 {
			firstLine = l.num
		}
		for _, s := range sentences(l.text) {
			switch {
			case cadence == "" && containsAny(s, "按月", "每月", "月度", "逐月"):
				cadence, r.Cadence = s, Monthly
			case cadence == "" && containsAny(s, "按季", "每季", "季度"):
				cadence, r.Cadence = s, Quarterly
			}
			if strings.Contains(s, "验收") {
				// Prefer the sentence that says who submits what, over a
				// heading such as 四是健全成果验收制.
				rank := 1
				if containsAny(s, "年底", "年终", "年末", "报送", "提交") {
					rank = 2
				}
				if rank > acceptanceRank {
					acceptance, acceptanceRank = s, rank
				}
			}
		}
	}
	var warnings []Warning
	if cadence == "" {
		r.Cadence = Monthly
		warnings = append(warnings, Warning{Line: max(firstLine, 1), Message: "通知未写明报送周期，按每月报送处理"})
	} else {
		r.Basis = append(r.Basis, cadence)
	}
	if acceptance != "" {
		r.Acceptance = true
		r.Basis = append(r.Basis, acceptance)
	}
	return r, warnings
}

// sentences splits text after 。！？；.
func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r == '。' || r == '！' || r == '？' || r == '；' {
			if s := strings.TrimSpace(text[start : i+utf8.RuneLen(r)]); s != "" {
				out = append(out, s)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
