package plan

import (
	"slices"
	"testing"
)

// clauseText prepares raw document text the way Import does before it reads
// clauses: Simplified, Chinese punctuation.
func clauseText(s string) string { return normalizeText(ToSimplified(s)) }

func TestTrailingClause(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		rest     string
		lead, co []string
	}{
		{"seed form", "做好整合。(牽頭單位:區編辦、區法制辦)", "做好整合。", []string{"区编办", "区法制办"}, nil},
		{"space after colon", "做好整合。(牽頭單位: 羅湖醫院集團、區衛生計生局)", "做好整合。", []string{"罗湖医院集团", "区卫生计生局"}, nil},
		{"lead and co with semicolon", "打造高端品牌。(牽頭單位:區經濟促進局、區城市更新局;協辦單位:區投資推廣局)", "打造高端品牌。",
			[]string{"区经济促进局", "区城市更新局"}, []string{"区投资推广局"}},
		{"lead and co with comma", "提升水平。(牽頭單位:區住房建設局、區委政法委,協辦單位:區物業管理委員會各成員單位)", "提升水平。",
			[]string{"区住房建设局", "区委政法委"}, []string{"区物业管理委员会各成员单位"}},
		{"units split by comma", "拓展业务。(牽頭單位:區財政局,區委組織部)", "拓展业务。", []string{"区财政局", "区委组织部"}, nil},
		{"angle brackets in a name", "一网通办。(牽頭單位:區委〈政府〉辦、區科技創新局)", "一网通办。", []string{"区委〈政府〉办", "区科技创新局"}, nil},
		{"no full stop before clause", "统筹负责项目的决策和协调(牽頭單位:區發改局、區財政局)", "统筹负责项目的决策和协调", []string{"区发改局", "区财政局"}, nil},
		{"full-width simplified", "推进改革。（牵头单位：区编办；协办单位：区财政局、区审计局）", "推进改革。", []string{"区编办"}, []string{"区财政局", "区审计局"}},
		{"keyword lead and duty", "完善河长制。（市水务局、市环保局牵头，各区政府按职责分工负责）", "完善河长制。", []string{"市水务局", "市环保局"}, []string{"各区政府"}},
		{"keyword lead and support", "推进垃圾分类。（市城管局牵头，市发展改革委、市财政局配合）", "推进垃圾分类。", []string{"市城管局"}, []string{"市发展改革委", "市财政局"}},
		{"keyword responsible alone is lead", "开展评价。（市发展改革委负责）", "开展评价。", []string{"市发展改革委"}, nil},
		{"responsible label alone is lead", "推进改革。（责任单位：区财政局、区税务局）", "推进改革。", []string{"区财政局", "区税务局"}, nil},
		{"responsible with a lead is co", "推进改革。（牵头单位：区财政局；责任单位：区审计局）", "推进改革。", []string{"区财政局"}, []string{"区审计局"}},
		{"clause then full stop", "推进改革（牵头单位：区财政局）。", "推进改革", []string{"区财政局"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest, c, ok := trailingClause(clauseText(tt.in))
			if !ok {
				t.Fatalf("no clause found in %q", clauseText(tt.in))
			}
			lead, co := c.roles()
			if rest != tt.rest || !slices.Equal(lead, tt.lead) || !slices.Equal(co, tt.co) {
				t.Errorf("got rest %q lead %q co %q, want %q %q %q", rest, lead, co, tt.rest, tt.lead, tt.co)
			}
		})
	}
}

func TestTrailingClauseLeavesOtherBrackets(t *testing.T) {
	for _, in := range []string{
		"启动编撰《深圳市棚户区改造工作研究》（暂定名）",
		"依据《规划(2016-2030)》制定方案",
		"整合区科技创新局（区信息中心）",
		"由相关单位落实（市、区共同负责）",
		"推进改革",
	} {
		t.Run(in, func(t *testing.T) {
			if rest, c, ok := trailingClause(clauseText(in)); ok {
				t.Errorf("read %q as a clause %+v, leaving %q", in, c, rest)
			}
		})
	}
}

func TestUnitLine(t *testing.T) {
	tests := []struct {
		name                  string
		in                    string
		lead, co, responsible []string
	}{
		{"lead", "牵头单位：区市场监管局", []string{"区市场监管局"}, nil, nil},
		{"responsible", "责任单位：区政务服务数据管理局、区税务局", nil, nil, []string{"区政务服务数据管理局", "区税务局"}},
		{"support", "配合单位：各街道办", nil, []string{"各街道办"}, nil},
		{"in brackets", "（牵头单位：区教育局）", []string{"区教育局"}, nil, nil},
		{"two labels", "牵头单位：区财政局；责任单位：区审计局。", []string{"区财政局"}, nil, []string{"区审计局"}},
		{"half-width", "牽頭單位:區編辦", []string{"区编办"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := unitLine(clauseText(tt.in))
			if !ok {
				t.Fatalf("%q is not read as a unit line", tt.in)
			}
			if !slices.Equal(c.lead, tt.lead) || !slices.Equal(c.co, tt.co) || !slices.Equal(c.responsible, tt.responsible) {
				t.Errorf("got %q %q %q, want %q %q %q", c.lead, c.co, c.responsible, tt.lead, tt.co, tt.responsible)
			}
		})
	}
	if c, ok := unitLine(clauseText("各改革项目牵头单位要根据计划安排制定方案。")); ok {
		t.Errorf("a sentence read as a unit line: %+v", c)
	}
	// A leader is the measure's, never a unit.
	if c, ok := unitLine(clauseText("牵头领导：张三")); !ok || !c.empty() || !slices.Equal(c.leaders, []string{"张三"}) {
		t.Errorf("牵头领导：张三 read as %+v, %v; want leader 张三 and no unit", c, ok)
	}
}
