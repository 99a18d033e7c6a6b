package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// assembler turns an outline into categories, projects and measures.
//
// A measure is an item that names units (or a numbered item whose siblings
// do). A project is a （一） item whose numbered items are measures; a （一）
// item that names units itself, with no numbered items, is a measure of a
// category without projects. A category is a section 一、 with measures.
// Everything else (指导思想, principles, 保障措施) is the notice around the
// plan, not part of it.
type assembler struct {
	units    *unitRegistry
	warnings []Warning
	ids      map[string]int // measure ID → line, to catch a document that numbers two sections alike
	last     int            // the number of the last measure assembled, for counts that run through the plan
	lastProj int            // the same for projects
}

func (a *assembler) warn(line int, format string, args ...any) {
	a.warnings = append(a.warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

// categories assembles the plan's categories. used receives every section
// that became a category.
func (a *assembler) categories(root *item) (cats []Category, used map[*item]bool) {
	used = map[*item]bool{}
	var loose []*item // items outside any section
	expected := 1
	for _, it := range root.children {
		if it.level != levelSection {
			loose = append(loose, it)
			continue
		}
		number := a.number(it, expected, "类别")
		expected = number + 1
		c, ok := a.category(it, number, it.head)
		if ok {
			cats = append(cats, c)
			used[it] = true
		}
	}
	if len(loose) > 0 {
		if c, ok := a.category(&item{children: loose}, 0, ""); ok {
			cats = append([]Category{c}, cats...)
			used[root] = true
		}
	}
	return cats, used
}

// category assembles one section. ok is false when it holds no measure.
func (a *assembler) category(sec *item, number int, title string) (Category, bool) {
	c := Category{Number: number, Title: cleanTitle(title), Projects: []Project{}}
	loose := Project{Measures: []Measure{}}
	var looseItems []*item
	expected := 1
	for _, it := range sec.children {
		switch it.level {
		case levelParen:
			children := numberedChildren(it)
			if len(children) == 0 {
				if split := it.splitUnnumbered(); split != nil {
					children = split
					it.body, it.bodyLine, it.clause, it.hasUnits, it.unitLines = nil, nil, unitClause{}, false, nil
				}
			}
			hasUnits := it.takeClause()
			childUnits := anyUnits(children)
			switch {
			case len(children) > 0 && (childUnits || hasUnits):
				if len(c.Projects) == 0 && it.number > 1 && it.number == a.lastProj+1 {
					// Projects counted through the plan: （三） under 二.
					expected = it.number
				}
				n := a.number(it, expected, "项目")
				expected, a.lastProj = n+1, n
				p := a.project(c.Number, n, it, children)
				c.Projects = append(c.Projects, p)
			case hasUnits:
				looseItems = append(looseItems, it)
			case len(children) > 0:
				a.warn(it.line, "（%s）下有编号条目，但都没有写明责任单位，未作为项目读取", ChineseNumeral(it.number))
			}
		case levelNumbered:
			looseItems = append(looseItems, it)
		}
	}
	if anyUnits(looseItems) {
		loose.Measures = a.measures([]int{c.Number}, looseItems, nil)
		c.Projects = append([]Project{loose}, c.Projects...)
	}
	return c, len(c.Projects) > 0
}

// number returns the item's number, or the expected one (with a warning)
// when the document lost it. A number out of order is kept, with a warning:
// IDs are the document's own numbering.
func (a *assembler) number(it *item, expected int, what string) int {
	if it.number == 0 {
		a.warn(it.line, "%s编号缺失，按顺序编为 %d", what, expected)
		return expected
	}
	if it.number != expected {
		a.warn(it.line, "%s编号 %d 接在 %d 之后，编号不连续", what, it.number, expected-1)
	}
	return it.number
}

// project assembles a （一） item and its numbered measures.
func (a *assembler) project(category, number int, it *item, children []*item) Project {
	title, summary := splitHeading(it.head)
	body := append([]string{summary}, it.body...)
	p := Project{
		Number:  number,
		Title:   title,
		Summary: strings.TrimSpace(strings.Join(nonEmpty(body), "\n")),
	}
	if strings.ContainsRune(p.Title, lostMark) {
		if fixed, ok := fillLost(p.Title, p.Summary); ok {
			a.warn(it.line, "项目标题“%s”有缺字，已按其导语补为“%s”", p.Title, fixed)
			p.Title = fixed
		}
	}
	var inherit *item
	if it.hasUnits {
		inherit = it
	}
	p.Measures = a.measures(idPrefix(category, number), children, inherit)
	return p
}

// measures assembles items as measures numbered within prefix. Items that
// name no units inherit those of from, if given.
func (a *assembler) measures(prefix []int, items []*item, from *item) []Measure {
	out := []Measure{}
	seen := map[int]bool{}
	expected := 1
	for i, it := range items {
		it.takeClause()
		if i == 0 && it.number > 1 && it.number == a.last+1 {
			// The document counts its measures through the plan (1–3
			// under 一, 4–5 under 二), as many tables do: no gap.
			expected = it.number
		}
		n := a.number(it, expected, "举措")
		if seen[n] {
			a.warn(it.line, "举措编号 %d 重复，按顺序编为 %d", n, expected)
			n = expected
		}
		seen[n] = true
		expected, a.last = n+1, n
		id := joinID(append(append([]int{}, prefix...), n))
		if err := CheckMeasureID(id); err != nil {
			a.warn(it.line, "measure id %s %v; renumber it in the plan file", id, err)
		}
		if first, dup := a.ids[id]; dup {
			a.warn(it.line, "举措编号 %s 重复（首次在第 %d 行），请在计划文件中改编其一", id, first)
		} else {
			a.ids[id] = it.line
		}
		for _, line := range it.detached {
			a.warn(line, "这一段在举措 %s 的责任单位之后，且有自己的责任单位，但没有编号：未读作举措，请在计划文件中补上", id)
		}
		m := Measure{ID: id, Text: it.text(), LeadUnits: []string{}, CoUnits: []string{}}
		m.Title = measureTitle(m.Text)
		clause, line := it.clause, it.units
		if !it.hasUnits && from != nil {
			clause, line = from.clause, from.units
			a.warn(it.line, "举措 %s 未写责任单位，沿用所属项目的（第 %d 行）", id, from.units)
		}
		for _, r := range clause.rejected {
			a.warn(line, "举措 %[2]s 的责任单位中“%[1]s”不是单位名称，已忽略", r, id)
		}
		clause.firstLeads = clause.firstLeads || it.firstLeads
		m.DeadlineText = clause.deadline
		if m.DeadlineText == "" {
			// …改革，2018年6月底前完成。（牵头单位：…）
			m.DeadlineText = deadlineInText(m.Text)
		}
		if len(clause.leaders) > 0 {
			m.Leaders = clause.leaders
		}
		lead, co := clause.roles()
		m.LeadUnits = a.resolveAll(lead, nil)
		m.CoUnits = a.resolveAll(co, m.LeadUnits)
		if len(m.CoUnits) < len(co) {
			a.warn(line, "举措 %s 中同一单位既是牵头又是协办，按牵头处理", id)
		}
		if len(m.LeadUnits) == 0 {
			if !it.hasUnits && from == nil {
				// Say what it ends with: the form that was not read.
				a.warn(it.line, "举措 %s 没有牵头单位：结尾“%s”不是能识别的责任单位写法（如（牵头单位：…））", id, tail(m.Text, 24))
			} else {
				a.warn(it.line, "举措 %s 没有牵头单位", id)
			}
		}
		if m.Title == "" {
			a.warn(it.line, "举措 %s 没有内容", id)
		}
		if strings.ContainsRune(m.Title, lostMark) {
			a.warn(it.line, "举措 %s 的标题有缺字（□）", id)
		}
		out = append(out, m)
	}
	return out
}

// resolveAll maps names to canonical unit names, once each, leaving out
// those in exclude.
func (a *assembler) resolveAll(names, exclude []string) []string {
	out := []string{}
	for _, n := range names {
		c := a.units.resolve(n)
		if !contains(out, c) && !contains(exclude, c) {
			out = append(out, c)
		}
	}
	return out
}

// tail is the end of s, at most n runes, for a message.
func tail(s string, n int) string {
	rs := []rune(strings.ReplaceAll(s, "\n", " "))
	if len(rs) <= n {
		return string(rs)
	}
	return "…" + string(rs[len(rs)-n:])
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func numberedChildren(it *item) []*item {
	var out []*item
	for _, c := range it.children {
		if c.level == levelNumbered {
			out = append(out, c)
		}
	}
	return out
}

// anyUnits reports whether any of the items names units.
func anyUnits(items []*item) bool {
	found := false
	for _, it := range items {
		if it.takeClause() {
			found = true
		}
	}
	return found
}

func idPrefix(levels ...int) []int {
	var out []int
	for _, l := range levels {
		if l > 0 {
			out = append(out, l)
		}
	}
	return out
}

// joinID writes the numbers of the levels that exist: 2.1.1, or 1.3 for a
// document without sections, or 4 for one without sections and projects.
func joinID(levels []int) string {
	parts := make([]string, 0, len(levels))
	for _, l := range levels {
		if l > 0 {
			parts = append(parts, strconv.Itoa(l))
		}
	}
	return strings.Join(parts, ".")
}

// splitHeading splits a heading line into its title and the text after the
// title's 。, for headings that run on into their first paragraph.
func splitHeading(head string) (title, rest string) {
	if t, r, ok := strings.Cut(head, "。"); ok {
		return cleanTitle(t), strings.TrimSpace(r)
	}
	return cleanTitle(head), ""
}

// measureTitle is a measure's lead phrase: its text up to the first 。 (or
// ！, ？, ；), or the whole first paragraph.
func measureTitle(text string) string {
	first, _, _ := strings.Cut(text, "\n")
	if i := strings.IndexAny(first, "。！？；"); i >= 0 {
		first = first[:i]
	}
	return cleanTitle(first)
}

func cleanTitle(s string) string {
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), "。：；，、 "))
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// fillLost restores the lost characters (□) of s from a text that spells s
// out intact, as a project's introduction usually restates its name. It
// succeeds only when the text offers exactly one way to fill them.
func fillLost(s, text string) (string, bool) {
	if len(s) > 600 {
		return "", false // no title is that long; do not build a huge pattern
	}
	parts := strings.Split(s, string(lostMark))
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile(strings.Join(parts, `(\p{Han})`))
	if err != nil {
		return "", false
	}
	found := map[string]bool{}
	for _, m := range re.FindAllString(text, -1) {
		found[m] = true
	}
	if len(found) != 1 {
		return "", false
	}
	for m := range found {
		return m, true
	}
	return "", false
}
