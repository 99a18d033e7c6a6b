package plan

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A .docx is read with archive/zip and encoding/xml, streaming
// word/document.xml token by token. The parts of WordprocessingML a plan
// uses are few (paragraphs, runs of text, tables with merged cells, list
// numbering), and the libraries that read .docx either load the whole
// document tree into memory or do not expose numbering and cell merges; a
// streaming reader keeps memory bounded by one table.

// docxDocument reads the paragraphs and tables of a Word document.
func docxDocument(zr *zip.Reader) ([]sourceLine, []Warning, error) {
	num, err := readNumbering(zr)
	if err != nil {
		return nil, nil, err
	}
	styles, err := readStyleNumbering(zr)
	if err != nil {
		return nil, nil, err
	}
	rc, _, err := openPart(zr, "word/document.xml")
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	r := &docxReader{num: num, styles: styles}
	if err := r.read(xml.NewDecoder(rc)); err != nil {
		return nil, nil, err
	}
	if len(r.lines) == 0 {
		return nil, nil, ErrEmpty
	}
	return r.lines, nil, nil
}

// docxCell is one w:tc: its text, how many grid columns it spans, and
// whether it continues the vertically merged cell above.
type docxCell struct {
	text      strings.Builder
	span      int
	continues bool
}

type docxReader struct {
	num    *numbering
	styles map[string]numRef // paragraph style → its list
	lines  []sourceLine

	paras, tables int
	// The paragraph being read. A text box inside a paragraph holds
	// paragraphs of its own (pDepth > 1): their text joins the outer one.
	para   strings.Builder
	pDepth int
	// skip > 0 inside text Word shows nowhere: the old place of moved
	// text (w:moveFrom).
	skip            int
	numRef          numRef
	hasNum, inNumPr bool
	style           string
	// The tables being read, outermost first: a table inside a cell is
	// read as that cell's text.
	depth int
	rows  [][]string // the outermost table's rows so far
	row   []*docxCell
	cell  *docxCell
	above []string // the previous row, by grid column, for vertical merges
}

func attr(e xml.StartElement, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (r *docxReader) read(d *xml.Decoder) error {
	inText := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: word/document.xml: %v", ErrFormat, err)
		}
		if len(r.lines)+len(r.rows) > maxLines {
			return fmt.Errorf("%w: more than %d paragraphs and rows", ErrTooLarge, maxLines)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				r.pDepth++
				if r.pDepth > 1 {
					r.para.WriteByte('\n')
					continue
				}
				r.para.Reset()
				r.hasNum, r.style = false, ""
			case "moveFrom":
				r.skip++
			case "pStyle":
				r.style, _ = attr(t, "val")
			case "numPr":
				r.inNumPr, r.hasNum, r.numRef = true, true, numRef{}
			case "ilvl":
				if r.inNumPr {
					v, _ := attr(t, "val")
					r.numRef.level, _ = strconv.Atoi(v)
				}
			case "numId":
				if r.inNumPr {
					r.numRef.id, _ = attr(t, "val")
				}
			case "t":
				inText = true
			case "tab":
				r.para.WriteByte('\t')
			case "br", "cr":
				r.para.WriteByte('\n')
			case "tbl":
				r.depth++
				if r.depth == 1 {
					r.tables++
					r.rows, r.above = nil, nil
				}
			case "tr":
				if r.depth == 1 {
					r.row = nil
				}
			case "tc":
				if r.depth == 1 {
					r.cell = &docxCell{span: 1}
					r.row = append(r.row, r.cell)
				}
			case "gridSpan":
				if r.depth == 1 && r.cell != nil {
					v, _ := attr(t, "val")
					if n, err := strconv.Atoi(v); err == nil && n > 1 && n <= maxRowCells {
						r.cell.span = n
					}
				}
			case "vMerge":
				if r.depth == 1 && r.cell != nil {
					v, _ := attr(t, "val")
					r.cell.continues = v != "restart"
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "numPr":
				r.inNumPr = false
			case "p":
				r.pDepth--
				if r.pDepth > 0 {
					continue
				}
				r.pDepth = 0
				r.endParagraph()
			case "moveFrom":
				r.skip--
			case "tc":
				if r.depth == 1 {
					r.cell = nil
				}
			case "tr":
				if r.depth == 1 {
					r.endRow()
				}
			case "tbl":
				if r.depth == 1 {
					r.endTable()
				}
				r.depth--
			}
		case xml.CharData:
			if inText && r.skip <= 0 && r.para.Len() < maxCellRunes*4 {
				r.para.Write(t)
			}
		}
	}
}

// endParagraph adds the paragraph, with the number Word would print before
// it, to the document or to the cell being read.
func (r *docxReader) endParagraph() {
	text := r.para.String()
	ref, ok := r.numRef, r.hasNum
	if !ok {
		ref, ok = r.styles[r.style]
	}
	if ok && strings.TrimSpace(text) != "" {
		text = r.num.label(ref) + text
	}
	r.para.Reset()
	r.hasNum = false
	if r.depth > 0 {
		if r.cell != nil {
			if r.cell.text.Len() > 0 {
				r.cell.text.WriteByte('\n')
			}
			r.cell.text.WriteString(text)
		}
		return
	}
	r.paras++
	for _, l := range strings.Split(text, "\n") {
		r.lines = append(r.lines, sourceLine{num: len(r.lines) + 1, text: l, where: fmt.Sprintf("第%d段", r.paras)})
	}
}

// endRow lays the row's cells out on the table's grid: a cell spanning
// columns fills each, a cell continuing a vertical merge repeats the text
// above it.
func (r *docxReader) endRow() {
	var grid []string
	for _, c := range r.row {
		text := clip(strings.TrimSpace(c.text.String()))
		if c.continues && len(grid) < len(r.above) {
			text = r.above[len(grid)]
		}
		for i := 0; i < c.span && len(grid) < maxRowCells; i++ {
			grid = append(grid, text)
		}
	}
	r.rows = append(r.rows, grid)
	r.above = grid
	r.row = nil
}

func (r *docxReader) endTable() {
	for i, row := range r.rows {
		r.lines = append(r.lines, sourceLine{
			num:   len(r.lines) + 1,
			text:  strings.Join(row, " "),
			where: fmt.Sprintf("表%d第%d行", r.tables, i+1),
			table: r.tables,
			cells: row,
		})
	}
	r.rows, r.above = nil, nil
}
