package plan

import (
	"strings"
	"sync"
	"unicode"

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
	t2sOnce.Do(func() { t2s, t2sErr = opencc.New("t2s") })
	if t2sErr != nil || s == "" {
		return s
	}
	out, err := t2s.Convert(s)
	if err != nil {
		return s
	}
	return out
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

// bracketPairs are the bracket styles documents use inside unit names, as in
// 区委〈政府〉办 and 区纪委（监察局）.
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
