package plan

import (
	"slices"
	"strings"
	"testing"
)

func TestNameVariants(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"区发展和改革局", []string{"区发展改革局", "区发展局", "区发改局"}},
		{"区住房建设局", []string{"区住房和建设局", "区住建局"}},
		{"区委组织部", []string{"区委组织"}},
		{"市文化和旅游局", []string{"市文化旅游局", "市文化局", "市文旅局"}},
		{"各街道办", nil},
		{"区财政局", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nameVariants(tt.name); !slices.Equal(got, tt.want) {
				t.Errorf("nameVariants(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// Names the document shows for one unit are one unit, the first named
// canonical; a name only in the text becomes an alias; names of other
// districts follow the same rules.
func TestImportJoinsUnitNames(t *testing.T) {
	doc := `某县2025年改革要点
一、深化改革
1.推进审批改革。（牵头单位：县发展和改革局；配合单位：县委宣传部）
2.推进住房改革。（牵头单位：县住房和城乡建设局、县发展改革局）
3.推进宣传改革。（牵头单位：县委宣传）
4.推进教育改革，县教体局、县文化教育局另行安排。（牵头单位：县教育局）
5.推进文旅融合。（牵头单位：县文化和旅游局）
`
	p, _ := importBytes(t, []byte(doc))
	checkMeasures(t, p, []got{
		{"1.1", "推进审批改革", "县发展和改革局", "县委宣传部", "", "", ""},
		{"1.2", "推进住房改革", "县住房和城乡建设局、县发展和改革局", "", "", "", ""},
		{"1.3", "推进宣传改革", "县委宣传部", "", "", "", ""},
		{"1.4", "推进教育改革，县教体局、县文化教育局另行安排", "县教育局", "", "", "", ""},
		{"1.5", "推进文旅融合", "县文化和旅游局", "", "", "", ""},
	})
	var names []string
	for _, u := range p.Units {
		names = append(names, u.Name+"="+strings.Join(u.Aliases, "/"))
	}
	want := []string{"县发展和改革局=县发展改革局", "县委宣传部=县委宣传", "县住房和城乡建设局=", "县教育局=", "县文化和旅游局="}
	if !slices.Equal(names, want) {
		t.Errorf("units %q, want %q", names, want)
	}
	if problems := p.Validate(); len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
}
