package plan

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// workbookReader reads a plan workbook, collecting every problem with its
// sheet and row.
type workbookReader struct {
	problems []Problem
}

func (r *workbookReader) errf(sheet string, row int, format string, args ...any) {
	r.problems = append(r.problems, Problem{Line: row, Message: fmt.Sprintf("工作表“%s”第%d行：", sheet, row) + fmt.Sprintf(format, args...)})
}

// parseWorkbook reads a plan workbook. Errors are *FileError, whose lines
// are rows of the sheet each message names.
func parseWorkbook(data []byte) (*Plan, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), xlsxLimits)
	if err != nil {
		return nil, &FileError{Problems: []Problem{{Line: 1, Message: "not a readable Excel workbook: " + err.Error()}}}
	}
	defer f.Close()
	r := &workbookReader{}
	sheets := map[string][][]string{}
	for _, name := range []string{sheetGuide, sheetMeasures, sheetProjects, sheetUnits} {
		rows, err := sheetRows(f, name)
		if err != nil {
			r.problems = append(r.problems, Problem{Line: 1, Message: fmt.Sprintf("工作表“%s”无法读取：%v", name, err)})
			continue
		}
		sheets[name] = rows
	}
	if len(r.problems) > 0 {
		return nil, &FileError{Problems: r.problems}
	}
	p := &Plan{Categories: []Category{}, Units: []Unit{}}
	src := &Source{Lines: map[string]int{}, Comments: map[string]Comment{}, Workbook: true}
	r.guide(p, sheets[sheetGuide])
	b := &planBuilder{p: p, cats: map[string]int{}, projects: map[[2]string][2]int{}}
	r.projects(b, sheets[sheetProjects])
	r.measures(b, sheets[sheetMeasures], src)
	r.units(p, sheets[sheetUnits], src)
	if len(r.problems) > 0 {
		return nil, &FileError{Problems: r.problems}
	}
	p.Source = src
	return p, nil
}

// columnsOf maps a sheet's header row to the columns wanted; a column
// missing from the header is a problem.
func (r *workbookReader) columnsOf(sheet string, rows [][]string, want []string) (map[string]int, bool) {
	cols := map[string]int{}
	if len(rows) > 0 {
		for i, h := range rows[0] {
			cols[strings.TrimSpace(h)] = i
		}
	}
	ok := true
	for _, w := range want {
		if _, found := cols[w]; !found {
			r.errf(sheet, 1, "缺少“%s”列", w)
			ok = false
		}
	}
	return cols, ok
}

func (r *workbookReader) guide(p *Plan, rows [][]string) {
	for i, row := range rows {
		if len(row) < 2 {
			continue
		}
		v := row[1]
		switch strings.TrimSpace(row[0]) {
		case fieldTitle:
			p.Title = v
		case fieldDocNumber:
			p.DocNumber = v
		case fieldIssuers:
			p.Issuers = splitList(v)
		case fieldPublished:
			p.Published = v
		case fieldYear:
			if v != "" {
				y, err := strconv.Atoi(v)
				if err != nil {
					r.errf(sheetGuide, i+1, "年度须为数字，如 2026")
				}
				p.Year = y
			}
		case fieldCadence:
			switch v {
			case "每月", string(Monthly):
				p.Reporting.Cadence = Monthly
			case "每季度", string(Quarterly):
				p.Reporting.Cadence = Quarterly
			default:
				r.errf(sheetGuide, i+1, "报送周期须为“每月”或“每季度”")
			}
		case fieldAcceptance:
			p.Reporting.Acceptance = v == "是"
		case fieldBasis:
			for _, s := range strings.Split(v, "\n") {
				if s = strings.TrimSpace(s); s != "" {
					p.Reporting.Basis = append(p.Reporting.Basis, s)
				}
			}
		}
	}
}

// planBuilder places projects and measures in their categories, in the
// order the sheets list them.
type planBuilder struct {
	p        *Plan
	cats     map[string]int       // category cell → index
	projects map[[2]string][2]int // (category, project) cells → indexes
}

