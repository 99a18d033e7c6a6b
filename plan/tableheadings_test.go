package plan

import (
	"strings"
	"testing"
)

// The common 分工表: 序号 | 改革任务 | 具体措施 | units | 完成时限, heading
// rows with the numeral in 序号 and the heading in 改革任务, 改革任务 merged
// over its measures, and 序号 counting through the whole table.
func TestImportXlsxNumeralRowsWithTaskColumn(t *testing.T) {
	rows := func(first, second []string) [][]string {
		return [][]string{
			{"某区2018年重点改革任务分工表"},
			{},
			{"序号", "改革任务", "具体措施", "牵头单位", "配合单位", "完成时限"},
			first,
			{"1", "商事登记便利化", "推行“证照分离”改革", "区市场监管局", "区司法局", "2018年6月底前"},
			{"2", "", "建立审批事项清单", "区编办", "区法制办", "年底前"},
			{"3", "", "推行电子发票", "区税务局", "", "2018年9月30日"},
			second,
			{"4", "基层治理", "完善网格化管理", "区网格办", "各街道办", "2018年12月"},
			{"5", "", "推进智慧社区建设", "区科技创新局", "", "长期坚持"},
		}
	}
	merges := []string{"A1:F1", "B5:B7", "B9:B10"}
	for name, sheet := range map[string]xlsxSheet{
		// 一、 | 营商环境改革 | … : the numeral in 序号, the title in 改革任务.
		"numeral in 序号": {rows: rows(
			[]string{"一、", "营商环境改革", "", "", "", ""},
			[]string{"二、", "社会治理改革", "", "", "", ""}), merges: merges},
		// | 一、营商环境改革 | … : the whole heading in 改革任务.
		"heading in 改革任务": {rows: rows(
			[]string{"", "一、营商环境改革", "", "", "", ""},
			[]string{"", "二、社会治理改革", "", "", "", ""}), merges: merges},
		// The heading merged across the row.
		"merged row": {rows: rows(
			[]string{"一、营商环境改革", "", "", "", "", ""},
			[]string{"二、社会治理改革", "", "", "", "", ""}), merges: append([]string{"A4:F4", "A8:F8"}, merges...)},
	} {
		t.Run(name, func(t *testing.T) {
			sheet.name = "任务分工"
			p, warnings := importBytes(t, xlsxBytes(t, sheet))
			var cats []string
			for _, c := range p.Categories {
				var projects []string
				for _, pr := range c.Projects {
					projects = append(projects, headingCell(pr.Number, pr.Title, "（%s）%s"))
				}
				cats = append(cats, headingCell(c.Number, c.Title, "%s、%s")+" "+strings.Join(projects, " "))
			}
			if want := "一、营商环境改革 （一）商事登记便利化|二、社会治理改革 （一）基层治理"; strings.Join(cats, "|") != want {
				t.Errorf("categories %q, want %q", strings.Join(cats, "|"), want)
			}
			checkMeasures(t, p, []got{
				{"1.1.1", "推行“证照分离”改革", "区市场监管局", "区司法局", "2018-06-30", "2018年6月底前", ""},
				{"1.1.2", "建立审批事项清单", "区编办", "区法制办", "2018-12-31", "年底前", ""},
				{"1.1.3", "推行电子发票", "区税务局", "", "2018-09-30", "2018年9月30日", ""},
				{"2.1.4", "完善网格化管理", "区网格办", "各街道办", "2018-12-31", "2018年12月", ""},
				{"2.1.5", "推进智慧社区建设", "区科技创新局", "", "", "长期坚持", ""},
			})
			for _, w := range warnings {
				if strings.Contains(w.Message, "编号") {
					t.Errorf("numbering warning %v: 序号 counts through the table without a gap", w)
				}
			}
			if problems := p.Validate(); len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
		})
	}
}

// A 工作要点 that counts its projects and its measures through the whole
// document, not afresh under each heading, has no gap in its numbering.
func TestImportCountsThroughDocument(t *testing.T) {
	d := &docxBuilder{}
	d.para("某区2018年全面深化改革工作要点").para("一、经济体制改革").para("（一）深化商事制度改革")
	d.para("1. 推行“证照分离”改革。（牵头单位：区市场监管局；配合单位：区司法局）")
	d.para("2. 深化投资审批制度改革。（牵头单位：区发展和改革局）")
	d.para("（二）推进财税体制改革").para("3. 推进预算绩效管理改革。【牵头单位：区财政局】")
	d.para("二、社会体制改革").para("（三）创新社会治理")
	d.para("4. 完善网格化管理。（区网格办，各街道办按职责分工负责）")
	d.para("5. 推进智慧社区建设。（牵头单位：区科技创新局）")
	p, warnings := importBytes(t, d.bytes(t))
	var ids []string
	for _, m := range p.Measures() {
		ids = append(ids, m.Measure.ID)
	}
	if want := "1.1.1 1.1.2 1.2.3 2.3.4 2.3.5"; strings.Join(ids, " ") != want {
		t.Errorf("ids %q, want the document's numbers %q", strings.Join(ids, " "), want)
	}
	for _, w := range warnings {
		if strings.Contains(w.Message, "编号") {
			t.Errorf("numbering warning %v: the document counts through without a gap", w)
		}
	}
	// A real gap is still reported.
	d = &docxBuilder{}
	d.para("某区2018年全面深化改革工作要点").para("一、经济体制改革").para("（一）深化商事制度改革")
	d.para("1. 推行“证照分离”改革。（牵头单位：区市场监管局）")
	d.para("3. 深化投资审批制度改革。（牵头单位：区发展和改革局）")
	d.para("二、社会体制改革").para("（三）创新社会治理")
	d.para("4. 完善网格化管理。（牵头单位：区网格办）")
	_, warnings = importBytes(t, d.bytes(t))
	var gaps []string
	for _, w := range warnings {
		if strings.Contains(w.Message, "编号") {
			gaps = append(gaps, w.Message)
		}
	}
	if want := "举措编号 3 接在 1 之后，编号不连续|项目编号 3 接在 0 之后，编号不连续"; strings.Join(gaps, "|") != want {
		t.Errorf("gap warnings %q, want %q", strings.Join(gaps, "|"), want)
	}
}

// A 类别 column whose heading rows stand alone, the category merged down
// over its measures: one category each, not two.
func TestImportXlsxCategoryHeadingRows(t *testing.T) {
	data := xlsxBytes(t, xlsxSheet{name: "台账", rows: [][]string{
		{"类别", "序号", "改革任务", "牵头单位"},
		{"一、经济体制改革", "", "", ""},
		{"", "1", "推进商事制度改革", "区市场监管局"},
		{"二、社会体制改革", "", "", ""},
		{"", "1", "推进集团化办学", "区教育局"},
	}, merges: []string{"A2:A3", "A4:A5"}})
	p, warnings := importBytes(t, data)
	checkMeasures(t, p, []got{
		{"1.1", "推进商事制度改革", "区市场监管局", "", "", "", ""},
		{"2.1", "推进集团化办学", "区教育局", "", "", "", ""},
	})
	if len(p.Categories) != 2 {
		t.Errorf("%d categories, want 2", len(p.Categories))
	}
	for _, w := range warnings {
		if strings.Contains(w.Message, "编号") || strings.Contains(w.Message, "重复") {
			t.Errorf("warning %v", w)
		}
	}
}
