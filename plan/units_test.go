package plan

import "testing"

func TestIsGroupName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"各街道办", true},
		{"各行政执法部门", true},
		{"区物业管理委员会各成员单位", true},
		{"区直各单位", true},
		{"相关单位", true},
		{"区编办", false},
		{"区委组织部", false},
		{"罗湖二线插花地棚改现场指挥部", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isGroupName(tt.name); got != tt.want {
				t.Errorf("isGroupName(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestUnitRegistry(t *testing.T) {
	r := newUnitRegistry()
	for _, name := range []string{"区委〈政府〉办", "区住房建设局", "区委(政府)办", "區住房建設局", "区编办"} {
		r.resolve(name)
	}
	if len(r.units) != 3 {
		t.Fatalf("units %+v, want 3", r.units)
	}
	office := r.units[0]
	if office.Name != "区委（政府）办" || len(office.Aliases) != 2 {
		t.Errorf("office %+v: want the canonical brackets and the document's two spellings as aliases", office)
	}
	if got := r.resolve("区住房建设局 "); got != "区住房建设局" {
		t.Errorf("resolve(区住房建设局 ) = %q", got)
	}
}
