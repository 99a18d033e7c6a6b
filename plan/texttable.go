package plan

import (
	"strings"
	"unicode/utf8"
)

// A table copied out of a web page or a Word document into text arrives in
// one of three shapes, each read here as a table of the model:
//
//	序号           one cell per line, with or without a trailing |,
//	改革任务       after a header of column names
//	牵头单位
//	1
//	推行…
//	区住建局
//
//	| 1 | 推行… | 区住建局 |      rows separated by |
//	│ 1 │ 推行… │ 区住建局 │      box drawing, where a cell too long for
//	│   │ 告知… │          │      its column wraps onto the next lines
//
//	1	推行…	区住建局            cells separated by tabs, as Excel copies
//	                                them

// textTables finds the tables flattened into a text document and makes
// them tables of the model.
func textTables(lines []sourceLine) []sourceLine {
	var out []sourceLine
	table := 0
	for i := 0; i < len(lines); {
		if n := tabRun(lines[i:]); n > 0 {
			table++
			for _, l := range lines[i : i+n] {
				cells := strings.Split(l.text, "\t")
				for j := range cells {
					cells[j] = strings.TrimSpace(cells[j])
				}
				if len(cells) > maxRowCells {
					cells = cells[:maxRowCells]
				}
				out = append(out, sourceLine{num: l.num, text: strings.Join(cells, " "), cells: cells, table: table})
			}
			out = append(out, sourceLine{num: lines[i+n-1].num, tableEnd: true})
			i += n
			continue
		}
		if n := pipeRun(lines[i:]); n > 0 {
			if rows := pipeRows(lines[i : i+n]); len(rows) > 0 {
				table++
				for _, r := range rows {
					r.table = table
					out = append(out, r)
				}
				out = append(out, sourceLine{num: lines[i+n-1].num, tableEnd: true})
				i += n
				continue
			}
		}
		if rows, n := cellPerLine(lines[i:]); n > 0 {
			table++
			for _, r := range rows {
				r.table = table
				out = append(out, r)
			}
			out = append(out, sourceLine{num: lines[i+n-1].num, tableEnd: true})
			i += n
			continue
		}
		out = append(out, lines[i])
		i++
	}
	return out
}

// tabRun returns how many lines from the first are rows of a table pasted
// from Excel, cells separated by tabs: at least two lines of three cells.
func tabRun(lines []sourceLine) int {
	n := 0
	for n < len(lines) && strings.Count(strings.TrimSpace(lines[n].text), "\t") >= 2 {
		n++
	}
	if n < 2 {
		return 0
	}
	return n
}

func isBar(r rune) bool { return r == '|' || r == '│' || r == '┃' || r == '｜' }

// isRule reports a line that only draws a table's lines: |---|---|,
// ├──┼──┤, +----+.
func isRule(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case isBar(r), r == '-', r == '—', r == '=', r == '+', r == ':', r == ' ', r == '　':
		case r >= 0x2500 && r <= 0x257F: // box drawing
		default:
			return false
		}
	}
	return true
}

// isPipeRow reports a line of cells between bars.
func isPipeRow(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	bars := strings.Count(s, "|") + strings.Count(s, "│") + strings.Count(s, "┃")
	return isBar(first) && bars >= 2 || bars >= 3
}

// pipeRun returns how many lines from the first form a |-table: rows and
// rules, at least two rows.
func pipeRun(lines []sourceLine) int {
	n, rows := 0, 0
	for n < len(lines) {
		switch t := lines[n].text; {
		case isPipeRow(t) && !isRule(t):
			rows++
		case isRule(t):
		default:
			if rows < 2 {
				return 0
			}
			return n
		}
		n++
	}
	if rows < 2 {
		return 0
	}
	return n
}

