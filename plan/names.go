package plan

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

var (
	t2sOnce sync.Once
	t2s     *opencc.OpenCC
	t2sErr  error
)

// ToSimplified converts Traditional Chinese to Simplified with OpenCC's t2s
// dictionaries (phrases first, then characters). Text that is already
// Simplified comes back unchanged. The dictionaries load on first use.
func ToSimplified(s string) string {
	if isASCII(s) {
		return s
	}
	t2sOnce.Do(func() { t2s, t2sErr = opencc.New("t2s") })
	if t2sErr != nil {
		return s
	}
	// OpenCC's converter holds a string per character; a long text goes
	// through in pieces, cut after punctuation so that no phrase is split.
	var b strings.Builder
	for len(s) > 0 {
		piece := s
		if len(s) > convertChunk {
			piece = s[:chunkEnd(s, convertChunk)]
		}
		out, err := t2s.Convert(piece)
		if err != nil {
			out = piece
		}
		b.WriteString(out)
		s = s[len(piece):]
	}
	return b.String()
}

// convertChunk is the size of the pieces ToSimplified converts, in bytes.
const convertChunk = 16 << 10

// chunkEnd returns where to cut s at most n bytes in: after the last
// punctuation or space of the piece's final kilobyte, or at a rune boundary.
func chunkEnd(s string, n int) int {
	for !utf8.RuneStart(s[n]) {
		n--
	}
	for i := n; i > n-1024 && i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsPunct(r) || unicode.IsSpace(r) {
			return i
		}
		i -= size
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldWidth turns full-width ASCII (Ａ, ０, （) into half-width and drops
// every kind of white space.
func foldWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// bracketReplacer maps the bracket styles documents use inside unit names, as in
// 区委〈政府〉办 and 区纪委（监察局）, to ( ).
var bracketReplacer = strings.NewReplacer(
	"〈", "(", "〉", ")",
	"<", "(", ">", ")",
	"《", "(", "》", ")",
	"[", "(", "]", ")",
	"［", "(", "］", ")",
	"【", "(", "】", ")",
)

// NormalizeUnitName is the key two spellings of one unit share: Simplified,
// half-width, without spaces, with every bracket style as ( ).
// 區委〈政府〉辦, 区委（政府）办 and 区委(政府)办 all give 区委(政府)办.
func NormalizeUnitName(s string) string {
	return bracketReplacer.Replace(foldWidth(ToSimplified(s)))
}
