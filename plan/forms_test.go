package plan

import (
	"errors"
	"strings"
	"testing"
)

// A document in the clause forms other offices write, each written for
// the test: other brackets, none, the lead named first without 牵头, 等部门,
// a stated convention, measures without numbers, deadlines and leaders.
const formsDocument = `某某区委全面深化改革委员会办公室文件
区改办〔2026〕3号
关于印发《某某区2026年改革工作要点》的通知
根据国办发〔2019〕39号文件精神，现将工作要点印发给你们，请各单位每月报送进展。
一、深化经济体制改革
1.推进商事制度改革。[牵头单位:区市场监管局;责任单位:区税务局]
2.深化工程建设项目审批制度改革。【牵头单位：区住建局】
3.推进预算绩效管理改革。牵头单位：区财政局；配合单位：区审计局；责任人：王五
4.推进外贸转型升级。（区商务局，各街道按职责分工负责）
5.开展安全生产专项整治。（区应急管理局、区住建局、区交通局等部门按职责分工负责）
二、深化社会领域改革
（排在第一位的为牵头单位）
1.推进集团化办学。（责任单位：区教育局、区财政局、区人力资源局）
三、深化生态文明体制改革
（一）推进绿色发展
完善河长制工作机制。（牵头单位：区水务局；完成时限：2026年6月底前）
推进生活垃圾分类。（牵头单位：区城管局；配合单位：各街道办）
开展重点区域生态修复。
牵头单位：区规划资源局
完成时限：年底前
责任领导：张三
`

var formsWant = []got{
	{"1.1", "推进商事制度改革", "区市场监管局", "区税务局", "", "", ""},
	{"1.2", "深化工程建设项目审批制度改革", "区住建局", "", "", "", ""},
	{"1.3", "推进预算绩效管理改革", "区财政局", "区审计局", "", "", "王五"},
	{"1.4", "推进外贸转型升级", "区商务局", "各街道", "", "", ""},
	{"1.5", "开展安全生产专项整治", "区应急管理局、区住建局、区交通局", "", "", "", ""},
	{"2.1", "推进集团化办学", "区教育局", "区财政局、区人力资源局", "", "", ""},
	{"3.1.1", "完善河长制工作机制", "区水务局", "", "2026-06-30", "2026年6月底前", ""},
	{"3.1.2", "推进生活垃圾分类", "区城管局", "各街道办", "", "", ""},
	{"3.1.3", "开展重点区域生态修复", "区规划资源局", "", "2026-12-31", "年底前", "张三"},
}

// docxOf writes each line of a text as a paragraph of a Word document.
func docxOf(t *testing.T, text string) []byte {
	d := &docxBuilder{}
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		d.para(l)
	}
	return d.bytes(t)
}

func TestImportClauseForms(t *testing.T) {
	for _, format := range []string{"text", "docx"} {
		t.Run(format, func(t *testing.T) {
			data := []byte(formsDocument)
			if format == "docx" {
				data = docxOf(t, formsDocument)
			}
			p, warnings := importBytes(t, data)
			checkMeasures(t, p, formsWant)
			if p.DocNumber != "区改办〔2026〕3号" || p.Title != "某某区2026年改革工作要点" || p.Year != 2026 {
				t.Errorf("header: %q %q %d", p.DocNumber, p.Title, p.Year)
			}
			if problems := p.Validate(); len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
			for _, u := range p.Units {
				if u.Name == "张三" || strings.Contains(u.Name, "完成时限") || strings.Contains(u.Name, "等部门") {
					t.Errorf("unit %q", u.Name)
				}
			}
			for _, w := range warnings {
				if format == "docx" && w.Where == "" {
					t.Errorf("warning without its place in the Word document: %v", w)
				}
			}
		})
	}
}

// A number cited in the body is not the notice's own.
func TestImportDocNumberOnlyFromHeader(t *testing.T) {
	doc := strings.Replace(formsDocument, "区改办〔2026〕3号\n", "", 1)
	p, _ := importBytes(t, []byte(doc))
	if p.DocNumber != "" {
		t.Errorf("doc_number %q, want none: the notice prints no number of its own", p.DocNumber)
	}
}

// The convention note applies to a 台账's 责任单位 column too, and 等部门 is
// dropped from its names.
func TestImportXlsxConvention(t *testing.T) {
	data := xlsxBytes(t, xlsxSheet{name: "任务", rows: [][]string{
		{"某某区2026年改革任务清单"},
		{"说明：责任单位中，第一责任单位为牵头单位。"},
		{"序号", "重点任务", "责任单位", "时间节点"},
		{"1", "推进集团化办学", "区教育局、区财政局", "2026年9月30日"},
		{"2", "开展安全生产专项整治", "区应急管理局、区交通局等部门", "2026年第三季度"},
		{"3", "推进外贸转型升级", "区商务局，各街道按职责分工负责", "2026年6月、12月"},
	}})
	p, _ := importBytes(t, data)
	checkMeasures(t, p, []got{
		{"1", "推进集团化办学", "区教育局", "区财政局", "2026-09-30", "2026年9月30日", ""},
		{"2", "开展安全生产专项整治", "区应急管理局", "区交通局", "2026-09-30", "2026年第三季度", ""},
		{"3", "推进外贸转型升级", "区商务局", "各街道", "", "2026年6月、12月", ""},
	})
}