// splitBars splits a row at its bars, without the empty ends.
func splitBars(s string) []string {
	s = strings.TrimSpace(s)
	cells := strings.FieldsFunc(s, isBar)
	// FieldsFunc drops empty cells; split by hand to keep them.
	cells = cells[:0]
	start := 0
	for i, r := range s {
		if isBar(r) {
			cells = append(cells, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	cells = append(cells, s[start:])
	if len(cells) > 0 && strings.TrimSpace(cells[0]) == "" {
		cells = cells[1:]
	}
	if len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// pipeRows reads a |-table's rows. A line whose first cell is empty
// continues the row above (a cell that wrapped); a rule closes a row.
func pipeRows(lines []sourceLine) []sourceLine {
	var rows []sourceLine
	open := false
	for _, l := range lines {
		if isRule(l.text) {
			open = false
			continue
		}
		cells := splitBars(l.text)
		if len(cells) > maxRowCells {
			cells = cells[:maxRowCells]
		}
		if len(rows) > 0 && len(cells) > 0 && cells[0] == "" && open {
			prev := &rows[len(rows)-1]
			for i, c := range cells {
				if i < len(prev.cells) {
					prev.cells[i] = joinWrapped(prev.cells[i], c)
				} else {
					prev.cells = append(prev.cells, c)
				}
			}
			prev.text = strings.Join(prev.cells, " ")
			continue
		}
		rows = append(rows, sourceLine{num: l.num, text: strings.Join(cells, " "), cells: cells})
		open = true
	}
	return rows
}

// joinWrapped joins the two parts of a wrapped cell: Chinese runs on,
// Latin words keep a space.
func joinWrapped(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	if last < 0x80 && first < 0x80 {
		return a + " " + b
	}
	return a + b
}

// cellText is a line as a cell of a table flattened one cell per line.
func cellText(s string) string {
	return strings.TrimSpace(strings.TrimRightFunc(strings.TrimSpace(s), func(r rune) bool { return isBar(r) || r == ' ' }))
}

// headerRunes holds a character of every column name, Simplified and
// Traditional.
const headerRunes = "序编編号號类類领領域板项項目任务務措施举舉内內容事要重牵牽头頭主配协協参參责責单單位部门門时時限节節完领領导導人"

// headerCell classifies a short line as a column name.
func headerCell(s string) column {
	s = cellText(s)
	if s == "" || utf8.RuneCountInString(s) > 10 || !strings.ContainsAny(s, headerRunes) {
		// Most lines are no column name: spare them the conversion.
		return colOther
	}
	return classifyColumn(normalizeText(ToSimplified(s)))
}

// cellPerLine reads a table flattened one cell per line, if the lines
// start with its header; n is how many lines it took.
func cellPerLine(lines []sourceLine) (rows []sourceLine, n int) {
	var header []string
	for n < len(lines) && headerCell(lines[n].text) != colOther {
		header = append(header, cellText(lines[n].text))
		n++
	}
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normalizeText(ToSimplified(h))
	}
	layout, ok := headerLayout(norm)
	if len(header) < 3 || !ok {
		return nil, 0
	}
	width := len(header)
	rows = append(rows, sourceLine{num: lines[0].num, text: strings.Join(header, " "), cells: header})
	numbered := layout.number == 0
	expect := 0
	for n < len(lines) {
		// Blank lines between rows are no cells.
		for n < len(lines) && cellText(lines[n].text) == "" {
			n++
		}
		if n >= len(lines) {
			break
		}
		first := cellText(lines[n].text)
		if numbered {
			v, isNum := atoiOK(first)
			if !isNum || expect > 0 && v != expect+1 {
				break
			}
			expect = v
		} else if isHeadingLine(first) {
			break
		}
		row := sourceLine{num: lines[n].num, cells: []string{first}}
		n++
		// A numbered row runs to the next row's number; others take one
		// line per column.
		for n < len(lines) {
			c := cellText(lines[n].text)
			if c == "" && numbered && len(row.cells) < width && n+1 < len(lines) && !nextNumberWithin(lines[n+1:], expect+1, 1) {
				// A blank line inside a numbered row is an empty cell.
				row.cells = append(row.cells, "")
				n++
				continue
			}
			if c == "" || isHeadingLine(c) {
				break
			}
			if numbered {
				if v, ok := atoiOK(c); ok && v == expect+1 {
					break
				}
				if len(row.cells) == width && !nextNumberWithin(lines[n:], expect+1, 3) {
					break // the table has ended: this is the text after it
				}
			} else if len(row.cells) == width {
				break
			}
			if len(row.cells) == width {
				// More lines than columns: the task wrapped.
				i := max(layout.measure, 0)
				row.cells[i] = joinWrapped(row.cells[i], c)
			} else {
				row.cells = append(row.cells, c)
			}
			n++
		}
		row.cells = alignCells(row.cells, layout)
		row.text = strings.Join(row.cells, " ")
		rows = append(rows, row)
	}
	if len(rows) < 2 {
		return nil, 0
	}
	return rows, n
}

// alignCells places the cells of a row that lost its empty cells: a
// deadline goes to the deadline column, whatever came before it.
func alignCells(cells []string, layout tableLayout) []string {
	width := len(layout.cols)
	if len(cells) >= width {
		return cells
	}
	out := make([]string, 0, width)
	for i, c := range cells {
		if deadlineLike.MatchString(c) && i >= 2 {
			for d := len(out); d < width; d++ {
				if layout.cols[d] == colDeadline {
					for len(out) < d {
						out = append(out, "")
					}
					break
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// nextNumberWithin reports whether one of the first k lines is the number
// v alone: the next row of a numbered table.
func nextNumberWithin(lines []sourceLine, v, k int) bool {
	for i := 0; i < k && i < len(lines); i++ {
		if got, ok := atoiOK(cellText(lines[i].text)); ok && got == v {
			return true
		}
	}
	return false
}

func atoiOK(s string) (int, bool) {
	s = strings.TrimRight(s, ".、．")
	if s == "" || len(s) > 4 {
		return 0, false
	}
	v := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		v = v*10 + int(r-'0')
	}
	return v, true
}

func isHeadingLine(s string) bool {
	s = normalizeText(s)
	return sectionHead.MatchString(s) || parenHead.MatchString(s)
}
