package plan

import (
	"regexp"
	"strconv"
	"strings"
)

// A plan document is an outline: sections 一、, items （一）, numbered items
// 1. (or 1、 or （1）), and paragraphs. structure reads the outline; assemble
// (in assemble.go) decides which parts of it are the plan.

var (
	sectionHead  = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.*)$`)
	parenHead    = regexp.MustCompile(`^[（(]\s*([一二三四五六七八九十]{1,3}|□)\s*[）)、]\s*(.*)$`)
	numberedHead = regexp.MustCompile(`^(\d{1,3})\s*(?:[.、．]|[）)])\s*(\D.*)?$`)
	bracketNum   = regexp.MustCompile(`^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$`)
)

// Outline levels.
const (
	levelRoot = iota
	levelSection
	levelParen
	levelNumbered
)

// item is one heading of the outline with what belongs to it.
type item struct {
	level    int
	number   int // 0 when the numeral was lost
	line     int
	head     string   // text on the heading line after the numeral
	body     []string // the paragraphs that follow it
	bodyLine []int    // their line numbers
	clause   unitClause
	hasUnits bool
	units    int // line of the first unit clause
	// unitLines are the unit clauses on lines of their own, with how many
	// body paragraphs came before each: under a heading without numbered
	// items, each closes one measure (splitUnnumbered).
	unitLines []bodyClause
	// firstLeads: a note before the item said 第一责任单位为牵头单位.
	firstLeads bool
	// detached are the lines of paragraphs cut off the item because they
	// carry another measure's clause (detachExtra).
	detached []int
	children []*item
	parent   *item
}

// text is the item's whole text: heading line and paragraphs.
func (it *item) text() string {
	parts := append([]string{it.head}, it.body...)
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// bodyClause is a unit clause on a line of its own inside an item's body.
type bodyClause struct {
	after  int // body paragraphs before it
	line   int
	clause unitClause
}

// conventionNote is a note that the first of the 责任单位 leads.
var conventionNote = regexp.MustCompile(`(第一责任单位|(排在|列|位列)第一位?的?(责任)?(单位)?|排名第一的?(责任)?(单位)?|第一个(责任)?单位)(为|是)牵头单位`)

// outline reads the normalized lines into a tree of items. Unit lines
// ("牵头单位：…") attach to the deepest open item; other lines that are no
// heading continue it.
func outline(lines []sourceLine) *item {
	root := &item{level: levelRoot}
	open := [4]*item{root}
	deepest := func() *item {
		for lv := levelNumbered; lv > levelRoot; lv-- {
			if open[lv] != nil {
				return open[lv]
			}
		}
		return root
	}
	firstLeads := false
	add := func(level, number int, head string, line int) {
		parent := root
		for lv := level - 1; lv > levelRoot; lv-- {
			if open[lv] != nil {
				parent = open[lv]
				break
			}
		}
		it := &item{level: level, number: number, head: head, line: line, parent: parent, firstLeads: firstLeads}
		parent.children = append(parent.children, it)
		open[level] = it
		for lv := level + 1; lv <= levelNumbered; lv++ {
			open[lv] = nil
		}
	}
	for _, l := range lines {
		if l.tableEnd {
			// Text after a table is not its last row's.
			open[levelNumbered] = nil
			continue
		}
		if l.row != nil {
			head, rest, _ := strings.Cut(l.text, "\n")
			add(levelNumbered, l.row.number, strings.TrimSpace(head), l.num)
			it := open[levelNumbered]
			for _, b := range strings.Split(rest, "\n") {
				if b = strings.TrimSpace(b); b != "" {
					it.body = append(it.body, b)
					it.bodyLine = append(it.bodyLine, l.num)
				}
			}
			it.clause, it.hasUnits, it.units = l.row.clause, !l.row.clause.empty(), l.num
			continue
		}
		text := strings.TrimSpace(l.text)
		if text == "" {
			continue
		}
		if conventionNote.MatchString(text) {
			firstLeads = true
		}
		if c, ok := unitLine(text); ok {
			it := deepest()
			if it != root {
				if !it.hasUnits {
					it.units = l.num
				}
				it.clause.merge(c)
				it.hasUnits = it.hasUnits || !c.empty()
				it.unitLines = append(it.unitLines, bodyClause{after: len(it.body), line: l.num, clause: c})
				continue
			}
		}
		if m := sectionHead.FindStringSubmatch(text); m != nil {
			add(levelSection, chineseNumeral(m[1]), m[2], l.num)
			continue
		}
		if m := parenHead.FindStringSubmatch(text); m != nil {
			add(levelParen, chineseNumeral(m[1]), m[2], l.num)
			continue
		}
		if m := numberedHead.FindStringSubmatch(text); m != nil && m[2] != "" {
			n, _ := strconv.Atoi(m[1])
			add(levelNumbered, n, m[2], l.num)
			continue
		}
		if m := bracketNum.FindStringSubmatch(text); m != nil && m[2] != "" {
			n, _ := strconv.Atoi(m[1])
			add(levelNumbered, n, m[2], l.num)
			continue
		}
		it := deepest()
		it.body = append(it.body, text)
		it.bodyLine = append(it.bodyLine, l.num)
	}
	return root
}

// takeClause moves a unit clause at the end of the item's text into its
// clause. It reports whether the item names units.
func (it *item) takeClause() bool {
	if it.hasUnits {
		return true
	}
	if d := it.detachExtra(); d != nil {
		it.detached = d
	}
	target, line := &it.head, it.line
	if n := len(it.body); n > 0 {
		target, line = &it.body[n-1], it.bodyLine[n-1]
	}
	rest, c, ok := trailingClause(*target)
	if !ok && len(it.body) > 0 {
		// Text copied from a PDF breaks lines anywhere, inside the clause
		// too: read the item as one run of text.
		joined := strings.Join(append([]string{it.head}, it.body...), "")
		if rest, c, ok = trailingClause(joined); ok && !strings.Contains(*target, "（") {
			it.head, it.body, it.bodyLine = rest, nil, nil
			target = &it.head
		} else {
			ok = false
		}
	}
	if !ok {
		return false
	}
	*target = rest
	it.clause.merge(c)
	it.hasUnits = !it.clause.empty()
	it.units = line
	return it.hasUnits
}

// detachExtra ends the item at its first paragraph that closes with a unit
// clause, when a later paragraph closes with one of its own: that is text
// of another measure the document did not number, which must not become
// this one's (nor give it its units). It returns the lines detached.
func (it *item) detachExtra() []int {
	if it.hasUnits || len(it.body) == 0 {
		return nil
	}
	first := -1 // -1: the head; i: body[i]
	if _, _, ok := trailingClause(it.head); !ok {
		first = len(it.body)
		for i, p := range it.body {
			if _, _, ok := trailingClause(p); ok {
				first = i
				break
			}
		}
	}
	if first >= len(it.body)-1 {
		return nil // no clause, or only in the last paragraph
	}
	later := false
	for _, p := range it.body[first+1:] {
		if _, _, ok := trailingClause(p); ok {
			later = true
		}
	}
	if !later {
		return nil
	}
	detached := append([]int(nil), it.bodyLine[first+1:]...)
	it.body, it.bodyLine = it.body[:first+1], it.bodyLine[:first+1]
	return detached
}

// splitUnnumbered reads the paragraphs under a heading without numbered
// items as measures when more than one of them closes with its own unit
// clause (at its end, or on the line after it): each is one measure, with
// the paragraphs before it that no clause closed. It returns nil when the
// heading holds one measure or none.
func (it *item) splitUnnumbered() []*item {
	var out []*item
	var cur *item
	next := 0 // it.unitLines not yet placed
	closeWith := func(target *item, bc bodyClause) {
		if !target.hasUnits {
			target.units = bc.line
		}
		target.clause.merge(bc.clause)
		target.hasUnits = target.hasUnits || !bc.clause.empty()
	}
	placeUnitLines := func(after int) {
		for next < len(it.unitLines) && it.unitLines[next].after <= after {
			switch {
			case cur != nil:
				closeWith(cur, it.unitLines[next])
				out, cur = append(out, cur), nil
			case len(out) > 0:
				// A second clause line (责任单位 after 牵头单位) of the
				// measure just closed.
				closeWith(out[len(out)-1], it.unitLines[next])
			}
			next++
		}
	}
	placeUnitLines(0)
	for i, p := range it.body {
		if cur == nil {
			cur = &item{level: levelNumbered, line: it.bodyLine[i], parent: it, firstLeads: it.firstLeads, head: p}
		} else {
			cur.body = append(cur.body, p)
			cur.bodyLine = append(cur.bodyLine, it.bodyLine[i])
		}
		if rest, c, ok := trailingClause(p); ok {
			if len(cur.body) == 0 {
				cur.head = rest
			} else {
				cur.body[len(cur.body)-1] = rest
			}
			cur.clause, cur.hasUnits, cur.units = c, !c.empty(), it.bodyLine[i]
			if next < len(it.unitLines) && it.unitLines[next].after == i+1 {
				placeUnitLines(i + 1) // more of its clause on the next line
				continue
			}
			out, cur = append(out, cur), nil
			continue
		}
		placeUnitLines(i + 1)
	}
	if len(out) < 2 {
		return nil
	}
	if cur != nil {
		// Text after the last clause: a measure without units, which
		// the assembler reports, rather than text silently dropped.
		out = append(out, cur)
	}
	for i, m := range out {
		m.number = i + 1
	}
	return out
}
