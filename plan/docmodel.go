package plan

import (
	"math"
	"sort"
)

// docModel is what a document says about itself, which is the best evidence
// for repairing it: which characters follow which (a character trigram
// model of its intact text, Kneser-Ney smoothed) and how its characters are
// read (the pinyin the page printed after them). A project title garbled in one place is usually
// spelled out intact in its introduction; 強 lost before "(qiáng)" is written
// 強(qiáng) a dozen times elsewhere.
type docModel struct {
	uni      map[rune]int
	bi       map[uint64]int
	tri      map[uint64]int
	total    int
	readings map[rune]map[string]bool
	// readAs lists, for each syllable, the symbols the page reads so.
	readAs map[string][]rune
	// succ lists, for each symbol, the symbols seen after it, most frequent
	// first: the candidates for a character of which no byte survived.
	succ map[rune][]rune
	// byLead and byTrail list the vocabulary by the GBK bytes of its
	// characters: the candidates when one byte of a character survived.
	byLead, byTrail map[byte][]rune
	// after and before count the distinct symbols seen after and before
	// each symbol, for Kneser-Ney smoothing.
	after, before map[rune]int
	// triAfter counts the distinct symbols seen after each bigram.
	triAfter map[uint64]int
	memo     map[uint64]float64 // score3's results
	// biCtx and triCtx count how often a symbol, or a pair, was followed
	// by anything: the denominators of the estimates.
	biCtx  map[rune]int
	triCtx map[uint64]int
}

// bos and eos are the symbols before the first and after the last
// character of a line: a line ends with 。 rather than 、.
const (
	bos rune = 0x02
	eos rune = 0x03
)

// Scores are natural logarithms of probabilities.
const (
	discount      = 0.75 // Kneser-Ney absolute discount
	lostScore     = -9.5 // a character given up as lost (□)
	indentScore   = -1.0 // a lost byte at a paragraph start (GBK indents with U+3000)
	unclosedScore = -4.0 // a repair that opens a bracket nothing closes
	readingBonus  = 4.0  // a candidate the page's pinyin confirms
	readingMiss   = -6.0 // a candidate the page's pinyin contradicts
	maxSuccessor  = 40   // successors considered for a fully lost character
	unseenWeight  = 0.5  // pseudo-count of a character the document never uses
	// maxTraining is how many runes of a document train its model: ten
	// times a long plan; a bigger file would only cost memory.
	maxTraining = 300_000
	maxMemo     = 1 << 20 // scores remembered per document
)

func biKey(a, b rune) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// triKey packs three runes (21 bits each) into one key.
func triKey(a, b, c rune) uint64 {
	return uint64(uint32(a))<<42 | uint64(uint32(b))<<21 | uint64(uint32(c))
}

// symbol is the form a rune takes in the model: full-width and half-width
// punctuation are one symbol, since pages mix them.
func symbol(r rune) rune { return foldRune(r) }

// newDocModel trains the model on the lines, skipping the masked rune ranges
// (the neighbourhood of damage, which would teach it garbage).
func newDocModel(lines [][]rune, masks [][][2]int) *docModel {
	m := &docModel{
		uni:      map[rune]int{},
		bi:       map[uint64]int{},
		tri:      map[uint64]int{},
		memo:     map[uint64]float64{},
		readings: map[rune]map[string]bool{},
		byLead:   map[byte][]rune{},
		byTrail:  map[byte][]rune{},
	}
	budget := maxTraining
	for li, rs := range lines {
		if budget <= 0 {
			break
		}
		budget -= len(rs)
		prev2, prev := rune(0), bos
		ranges, next := masks[li], 0
		// masked reports whether rune i is in a masked range; i only grows
		// and the ranges are in order, so the walk is linear.
		masked := func(i int) bool {
			for next < len(ranges) && ranges[next][1] <= i {
				next++
			}
			return next < len(ranges) && ranges[next][0] <= i
		}
		for i := 0; i < len(rs); {
			if masked(i) {
				prev2, prev = 0, 0
				i++
				continue
			}
			r := rs[i]
			if isHan(r) {
				if syl, end, ok := pinyinGroup(rs, i+1); ok {
					if m.readings[r] == nil {
						m.readings[r] = map[string]bool{}
					}
					m.readings[r][syl] = true
					m.add(prev2, prev, symbol(r))
					prev2, prev = prev, symbol(r)
					i = end
					continue
				}
			}
			m.add(prev2, prev, symbol(r))
			prev2, prev = prev, symbol(r)
			i++
		}
		if prev != 0 && len(rs) > 0 {
			m.add(prev2, prev, eos)
		}
	}
	// What every plan knows: headings are numbered （一）（二）…, 一、二、…,
	// 1. 2. … A document whose headings are all damaged still teaches the
	// model that （三 is followed by ）.
	for n := 1; n <= 20; n++ {
		for _, h := range []string{"(" + ChineseNumeral(n) + ")", ChineseNumeral(n) + "、"} {
			prev2, prev := rune(0), bos
			for _, r := range h {
				m.add(prev2, prev, r)
				prev2, prev = prev, r
			}
		}
	}
	m.index()
	return m
}

