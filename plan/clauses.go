package plan

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A unit clause names who is responsible for an item. Published plans write
// it in several ways, all read here (after normalization, so punctuation is
// full-width and characters Simplified):
//
//	（牵头单位：A、B）  （牵头单位：A、B；协办单位：C）  （牵头单位：A，协办单位：B）
//	（A、B牵头，C按职责分工负责）
//	牵头单位：A          on its own line after the item
//	责任单位：B、C       on its own line; alone, it names the lead
//
// A 牵头 unit is a lead; 协办/配合/参与/协助 units are co-units; 责任 units
// are co-units when a lead is named and leads otherwise.

// unitClause is what one item's clauses say, before 责任 is resolved.
type unitClause struct {
	lead, co, responsible []string
	rejected              []string // fragments that are no unit name
	// deadline is the 完成时限 written beside the units, as written;
	// leaders are the people (责任领导) named there. Neither is a unit.
	deadline string
	leaders  []string
	// firstLeads is set under a note such as 第一责任单位为牵头单位: the
	// first 责任单位 leads, the others are co-units.
	firstLeads bool
}

// merge adds another clause of the same item (a second line).
func (c *unitClause) merge(o unitClause) {
	c.lead = append(c.lead, o.lead...)
	c.co = append(c.co, o.co...)
	c.responsible = append(c.responsible, o.responsible...)
	c.rejected = append(c.rejected, o.rejected...)
	c.leaders = append(c.leaders, o.leaders...)
	if o.deadline != "" {
		c.deadline = o.deadline
	}
}

// empty reports whether the clause names nobody.
func (c *unitClause) empty() bool {
	return len(c.lead)+len(c.co)+len(c.responsible) == 0
}

// leadMark follows a unit marked as the lead inside a list:
// 责任单位：区发展改革局（牵头）、区财政局.
var leadMark = regexp.MustCompile(`[（(](牵头|牵头单位|牵头部门|主责)[）)]$`)

// roles resolves 责任: co-units when a lead is named, leads otherwise. A
// unit marked （牵头） in any list leads.
func (c *unitClause) roles() (lead, co []string) {
	unmark := func(list []string) (rest []string) {
		for _, n := range list {
			if loc := leadMark.FindStringIndex(n); loc != nil {
				lead = append(lead, n[:loc[0]])
				continue
			}
			rest = append(rest, n)
		}
		return rest
	}
	plainLead := unmark(c.lead)
	plainCo := unmark(c.co)
	plainResp := unmark(c.responsible)
	lead = append(lead, plainLead...)
	co = append(co, plainCo...)
	if len(lead) == 0 && c.firstLeads && len(plainResp) > 0 {
		return append(lead, plainResp[0]), append(co, plainResp[1:]...)
	}
	if len(lead) > 0 {
		co = append(co, plainResp...)
	} else {
		lead = append(lead, plainResp...)
	}
	return lead, co
}

type role int

const (
	roleLead role = iota
	roleCo
	roleResponsible
	roleDeadline
	roleLeader
)

// unitLabels maps the labels of labelled clauses to their role. Longer
// labels come first in labelPattern, so 牵头单位 wins over 牵头.
var unitLabels = map[string]role{
	"牵头单位": roleLead, "牵头部门": roleLead, "主办单位": roleLead, "主责单位": roleLead, "主责部门": roleLead,
	"协办单位": roleCo, "协办部门": roleCo, "配合单位": roleCo, "配合部门": roleCo, "参与单位": roleCo,
	"参与部门": roleCo, "协助单位": roleCo, "协助部门": roleCo, "协同单位": roleCo,
	"责任单位": roleResponsible, "责任部门": roleResponsible,
	"完成时限": roleDeadline, "时间节点": roleDeadline, "时限要求": roleDeadline, "完成时间": roleDeadline,
	"责任领导": roleLeader, "牵头领导": roleLeader, "分管领导": roleLeader, "牵头区领导": roleLeader, "分管区领导": roleLeader, "责任人": roleLeader,
}

var labelPattern = regexp.MustCompile(`(牵头单位|牵头部门|主办单位|主责单位|主责部门|协办单位|协办部门|配合单位|配合部门|参与单位|参与部门|协助单位|协助部门|协同单位|责任单位|责任部门|完成时限|时间节点|时限要求|完成时间|责任领导|牵头区领导|分管区领导|牵头领导|分管领导|责任人)\s*[：:]`)

