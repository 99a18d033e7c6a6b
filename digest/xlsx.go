package digest

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook.
const (
	SheetSummary     = "汇总"
	SheetDetail      = "明细"
	SheetDifficulty  = "困难"
	SheetMissing     = "未填报"
	SheetOverdue     = "逾期"
	SheetUnbound     = "未绑定"
	SheetUnreachable = "无法送达"
	SheetAcceptance  = "成果验收"
)

// table is one sheet: rows above the header (a title, totals), the header,
// which is bold and frozen, and the data rows.
type table struct {
	name   string
	widths []float64
	intro  [][]any
	header []string
	rows   [][]any
	wrap   map[int]bool // columns, from 0, whose text wraps
}

// styles are the workbook's cell styles.
type styles struct {
	title, header, cell, wrap, percent, dateTime, date int
	light                                              map[Light]int
}

// XLSX renders the digest as an Excel workbook with the sheets 汇总 (totals
// and one row per project), 明细 (one row per measure × responsible unit),
// 困难, 未填报 (one row per missing pair), 逾期 (one row per overdue pair),
// 未绑定 (units without a contact), 无法送达 and, when the digest has
// an acceptance section, 成果验收. It writes with excelize's stream writer.
func (d *Digest) XLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, fmt.Errorf("digest: xlsx: %w", err)
	}
	tables := []table{d.summaryTable(st), d.detailTable(), d.difficultyTable(), d.missingTable(),
		d.overdueTable(), d.unboundTable(), d.unreachableTable(), d.returnedTable(), d.urgedTable()}
	if d.Acceptance != nil {
		tables = append(tables, d.acceptanceTable())
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.name)
			// Before any rows: afterwards SetActiveSheet parses every
			// streamed sheet back (40% of the time for a city).
			f.SetActiveSheet(0)
		} else {
			_, err = f.NewSheet(t.name)
		}
		if err == nil {
			err = writeTable(f, t, st)
		}
		if err != nil {
			return nil, fmt.Errorf("digest: xlsx sheet %s: %w", t.name, err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("digest: xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

func newStyles(f *excelize.File) (styles, error) {
	dateTimeFormat, dateFormat := xlsxDateTimeFormat, xlsxDateFormat
	top := &excelize.Alignment{Vertical: "top"}
	defs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 14}},
		{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EAED"}}},
		{Alignment: top},
		{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}},
		{Alignment: top, NumFmt: 9}, // 0%: shows shareCell's whole percentage as stored
		{Alignment: top, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F28B82"}}},
		{Alignment: top, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FDD663"}}},
		{Alignment: top, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"81C995"}}},
		{Alignment: top, CustomNumFmt: &dateTimeFormat},
		{Alignment: top, CustomNumFmt: &dateFormat},
	}
	ids := make([]int, len(defs))
	for i, s := range defs {
		id, err := f.NewStyle(s)
		if err != nil {
			return styles{}, err
		}
		ids[i] = id
	}
	return styles{
		title: ids[0], header: ids[1], cell: ids[2], wrap: ids[3], percent: ids[4],
		light: map[Light]int{Red: ids[5], Yellow: ids[6], Green: ids[7]}, dateTime: ids[8], date: ids[9],
	}, nil
}

