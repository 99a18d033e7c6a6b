package plan

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Fixtures for the readers, built in the test: a Word document from its
// XML parts, an Excel workbook with excelize. Each is written for the
// test, not copied from a real notice.

// docxBuilder writes the body of word/document.xml.
type docxBuilder struct {
	body      strings.Builder
	numbering string // word/numbering.xml, or ""
}

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// para adds a paragraph; lines of s become line breaks in it.
func (d *docxBuilder) para(s string) *docxBuilder {
	d.body.WriteString("<w:p><w:r>")
	for i, l := range strings.Split(s, "\n") {
		if i > 0 {
			d.body.WriteString("<w:br/>")
		}
		d.body.WriteString(`<w:t xml:space="preserve">` + esc(l) + "</w:t>")
	}
	d.body.WriteString("</w:r></w:p>")
	return d
}

// listPara adds a paragraph numbered by Word: list numID at level.
func (d *docxBuilder) listPara(numID, level int, s string) *docxBuilder {
	fmt.Fprintf(&d.body, `<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, level, numID, esc(s))
	return d
}

// table adds a table. A cell "^" continues the vertical merge of the cell
// above; a cell ">" is covered by the cell to its left (gridSpan).
func (d *docxBuilder) table(rows [][]string) *docxBuilder {
	d.body.WriteString("<w:tbl>")
	for r, row := range rows {
		d.body.WriteString("<w:tr>")
		for c := 0; c < len(row); c++ {
			cell := row[c]
			if cell == ">" {
				continue
			}
			span := 1
			for c+span < len(row) && row[c+span] == ">" {
				span++
			}
			var props []string
			if span > 1 {
				props = append(props, fmt.Sprintf(`<w:gridSpan w:val="%d"/>`, span))
			}
			// A merge starts where the next row continues it.
			if cell == "^" {
				props = append(props, `<w:vMerge/>`)
				cell = ""
			} else if r+1 < len(rows) && c < len(rows[r+1]) && rows[r+1][c] == "^" {
				props = append(props, `<w:vMerge w:val="restart"/>`)
			}
			d.body.WriteString("<w:tc>")
			if len(props) > 0 {
				d.body.WriteString("<w:tcPr>" + strings.Join(props, "") + "</w:tcPr>")
			}
			for _, l := range strings.Split(cell, "\n") {
				d.body.WriteString(`<w:p><w:r><w:t>` + esc(l) + `</w:t></w:r></w:p>`)
			}
			d.body.WriteString("</w:tc>")
		}
		d.body.WriteString("</w:tr>")
	}
	d.body.WriteString("</w:tbl>")
	return d
}

// decimalList is a numbering part with list 1 numbered 1. 2. 3. and list 2
// numbered （一）（二） at level 0 and 1. 2. at level 1.
const decimalList = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>`

// bytes packs the document.
func (d *docxBuilder) bytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			d.body.String() + `</w:body></w:document>`,
	}
	if d.numbering != "" {
		parts["word/numbering.xml"] = d.numbering
	}
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "word/numbering.xml"} {
		if parts[name] == "" {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xlsxSheet is one sheet of a workbook fixture: rows from row 1, and
// merged ranges such as "C3:C4".
type xlsxSheet struct {
	name   string
	rows   [][]string
	merges []string
}

func xlsxBytes(t testing.TB, sheets ...xlsxSheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cells := make([]any, len(row))
			for c, v := range row {
				cells[c] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := sw.SetRow(cell, cells); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range s.merges {
			a, b, _ := strings.Cut(m, ":")
			if err := sw.MergeCell(a, b); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