func (b *planBuilder) project(cat, proj string) *Project {
	ci, ok := b.cats[cat]
	if !ok {
		n, title := parseHeadingCell(cat, sectionHead)
		b.p.Categories = append(b.p.Categories, Category{Number: n, Title: title, Projects: []Project{}})
		ci = len(b.p.Categories) - 1
		b.cats[cat] = ci
	}
	key := [2]string{cat, proj}
	idx, ok := b.projects[key]
	if !ok {
		n, title := parseHeadingCell(proj, parenHead)
		c := &b.p.Categories[ci]
		c.Projects = append(c.Projects, Project{Number: n, Title: title, Measures: []Measure{}})
		idx = [2]int{ci, len(c.Projects) - 1}
		b.projects[key] = idx
	}
	return &b.p.Categories[idx[0]].Projects[idx[1]]
}

// parseHeadingCell reads 二、标题 or （一）标题; a cell without a numeral is
// a title of a level the document does not number.
func parseHeadingCell(cell string, numbered interface{ FindStringSubmatch(string) []string }) (int, string) {
	if m := numbered.FindStringSubmatch(cell); m != nil {
		return chineseNumeral(m[1]), m[2]
	}
	return 0, cell
}

func (r *workbookReader) projects(b *planBuilder, rows [][]string) {
	cols, ok := r.columnsOf(sheetProjects, rows, projectColumns)
	if !ok {
		return
	}
	for _, row := range rows[min(1, len(rows)):] {
		get := func(name string) string { return cellAt([][]string{row}, 0, cols[name]) }
		if get("类别")+get("项目")+get("简介") == "" {
			continue
		}
		b.project(get("类别"), get("项目")).Summary = get("简介")
	}
}

func (r *workbookReader) measures(b *planBuilder, rows [][]string, src *Source) {
	cols, ok := r.columnsOf(sheetMeasures, rows, measureColumns)
	if !ok {
		return
	}
	for i, row := range rows[min(1, len(rows)):] {
		get := func(name string) string { return cellAt([][]string{row}, 0, cols[name]) }
		if strings.Join(row, "") == "" {
			continue
		}
		line := i + 2
		m := Measure{
			ID:           strings.TrimSpace(get("编号")),
			Title:        get("措施"),
			Text:         get("内容"),
			LeadUnits:    orEmpty(splitList(get("牵头单位"))),
			CoUnits:      orEmpty(splitList(get("协办单位"))),
			DeadlineText: get("完成时限"),
			Deadline:     strings.TrimSpace(get("完成日期")),
			Leaders:      splitList(get("责任领导")),
		}
		if m.ID == "" {
			r.errf(sheetMeasures, line, "编号为空")
		}
		if d, ok := parseDeadline(m.Deadline, b.p.Year); ok && d != m.Deadline {
			// A date Excel formatted its own way (06-30-26, 2026/6/30).
			m.Deadline = d
		}
		pr := b.project(get("类别"), get("项目"))
		pr.Measures = append(pr.Measures, m)
		cat := b.p.Categories[b.cats[get("类别")]]
		src.Lines[fmt.Sprintf("categories/#%d/projects/#%d/measures/#%s", cat.Number, pr.Number, m.ID)] = line
	}
}

func (r *workbookReader) units(p *Plan, rows [][]string, src *Source) {
	cols, ok := r.columnsOf(sheetUnits, rows, unitColumns)
	if !ok {
		return
	}
	for i, row := range rows[min(1, len(rows)):] {
		get := func(name string) string { return cellAt([][]string{row}, 0, cols[name]) }
		if strings.Join(row, "") == "" {
			continue
		}
		u := Unit{
			Name:     strings.TrimSpace(get("单位")),
			Aliases:  orEmpty(splitList(get("别名"))),
			Group:    get("单位组") == "是",
			Members:  splitList(get("成员")),
			Formerly: splitList(get("曾用名")),
		}
		if u.Name == "" {
			r.errf(sheetUnits, i+2, "单位名称为空")
		}
		p.Units = append(p.Units, u)
		src.Lines["units/#"+u.Name] = i + 2
	}
}

// splitList splits a cell that lists names: 、 as written, and the
// separators people type (，；, newlines).
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == '，' || r == '；' || r == ',' || r == ';' || r == '\n'
	}) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
