package plan

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Mojibake in published plans comes from GBK pages decoded one byte out of
// step: "（一）强区放权" arrives as "?。ㄒ唬?qiáng)區(qū)放權". The first byte is
// lost (shown as ?), every following pair straddles two characters, and the
// decoder silently drops the pairs it has no character for, until a single
// ASCII byte or a "(" puts it back in step.
//
// The repair re-encodes the garbage to GBK bytes, with ? as an unknown byte,
// and decodes them again in the right alignment. Where bytes are missing (the
// ?, and the dropped pairs, which the search inserts as gaps) it tries the
// characters the document itself makes likely (docModel), checked against
// the surviving byte and any pinyin the page printed. A beam search over
// these choices picks the reading of the passage that, followed by the rest
// of the line as published, reads most like the rest of the document; if
// leaving the passage alone reads better, it is left alone.

const (
	maxRun     = 48  // runes past a damage mark the search considers
	maxRepairs = 400 // damage marks repaired per document; bounds the time
	beamWidth  = 16
	// maxCandidates is how many characters a state tries for a byte it
	// lacks, the likeliest first.
	maxCandidates = 8
	maxGaps       = 3 // dropped pairs per passage
	// settle is how many runes past the best repair so far the search goes
	// on looking for a longer one.
	settle = 12
)

type tokKind uint8

const (
	tByte    tokKind = iota // a byte of the garbage, re-encoded
	tLost                   // a byte the page lost (?)
	tReading                // a pinyin reading the page printed
)

type token struct {
	kind tokKind
	b    byte
	syl  string
	end  int // rune index after the source rune this token finishes, or -1
}

// repair is the outcome of one damaged passage.
type repair struct {
	end     int    // rune index after the passage
	text    []rune // what replaces it
	guessed int
	lost    int
}

// tokenize turns the runes from a on into GBK bytes, lost bytes and readings.
func tokenize(rs []rune, a int) []token {
	t := gbkCodes()
	var toks []token
	add := func(tok token) { toks = append(toks, tok) }
	for i := a; i < len(rs) && i-a < maxRun; {
		r := rs[i]
		start := len(toks)
		next := i + 1
		switch {
		case r == '?' || r == utf8.RuneError:
			if syl, end, ok := pinyinGroup(rs, i+1); ok {
				// "?(qiáng)": a whole character lost, its reading intact.
				add(token{kind: tLost})
				add(token{kind: tLost})
				add(token{kind: tReading, syl: syl})
				next = end
			} else if syl, end, ok := bareSyllable(rs, i+1); ok {
				// "?qiáng)": the "(" went with the lost byte.
				add(token{kind: tLost})
				add(token{kind: tReading, syl: syl})
				next = end
			} else {
				add(token{kind: tLost})
			}
		case r == '(' || r == '（':
			if syl, end, ok := pinyinGroup(rs, i); ok {
				add(token{kind: tReading, syl: syl})
				next = end
			} else {
				add(token{kind: tByte, b: 0xA3})
				add(token{kind: tByte, b: 0xA8})
			}
		case r >= 0x40 && r <= 0x7E:
			add(token{kind: tByte, b: byte(r)})
		case r == ' ':
			add(token{kind: tByte, b: 0xA1})
			add(token{kind: tByte, b: 0xA1})
		case r > 0x20 && r < 0x40:
			// Half-width punctuation inside GBK garbage was full-width
			// (A3xx) before the page folded it.
			add(token{kind: tByte, b: 0xA3})
			add(token{kind: tByte, b: byte(r) + 0x80})
		default:
			lead, trail, ok := t.code(r)
			if !ok {
				return toks
			}
			add(token{kind: tByte, b: lead})
			add(token{kind: tByte, b: trail})
		}
		for j := start; j < len(toks)-1; j++ {
			toks[j].end = -1
		}
		toks[len(toks)-1].end = next
		i = next
	}
	return toks
}

// originalSymbols lists the model symbols of rs[a:w] as published, with the
// rune index of each: the text a repair competes with.
func originalSymbols(rs []rune, a, w int) (idx []int, syms []rune) {
	for i := a; i < w; {
		r := rs[i]
		switch {
		case r == '?' || r == utf8.RuneError:
			idx, syms = append(idx, i), append(syms, lostMark)
			if _, end, ok := pinyinGroup(rs, i+1); ok {
				i = end
			} else if _, end, ok := bareSyllable(rs, i+1); ok {
				i = end
			} else {
				i++
			}
			continue
		case i > a && isHan(rs[i-1]):
			if _, end, ok := pinyinGroup(rs, i); ok {
				i = end
				continue
			}
		}
		idx, syms = append(idx, i), append(syms, symbol(r))
		i++
	}
	return idx, syms
}