// keywordSuffixes end the segments of a clause without labels, "A、B牵头".
// The longest matching suffix decides.
var keywordSuffixes = []struct {
	suffix string
	role   role
}{
	{"按职责分工负责", roleResponsible}, {"按职责分工落实", roleResponsible}, {"按职责负责", roleResponsible}, {"分工负责", roleResponsible},
	{"牵头负责", roleLead}, {"牵头落实", roleLead}, {"负责牵头", roleLead}, {"牵头", roleLead},
	{"配合", roleCo}, {"参与", roleCo}, {"协助", roleCo}, {"协办", roleCo},
	{"负责", roleResponsible}, {"落实", roleResponsible},
}

// parseLabelled reads a clause with labels, "牵头单位：A、B；协办单位：C".
// ok is false when s has no label.
func parseLabelled(s string) (unitClause, bool) {
	locs := labelPattern.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 {
		return unitClause{}, false
	}
	var c unitClause
	for i, loc := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		value := s[loc[1]:end]
		switch unitLabels[s[loc[2]:loc[3]]] {
		case roleDeadline:
			c.deadline = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(value), "；;，。、"))
			continue
		case roleLeader:
			c.leaders = append(c.leaders, splitPeople(strings.TrimRight(value, "；;，。"))...)
			continue
		}
		label := unitLabels[s[loc[2]:loc[3]]]
		// 责任单位：区发改局，区财政局、区审计局配合: a keyword ending a
		// part of the list gives that part's names their own role.
		for _, part := range splitOutsideBrackets(value, "，；") {
			r := label
			if prefix, kr, ok := keywordRole(part); ok {
				part, r = prefix, kr
			}
			names, rejected := splitUnits(part)
			c.rejected = append(c.rejected, rejected...)
			switch r {
			case roleLead:
				c.lead = append(c.lead, names...)
			case roleCo:
				c.co = append(c.co, names...)
			default:
				c.responsible = append(c.responsible, names...)
			}
		}
	}
	return c, true
}

// keywordRole reads a list that ends with a role keyword, "区财政局、区审计局
// 配合" or "区发改局牵头"; ok is false otherwise.
func keywordRole(list string) (string, role, bool) {
	list = strings.TrimSpace(list)
	for _, k := range keywordSuffixes {
		if k.role == roleResponsible {
			continue // 负责, 落实: too common at the end of names to trust
		}
		if prefix, ok := strings.CutSuffix(list, k.suffix); ok {
			if names, rejected := splitUnits(trimEtc(prefix)); len(names) > 0 && len(rejected) == 0 {
				return trimEtc(prefix), k.role, true
			}
		}
	}
	return list, 0, false
}

