package plan

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// An Excel 台账 is read with excelize, which the digest already uses to
// write workbooks. Each sheet is one table of the model; the table stage
// finds its header row wherever it is, and the rows above it (a title, a
// document number) are the notice's paragraphs.

// xlsxLimits keep a workbook that unpacks to gigabytes out of memory.
var xlsxLimits = excelize.Options{UnzipSizeLimit: 4 * maxPartSize, UnzipXMLSizeLimit: 16 << 20}

// xlsxDocument reads every visible sheet of a workbook.
func xlsxDocument(data []byte) ([]sourceLine, []Warning, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/") && f.UncompressedSize64 > maxPartSize {
			return nil, nil, fmt.Errorf("%w: %s unpacks to more than %d MiB", ErrTooLarge, f.Name, maxPartSize>>20)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), xlsxLimits)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: not a readable Excel workbook: %v", ErrFormat, err)
	}
	defer f.Close()
	var lines []sourceLine
	table := 0
	for _, sheet := range f.GetSheetList() {
		if v, err := f.GetSheetVisible(sheet); err == nil && !v {
			continue
		}
		rows, err := sheetRows(f, sheet)
		if err != nil {
			return nil, nil, err
		}
		if len(rows) == 0 {
			continue
		}
		table++
		for i, row := range rows {
			if len(lines) >= maxLines {
				return nil, nil, fmt.Errorf("%w: more than %d rows", ErrTooLarge, maxLines)
			}
			lines = append(lines, sourceLine{
				num:   len(lines) + 1,
				text:  strings.Join(row, " "),
				where: fmt.Sprintf("工作表“%s”第%d行", sheet, i+1),
				table: table,
				cells: row,
			})
		}
		lines = append(lines, sourceLine{num: len(lines) + 1, tableEnd: true})
	}
	if len(lines) == 0 {
		return nil, nil, ErrEmpty
	}
	return lines, nil, nil
}

// sheetRows reads a sheet's rows (index i is the sheet's row i+1), with
// each merged range's value in every cell it covers.
func sheetRows(f *excelize.File, sheet string) ([][]string, error) {
	merges, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %s: %v", ErrFormat, sheet, err)
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %s: %v", ErrFormat, sheet, err)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) >= maxLines {
			return nil, fmt.Errorf("%w: sheet %s has more than %d rows", ErrTooLarge, sheet, maxLines)
		}
		cols, err := it.Columns()
		if err != nil {
			return nil, fmt.Errorf("%w: sheet %s row %d: %v", ErrFormat, sheet, len(rows)+1, err)
		}
		if len(cols) > maxRowCells {
			cols = cols[:maxRowCells]
		}
		for i, c := range cols {
			cols[i] = clip(strings.TrimSpace(c))
		}
		rows = append(rows, cols)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("%w: sheet %s: %v", ErrFormat, sheet, err)
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 > len(rows) || c1 > maxRowCells {
			continue
		}
		value := cellAt(rows, r1-1, c1-1)
		r2, c2 = min(r2, len(rows)), min(c2, maxRowCells)
		for r := r1 - 1; r < r2; r++ {
			for len(rows[r]) < c2 {
				rows[r] = append(rows[r], "")
			}
			for c := c1 - 1; c < c2; c++ {
				rows[r][c] = value
			}
		}
	}
	// Trailing empty rows say nothing.
	for len(rows) > 0 && strings.Join(rows[len(rows)-1], "") == "" {
		rows = rows[:len(rows)-1]
	}
	return rows, nil
}

func cellAt(rows [][]string, r, c int) string {
	if r < len(rows) && c < len(rows[r]) {
		return rows[r][c]
	}
	return ""
}
