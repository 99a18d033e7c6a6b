package plan

import (
	"strconv"
	"unicode"
)

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r)
}

// isCJK reports whether r belongs to Chinese running text: a character, the
// lost-character mark □, or Chinese punctuation (CJK symbols, full-width
// forms, curly quotes). Half-width punctuation next to such a rune is
// Chinese punctuation typed on the wrong keyboard.
func isCJK(r rune) bool {
	switch {
	case isHan(r), r == lostMark:
		return true
	case r >= 0x3000 && r <= 0x303F: // CJK symbols and punctuation: 、。〈〉《》〔〕
		return true
	case r >= 0xFF00 && r <= 0xFFEF: // full-width forms: （），：；
		return true
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·':
		return true
	}
	return false
}

// lostMark stands for a character the document lost and the importer could
// not recover. It is what Chinese publishing prints for an illegible
// character, and it never occurs in a well-formed plan.
const lostMark = '□'

// foldRune maps full-width ASCII (Ａ, １, （) to half-width and the ideographic
// space to a space, so that two spellings compare equal.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// numeralDigits are the Chinese digits in value order.
const numeralDigits = "〇一二三四五六七八九"

// digitValue returns the value of a Chinese digit 一..九, or 0.
func digitValue(r rune) int {
	for i, d := range []rune(numeralDigits) {
		if d == r {
			return i
		}
	}
	return 0
}

// chineseNumeral returns the value of a Chinese numeral from 一 to 九十九, as
// used in section and project headings, or 0.
func chineseNumeral(s string) int {
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return digitValue(rs[0])
	case len(rs) == 2 && rs[0] == '十':
		if d := digitValue(rs[1]); d > 0 {
			return 10 + d
		}
	case len(rs) == 2 && rs[1] == '十':
		if d := digitValue(rs[0]); d > 1 {
			return d * 10
		}
	case len(rs) == 3 && rs[1] == '十':
		if a, b := digitValue(rs[0]), digitValue(rs[2]); a > 1 && b > 0 {
			return a*10 + b
		}
	}
	return 0
}

// ChineseNumeral writes 1..99 as the Chinese numeral of a heading: 2 → 二,
// 12 → 十二. Other numbers come back in digits.
func ChineseNumeral(n int) string {
	digit := func(i int) string { return string([]rune(numeralDigits)[i]) }
	switch {
	case n <= 0 || n > 99:
		return strconv.Itoa(n)
	case n < 10:
		return digit(n)
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digit(n-10)
	case n%10 == 0:
		return digit(n/10) + "十"
	default:
		return digit(n/10) + "十" + digit(n%10)
	}
}