func writeTable(f *excelize.File, t table, st styles) error {
	sw, err := f.NewStreamWriter(t.name)
	if err != nil {
		return err
	}
	for i, w := range t.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	headerRow := len(t.intro) + 1
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	row := 1
	put := func(values []any, opts ...excelize.RowOpts) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, values, opts...)
	}
	for _, values := range t.intro {
		if err := put(values); err != nil {
			return err
		}
	}
	header := make([]any, len(t.header))
	for i, h := range t.header {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := put(header, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	for _, values := range t.rows {
		cells := make([]any, len(values))
		for i, v := range values {
			switch v := v.(type) {
			case excelize.Cell:
				cells[i] = v
				continue
			case cellWhen:
				cells[i] = excelize.Cell{StyleID: st.dateTime, Value: v.serial()}
				continue
			case cellDay:
				cells[i] = excelize.Cell{StyleID: st.date, Value: cellWhen(v).serial()}
				continue
			}
			style := st.cell
			if t.wrap[i] {
				style = st.wrap
			}
			cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
		if err := put(cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func (d *Digest) summaryTable(st styles) table {
	t := d.Totals
	title := fmt.Sprintf("%s %s 改革进展汇总", d.PlanTitle, periodLabel(d.Period))
	tb := table{
		name:   SheetSummary,
		widths: []float64{8, 20, 36, 8, 8, 8, 8, 8, 8, 8, 8, 8},
		intro: [][]any{
			{excelize.Cell{StyleID: st.title, Value: title}},
			{"生成时间：" + d.cnDateTime(d.GeneratedAt)},
			{fmt.Sprintf("应填报 %d 项（任务×责任单位），已填报 %d 项（%d%%），未填报 %d 项，困难 %d 项，停滞 %d 项，逾期 %d 项；未绑定联络人的单位 %d 个",
				t.Pairs, t.Reported, t.Percent(), t.Missing, t.Difficulties, t.Stalled, t.Overdue, len(d.Unbound))},
			{},
		},
		header: []string{"编号", "类别", "项目", "状态", "已填报", "应填报", "困难", "填报率", "滞后", "未填报", "停滞", "逾期"},
		wrap:   map[int]bool{1: true, 2: true},
	}
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			tb.rows = append(tb.rows, []any{
				p.ID, c.Title, p.Title, excelize.Cell{StyleID: st.light[p.Light], Value: p.Light.Label()},
				p.Reported, p.Total, p.Hard, shareCell(st, p.Reported, p.Total),
				p.Behind, p.Missing, p.Stalled, p.Overdue,
			})
		}
	}
	return tb.withTotals(st)
}

// withTotals adds the 合计 row under the summary's projects: the sum of
// each count column and the share of all of them.
func (tb table) withTotals(st styles) table {
	var sum [12]int
	for _, row := range tb.rows {
		for _, i := range []int{4, 5, 6, 8, 9, 10, 11} {
			sum[i] += row[i].(int)
		}
	}
	tb.rows = append(tb.rows, []any{"合计", "", "", "", sum[4], sum[5], sum[6],
		shareCell(st, sum[4], sum[5]), sum[8], sum[9], sum[10], sum[11]})
	return tb
}

// shareCell is n of total as the workbook shows it: the percentage the
// chart and the message show (Percent), stored as that number so the
// cell's 0% format shows it unchanged and a formula reads the same.
func shareCell(st styles, n, total int) excelize.Cell {
	return excelize.Cell{StyleID: st.percent, Value: float64(Percent(n, total)) / 100}
}

func (d *Digest) detailTable() table {
	tb := table{
		name:   SheetDetail,
		widths: []float64{8, 24, 30, 16, 9, 14, 60, 21, 10, 8, 6},
		header: []string{"编号", "项目", "任务", "单位", "牵头/协办", "状态", "进展说明", "填报时间", "填报人", "附件数", "停滞"},
		wrap:   map[int]bool{1: true, 2: true, 6: true},
	}
	for _, m := range d.Measures {
		for _, u := range m.Units {
			status, stalled, text := "未填报", "", ""
			if u.Reported {
				status, text = u.Status.Label(), shownText(u.Text, u.Attachments)
			}
			if u.Stalled {
				stalled = "是"
			}
			tb.rows = append(tb.rows, []any{
				m.ID, m.ProjectID + " " + m.ProjectTitle, m.Title, u.Unit, u.Role.Label(), status,
				text, d.cellTime(u.ReportedAt), u.Reporter, u.Attachments, stalled,
			})
		}
	}
	return tb
}

func (d *Digest) difficultyTable() table {
	tb := table{
		name:   SheetDifficulty,
		widths: []float64{8, 30, 16, 60, 21, 10},
		header: []string{"编号", "任务", "单位", "困难说明", "填报时间", "填报人"},
		wrap:   map[int]bool{1: true, 3: true},
	}
	for _, x := range d.Difficulties {
		tb.rows = append(tb.rows, []any{x.MeasureID, x.MeasureTitle, x.Unit, shownText(x.Text, x.Attachments), d.cellTime(x.ReportedAt), x.Reporter})
	}
	return tb
}

func (d *Digest) missingTable() table {
	tb := table{
		name:   SheetMissing,
		widths: []float64{16, 8, 40, 9},
		header: []string{"单位", "编号", "任务", "牵头/协办"},
		wrap:   map[int]bool{2: true},
	}
	type pair struct{ measure, unit string }
	title := map[string]string{}
	role := map[pair]string{}
	for _, m := range d.Measures {
		title[m.ID] = m.Title
		for _, u := range m.Units {
			role[pair{m.ID, u.Unit}] = u.Role.Label()
		}
	}
	for _, m := range d.Missing {
		for _, id := range m.Measures {
			tb.rows = append(tb.rows, []any{m.Unit, id, title[id], role[pair{id, m.Unit}]})
		}
	}
	return tb
}

func (d *Digest) overdueTable() table {
	tb := table{
		name:   SheetOverdue,
		widths: []float64{8, 30, 16, 9, 16, 20, 14},
		header: []string{"编号", "任务", "单位", "牵头/协办", "完成时限", "时限原文", "本期状态"},
		wrap:   map[int]bool{1: true, 5: true},
	}
	for _, o := range d.Overdue {
		tb.rows = append(tb.rows, []any{o.MeasureID, o.MeasureTitle, o.Unit, o.Role.Label(), cellDate(o.Deadline), o.DeadlineText, statusOrMissing(o.Status)})
	}
	return tb
}

func (d *Digest) unboundTable() table {
	tb := table{
		name:   SheetUnbound,
		widths: []float64{16, 10, 50},
		header: []string{"单位", "任务数", "任务编号"},
		wrap:   map[int]bool{2: true},
	}
	ids := map[string][]string{}
	for _, m := range d.Measures {
		for _, u := range m.Units {
			ids[u.Unit] = append(ids[u.Unit], m.ID)
		}
	}
	for _, u := range d.Unbound {
		tb.rows = append(tb.rows, []any{u, len(ids[u]), strings.Join(ids[u], "、")})
	}
	return tb
}

func (d *Digest) unreachableTable() table {
	tb := table{
		name:   SheetUnreachable,
		widths: []float64{16, 16, 14, 50},
		header: []string{"单位", "姓名", "用户ID", "原因"},
		wrap:   map[int]bool{3: true},
	}
	for _, u := range d.Unreachable {
		reason := ""
		if u.Error != "" {
			reason = failureReason(u.Error) // reasons.go
		}
		if u.Blocked {
			reason = strings.TrimSuffix("已屏蔽机器人或未启动对话；"+reason, "；")
		}
		tb.rows = append(tb.rows, []any{u.Unit, u.Name, u.UserID, reason})
	}
	return tb
}

func (d *Digest) acceptanceTable() table {
	tb := table{
		name:   SheetAcceptance,
		widths: []float64{8, 30, 20, 9, 16, 50, 8, 21, 10},
		header: []string{"编号", "任务", "牵头单位", "状态", "单位", "材料说明", "附件数", "提交时间", "提交人"},
		wrap:   map[int]bool{1: true, 2: true, 5: true},
	}
	for _, m := range d.Acceptance.Measures {
		leads := strings.Join(m.LeadUnits, "、")
		for _, s := range m.Submissions {
			tb.rows = append(tb.rows, []any{m.ID, m.Title, leads, "已提交", s.Unit, shownText(s.Text, s.Attachments), s.Attachments, d.cellTime(s.SubmittedAt), s.Reporter})
		}
		for _, u := range m.Pending {
			tb.rows = append(tb.rows, []any{m.ID, m.Title, leads, "未提交", u, "", "", "", ""})
		}
		if len(m.Submissions) == 0 && len(m.Pending) == 0 {
			tb.rows = append(tb.rows, []any{m.ID, m.Title, leads, "未提交", "", "", "", "", ""})
		}
	}
	return tb
}