// splitOutsideBrackets splits s at any of seps that is not inside brackets.
func splitOutsideBrackets(s, seps string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch {
		case r == '（' || r == '(':
			depth++
		case r == '）' || r == ')':
			depth--
		case depth <= 0 && strings.ContainsRune(seps, r):
			parts = append(parts, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return append(parts, s[start:])
}

// parseKeyword reads a clause without labels, "A、B牵头，C按职责分工负责".
// A first segment without a keyword names the lead: "（A，B按职责分工负责）".
// ok is false unless every other segment ends with a role keyword and
// names units.
func parseKeyword(s string) (unitClause, bool) {
	var c unitClause
	var bare []string // a first segment without keyword
	for i, seg := range strings.FieldsFunc(s, func(r rune) bool { return r == '，' || r == '；' || r == '。' }) {
		matched := false
		for _, k := range keywordSuffixes {
			prefix, ok := strings.CutSuffix(seg, k.suffix)
			if !ok {
				continue
			}
			prefix = strings.TrimPrefix(trimEtc(strings.TrimSpace(prefix)), "由")
			names, rejected := splitUnits(prefix)
			if len(names) == 0 || len(rejected) > 0 {
				return unitClause{}, false
			}
			switch k.role {
			case roleLead:
				c.lead = append(c.lead, names...)
			case roleCo:
				c.co = append(c.co, names...)
			default:
				c.responsible = append(c.responsible, names...)
			}
			matched = true
			break
		}
		if !matched {
			names, rejected := splitUnits(trimEtc(seg))
			if i > 0 || len(names) == 0 || len(rejected) > 0 {
				return unitClause{}, false
			}
			bare = names
		}
	}
	if bare != nil {
		if c.empty() {
			return unitClause{}, false // a list of names alone is no clause
		}
		c.lead = append(bare, c.lead...)
	}
	return c, !c.empty()
}

// trimEtc drops the 等 (等部门, 等单位) that ends a list of units.
func trimEtc(s string) string {
	for _, suffix := range []string{"等部门", "等单位", "等"} {
		if t, ok := strings.CutSuffix(s, suffix); ok {
			return t
		}
	}
	return s
}

// clauseBrackets are the brackets a unit clause is written in: （…）,
// 【…】, […] and ［…］.
var clauseBrackets = map[rune]rune{'）': '（', '】': '【', ']': '[', '］': '［'}

// trailingClause finds a unit clause at the end of an item's text: in
// brackets, or unbracketed after the item's last sentence ("…。牵头单位：
// A；配合单位：B"). It returns the text without it and the clause; ok is
// false when the text ends otherwise. Brackets that hold no clause, such
// as （暂定名）, stay in the text.
func trailingClause(text string) (rest string, c unitClause, ok bool) {
	trimmed := strings.TrimRight(text, "。；;. ")
	last, size := utf8.DecodeLastRuneInString(trimmed)
	if opening, isClose := clauseBrackets[last]; isClose {
		open := matchingOpen(trimmed, opening, last)
		if open < 0 {
			return text, unitClause{}, false
		}
		inner := trimmed[open+utf8.RuneLen(opening) : len(trimmed)-size]
		if c, ok = parseLabelled(inner); !ok {
			c, ok = parseKeyword(inner)
		}
		if ok && !c.empty() {
			return strings.TrimSpace(trimmed[:open]), c, true
		}
		return text, unitClause{}, false
	}
	return unbracketedClause(text)
}

// unbracketedClause reads "牵头单位：A；配合单位：B" ending an item: the
// labels must follow a sentence's end (or open the text) and every name
// after them must be a unit.
func unbracketedClause(text string) (string, unitClause, bool) {
	for _, loc := range labelPattern.FindAllStringIndex(text, -1) {
		before := strings.TrimSpace(text[:loc[0]])
		last, _ := utf8.DecodeLastRuneInString(before)
		if before != "" && !strings.ContainsRune("。；，;,：", last) {
			continue
		}
		c, ok := parseLabelled(text[loc[0]:])
		if !ok || c.empty() || len(c.rejected) > 0 {
			continue
		}
		return strings.TrimRight(before, "，,；;："), c, true
	}
	return text, unitClause{}, false
}

// matchingOpen returns the byte index of the opening bracket that the
// final closing bracket of s closes, or -1.
func matchingOpen(s string, opening, closing rune) int {
	depth := 0
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		switch r {
		case closing:
			depth++
		case opening:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// unitLine reads a line that is only a clause: "牵头单位：A", "责任单位：B、C",
// or one in brackets.
func unitLine(text string) (unitClause, bool) {
	s := strings.TrimRight(strings.TrimSpace(text), "。；;")
	for closing, opening := range clauseBrackets {
		o, c := string(opening), string(closing)
		if strings.HasPrefix(s, o) && strings.HasSuffix(s, c) && matchingOpen(s, opening, closing) == 0 {
			s = s[len(o) : len(s)-len(c)]
			break
		}
	}
	loc := labelPattern.FindStringIndex(s)
	if loc == nil || loc[0] != 0 {
		return unitClause{}, false
	}
	return parseLabelled(s)
}

// splitUnits splits a list of unit names. Names are separated by 、，；
// (and their half-width forms, already converted); brackets inside a name,
// as in 区委（政府）办, do not split it.
func splitUnits(s string) (names, rejected []string) {
	depth := 0
	start := 0
	var parts []string
	for i, r := range s {
		switch r {
		case '（', '〈', '(', '<', '《':
			depth++
		case '）', '〉', ')', '>', '》':
			depth--
		case '、', '，', '；', ',', ';', '/':
			if depth <= 0 {
				parts = append(parts, s[start:i])
				start = i + utf8.RuneLen(r)
			}
		}
	}
	parts = append(parts, s[start:])
	for _, p := range parts {
		name := cleanUnitName(p)
		switch {
		case name == "":
		case isUnitName(name):
			names = append(names, name)
		default:
			rejected = append(rejected, name)
		}
	}
	return names, rejected
}

// cleanUnitName trims what surrounds a name in running text.
func cleanUnitName(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = strings.Trim(s, "。．.：:“”\"'")
	return trimEtc(s)
}

// isUnitName reports whether s can be the name of a unit: two to forty
// characters, mostly Chinese, no sentence punctuation.
func isUnitName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 40 || strings.ContainsAny(s, "。，；！？□：") {
		return false
	}
	han := 0
	for _, r := range s {
		if isHan(r) {
			han++
		}
	}
	return han*2 >= n
}
