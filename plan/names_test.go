package plan

import "testing"

func TestNormalizeUnitName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"traditional", "區財政局", "区财政局"},
		{"angle brackets", "區委〈政府〉辦", "区委(政府)办"},
		{"full-width brackets", "区委（政府）办", "区委(政府)办"},
		{"half-width brackets", "区委(政府)办", "区委(政府)办"},
		{"spaces", " 区 编办 ", "区编办"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeUnitName(tt.in); got != tt.want {
				t.Errorf("NormalizeUnitName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