// repairAt searches for the best reading of the passage starting at the
// damage mark rs[a]; prev2 and prev are the model symbols before it. It returns ok=false
// when the passage reads best as published.
func (m *docModel) repairAt(rs []rune, a int, prev2, prev rune) (repair, bool) {
	t := gbkCodes()
	toks := tokenize(rs, a)
	w := a
	if n := len(toks); n > 0 {
		w = toks[n-1].end
		for w < 0 && n > 1 {
			n--
			w = toks[n-1].end
		}
	}
	if w <= a {
		return repair{}, false
	}
	idx, syms := originalSymbols(rs, a, w)
	if w == len(rs) {
		idx, syms = append(idx, len(rs)), append(syms, eos)
	}
	// suffix[j] scores the published symbols from syms[j] on, each given
	// the two before it.
	suffix := make([]float64, len(syms)+1)
	for j := len(syms) - 1; j >= 2; j-- {
		suffix[j] = suffix[j+1] + m.score3(syms[j-2], syms[j-1], syms[j])
	}
	rest := func(e int, last2, last rune) float64 {
		j := sort.SearchInts(idx, e)
		switch {
		case j >= len(syms):
			return 0
		case j+1 >= len(syms):
			return m.score3(last2, last, syms[j])
		}
		return m.score3(last2, last, syms[j]) + m.score3(last, syms[j], syms[j+1]) + suffix[j+2]
	}

	bestTotal := rest(a, prev2, prev)
	var best *searchState
	bestEnd := a

	lineStart := prev == bos
	beam := []*searchState{{last: prev, last2: prev2}}
	for ti, tok := range toks {
		// A reading right after this token names the character it
		// completes: the characters read so are candidates too.
		hint := ""
		if ti+1 < len(toks) && toks[ti+1].kind == tReading {
			hint = toks[ti+1].syl
		}
		var next []*searchState
		switch tok.kind {
		case tReading:
			// A reading must follow the character it reads. A guess it
			// confirms gains; a character it contradicts loses, guessed
			// or decoded. A decoded character it confirms gains nothing,
			// so that intact text after a repair scores as published.
			for _, s := range beam {
				if s.pend != aligned {
					next = append(next, s)
					continue
				}
				c := *s
				if sc := m.readingScore(s.last, tok.syl); s.fresh || sc < 0 {
					c.score += sc
				}
				next = append(next, &c)
			}
		default:
			for _, s := range m.withGaps(t, beam, hint) {
				next = append(next, m.step(t, s, tok, hint, lineStart)...)
			}
		}
		beam = prune(next)
		if tok.end < 0 {
			continue
		}
		if best != nil && tok.end-bestEnd > settle {
			// The decoder has long been back in step with the
			// published text: nothing further can change the repair.
			break
		}
		final := beam
		if tok.end == len(rs) {
			// The line ends with the decoder out of step: the last
			// character's trail byte went with the line break.
			for _, s := range beam {
				if s.pend != aligned {
					final = append(final, m.step(t, s, token{kind: tLost}, "", lineStart)...)
				}
			}
		}
		for _, s := range final {
			if s.pend != aligned {
				continue
			}
			total := s.score + rest(tok.end, s.last2, s.last)
			if s.open > 0 && !closesFirst(rs[tok.end:w]) {
				total += unclosedScore
			}
			// Ties go to the shorter passage: beyond the damage the
			// repair reads the published text back.
			if total > bestTotal+1e-9 {
				bestTotal, best, bestEnd = total, s, tok.end
			}
		}
	}
	if best == nil {
		return repair{}, false
	}

	var text []rune
	for e := best.out; e != nil; e = e.prev {
		text = append(text, e.r)
	}
	for i, j := 0, len(text)-1; i < j; i, j = i+1, j-1 {
		text[i], text[j] = text[j], text[i]
	}
	return repair{end: bestEnd, text: text, guessed: best.guessed, lost: best.lost}, true
}

// closesFirst reports whether the first bracket in rs closes one.
func closesFirst(rs []rune) bool {
	for _, r := range rs {
		switch r {
		case '(', '（':
			return false
		case ')', '）':
			return true
		}
	}
	return false
}

// describeRepair is the warning for a repaired passage.
func describeRepair(before string, r repair) string {
	msg := fmt.Sprintf("已将乱码“%s”修复为“%s”", before, ToSimplified(normalizeText(string(r.text))))
	switch {
	case r.guessed > 0 && r.lost > 0:
		msg += fmt.Sprintf("（%s按上下文推断，%d 字丢失以 □ 标出）", characters(r.guessed), r.lost)
	case r.guessed > 0:
		msg += fmt.Sprintf("（%s按上下文推断）", characters(r.guessed))
	case r.lost > 0:
		msg += fmt.Sprintf("（%s丢失，以 □ 标出）", characters(r.lost))
	}
	return msg
}

func characters(n int) string {
	if n == 1 {
		return "1 字"
	}
	return fmt.Sprintf("%d 字", n)
}
