package plan

import (
	"cmp"
	"slices"
	"sort"
)

// The beam search behind repairAt. A state is one reading of the passage so
// far: its score, the text written, and the byte it waits to pair.

// emitted is the repaired text of a search state, newest rune first; states
// share their common past.
type emitted struct {
	r    rune
	prev *emitted
}

type searchState struct {
	score   float64
	last    rune  // model symbol of the last character
	last2   rune  // and of the one before
	pend    uint8 // aligned, pendKnown or pendLost
	lead    byte  // the known lead byte when pendKnown
	gaps    uint8
	out     *emitted
	guessed int // characters chosen from candidates
	lost    int // characters given up (□)
	// fresh is true right after a character was chosen from candidates,
	// when a reading that follows may confirm or contradict it.
	fresh bool
	// dropTrail is the trail byte of the character before a dropped pair
	// (0 when there is none; GBK trail bytes are never 0): the pair it
	// makes with the next character's lead must be one the page's decoder
	// drops.
	dropTrail byte
	// open counts the brackets the repair opened and has not closed: a
	// repair that leaves （三 open is worse than one that writes （三）.
	open uint8
}

// Which byte of a character survived, for candidates.
const (
	knownNone = iota
	knownLead
	knownTrail
)

const (
	aligned   uint8 = iota // between characters
	pendKnown              // a lead byte read, waiting for its trail
	pendLost               // a lost lead byte, waiting for its trail
)

// withGaps adds, for every state waiting for a trail byte, the states in
// which the page dropped one or two pairs at this point: the first dropped
// byte completes the pending character, the second starts the next one.
func (m *docModel) withGaps(t *gbkTable, beam []*searchState, hint string) []*searchState {
	out := append([]*searchState(nil), beam...)
	frontier := beam
	for round := 0; round < 2; round++ {
		var added []*searchState
		for _, s := range frontier {
			if s.pend == aligned || int(s.gaps) >= maxGaps {
				continue
			}
			syms, extra := m.succ[s.last], m.hinted(hint)
			at := knownNone
			if s.pend == pendKnown {
				syms, extra, at = m.byLead[s.lead], m.hinted(hint), knownLead
			}
			for _, c := range m.candidates(t, s, syms, extra, at, s.lead) {
				if c.last == lostMark {
					continue // a dropped pair explains nothing if its character is lost
				}
				_, trail, _ := t.code(output(c.last))
				c.pend, c.gaps, c.dropTrail = pendLost, s.gaps+1, trail
				added = append(added, c)
			}
		}
		out = append(out, added...)
		frontier = prune(added)
	}
	return out
}

// step applies one byte (known or lost) to a state.
func (m *docModel) step(t *gbkTable, s *searchState, tok token, hint string, lineStart bool) []*searchState {
	lost := tok.kind == tLost
	switch s.pend {
	case aligned:
		c := *s
		c.fresh = false
		switch {
		case lost:
			c.pend = pendLost
		case tok.b < 0x80:
			sym := symbol(rune(tok.b))
			return []*searchState{m.emit(&c, sym, rune(tok.b), m.score3(c.last2, c.last, sym), false)}
		case tok.b == 0x80 || tok.b == 0xFF:
			return nil
		default:
			c.pend, c.lead = pendKnown, tok.b
		}
		return []*searchState{&c}
	case pendKnown:
		if !lost {
			r := t.pair(s.lead, tok.b)
			if r == 0 {
				return nil
			}
			sym := symbol(r)
			return []*searchState{m.emit(s, sym, r, m.score3(s.last2, s.last, sym), false)}
		}
		return m.candidates(t, s, m.byLead[s.lead], m.hinted(hint), knownLead, s.lead)
	default:
		if lost {
			// Neither byte survived: only the page's pinyin can say
			// which character it was.
			return m.candidates(t, s, nil, m.hinted(hint), knownNone, 0)
		}
		out := m.candidates(t, s, m.byTrail[tok.b], m.hinted(hint), knownTrail, tok.b)
		if lineStart && s.out == nil && tok.b == 0xA1 {
			// A lost byte at the start of a paragraph is, in a GBK
			// document, the first half of its 　 indent.
			c := *s
			c.pend, c.score, c.fresh = aligned, c.score+indentScore, false
			out = append(out, &c)
		}
		return out
	}
}

// hinted returns the characters the page reads as syllable, if any.
func (m *docModel) hinted(syllable string) []rune {
	if syllable == "" {
		return nil
	}
	return m.pinyinCandidates(syllable)
}

