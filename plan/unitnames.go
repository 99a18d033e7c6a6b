package plan

import (
	"strings"
	"unicode/utf8"
)

// One unit goes by several names in one document, and by general rules
// rather than a table of one district's units:
//
//	区发展和改革局 = 区发展改革局       和 dropped
//	区住房和建设局 = 区住建局           the first character of each word
//	区文化和旅游局 = 区文化局           the part before 和
//	区委组织部     = 区委组织           部 dropped after 区委/市委
//
// A rule joins two names only when the document itself shows both: as two
// units of its clauses (merged into the first one named), or as a unit and
// a word of its text (recorded as an alias). Brackets and 等部门 are
// normalised where names are read (canonicalUnitName, cleanUnitName); the
// office adds what no rule sees as aliases in the plan file.

// unitPrefixes are the administrative prefixes of unit names, longest
// first.
var unitPrefixes = []string{"区委", "市委", "县委", "区", "市", "县"}

// nameVariants returns the other names the rules give a unit name.
func nameVariants(name string) []string {
	prefix := ""
	for _, p := range unitPrefixes {
		if strings.HasPrefix(name, p) {
			prefix = p
			break
		}
	}
	rest := strings.TrimPrefix(name, prefix)
	last, size := utf8.DecodeLastRuneInString(rest)
	if prefix == "" || size == 0 || !strings.ContainsRune("局委办部厅处署", last) {
		return nil
	}
	middle := []rune(rest[:len(rest)-size])
	suffix := string(last)
	var out []string
	add := func(m []rune) {
		if v := prefix + string(m) + suffix; len(m) >= 2 && v != name {
			out = append(out, v)
		}
	}
	plain := []rune(strings.ReplaceAll(string(middle), "和", ""))
	if len(plain) != len(middle) {
		add(plain) // 发展和改革 → 发展改革
		if before, _, ok := strings.Cut(string(middle), "和"); ok {
			add([]rune(before)) // 文化和旅游 → 文化
		}
	} else if len(middle) == 4 {
		add([]rune(string(middle[:2]) + "和" + string(middle[2:]))) // 住房建设 → 住房和建设
	}
	if len(plain) >= 4 && len(plain)%2 == 0 {
		var initials []rune
		for i := 0; i < len(plain); i += 2 {
			initials = append(initials, plain[i])
		}
		add(initials) // 住房建设 → 住建
	}
	if strings.HasSuffix(prefix, "委") {
		if last == '部' {
			out = append(out, prefix+string(middle)) // 区委组织部 → 区委组织
		}
	}
	return out
}

// joinUnitNames applies the rules to the units an import found: units the
// rules join are merged into the one named first, and a variant the text
// uses becomes an alias. Measures follow the merge.
func joinUnitNames(p *Plan, text string) {
	key := map[string]int{} // normalized name or variant → unit index
	renamed := map[string]string{}
	var kept []Unit
	for _, u := range p.Units {
		names := append([]string{u.Name}, nameVariants(u.Name)...)
		target := -1
		for _, n := range names {
			if i, ok := key[unitKey(n)]; ok {
				target = i
				break
			}
		}
		if target < 0 {
			kept = append(kept, u)
			target = len(kept) - 1
		} else {
			into := &kept[target]
			renamed[u.Name] = into.Name
			for _, a := range append([]string{u.Name}, u.Aliases...) {
				if a != into.Name && !contains(into.Aliases, a) {
					into.Aliases = append(into.Aliases, a)
				}
			}
		}
		for _, n := range names {
			if _, ok := key[unitKey(n)]; !ok {
				key[unitKey(n)] = target
			}
		}
	}
	for i := range kept {
		u := &kept[i]
		for _, v := range nameVariants(u.Name) {
			if v != u.Name && !contains(u.Aliases, v) && strings.Contains(text, v) && !isPartOfLonger(text, v) {
				if _, taken := key[unitKey(v)]; taken && key[unitKey(v)] != i {
					continue
				}
				u.Aliases = append(u.Aliases, v)
			}
		}
	}
	p.Units = kept
	if len(renamed) == 0 {
		return
	}
	rename := func(list []string, exclude []string) []string {
		out := []string{}
		for _, n := range list {
			if r, ok := renamed[n]; ok {
				n = r
			}
			if !contains(out, n) && !contains(exclude, n) {
				out = append(out, n)
			}
		}
		return out
	}
	for ci := range p.Categories {
		for pi := range p.Categories[ci].Projects {
			ms := p.Categories[ci].Projects[pi].Measures
			for mi := range ms {
				ms[mi].LeadUnits = rename(ms[mi].LeadUnits, nil)
				ms[mi].CoUnits = rename(ms[mi].CoUnits, ms[mi].LeadUnits)
			}
		}
	}
}

// unitKey is NormalizeUnitName for names already Simplified, as every name
// of an import is once normalized: without the costly conversion.
func unitKey(s string) string { return bracketReplacer.Replace(foldWidth(s)) }

// isPartOfLonger reports whether every use of v in text is the start of a
// longer name (区委组织 inside 区委组织部 is no use of 区委组织).
func isPartOfLonger(text, v string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], v)
		if j < 0 {
			return true
		}
		end := i + j + len(v)
		next, _ := utf8.DecodeRuneInString(text[end:])
		if !isHan(next) {
			return false
		}
		i = end
	}
}
