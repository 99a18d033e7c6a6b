package bot

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// checkParts fails unless every part fits limit as Telegram counts, is
// HTML on its own (tags balanced, no entity cut), and the parts together
// keep every character of text.
func checkParts(t *testing.T, text string, limit int, parts []string) {
	t.Helper()
	var kept strings.Builder
	for i, p := range parts {
		if n := utf16Len(p); n > limit {
			t.Errorf("part %d is %d UTF-16 units, limit %d", i, n, limit)
		}
		var stack []string
		for _, tok := range tokenizeHTML(p) {
			switch {
			case tok.tag != "" && !tok.end:
				stack = append(stack, tok.tag)
			case tok.tag != "":
				if len(stack) == 0 || stack[len(stack)-1] != tok.tag {
					t.Errorf("part %d closes <%s> it did not open: %q", i, tok.tag, p)
				} else {
					stack = stack[:len(stack)-1]
				}
			case tok.text == "&" || tok.text == ";" && strings.HasSuffix(kept.String(), ""):
				if tok.text == "&" {
					t.Errorf("part %d has a bare & (an entity was cut): %q", i, p)
				}
			default:
				kept.WriteString(tok.text)
			}
		}
		if len(stack) > 0 {
			t.Errorf("part %d leaves %v open: %q", i, stack, p)
		}
	}
	var want strings.Builder
	for _, tok := range tokenizeHTML(text) {
		if tok.tag == "" {
			want.WriteString(tok.text)
		}
	}
	strip := func(s string) string { return strings.ReplaceAll(s, "\n", "") }
	if strip(kept.String()) != strip(want.String()) {
		t.Errorf("the parts lost or changed text:\n got %q\nwant %q", strip(kept.String()), strip(want.String()))
	}
}

func TestSplitTextAsTelegramCounts(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		parts int // how many parts, 0 for any
	}{
		{"emoji count two", strings.Repeat("😀", 6), 5, 3},
		{"emoji at the boundary", "a" + strings.Repeat("😀", 4), 4, 3},
		{"entity at the boundary", "abc" + strings.Repeat("&lt;", 3), 6, 0},
		{"ampersands", strings.Repeat("x&amp;", 5), 7, 0},
		{"CJK at the boundary", strings.Repeat("改革", 5) + "&amp;" + strings.Repeat("字", 5), 12, 0},
		{"a tag across the cut", "<b>" + strings.Repeat("粗", 20) + "</b>尾", 12, 0},
		{"nested tags across lines", "<b>标题</b>\n<blockquote><i>" + strings.Repeat("引文&lt;", 12) + "</i></blockquote>\n末行", 60, 0},
		{"a link", `<a href="https://t.me/x?start=a&amp;b">` + strings.Repeat("链", 30) + `</a>`, 60, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := splitText(tt.text, tt.limit)
			if len(parts) < 2 {
				t.Fatalf("proved nothing: %q was not split at %d: %q", tt.text, tt.limit, parts)
			}
			if tt.parts > 0 && len(parts) != tt.parts {
				t.Errorf("%d parts, want %d: %q", len(parts), tt.parts, parts)
			}
			checkParts(t, tt.text, tt.limit, parts)
		})
	}
}

// Random mixes of what our texts hold, at random limits.
func TestSplitTextRandom(t *testing.T) {
	pieces := []string{"字", "😀", "&lt;", "&amp;", "&gt;", "a", " ", "\n", "<b>粗</b>", "<i>斜&amp;</i>", "<code>x&lt;y</code>", "👨‍👩‍👧"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		var b strings.Builder
		for n := rng.IntN(200); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		limit := 30 + rng.IntN(100)
		text := b.String()
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkParts(t, text, limit, splitText(text, limit))
		})
	}
}

// What a user writes comes back in the confirmation: 2,000 emoji or 2,000
// escaped < and & make a message Telegram (the strict fake) would refuse
// unless it is split as Telegram counts.
func TestLongConfirmationsAreAccepted(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"emoji", strings.Repeat("😀", maxReportText)},
		{"angle brackets", strings.Repeat("<", maxReportText)},
		{"ampersands and CJK", strings.Repeat("改&", maxReportText/2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testPlan()
			// A real measure's title, as long as the plan's longest.
			p.Categories[0].Projects[0].Measures[0].Title = "推进强区放权改革，完善区级职能部门权责清单和街道社区权责清单管理制度"
			h := newHarness(t, withPlan(p))
			u := fakeapi.User{ID: 1001, FirstName: "张三"}
			h.bind(u, store.RoleContact, "区编办")
			report(t, h, u, "2.1.1", "按计划推进", tc.text)
			h.settle()
			for _, r := range h.api.Requests() {
				if r.Status >= 400 {
					t.Errorf("Telegram refused %s: %d %s", r.Method, r.Status, r.Description)
				}
			}
		})
	}
}

func TestClipUTF16(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"😀😀😀", 6, "😀😀😀"},
		{"😀😀😀", 5, "😀😀…"},
		{"😀😀😀", 4, "😀…"}, // never half an emoji
		{"改革办", 2, "改…"},
	} {
		got := clipUTF16(tt.s, tt.n)
		if got != tt.want || utf16Len(got) > tt.n {
			t.Errorf("clipUTF16(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
