package plan

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The table stage reads the tables of the document model, whichever reader
// found them (a Word table, an Excel sheet, a table flattened to text). A
// table whose header row names a task column and a unit column is a list of
// measures, one per row; its header row may be anywhere, and the rows above
// it are the notice's paragraphs. Any other table is read as paragraphs,
// one per row.

// tableItem is a measure read from a table row: its number and its units,
// already sorted into roles.
type tableItem struct {
	number int
	clause unitClause
}

var leadingNumber = regexp.MustCompile(`^[（(]?\s*(\d{1,4})`)

// tableStage replaces the document's table rows with paragraphs and
// measures.
func tableStage(lines []sourceLine) ([]sourceLine, []Warning) {
	var out []sourceLine
	var warnings []Warning
	for i := 0; i < len(lines); {
		if lines[i].table == 0 {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j].table == lines[i].table {
			j++
		}
		rows, w := readTable(lines[i:j])
		out = append(out, rows...)
		warnings = append(warnings, w...)
		i = j
	}
	return out, warnings
}

// readTable reads one table's rows.
func readTable(rows []sourceLine) ([]sourceLine, []Warning) {
	var out []sourceLine
	header := -1
	var layout tableLayout
	for i, r := range rows {
		if l, ok := headerLayout(r.cells); ok {
			header, layout = i, l
			break
		}
	}
	// A two-row header (责任单位 over 牵头单位 | 配合单位): the lower row,
	// with the upper one's merged cells carried down, is the specific one.
	for header >= 0 && header+1 < len(rows) {
		l, ok := headerLayout(rows[header+1].cells)
		if !ok {
			break
		}
		header, layout = header+1, l
	}
	paragraph := func(r sourceLine) {
		if text := rowText(r.cells); text != "" {
			out = append(out, sourceLine{num: r.num, text: text, where: r.where})
		}
	}
	if header < 0 {
		for _, r := range rows {
			if item, text, ok := headerlessRow(r.cells); ok {
				out = append(out, sourceLine{num: r.num, where: r.where, text: text, row: item})
				continue
			}
			paragraph(r)
		}
		return append(out, sourceLine{num: rows[len(rows)-1].num, tableEnd: true}), nil
	}
	for _, r := range rows[:header] {
		paragraph(r)
	}
	if layout.proj >= 0 && layout.cols[layout.proj] == colText && !repeats(rows[header+1:], layout.proj) {
		// A task column beside the measure column that no two rows share
		// is each measure's title, not a project.
		layout.title, layout.proj = layout.proj, -1
	}
	var warnings []Warning
	var category, project string
	categories, projects, running := 0, 0, 0
	for _, r := range rows[header+1:] {
		cell := func(i int) string {
			if i >= 0 && i < len(r.cells) {
				return strings.TrimSpace(r.cells[i])
			}
			return ""
		}
		if isRepeatedHeader(r.cells, rows[header].cells) {
			continue
		}
		if isHeading(r.cells) {
			paragraph(r)
			running = 0
			if sectionHead.MatchString(rowText(r.cells)) {
				// A new section: its projects count from （一）, and
				// a 类别 cell merged down from it is no second one.
				category, project, projects = cell(layout.category), "", 0
			}
			continue
		}
		item := &tableItem{}
		for i, col := range layout.cols {
			v := cell(i)
			if v == "" {
				continue
			}
			switch col {
			case colLead, colCo, colResponsible:
				if c, ok := parseKeyword(v); ok {
					// "区商务局，各街道按职责分工负责" in a unit column.
					item.clause.merge(c)
					continue
				}
				names, rejected := splitUnits(v)
				item.clause.rejected = append(item.clause.rejected, rejected...)
				switch col {
				case colLead:
					item.clause.lead = append(item.clause.lead, names...)
				case colCo:
					item.clause.co = append(item.clause.co, names...)
				default:
					item.clause.responsible = append(item.clause.responsible, names...)
				}
			case colDeadline:
				item.clause.deadline = v
			case colLeader:
				item.clause.leaders = append(item.clause.leaders, splitPeople(v)...)
			}
		}
		if h, section, ok := tableHeading(r.cells, layout); ok && item.clause.empty() {
			// A heading row, read before the 类别 and 项目 columns, or
			// its title would be taken for a project.
			out = append(out, sourceLine{num: r.num, where: r.where, text: h})
			if section {
				// Its projects count from （一）.
				category, projects = cell(layout.category), 0
			} else {
				projects++
			}
			// A title merged down over the measures below names no
			// project of its own.
			project, running = cell(layout.proj), 0
			continue
		}
		if c := cell(layout.category); c != "" && c != category {
			category, project, projects, running = c, "", 0, 0
			categories++
			out = append(out, sourceLine{num: r.num, where: r.where, text: headingText(c, categories, sectionHead, "%s、%s")})
		}
		if p := cell(layout.proj); p != "" && p != project {
			project, running = p, 0
			projects++
			out = append(out, sourceLine{num: r.num, where: r.where, text: headingText(p, projects, parenHead, "（%s）%s")})
		}
		text := cell(layout.measure)
		if t := cell(layout.title); t != "" && t != text {
			text = strings.TrimRight(t, "。") + "。" + text
		}
		running++
		item.number = running
		if m := leadingNumber.FindStringSubmatch(cell(layout.number)); m != nil {
			item.number, _ = strconv.Atoi(m[1])
			running = item.number
		}
		if text == "" && item.clause.empty() {
			continue
		}
		if item.clause.empty() {
			warnings = append(warnings, Warning{Line: r.num, Message: fmt.Sprintf("这一行有任务“%s”，但没有填写牵头或责任单位", shorten(text, 20))})
		}
		out = append(out, sourceLine{num: r.num, where: r.where, text: text, row: item})
	}
	return append(out, sourceLine{num: rows[len(rows)-1].num, tableEnd: true}), warnings
}

