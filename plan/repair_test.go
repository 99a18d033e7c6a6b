package plan

import (
	"math/rand"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// garble damages s the way the seed's page was damaged: its GBK bytes are
// decoded one byte late from rune `from` on. The first byte is lost (shown
// as ?), pairs GBK has no character for vanish, and a single ASCII byte puts
// the decoder back in step.
func garble(t *testing.T, s string, from int) string {
	t.Helper()
	tab := gbkCodes()
	var b []byte
	offset := 0
	for i, r := range []rune(s) {
		if i == from {
			offset = len(b)
		}
		if r < utf8.RuneSelf {
			b = append(b, byte(r))
			continue
		}
		lead, trail, ok := tab.code(r)
		if !ok {
			t.Fatalf("%q has no GBK code", r)
		}
		b = append(b, lead, trail)
	}
	out := []rune(s)[:from]
	out = append(out, '?')
	for i := offset + 1; i < len(b); {
		if b[i] < 0x80 {
			// In step again: the rest decodes as written.
			return string(out) + string(b[i]) + decodeGBK(t, b[i+1:])
		}
		switch {
		case i+1 >= len(b):
		case b[i+1] < 0x40:
			// No pair at all: the page printed ? and lost the ASCII
			// byte with it, as the "(" of "?qiáng)".
			out = append(out, '?')
		default:
			if r := tab.pair(b[i], b[i+1]); r != 0 {
				out = append(out, r)
			}
		}
		i += 2
	}
	return string(out)
}

func decodeGBK(t *testing.T, b []byte) string {
	t.Helper()
	out, err := simplifiedGBK(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// repairContext is a small plan whose phrases the repairs can learn from.
const repairContext = `罗湖区深化改革工作要点
一、新推重点改革项目
（一）强区放权体制机制改革
以全面实施强区放权改革为契机，在确保“接得住”的基础上推进强区放权改革，理顺体制机制。
1.强区放权“大职能”。推进权责清单管理，确保“接得住”的基础上管得好。（牵头单位：区编办）
（二）人力资源统筹配置改革
推进人力资源统筹配置改革，优化人力资源配置，提高人力资源管理效率。
1.完善人力资源分类管理制度。（牵头单位：区委组织部）
（三）公共资源交易改革
建立统一的公共资源交易平台，确保公共资源交易公开，规范公共资源交易。
1.构建公共资源交易平台。（牵头单位：区政府采购中心）`

func TestRepairSimulatedDamage(t *testing.T) {
	tests := []struct {
		name string
		line int    // line of repairContext to damage
		text string // what the line says (replacing it)
		from int    // rune where the page fell out of step
		want string
	}{
		{"heading with indent", 6, "　（二）人力资源统筹配置改革", 0, "（二）人力资源统筹配置改革"},
		{"heading with a dropped pair", 9, "　（三）公共资源交易改革", 0, "（三）公共资源交易改革"},
		{"heading with resync", 3, "　（一）强区放权体制机制改革", 0, "（一）强区放权体制机制改革"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			damaged := garble(t, tt.text, tt.from)
			if damaged == tt.text || !strings.Contains(damaged, "?") {
				t.Fatalf("garble did not damage %q", tt.text)
			}
			var lines []sourceLine
			for i, l := range strings.Split(repairContext, "\n") {
				if i+1 == tt.line {
					l = damaged
				}
				lines = append(lines, sourceLine{num: i + 1, text: l})
			}
			warnings := repairDocument(lines)
			got := normalizeText(lines[tt.line-1].text)
			if got != tt.want {
				t.Errorf("repaired %q as %q, want %q", damaged, got, tt.want)
			}
			if len(warnings) == 0 || warnings[0].Line != tt.line {
				t.Errorf("warnings %v, want one for line %d", warnings, tt.line)
			}
		})
	}
}

// seedLines reads the seed document.
func seedLines(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/luohu-2017-reform-plan.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(data), "\n")
}

// The damage model is the seed's: garbling the repaired text of line 20
// gives back what the page printed (which folded full-width ！ and 　).
func TestGarbleMatchesSeed(t *testing.T) {
	published := seedLines(t)[19]
	clean := strings.Replace(published, "?!敖拥米 钡幕A", "保“接得住”的基礎", 1)
	from := strings.Index(clean, "保")
	got := garble(t, clean, utf8.RuneCountInString(clean[:from]))
	folded := strings.Map(foldRune, got)
	if folded != published {
		t.Errorf("garble gives\n%s\nthe page printed\n%s", folded, published)
	}
}

// Damage an intact paragraph of the seed as the page damaged others, and
// repair it with the rest of the seed as context.
func TestRepairSimulatedSeedDamage(t *testing.T) {
	tests := []struct {
		name string
		line int
		at   string // where the page falls out of step
	}{
		{"project introduction", 28, "人力資源配置"},
		{"measure text", 37, "優(yōu)質(zhì)"},
		{"clause", 33, "人力資源局、"},
		{"before a reading", 46, "業(yè)主委員會"},
		{"project heading", 84, "　（五）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			published := seedLines(t)
			clean := published[tt.line-1]
			// The page had GBK's full-width brackets and indent, and
			// folded them when it printed intact text.
			clean = strings.Replace(clean, "(五)", "　（五）", 1)
			i := strings.Index(clean, tt.at)
			if i < 0 {
				t.Fatalf("line %d has no %q", tt.line, tt.at)
			}
			damaged := garble(t, clean, utf8.RuneCountInString(clean[:i]))
			var lines []sourceLine
			for n, l := range published {
				if n+1 == tt.line {
					l = damaged
				}
				lines = append(lines, sourceLine{num: n + 1, text: l})
			}
			repairDocument(lines)
			got, _ := stripPinyin(lines[tt.line-1].text)
			want, _ := stripPinyin(clean)
			if normalizeText(got) != normalizeText(want) {
				t.Errorf("damaged\n%s\nrepaired\n%s\nwant\n%s", damaged, normalizeText(got), normalizeText(want))
			}
		})
	}
}