func (m *docModel) add(prev2, prev, s rune) {
	m.uni[s]++
	m.total++
	if prev != 0 {
		m.bi[biKey(prev, s)]++
		if prev2 != 0 {
			m.tri[triKey(prev2, prev, s)]++
		}
	}
	if prev == bos {
		m.uni[bos]++ // a known context, like any other
	}
}

// index builds the candidate lists.
func (m *docModel) index() {
	t := gbkCodes()
	succ := map[rune][]rune{}
	m.after, m.before = map[rune]int{}, map[rune]int{}
	for k := range m.bi {
		a, b := rune(uint32(k>>32)), rune(uint32(k))
		succ[a] = append(succ[a], b)
		m.after[a]++
		m.before[b]++
	}
	m.biCtx = map[rune]int{}
	for k, n := range m.bi {
		m.biCtx[rune(uint32(k>>32))] += n
	}
	m.triAfter, m.triCtx = map[uint64]int{}, map[uint64]int{}
	for k, n := range m.tri {
		m.triAfter[k>>21]++
		m.triCtx[k>>21] += n
	}
	for a, list := range succ {
		sort.Slice(list, func(i, j int) bool {
			ci, cj := m.bi[biKey(a, list[i])], m.bi[biKey(a, list[j])]
			if ci != cj {
				return ci > cj
			}
			return list[i] < list[j]
		})
		if len(list) > maxSuccessor {
			list = list[:maxSuccessor]
		}
		succ[a] = list
	}
	m.succ = succ
	m.readAs = map[string][]rune{}
	for r, set := range m.readings {
		for syl := range set {
			m.readAs[syl] = append(m.readAs[syl], r)
		}
	}
	for _, list := range m.readAs {
		sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
	}
	vocab := make([]rune, 0, len(m.uni))
	for s := range m.uni {
		vocab = append(vocab, s)
	}
	sort.Slice(vocab, func(i, j int) bool { return vocab[i] < vocab[j] })
	for _, s := range vocab {
		if s < 0x20 {
			continue // bos, eos
		}
		if lead, trail, ok := t.code(output(s)); ok {
			m.byLead[lead] = append(m.byLead[lead], s)
			m.byTrail[trail] = append(m.byTrail[trail], s)
		}
	}
}

// output is the character a symbol stands for inside GBK text, where ASCII
// punctuation can only have been its full-width form.
func output(s rune) rune {
	switch {
	case s == ' ':
		return 0x3000
	case s > 0x20 && s < 0x7F:
		return s + 0xFEE0
	}
	return s
}

// continuation is how readily a symbol follows a context it was never seen
// after: the share of distinct contexts it does follow (Kneser-Ney). 共 is
// frequent but nearly always after 公, so a 共 after anything else is
// unlikely; a bare unigram would not say so.
func (m *docModel) continuation(s rune) float64 {
	return (float64(m.before[s]) + unseenWeight) / (float64(len(m.bi)) + unseenWeight*float64(len(m.uni)+1))
}

// score is log P(s | prev), an interpolated Kneser-Ney bigram estimate.
// After a lost character (□) or an unknown context only the continuation
// estimate counts.
func (m *docModel) score(prev, s rune) float64 {
	if s == lostMark {
		return lostScore
	}
	p := m.continuation(s)
	if c := m.biCtx[prev]; prev != 0 && prev != lostMark && c > 0 {
		n := float64(m.bi[biKey(prev, s)])
		p = math.Max(n-discount, 0)/float64(c) + discount*float64(m.after[prev])/float64(c)*p
	}
	return math.Log(p)
}

// score3 is log P(s | prev2 prev): the trigram estimate interpolated with
// score's bigram one. The trigram is what knows that （三 is closed by ）.
func (m *docModel) score3(prev2, prev, s rune) float64 {
	// The search asks for the same few contexts over and over.
	key := triKey(prev2, prev, s)
	if sc, ok := m.memo[key]; ok {
		return sc
	}
	sc := m.computeScore3(prev2, prev, s)
	if len(m.memo) < maxMemo {
		m.memo[key] = sc
	}
	return sc
}

func (m *docModel) computeScore3(prev2, prev, s rune) float64 {
	if s == lostMark || prev2 == 0 || prev2 == lostMark || prev == 0 || prev == lostMark {
		return m.score(prev, s)
	}
	ctx := m.triCtx[triKey(prev2, prev, 0)>>21]
	if ctx == 0 {
		return m.score(prev, s)
	}
	lower := math.Exp(m.score(prev, s))
	n := float64(m.tri[triKey(prev2, prev, s)])
	types := float64(m.triAfter[triKey(prev2, prev, 0)>>21])
	return math.Log(math.Max(n-discount, 0)/float64(ctx) + discount*types/float64(ctx)*lower)
}

// readingScore is how well the page's pinyin fits symbol s. A page
// annotates a fixed set of characters, so a character it never annotated
// elsewhere is unlikely to be the one annotated here, and punctuation is
// never annotated.
func (m *docModel) readingScore(s rune, syllable string) float64 {
	switch {
	case m.readings[s][syllable]:
		return readingBonus
	case !isHan(s):
		return 2 * readingMiss
	}
	return readingMiss
}

// pinyinCandidates returns the symbols the page reads as syllable.
func (m *docModel) pinyinCandidates(syllable string) []rune {
	return m.readAs[syllable]
}
