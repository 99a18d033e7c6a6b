package plan

import "strings"

// Published pages often carry a reading after characters, in ASCII
// parentheses: 發(fā)布, 區(qū)編辦. These are pinyin, and nothing else in a plan
// looks like them: a real parenthesis holds Chinese, digits or an
// abbreviation (PPP), never a toned syllable.

// toneMarked are the vowels that carry a tone mark in pinyin.
const toneMarked = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"

// neutralSyllables are the few syllables written without a tone mark that a
// page annotates (的 de, 了 le, 子 zi, 们 men).
var neutralSyllables = map[string]bool{"de": true, "le": true, "zi": true, "men": true, "me": true, "zhe": true}

// isPinyinLetter reports whether r may occur in a pinyin syllable.
func isPinyinLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r == 'ü' || strings.ContainsRune(toneMarked, r)
}

// isPinyin reports whether s is one pinyin syllable: lower-case letters, at
// most six, with a tone mark unless it is a known neutral syllable.
func isPinyin(s string) bool {
	n := 0
	toned := false
	for _, r := range s {
		if !isPinyinLetter(r) {
			return false
		}
		if strings.ContainsRune(toneMarked, r) {
			toned = true
		}
		n++
	}
	return n > 0 && n <= 6 && (toned || neutralSyllables[s])
}

// pinyinGroup reports whether rs[i:] starts with a parenthesised pinyin
// syllable, "(fā)" or "（fā）", and returns the syllable and the index after
// the closing parenthesis.
func pinyinGroup(rs []rune, i int) (syllable string, end int, ok bool) {
	if i >= len(rs) || rs[i] != '(' && rs[i] != '（' {
		return "", i, false
	}
	j := i + 1
	for j < len(rs) && j-i <= 7 && isPinyinLetter(rs[j]) {
		j++
	}
	if j >= len(rs) || rs[j] != ')' && rs[j] != '）' {
		return "", i, false
	}
	s := string(rs[i+1 : j])
	if !isPinyin(s) {
		return "", i, false
	}
	return s, j + 1, true
}

// bareSyllable reports whether rs[i:] starts with a pinyin syllable and a
// closing parenthesis but no opening one, "qū)": what is left of "X(qū)" when
// the page lost X's last byte together with the "(".
func bareSyllable(rs []rune, i int) (syllable string, end int, ok bool) {
	j := i
	for j < len(rs) && j-i <= 6 && isPinyinLetter(rs[j]) {
		j++
	}
	if j == i || j >= len(rs) || rs[j] != ')' {
		return "", i, false
	}
	s := string(rs[i:j])
	if !isPinyin(s) {
		return "", i, false
	}
	return s, j + 1, true
}

// stripPinyin removes every pinyin group that follows a Chinese character
// (or a lost-character mark) and reports how many it removed.
func stripPinyin(s string) (string, int) {
	if !strings.ContainsAny(s, "(（") {
		return s, 0
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	n := 0
	for i := 0; i < len(rs); {
		if i > 0 && (isHan(rs[i-1]) || rs[i-1] == lostMark) {
			if _, end, ok := pinyinGroup(rs, i); ok {
				i = end
				n++
				continue
			}
		}
		out = append(out, rs[i])
		i++
	}
	return string(out), n
}