var (
	bareNumeral  = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})[、.．]?$`)
	parenNumeral = regexp.MustCompile(`^[（(]([一二三四五六七八九十]{1,3})[）)]$`)
)

// numeralHeading reads a row whose 序号 is a Chinese numeral as the heading
// it is: 一 → 一、text (a section), （一） → （一）text.
func numeralHeading(number, text string) (heading string, section, ok bool) {
	if m := bareNumeral.FindStringSubmatch(number); m != nil {
		return m[1] + "、" + text, true, true
	}
	if m := parenNumeral.FindStringSubmatch(number); m != nil {
		return "（" + m[1] + "）" + text, false, true
	}
	return "", false, false
}

// tableHeading reads a row of a task table that is a heading: 一、 |
// 营商环境改革 | | with its numeral in the 序号 column and its title in
// whichever column the office typed it, or | 一、营商环境改革 | | with the
// whole heading in a task column. section is true for 一、, false for （一）.
func tableHeading(cells []string, layout tableLayout) (heading string, section, ok bool) {
	number := ""
	if layout.number >= 0 && layout.number < len(cells) {
		number = strings.TrimSpace(cells[layout.number])
	}
	title := headingTitle(cells, layout.number)
	switch {
	case title == "":
		return "", false, false
	case number != "":
		return numeralHeading(number, title)
	case sectionHead.MatchString(title):
		return title, true, true
	case parenHead.MatchString(title):
		return title, false, true
	}
	return "", false, false
}

// headingTitle is the text of a heading row besides its 序号 cell: its
// distinct non-empty cells, in order.
func headingTitle(cells []string, number int) string {
	var parts []string
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if i == number || c == "" || slices.Contains(parts, c) {
			continue
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, " ")
}

var deadlineLike = regexp.MustCompile(`\d{4}年|\d{1,2}月|年底|年内|季度|长期|持续`)

// headerlessRow reads a row of a table without a header (a page's table
// cut from its header): | 1 | task | lead units | co-units | deadline |.
// It is a measure only when every cell after the task is a list of unit
// names or a deadline, and at least one names units.
func headerlessRow(cells []string) (*tableItem, string, bool) {
	var nonEmpty []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			nonEmpty = append(nonEmpty, c)
		}
	}
	if len(nonEmpty) < 3 {
		return nil, "", false
	}
	n, ok := atoiOK(nonEmpty[0])
	if !ok {
		return nil, "", false
	}
	item := &tableItem{number: n}
	units := 0
	for _, c := range nonEmpty[2:] {
		if deadlineLike.MatchString(c) && item.clause.deadline == "" {
			item.clause.deadline = c
			continue
		}
		names, rejected := splitUnits(c)
		if len(names) == 0 || len(rejected) > 0 {
			return nil, "", false
		}
		if units == 0 {
			item.clause.lead = names
		} else {
			item.clause.co = append(item.clause.co, names...)
		}
		units++
	}
	return item, nonEmpty[1], units > 0
}

// repeats reports whether a column holds one value on two consecutive
// rows, as a project spanning its measures does.
func repeats(rows []sourceLine, col int) bool {
	prev := ""
	for _, r := range rows {
		v := ""
		if col < len(r.cells) {
			v = strings.TrimSpace(r.cells[col])
		}
		if v != "" && v == prev {
			return true
		}
		prev = v
	}
	return false
}

// headingText writes a category or project cell as the outline heading it
// is: 经济体制改革 → 一、经济体制改革; a cell already numbered stays.
func headingText(cell string, n int, numbered *regexp.Regexp, format string) string {
	if numbered.MatchString(cell) {
		return cell
	}
	return fmt.Sprintf(format, ChineseNumeral(n), cell)
}

// rowText is a row as a paragraph: its distinct cells, in order. A number
// in the first cell is written as a numbered item, 1. …
func rowText(cells []string) string {
	var parts []string
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" || i > 0 && c == strings.TrimSpace(cells[i-1]) {
			continue
		}
		parts = append(parts, c)
	}
	if len(parts) > 1 {
		if _, err := strconv.Atoi(parts[0]); err == nil {
			return parts[0] + "." + strings.Join(parts[1:], " ")
		}
	}
	return strings.Join(parts, " ")
}

// isHeading reports a row that is one merged cell, or text in its first
// cell only: a heading inside the table such as 一、经济体制改革.
func isHeading(cells []string) bool {
	first, firstAt, n := "", -1, 0
	for i, c := range cells {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
			continue
		case first == "":
			first, firstAt = c, i
		case c != first:
			return false
		}
		n++
	}
	return first != "" && !isNumber(first) && (n >= 2 || firstAt == 0)
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

func isRepeatedHeader(cells, header []string) bool {
	return strings.Join(cells, "|") == strings.Join(header, "|")
}

// splitPeople splits a list of people's names: 张三、李四 or 张三 李四.
func splitPeople(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == '，' || r == '；' || r == ',' || r == ';' || r == ' ' || r == '\n'
	}) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// shorten cuts s to n runes for a message.
func shorten(s string, n int) string {
	rs := []rune(strings.ReplaceAll(s, "\n", " "))
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}
