package plan

import (
	"fmt"
	"unicode/utf8"
)

// isDamageMark reports whether rs[i] marks a byte the page lost: a ? or a
// replacement character inside Chinese text. A ? between ASCII characters
// (a URL, an English question) is left alone.
func isDamageMark(rs []rune, i int) bool {
	if rs[i] != '?' && rs[i] != utf8.RuneError {
		return false
	}
	if rs[i] == utf8.RuneError || i == 0 || rs[i-1] >= 0x80 {
		return true
	}
	if i+1 < len(rs) && rs[i+1] >= 0x80 || afterPinyin(rs, i) {
		return true
	}
	if _, _, ok := bareSyllable(rs, i+1); ok {
		return true
	}
	_, _, ok := pinyinGroup(rs, i+1)
	return ok
}

// afterPinyin reports whether rs[i] follows a pinyin reading, as in
// "勵(lì)?I(yè)": Chinese text, whatever the ASCII around it.
func afterPinyin(rs []rune, i int) bool {
	if i == 0 || rs[i-1] != ')' {
		return false
	}
	for j := i - 2; j >= 0 && j >= i-8; j-- {
		if rs[j] == '(' {
			_, end, ok := pinyinGroup(rs, j)
			return ok && end == i
		}
	}
	return false
}

// repairDocument repairs every damaged passage of the document, in place,
// and reports each repair as a warning.
func repairDocument(lines []sourceLine) []Warning {
	runes := make([][]rune, len(lines))
	marks := make([][]int, len(lines))
	masks := make([][][2]int, len(lines))
	total := 0
	for i, l := range lines {
		if !containsDamage(l.text) {
			continue
		}
		rs := []rune(l.text)
		runes[i] = rs
		for j := range rs {
			if isDamageMark(rs, j) {
				marks[i] = append(marks[i], j)
				if n := len(masks[i]); n > 0 && masks[i][n-1][1] >= j {
					masks[i][n-1][1] = j + maxRun
				} else {
					masks[i] = append(masks[i], [2]int{j, j + maxRun})
				}
			}
		}
		total += len(marks[i])
	}
	if total == 0 {
		return nil
	}
	for i, l := range lines {
		if runes[i] == nil {
			runes[i] = []rune(l.text)
		}
	}
	model := newDocModel(runes, masks)

	var warnings []Warning
	repaired := 0
	for i := range lines {
		if len(marks[i]) == 0 {
			continue
		}
		rs := runes[i]
		out := make([]rune, 0, len(rs))
		pos := 0
		for _, a := range marks[i] {
			if a < pos {
				continue // inside a passage already repaired
			}
			out = append(out, rs[pos:a]...)
			if repaired >= maxRepairs {
				out = append(out, rs[a])
				pos = a + 1
				continue
			}
			repaired++
			prev2, prev := rune(0), bos
			if n := len(out); n > 0 {
				prev = symbol(out[n-1])
				prev2 = bos
				if n > 1 {
					prev2 = symbol(out[n-2])
				}
			}
			if r, ok := model.repairAt(rs, a, prev2, prev); ok {
				warnings = append(warnings, Warning{Line: lines[i].num, Message: describeRepair(string(rs[a:r.end]), r)})
				out = append(out, r.text...)
				pos = r.end
				continue
			}
			// Left as published. A ? between two characters is still a
			// lost character, and says so.
			pos = a + 1
			if a > 0 && isHan(rs[a-1]) && a+1 < len(rs) && (isHan(rs[a+1]) || rs[a+1] == '(') {
				out = append(out, lostMark)
				warnings = append(warnings, Warning{Line: lines[i].num, Message: fmt.Sprintf("“%s”中有一字丢失，以 □ 标出", string(rs[max(0, a-4):min(len(rs), a+5)]))})
				continue
			}
			out = append(out, rs[a])
		}
		out = append(out, rs[pos:]...)
		lines[i].text = string(out)
	}
	if skipped := total - repaired; repaired >= maxRepairs && skipped > 0 {
		warnings = append(warnings, Warning{Line: lines[0].num, Message: fmt.Sprintf("乱码过多：%d 处未修复，保留原样", skipped)})
	}
	return warnings
}

// containsDamage is a fast test for a line worth looking at.
func containsDamage(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '?' {
			return true
		}
	}
	return utf8.ValidString(s) && containsRuneError(s)
}

func containsRuneError(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError {
			return true
		}
	}
	return false
}
