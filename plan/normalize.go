package plan

import (
	"fmt"
	"strings"
	"unicode"
)

// normalizeDocument turns every repaired line into the plan's canonical
// text: readings removed, Simplified characters, half-width letters and
// digits, Chinese punctuation in Chinese text, no stray spaces. It reports
// what it changed as summary warnings: these are conversions, done the same
// way everywhere, not guesses.
func normalizeDocument(lines []sourceLine) []Warning {
	var warnings []Warning
	readings, firstReading := 0, 0
	converted, firstConverted := 0, 0
	for i := range lines {
		text, n := stripPinyin(lines[i].text)
		if n > 0 {
			if readings == 0 {
				firstReading = lines[i].num
			}
			readings += n
		}
		simplified := ToSimplified(text)
		if simplified != text {
			if converted == 0 {
				firstConverted = lines[i].num
			}
			converted++
		}
		lines[i].text = normalizeText(simplified)
		if len(lines[i].cells) > 0 {
			normalizeCells(lines[i].cells)
		}
	}
	if readings > 0 {
		warnings = append(warnings, Warning{Line: firstReading, Message: fmt.Sprintf("已删除字后的拼音注音 %d 处", readings)})
	}
	if converted > 0 {
		warnings = append(warnings, Warning{Line: firstConverted, Message: fmt.Sprintf("已将 %d 行繁体字转为简体", converted)})
	}
	return warnings
}

// cellSeparator joins a row's cells for one conversion: OpenCC leaves it
// alone, and no document uses it.
const cellSeparator = "\u2063"

// normalizeCells normalizes a table row's cells as lines are, converting
// the row to Simplified in one call.
func normalizeCells(cells []string) {
	joined := strings.Join(cells, cellSeparator)
	text, _ := stripPinyin(joined)
	parts := strings.Split(ToSimplified(text), cellSeparator)
	if len(parts) != len(cells) {
		return // the separator was in a cell; leave the row as read
	}
	for j, c := range parts {
		cells[j] = normalizeText(c)
	}
}

// normalizeText folds widths, sets punctuation in Chinese text full-width
// and removes spaces around it.
func normalizeText(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r >= '０' && r <= '９', r == '．', r == '－', r == '／', r == '％':
			rs[i] = foldRune(r)
		case r == 0x3000 || r == 0xA0 || r == '\t':
			rs[i] = ' '
		}
	}
	rs = chinesePunctuation(rs)
	rs = dropSpacesInChinese(rs)
	return strings.TrimSpace(string(rs))
}

// fullWidth maps the half-width punctuation typed into Chinese text to its
// Chinese form. Brackets are handled in pairs by chinesePunctuation.
var fullWidth = map[rune]rune{',': '，', ':': '：', ';': '；', '!': '！', '?': '？'}

// chinesePunctuation makes half-width punctuation next to Chinese full-width,
// as Chinese typesetting wants it: "单位:区编办" becomes "单位：区编办". A pair
// of round brackets is converted together when either bracket touches
// Chinese or the brackets hold any, so that "规划(2016-2030)》" keeps matching
// brackets; "(PPP)" between Latin text stays as it is.
func chinesePunctuation(rs []rune) []rune {
	near := func(i int) bool {
		for _, step := range []int{-1, 1} {
			j := i + step
			// Look past a few spaces, not a whole run: a line of spaces
			// must not cost quadratic time.
			for n := 0; n < 4 && j >= 0 && j < len(rs) && rs[j] == ' '; n++ {
				j += step
			}
			if j >= 0 && j < len(rs) && isCJK(rs[j]) {
				return true
			}
		}
		return false
	}
	for i, r := range rs {
		if fw, ok := fullWidth[r]; ok && near(i) {
			// A colon or comma between digits is a time or a number.
			if (r == ':' || r == ',') && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]) {
				continue
			}
			rs[i] = fw
		}
	}
	var open []int
	for i, r := range rs {
		switch r {
		case '(', '（':
			open = append(open, i)
		case ')', '）':
			if len(open) == 0 {
				if near(i) {
					rs[i] = '）'
				}
				continue
			}
			j := open[len(open)-1]
			open = open[:len(open)-1]
			chinese := near(j) || near(i)
			for _, c := range rs[j+1 : i] {
				if isHan(c) {
					chinese = true
					break
				}
			}
			if chinese {
				rs[j], rs[i] = '（', '）'
			} else {
				rs[j], rs[i] = '(', ')'
			}
		}
	}
	for _, j := range open {
		if near(j) {
			rs[j] = '（'
		}
	}
	return rs
}

// dropSpacesInChinese removes spaces next to Chinese punctuation ("单位：
// 区编办") and collapses the others to one. Spaces between two characters
// stay: they may separate two names, as the issuers in a notice's header.
func dropSpacesInChinese(rs []rune) []rune {
	out := rs[:0]
	for i := 0; i < len(rs); i++ {
		if rs[i] != ' ' {
			out = append(out, rs[i])
			continue
		}
		j := i
		for j < len(rs) && rs[j] == ' ' {
			j++
		}
		punct := func(r rune) bool { return isCJK(r) && !isHan(r) && r != lostMark }
		before := len(out) > 0 && punct(out[len(out)-1])
		after := j < len(rs) && punct(rs[j])
		if !before && !after {
			out = append(out, ' ')
		}
		i = j - 1
	}
	return out
}
