package plan

import (
	"io"
	"sort"
	"strings"
)

// Import reads a published plan document (UTF-8, UTF-16 or GBK text;
// Simplified or Traditional; half- or full-width punctuation) and returns
// the plan in it with warnings for everything it repaired, guessed or left
// out, each with its line in the document.
//
// The steps: repair mojibake (repair.go), strip pinyin and convert to
// Simplified (normalize.go), read the outline (structure.go), pick out
// categories, projects and measures with their units (assemble.go), and
// read the notice's header and mechanisms (header.go).
//
// A plan file, YAML or workbook, reads back as the plan it holds, without
// warnings (and errors are its *FileError), so that Import converts one
// into the other.
//
// Import returns an error, never a partial plan, for input that holds no
// plan: empty, larger than MaxDocumentSize, binary, or text without a
// single measure.
func Import(r io.Reader) (*Plan, []Warning, error) {
	data, err := readInput(r)
	if err != nil {
		return nil, nil, err
	}
	if p, ok, err := readPlanWorkbook(data); ok || err != nil {
		// The plan workbook reformbot writes reads back as it was.
		return p, []Warning{}, err
	}
	if p, ok, err := readPlanFile(data); ok {
		// So is the YAML plan file, to turn it into a workbook.
		return p, []Warning{}, err
	}
	lines, warnings, err := readModel(data)
	if err != nil {
		return nil, nil, err
	}
	warnings = append(warnings, repairDocument(lines)...)
	warnings = append(warnings, normalizeDocument(lines)...)
	lines, w := tableStage(lines)
	warnings = append(warnings, w...)

	root := outline(lines)
	a := &assembler{units: newUnitRegistry(), ids: map[string]int{}}
	cats, used := a.categories(root)
	p := &Plan{Categories: cats, Units: a.units.units}
	if len(p.Measures()) == 0 {
		return nil, nil, noPlanError(root, lines)
	}
	if p.Units == nil {
		p.Units = []Unit{}
	}
	joinUnitNames(p, documentText(lines))
	preamble, notice := noticeLines(lines, root, used)
	warnings = append(warnings, readHeader(p, preamble)...)
	reporting, w := readReporting(notice)
	p.Reporting = reporting
	warnings = append(warnings, w...)
	warnings = append(warnings, a.warnings...)
	warnings = append(warnings, setDeadlines(p)...)
	placeWarnings(warnings, lines)
	sort.SliceStable(warnings, func(i, j int) bool { return warnings[i].Line < warnings[j].Line })
	if warnings == nil {
		warnings = []Warning{}
	}
	return p, warnings, nil
}

// documentText is the whole normalized text, for rules that ask whether
// the document uses a word.
func documentText(lines []sourceLine) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return b.String()
}

// noticeLines returns the lines before the first section (the notice's
// header and body) and every line that is not part of a category (those
// and sections such as 指导思想 and 保障措施).
func noticeLines(lines []sourceLine, root *item, used map[*item]bool) (preamble, notice []sourceLine) {
	first := 0
	var ranges [][2]int
	for i, it := range root.children {
		if first == 0 {
			first = it.line
		}
		if !used[it] {
			continue
		}
		end := int(^uint(0) >> 1)
		if i+1 < len(root.children) {
			end = root.children[i+1].line
		}
		ranges = append(ranges, [2]int{it.line, end})
	}
	if used[root] {
		// The plan has items outside any section: only what comes
		// before the first of them is notice.
		ranges = append(ranges, [2]int{first, int(^uint(0) >> 1)})
	}
	// Lines and ranges are both in document order: one walk covers both.
	next := 0
	for _, l := range lines {
		if first == 0 || l.num < first {
			preamble = append(preamble, l)
		}
		for next < len(ranges) && ranges[next][1] <= l.num {
			next++
		}
		if next >= len(ranges) || l.num < ranges[next][0] {
			notice = append(notice, l)
		}
	}
	return preamble, notice
}
