package plan

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// got is a measure as the layout tests compare it.
type got struct {
	id, title, lead, co, deadline, deadlineText, leaders string
}

func measuresOf(p *Plan) []got {
	var out []got
	for _, t := range p.Measures() {
		m := t.Measure
		out = append(out, got{m.ID, m.Title, strings.Join(m.LeadUnits, "、"), strings.Join(m.CoUnits, "、"),
			m.Deadline, m.DeadlineText, strings.Join(m.Leaders, "、")})
	}
	return out
}

func importBytes(t *testing.T, data []byte) (*Plan, []Warning) {
	t.Helper()
	p, warnings, err := Import(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return p, warnings
}

func checkMeasures(t *testing.T, p *Plan, want []got) {
	t.Helper()
	if g := measuresOf(p); !slices.Equal(g, want) {
		t.Errorf("measures\n got %q\nwant %q", g, want)
	}
}

// The 分工 table: a header naming 序号, 改革任务, units, 完成时限 and
// 责任领导, a lead unit merged over two rows.
var taskTable = [][]string{
	{"序号", "改革任务", "牵头单位", "配合单位", "完成时限", "责任领导"},
	{"1", "推行工程建设项目审批告知承诺制", "区住房和建设局", "区发展改革局、区规划资源局", "2026年6月底前", "张三"},
	{"2", "推进“证照分离”改革全覆盖", "区市场监管局", "", "年底前", ""},
	{"3", "开展营商环境评价", "^", "区司法局", "长期坚持", "李四、王五"},
}

var taskTableWant = []got{
	{"1.1", "推行工程建设项目审批告知承诺制", "区住房和建设局", "区发展改革局、区规划资源局", "2026-06-30", "2026年6月底前", "张三"},
	{"1.2", "推进“证照分离”改革全覆盖", "区市场监管局", "", "2026-12-31", "年底前", ""},
	{"1.3", "开展营商环境评价", "区市场监管局", "区司法局", "", "长期坚持", "李四、王五"},
}

func TestImportDocxTable(t *testing.T) {
	d := &docxBuilder{}
	d.para("某某区2026年改革任务分工方案").para("一、深化经济体制改革").table(taskTable).para("二、保障措施").para("各单位每月报送进展。")
	p, _ := importBytes(t, d.bytes(t))
	checkMeasures(t, p, taskTableWant)
	if p.Title != "某某区2026年改革任务分工方案" || p.Year != 2026 {
		t.Errorf("title %q year %d", p.Title, p.Year)
	}
	if problems := p.Validate(); len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
}

func TestImportXlsxLedger(t *testing.T) {
	// A 台账 whose header is on row 3 and in column B, with a title above
	// it, a category column merged down, and the lead unit merged.
	rows := [][]string{
		{"", "某某区2026年改革任务台账"},
		{},
	}
	head := append([]string{"", "类别"}, taskTable[0]...)
	rows = append(rows, head)
	for _, r := range taskTable[1:] {
		row := append([]string{"", "深化经济体制改革"}, r...)
		if row[4] == "^" {
			row[4] = ""
		}
		rows = append(rows, row)
	}
	data := xlsxBytes(t, xlsxSheet{name: "台账", rows: rows, merges: []string{"B1:H1", "B4:B6", "E5:E6"}})
	p, _ := importBytes(t, data)
	checkMeasures(t, p, taskTableWant)
	if p.Categories[0].Title != "深化经济体制改革" || p.Title != "某某区2026年改革任务台账" {
		t.Errorf("category %q title %q", p.Categories[0].Title, p.Title)
	}
}

// Word numbers the list items itself; the text holds no number.
func TestImportDocxNumberedList(t *testing.T) {
	d := &docxBuilder{numbering: decimalList}
	d.para("某某区2026年改革工作要点").para("一、深化经济体制改革")
	d.listPara(2, 0, "优化营商环境")
	d.listPara(2, 1, "推进商事制度改革。（牵头单位：区市场监管局）")
	d.listPara(2, 1, "深化工程建设项目审批制度改革。（牵头单位：区住建局；配合单位：区发改局）")
	d.listPara(2, 0, "深化财税体制改革")
	d.listPara(2, 1, "推进预算绩效管理改革。（牵头单位：区财政局）")
	p, _ := importBytes(t, d.bytes(t))
	checkMeasures(t, p, []got{
		{"1.1.1", "推进商事制度改革", "区市场监管局", "", "", "", ""},
		{"1.1.2", "深化工程建设项目审批制度改革", "区住建局", "区发改局", "", "", ""},
		{"1.2.1", "推进预算绩效管理改革", "区财政局", "", "", "", ""},
	})
}

// The same 分工 table flattened to text in each of the shapes pages and
// editors produce.
func TestImportTextTables(t *testing.T) {
	want := []got{
		{"1.1", "推行工程建设项目审批告知承诺制", "区住房和建设局", "区发展改革局、区规划资源局", "2026-06-30", "2026年6月底前", ""},
		{"1.2", "推进“证照分离”改革全覆盖", "区市场监管局", "区司法局", "2026-12-31", "年底前", ""},
	}
	const head = "某某区2026年改革任务分工方案\n一、深化经济体制改革\n"
	const tail = "二、保障措施\n各单位每月报送进展。\n"
	tests := []struct{ name, table string }{
		{"one cell per line", `序号
改革任务
牵头单位|
配合单位
完成时限|
1
推行工程建设项目审批告知承诺制
区住房和建设局
区发展改革局、区规划资源局
2026年6月底前
2|
推进“证照分离”改革全覆盖|
区市场监管局|
区司法局|
年底前|
`},
		{"bars", `| 序号 | 改革任务 | 牵头单位 | 配合单位 | 完成时限 |
|---|---|---|---|---|
| 1 | 推行工程建设项目审批告知承诺制 | 区住房和建设局 | 区发展改革局、区规划资源局 | 2026年6月底前 |
| 2 | 推进“证照分离”改革全覆盖 | 区市场监管局 | 区司法局 | 年底前 |
`},
		{"tabs, as pasted from Excel", "序号\t改革任务\t牵头单位\t配合单位\t完成时限\n" +
			"1\t推行工程建设项目审批告知承诺制\t区住房和建设局\t区发展改革局、区规划资源局\t2026年6月底前\n" +
			"2\t推进“证照分离”改革全覆盖\t区市场监管局\t区司法局\t年底前\n"},
		{"box drawing with wrapped cells", `┌──┬────────┬──────┬──────┬──────┐
│序号│改革任务        │牵头单位    │配合单位      │完成时限  │
├──┼────────┼──────┼──────┼──────┤
│1 │推行工程建设项目│区住房和建设│区发展改革局、│2026年6月 │
│  │审批告知承诺制  │局          │区规划资源局  │底前      │
├──┼────────┼──────┼──────┼──────┤
│2 │推进“证照分离”改│区市场监管局│区司法局      │年底前    │
│  │革全覆盖        │            │              │          │
└──┴────────┴──────┴──────┴──────┘
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := importBytes(t, []byte(head+tt.table+tail))
			checkMeasures(t, p, want)
			if problems := p.Validate(); len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
		})
	}
}

// A text box inside a paragraph (as a notice's red header often is) joins
// its paragraph; text Word moved elsewhere is read once, where it now is.
func TestImportDocxTextBoxAndMovedText(t *testing.T) {
	d := &docxBuilder{}
	d.body.WriteString(`<w:p><w:r><w:t>区改办〔2026〕3号</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>签发人：李四</w:t></w:r></w:p></w:txbxContent></w:r></w:p>`)
	d.para("某某区2026年改革工作要点").para("一、深化改革")
	d.body.WriteString(`<w:p><w:r><w:t>1.推进商事制度改革。</w:t></w:r><w:moveFrom><w:r><w:t>（牵头单位：区财政局）</w:t></w:r></w:moveFrom><w:r><w:t>（牵头单位：区市场监管局）</w:t></w:r></w:p>`)
	p, _ := importBytes(t, d.bytes(t))
	checkMeasures(t, p, []got{{"1.1", "推进商事制度改革", "区市场监管局", "", "", "", ""}})
	if p.DocNumber != "区改办〔2026〕3号" {
		t.Errorf("doc_number %q", p.DocNumber)
	}
}

// A 台账 typed in Traditional characters with full-width letters reads as
// one in Simplified.
func TestImportXlsxTraditional(t *testing.T) {
	data := xlsxBytes(t, xlsxSheet{name: "台賬", rows: [][]string{
		{"序號", "改革任務", "牽頭單位", "配合單位"},
		{"1", "推進ＰＰＰ項目規範管理", "區財政局", "區發展改革局"},
	}})
	p, _ := importBytes(t, data)
	checkMeasures(t, p, []got{{"1", "推进PPP项目规范管理", "区财政局", "区发展改革局", "", "", ""}})
}

// Heading rows inside a 台账: a numeral in the 序号 column, or one merged
// cell across the row.
func TestImportXlsxHeadingRows(t *testing.T) {
	data := xlsxBytes(t, xlsxSheet{name: "台账", rows: [][]string{
		{"序号", "改革任务", "牵头单位", "配合单位"},
		{"一", "深化经济体制改革", "", ""},
		{"（一）", "优化营商环境", "", ""},
		{"1", "推进商事制度改革", "区市场监管局", ""},
		{"二、深化社会领域改革", "", "", ""},
		{"1", "推进集团化办学", "区教育局", "区财政局"},
	}, merges: []string{"A5:D5"}})
	p, _ := importBytes(t, data)
	checkMeasures(t, p, []got{
		{"1.1.1", "推进商事制度改革", "区市场监管局", "", "", "", ""},
		{"2.1", "推进集团化办学", "区教育局", "区财政局", "", "", ""},
	})
}

// Rows of a table whose header is not in the text: number, task, lead,
// co-units, deadline.
func TestImportHeaderlessRows(t *testing.T) {
	doc := "某某区2026年改革任务分工方案\n一、深化经济体制改革\n" +
		"| 1 | 推行工程建设项目审批告知承诺制 | 区住房和建设局 | 区发展改革局、区规划资源局 | 2026年6月底前 |\n" +
		"| 2 | 推进“证照分离”改革全覆盖 | 区市场监管局 | 区司法局 |  |\n"
	p, _ := importBytes(t, []byte(doc))
	checkMeasures(t, p, []got{
		{"1.1", "推行工程建设项目审批告知承诺制", "区住房和建设局", "区发展改革局、区规划资源局", "2026-06-30", "2026年6月底前", ""},
		{"1.2", "推进“证照分离”改革全覆盖", "区市场监管局", "区司法局", "", "", ""},
	})
}

// 重点任务 beside 具体内容: a project when it spans rows, each measure's
// title when every row has its own.
func TestImportTaskAndContentColumns(t *testing.T) {
	head := []string{"序号", "重点任务", "具体内容", "牵头单位"}
	own := xlsxBytes(t, xlsxSheet{name: "台账", rows: [][]string{head,
		{"1", "推进集团化办学", "组建3个教育集团，年底前实现全覆盖。", "区教育局"},
		{"2", "深化医联体建设", "推进家庭医生签约服务。", "区卫健局"},
	}})
	p, _ := importBytes(t, own)
	checkMeasures(t, p, []got{
		{"1", "推进集团化办学", "区教育局", "", "", "", ""},
		{"2", "深化医联体建设", "区卫健局", "", "", "", ""},
	})
	if m := p.Measures()[0].Measure; m.Text != "推进集团化办学。组建3个教育集团，年底前实现全覆盖。" {
		t.Errorf("text %q", m.Text)
	}
	spanning := xlsxBytes(t, xlsxSheet{name: "台账", rows: [][]string{head,
		{"1", "推进教育改革", "组建教育集团。", "区教育局"},
		{"2", "推进教育改革", "推进课后服务。", "区教育局"},
	}, merges: []string{"B2:B3"}})
	p, _ = importBytes(t, spanning)
	checkMeasures(t, p, []got{
		{"1.1", "组建教育集团", "区教育局", "", "", "", ""},
		{"1.2", "推进课后服务", "区教育局", "", "", "", ""},
	})
}

// One cell per line, with empty cells left out or written as blank lines.
func TestImportCellPerLineEmptyCells(t *testing.T) {
	const head = "某某区2026年改革任务分工方案\n一、深化经济体制改革\n序号\n改革任务\n牵头单位\n配合单位\n完成时限\n"
	want := []got{
		{"1.1", "推行告知承诺制", "区住建局", "", "2026-06-30", "2026年6月底前", ""},
		{"1.2", "推进证照分离", "区市场监管局", "区司法局", "2026-12-31", "年底前", ""},
	}
	for name, rows := range map[string]string{
		"left out":    "1\n推行告知承诺制\n区住建局\n2026年6月底前\n2\n推进证照分离\n区市场监管局\n区司法局\n年底前\n",
		"blank lines": "1\n推行告知承诺制\n区住建局\n\n2026年6月底前\n2\n推进证照分离\n区市场监管局\n区司法局\n年底前\n",
	} {
		t.Run(name, func(t *testing.T) {
			p, _ := importBytes(t, []byte(head+rows))
			checkMeasures(t, p, want)
		})
	}
}

// A two-row header: 责任单位 spanning 牵头单位 and 配合单位, the other
// headers merged down.
func TestImportTwoRowHeader(t *testing.T) {
	rows := [][]string{
		{"序号", "改革任务", "责任单位", ">", "完成时限"},
		{"^", "^", "牵头单位", "配合单位", "^"},
		{"1", "推行告知承诺制", "区住建局", "区发改局", "2026年6月底前"},
	}
	d := &docxBuilder{}
	d.para("某某区2026年改革任务分工方案").table(rows)
	want := []got{{"1", "推行告知承诺制", "区住建局", "区发改局", "2026-06-30", "2026年6月底前", ""}}
	p, _ := importBytes(t, d.bytes(t))
	checkMeasures(t, p, want)
	book := xlsxBytes(t, xlsxSheet{name: "台账", rows: [][]string{
		{"序号", "改革任务", "责任单位", "", "完成时限"},
		{"", "", "牵头单位", "配合单位", ""},
		rows[2],
	}, merges: []string{"A1:A2", "B1:B2", "C1:D1", "E1:E2"}})
	p, _ = importBytes(t, book)
	checkMeasures(t, p, want)
}

// Two lists of one abstract list continue one count, as Word numbers them;
// a restarted list starts again; a number followed only by a tab still
// reads as a number.
func TestImportDocxListsContinue(t *testing.T) {
	const numbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>`
	d := &docxBuilder{numbering: numbering}
	d.para("某某区2026年改革工作要点").para("一、深化经济体制改革")
	d.listPara(1, 0, "推进商事制度改革。（牵头单位：区市场监管局）")
	d.listPara(2, 0, "推进外贸转型。（牵头单位：区商务局）")
	d.para("二、深化社会领域改革")
	d.listPara(3, 0, "推进集团化办学。（牵头单位：区教育局）")
	p, warnings := importBytes(t, d.bytes(t))
	checkMeasures(t, p, []got{
		{"1.1", "推进商事制度改革", "区市场监管局", "", "", "", ""},
		{"1.2", "推进外贸转型", "区商务局", "", "", "", ""},
		{"2.1", "推进集团化办学", "区教育局", "", "", "", ""},
	})
	for _, w := range warnings {
		if strings.Contains(w.Message, "编号") {
			t.Errorf("numbering warning %v: Word's numbers were not counted as Word counts them", w)
		}
	}
}
