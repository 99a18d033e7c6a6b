package plan

import "testing"

func TestStripPinyin(t *testing.T) {
	tests := []struct {
		name, in, want string
		removed        int
	}{
		{"after characters", "發(fā)布日期", "發布日期", 1},
		{"several", "區(qū)編辦、區(qū)法制辦", "區編辦、區法制辦", 2},
		{"full-width brackets", "區（qū）編辦", "區編辦", 1},
		{"neutral tone", "我們(men)的(de)", "我們的", 2},
		{"years stay", "規劃(2016-2030)", "規劃(2016-2030)", 0},
		{"clauses stay", "協調(牽頭單位:區發改局)", "協調(牽頭單位:區發改局)", 0},
		{"untoned word stays", "平臺(app)", "平臺(app)", 0},
		{"after Latin stays", "PPP(qū)", "PPP(qū)", 0},
		{"after a lost character", "□(qiáng)化", "□化", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := stripPinyin(tt.in)
			if got != tt.want || n != tt.removed {
				t.Errorf("stripPinyin(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.removed)
			}
		})
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"chinese punctuation", "牵头单位:区编办,区法制办;协办", "牵头单位：区编办，区法制办；协办"},
		{"brackets in pairs", "规划(2016-2030)》制定", "规划（2016-2030）》制定"},
		{"latin brackets stay", "use (PPP) model", "use (PPP) model"},
		{"space after colon", "牵头单位: 区纪委", "牵头单位：区纪委"},
		{"space between names stays", "区委办公室 区政府办公室", "区委办公室 区政府办公室"},
		{"full-width digits", "２０１７年", "2017年"},
		{"numbers keep their commas", "投资1,000万元", "投资1,000万元"},
		{"ideographic space", "　　（一）标题", "（一）标题"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalizeText(tt.in); got != tt.want {
				t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestChineseNumeral(t *testing.T) {
	for n := 1; n <= 99; n++ {
		if got := chineseNumeral(ChineseNumeral(n)); got != n {
			t.Errorf("chineseNumeral(ChineseNumeral(%d) = %q) = %d", n, ChineseNumeral(n), got)
		}
	}
	for _, s := range []string{"", "□", "十十", "一一", "零"} {
		if got := chineseNumeral(s); got != 0 {
			t.Errorf("chineseNumeral(%q) = %d, want 0", s, got)
		}
	}
}

func TestToSimplifiedLongText(t *testing.T) {
	// Longer than one conversion piece: the pieces must join seamlessly.
	in := ""
	for len(in) < 3*convertChunk {
		in += "區(qū)編辦負責強區放權改革，"
	}
	out := ToSimplified(in)
	want := ""
	for len(want) < len(out) {
		want += "区(qū)编办负责强区放权改革，"
	}
	if out != want[:len(out)] || len([]rune(out)) != len([]rune(in)) {
		t.Errorf("long text converted wrongly (%d runes in, %d out)", len([]rune(in)), len([]rune(out)))
	}
}
