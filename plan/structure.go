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
	add := func(level, number int, head string, line int) {
		parent := root
		for lv := level - 1; lv > levelRoot; lv-- {
			if open[lv] != nil {
				parent = open[lv]
				break
			}
		}
		it := &item{level: level, number: number, head: head, line: line, parent: parent}
		parent.children = append(parent.children, it)
		open[level] = it
		for lv := level + 1; lv <= levelNumbered; lv++ {
			open[lv] = nil
		}
	}
	for _, l := range lines {
		text := strings.TrimSpace(l.text)
		if text == "" {
			continue
		}
		if c, ok := unitLine(text); ok {
			it := deepest()
			if it != root {
				if !it.hasUnits {
					it.units = l.num
				}
				it.clause.merge(c)
				it.hasUnits = true
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
	target, line := &it.head, it.line
	if n := len(it.body); n > 0 {
		target, line = &it.body[n-1], it.bodyLine[n-1]
	}
	rest, c, ok := trailingClause(*target)
	if !ok {
		return false
	}
	*target = rest
	it.clause = c
	it.hasUnits = true
	it.units = line
	return true
}
