package plan

import "testing"

func TestParseDeadline(t *testing.T) {
	tests := []struct{ text, want string }{
		{"2026年6月底前", "2026-06-30"},
		{"2026年2月底", "2026-02-28"},
		{"年底前", "2025-12-31"},
		{"2026年底前", "2026-12-31"},
		{"2026年9月15日前完成", "2026-09-15"},
		{"9月30日", "2025-09-30"},
		{"2026年第三季度", "2026-09-30"},
		{"2026/6/30", "2026-06-30"},
		{"06-30-26", "2026-06-30"},
		{"2026年", "2026-12-31"},
		{"长期坚持", ""},
		{"2026年6月、12月", ""},
		{"2026年6月底前完成方案，年底前全面推开", ""},
		{"2026年2月30日", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := parseDeadline(tt.text, 2025)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("parseDeadline(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
		})
	}
}