func TestRepairLeavesQuestionMarks(t *testing.T) {
	for _, text := range []string{
		"这项改革是否可行?",
		"详见 http://www.szlh.gov.cn/?id=1 的说明",
		"What now?",
	} {
		t.Run(text, func(t *testing.T) {
			lines := []sourceLine{{num: 1, text: repairContext}, {num: 2, text: text}}
			if warnings := repairDocument(lines); len(warnings) != 0 {
				t.Errorf("warnings %v for intact text", warnings)
			}
			if lines[1].text != text {
				t.Errorf("changed %q to %q", text, lines[1].text)
			}
		})
	}
}

func TestRepairMarksLostCharacter(t *testing.T) {
	lines := []sourceLine{{num: 1, text: repairContext}, {num: 2, text: "推进权责清单管理，确保接?住的基础上管得好"}}
	warnings := repairDocument(lines)
	if strings.Contains(lines[1].text, "?") {
		t.Errorf("left a ? in %q", lines[1].text)
	}
	if len(warnings) != 1 || warnings[0].Line != 2 {
		t.Errorf("warnings %v, want one for line 2", warnings)
	}
}

// TestRepairRecoveryRate damages the seed at random places (a fixed
// sample) and counts exact repairs: a guard for the repair's quality, which
// the examples above cannot give. Missed repairs are still reported as
// warnings; here they only count.
func TestRepairRecoveryRate(t *testing.T) {
	if testing.Short() {
		t.Skip("damages the seed 30 times")
	}
	published := seedLines(t)
	rng := rand.New(rand.NewSource(1))
	exact, total := 0, 0
	for total < 30 {
		n := 19 + rng.Intn(95)
		clean := published[n]
		rs := []rune(clean)
		if strings.Contains(clean, "?") || len(rs) < 60 {
			continue
		}
		from := rng.Intn(len(rs) - 20)
		if !isHan(rs[from]) {
			continue
		}
		total++
		var lines []sourceLine
		for i, l := range published {
			if i == n {
				l = garble(t, clean, from)
			}
			lines = append(lines, sourceLine{num: i + 1, text: l})
		}
		repairDocument(lines)
		got, _ := stripPinyin(lines[n].text)
		want, _ := stripPinyin(clean)
		if normalizeText(got) == normalizeText(want) {
			exact++
		}
	}
	t.Logf("%d of %d damaged passages repaired exactly", exact, total)
	if exact*100 < total*55 {
		t.Errorf("only %d of %d damaged passages repaired exactly; want 55%%", exact, total)
	}
}
