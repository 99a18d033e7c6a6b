package plan

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The plan workbook is the plan file as an Excel workbook, for offices
// that edit tables rather than YAML: a 说明 sheet (how to edit it, and the
// plan's own fields), a 举措 sheet with one row per measure, a 项目 sheet
// with the projects' introductions, and a 单位 sheet. It holds exactly what
// the YAML file holds, so a plan written as a workbook reads back the same.
// Parse and Load tell it from YAML by content.

// workbookMark opens the 说明 sheet; it is how a plan workbook is told from
// any other (a 台账 to import).
const workbookMark = "reformbot 改革计划"

// Sheet names and columns of the plan workbook.
const (
	sheetGuide    = "说明"
	sheetMeasures = "举措"
	sheetProjects = "项目"
	sheetUnits    = "单位"
)

var (
	measureColumns = []string{"编号", "类别", "项目", "措施", "内容", "牵头单位", "协办单位", "完成时限", "完成日期", "责任领导"}
	projectColumns = []string{"类别", "项目", "简介"}
	unitColumns    = []string{"单位", "别名", "单位组", "成员", "曾用名"}
)

// The plan's own fields on the 说明 sheet, label then value.
const (
	fieldTitle      = "标题"
	fieldDocNumber  = "文号"
	fieldIssuers    = "发文机关"
	fieldPublished  = "发布日期"
	fieldYear       = "年度"
	fieldCadence    = "报送周期"
	fieldAcceptance = "年底验收"
	fieldBasis      = "依据"
)

var workbookGuide = []string{
	"由 reformbot 生成，可直接在 Excel 中编辑；改完请运行 reformbot plan check 文件名 检查。",
	"“举措”表每行一项举措：编号为“类别.项目.举措”（如 2.1.1），开始填报进度后请勿再改。",
	"类别写作“一、标题”，项目写作“（一）标题”；同一项目的举措请放在相邻行。",
	"牵头单位、协办单位、别名、成员等多个名称用“、”分隔；单位须在“单位”表中登记。",
	"单位组（如“各街道办”）在“单位组”列填“是”，并可在“成员”列列出成员单位。",
	"完成日期写作 2026-06-30；完成时限照原文填写（如 2026年6月底前）。",
}

// listSep joins a list in one cell.
const listSep = "、"

// WriteXLSX writes the plan as a plan workbook.
func (p *Plan) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetGuide); err != nil {
		return fmt.Errorf("plan: workbook: %w", err)
	}
	cadence := "每月"
	if p.Reporting.Cadence == Quarterly {
		cadence = "每季度"
	} else if p.Reporting.Cadence != Monthly {
		cadence = string(p.Reporting.Cadence)
	}
	guide := [][]string{{workbookMark}}
	for _, g := range workbookGuide {
		guide = append(guide, []string{g})
	}
	guide = append(guide, nil,
		[]string{fieldTitle, p.Title},
		[]string{fieldDocNumber, p.DocNumber},
		[]string{fieldIssuers, strings.Join(p.Issuers, listSep)},
		[]string{fieldPublished, p.Published},
		[]string{fieldYear, yearCell(p.Year)},
		[]string{fieldCadence, cadence},
		[]string{fieldAcceptance, yesNo(p.Reporting.Acceptance)},
		[]string{fieldBasis, strings.Join(p.Reporting.Basis, "\n")},
	)
	var measures, projects [][]string
	measures = append(measures, measureColumns)
	projects = append(projects, projectColumns)
	for _, c := range p.Categories {
		cat := headingCell(c.Number, c.Title, "%s、%s")
		for _, pr := range c.Projects {
			proj := headingCell(pr.Number, pr.Title, "（%s）%s")
			projects = append(projects, []string{cat, proj, pr.Summary})
			for _, m := range pr.Measures {
				measures = append(measures, []string{m.ID, cat, proj, m.Title, m.Text,
					strings.Join(m.LeadUnits, listSep), strings.Join(m.CoUnits, listSep),
					m.DeadlineText, m.Deadline, strings.Join(m.Leaders, listSep)})
			}
		}
	}
	units := [][]string{unitColumns}
	for _, u := range p.Units {
		units = append(units, []string{u.Name, strings.Join(u.Aliases, listSep), yesNo(u.Group),
			strings.Join(u.Members, listSep), strings.Join(u.Formerly, listSep)})
	}
	for _, s := range []struct {
		name  string
		rows  [][]string
		width []float64
	}{
		{sheetGuide, guide, []float64{12, 80}},
		{sheetMeasures, measures, []float64{8, 20, 24, 30, 60, 24, 30, 14, 12, 12}},
		{sheetProjects, projects, []float64{20, 24, 80}},
		{sheetUnits, units, []float64{24, 30, 8, 30, 20}},
	} {
		if err := writeSheet(f, s.name, s.rows, s.width); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("plan: workbook: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, name string, rows [][]string, widths []float64) error {
	if name != sheetGuide {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("plan: workbook: %w", err)
		}
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(name, col, col, w)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("plan: workbook: %w", err)
	}
	for r, row := range rows {
		cells := make([]any, len(row))
		for i, v := range row {
			if len([]rune(v)) > excelize.TotalCellChars {
				return fmt.Errorf("plan: workbook: sheet %s row %d holds more than %d characters in one cell", name, r+1, excelize.TotalCellChars)
			}
			// Text stays text, so that 1.10 is not read back as 1.1.
			cells[i] = excelize.Cell{Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("plan: workbook: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("plan: workbook: %w", err)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return ""
}

func yearCell(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// headingCell writes a category or project as the document did: 二、标题,
// （一）标题, or the title alone for a level the document lacks.
func headingCell(number int, title, format string) string {
	if number == 0 {
		return title
	}
	return fmt.Sprintf(format, ChineseNumeral(number), title)
}

// isPlanWorkbook reports whether data is a plan workbook.
func isPlanWorkbook(data []byte) bool {
	if format, _, err := sniff(data); err != nil || format != formatXlsx {
		return false
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), xlsxLimits)
	if err != nil {
		return false
	}
	defer f.Close()
	v, err := f.GetCellValue(sheetGuide, "A1")
	return err == nil && strings.TrimSpace(v) == workbookMark
}

// readPlanWorkbook reads the plan workbook reformbot writes; ok is false
// for any other document.
func readPlanWorkbook(data []byte) (*Plan, bool, error) {
	if !isPlanWorkbook(data) {
		return nil, false, nil
	}
	p, err := parseWorkbook(data)
	return p, true, err
}