// droppable reports whether the page's decoder drops the pair (lead,
// trail) without a trace: GBK has no character for it (the user-defined
// areas), or only a GBK/5 symbol (A840–A9A0) that older decoders lack. A
// byte below 0x81 is never dropped: it decodes as ASCII and puts the decoder
// back in step. A gap costs nothing in itself: the characters it adds must
// pay their way in the language model.
func droppable(t *gbkTable, lead, trail byte) bool {
	switch {
	case lead < 0x81:
		return false
	case t.pair(lead, trail) == 0:
		return true
	}
	return (lead == 0xA8 || lead == 0xA9) && trail < 0xA1
}

// candidates completes a state's character with each of the symbols and
// the extra ones (those the page's pinyin suggests), or gives it up as lost.
// A symbol must have the surviving byte, lead or trail (byteAt, byteVal),
// and after a dropped pair it must make that pair droppable. Only the best
// maxCandidates completions are kept.
func (m *docModel) candidates(t *gbkTable, s *searchState, syms, extra []rune, byteAt int, byteVal byte) []*searchState {
	type scored struct {
		sym   rune
		score float64
	}
	keep := maxCandidates
	best := make([]scored, 0, keep+1)
	consider := func(sym rune) {
		if sym < 0x20 {
			return // bos, eos
		}
		lead, trail, ok := t.code(output(sym))
		switch {
		case !ok, byteAt == knownLead && lead != byteVal, byteAt == knownTrail && trail != byteVal:
			return
		case s.dropTrail != 0 && !droppable(t, s.dropTrail, lead):
			return
		}
		sc := m.score3(s.last2, s.last, sym)
		if len(best) == keep && sc <= best[keep-1].score {
			return
		}
		i := sort.Search(len(best), func(i int) bool { return best[i].score < sc })
		best = slices.Insert(best, i, scored{sym, sc})
		if len(best) > keep {
			best = best[:keep]
		}
	}
	for _, sym := range syms {
		consider(sym)
	}
	for _, sym := range extra {
		if !slices.Contains(syms, sym) {
			consider(sym)
		}
	}
	out := make([]*searchState, 0, len(best)+1)
	for _, b := range best {
		out = append(out, m.emit(s, b.sym, output(b.sym), b.score, true))
	}
	return append(out, m.emit(s, lostMark, lostMark, lostScore, true))
}

// emit appends one character, scored sc, to a copy of the state.
func (m *docModel) emit(s *searchState, sym, r rune, sc float64, guess bool) *searchState {
	c := *s
	c.score += sc
	c.dropTrail = 0
	c.last2, c.last = s.last, sym
	c.pend = aligned
	c.out = &emitted{r: r, prev: s.out}

	c.fresh = guess && sym != lostMark
	switch sym {
	case '(':
		c.open++
	case ')':
		if c.open > 0 {
			c.open--
		}
	}
	switch {
	case sym == lostMark:
		c.lost++
	case guess:
		c.guessed++
	}
	return &c
}

// prune keeps the best state for each distinct future (what was last
// written and what is pending) and then the best beamWidth of those.
func prune(states []*searchState) []*searchState {
	type key struct {
		last  rune
		last2 rune
		pend  uint8
		lead  byte
		gaps  uint8
		drop  byte
		open  uint8
	}
	best := make(map[key]*searchState, len(states))
	for _, s := range states {
		k := key{s.last, s.last2, s.pend, s.lead, s.gaps, s.dropTrail, s.open}
		if b, ok := best[k]; !ok || s.score > b.score {
			best[k] = s
		}
	}
	out := make([]*searchState, 0, len(best))
	for _, s := range best {
		out = append(out, s)
	}
	// slices.SortFunc, not sort.Slice: this runs at every step of the
	// search, and sort.Slice's reflection was a tenth of an import.
	slices.SortFunc(out, func(a, b *searchState) int {
		switch {
		case a.score != b.score:
			return cmp.Compare(b.score, a.score)
		case a.last != b.last:
			return cmp.Compare(a.last, b.last)
		case a.last2 != b.last2:
			return cmp.Compare(a.last2, b.last2)
		case a.pend != b.pend:
			return cmp.Compare(a.pend, b.pend)
		case a.lead != b.lead:
			return cmp.Compare(a.lead, b.lead)
		case a.gaps != b.gaps:
			return cmp.Compare(a.gaps, b.gaps)
		case a.open != b.open:
			return cmp.Compare(a.open, b.open)
		}
		return cmp.Compare(a.dropTrail, b.dropTrail)
	})
	if len(out) > beamWidth {
		out = out[:beamWidth]
	}
	return out
}