// Loud failures: a document whose items name no units in a known form
// says where the first one is and what it says.
func TestImportNoPlanSaysWhere(t *testing.T) {
	text := "某某区2026年改革工作要点\n一、深化经济体制改革\n1.推进商事制度改革。（区市场监管局）\n2.推进外贸转型。\n"
	tests := []struct {
		name  string
		data  []byte
		where string
	}{
		{"text", []byte(text), "第3行"},
		{"docx", docxOf(t, text), "第3段"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Import(strings.NewReader(string(tt.data)))
			if !errors.Is(err, ErrNoPlan) {
				t.Fatalf("err %v, want ErrNoPlan", err)
			}
			if !strings.Contains(err.Error(), tt.where) || !strings.Contains(err.Error(), "（区市场监管局）") {
				t.Errorf("error %q does not name %s and the clause it did not read", err, tt.where)
			}
		})
	}
}

// A 台账 row without units is reported with its sheet and row.
func TestImportXlsxRowWithoutUnits(t *testing.T) {
	data := xlsxBytes(t, xlsxSheet{name: "台账", rows: [][]string{
		{"序号", "改革任务", "牵头单位", "配合单位"},
		{"1", "推进集团化办学", "区教育局", ""},
		{"2", "推进外贸转型升级", "", ""},
	}})
	_, warnings := importBytes(t, data)
	found := false
	for _, w := range warnings {
		if w.Where == "工作表“台账”第3行" && strings.Contains(w.Message, "推进外贸转型升级") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning names 工作表“台账”第3行: %v", warnings)
	}
}

// A numbered item whose clause is not read, among items whose clauses are,
// is reported with its line and how it ends.
func TestImportUnreadClauseSaysWhat(t *testing.T) {
	text := "某某区2026年改革工作要点\n一、深化经济体制改革\n1.推进商事制度改革。（牵头单位：区市场监管局）\n2.推进外贸转型。（区商务局抓落实推进）\n"
	_, warnings := importBytes(t, []byte(text))
	for _, w := range warnings {
		if w.Line == 4 && strings.Contains(w.Message, "（区商务局抓落实推进）") {
			return
		}
	}
	t.Errorf("no warning at line 4 quoting the clause it did not read: %v", warnings)
}

// A unit marked （牵头） inside a list leads, in text and in a 台账 cell.
func TestImportLeadMarkedInList(t *testing.T) {
	want := []got{{"1.1", "推进集团化办学", "区教育局", "区财政局、区人力资源局", "", "", ""}}
	text := "某某区2026年改革工作要点\n一、深化社会领域改革\n1.推进集团化办学。（责任单位：区财政局、区教育局（牵头）、区人力资源局）\n"
	p, _ := importBytes(t, []byte(text))
	checkMeasures(t, p, want)
	data := xlsxBytes(t, xlsxSheet{name: "台账", rows: [][]string{
		{"某某区2026年改革工作要点"},
		{"一、深化社会领域改革"},
		{"序号", "工作任务", "责任单位"},
		{"1", "推进集团化办学", "区财政局、区教育局(牵头)、区人力资源局"},
	}})
	p, _ = importBytes(t, data)
	checkMeasures(t, p, want)
}

// Text copied from a PDF, its lines broken inside the clause.
func TestImportHardWrappedClause(t *testing.T) {
	text := "某某区2026年改革工作要点\n一、深化经济体制改革\n1.推进商事制度改革，压缩企业开办时间。（牵头单位：区市场\n监管局；配合单位：区税务局）\n2.推进预算绩效管理改革。（牵头单位：区财政局）\n"
	p, _ := importBytes(t, []byte(text))
	checkMeasures(t, p, []got{
		{"1.1", "推进商事制度改革，压缩企业开办时间", "区市场监管局", "区税务局", "", "", ""},
		{"1.2", "推进预算绩效管理改革", "区财政局", "", "", "", ""},
	})
}

// A keyword inside a labelled list: 责任单位：区发改局，区财政局配合.
func TestImportKeywordInsideLabelledList(t *testing.T) {
	text := "某某区2026年改革工作要点\n一、深化改革\n1.推进投资审批改革。（责任单位：区发改局，区财政局、区审计局配合）\n"
	p, _ := importBytes(t, []byte(text))
	checkMeasures(t, p, []got{{"1.1", "推进投资审批改革", "区发改局", "区财政局、区审计局", "", "", ""}})
}

// An unnumbered paragraph with its own clause after a numbered measure is
// not silently absorbed: it is reported.
func TestImportUnnumberedParagraphAfterMeasureIsReported(t *testing.T) {
	text := "某某区2026年改革工作要点\n一、深化改革\n1.推进商事制度改革。（牵头单位：区市场监管局）\n推进外贸转型升级。（牵头单位：区商务局）\n2.推进预算改革。（牵头单位：区财政局）\n"
	p, warnings := importBytes(t, []byte(text))
	checkMeasures(t, p, []got{
		{"1.1", "推进商事制度改革", "区市场监管局", "", "", "", ""},
		{"1.2", "推进预算改革", "区财政局", "", "", "", ""},
	})
	if m := p.Measures()[0].Measure; strings.Contains(m.Text, "外贸") {
		t.Errorf("measure 1.1 absorbed the next paragraph: %q", m.Text)
	}
	for _, w := range warnings {
		if w.Line == 4 && strings.Contains(w.Message, "没有编号") {
			return
		}
	}
	t.Errorf("no warning at line 4: %v", warnings)
}
