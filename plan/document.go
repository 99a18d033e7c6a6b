package plan

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// The document model. Whatever an office saved its plan as, plain text, a
// Word document or an Excel workbook, its reader turns it into the same
// thing: a list of sourceLines, each a paragraph or a row of a table (with
// its cells), each with its position for messages. Everything after the
// readers (repair, normalization, the table stage, the outline) reads that
// model, so a layout is one rule over it, not a parser per format:
//
//	text   input.go, texttable.go (tables flattened to text are tables)
//	.docx  docx.go (paragraphs with Word's list numbers, tables)
//	.xlsx  xlsx.go (each sheet a table)
//
// The format is told by content, never by the file's name.

// ErrFormat is a file that is a container (a zip or an old Office file)
// but not one Import reads.
var ErrFormat = errors.New("plan: unsupported document format")

// Limits that keep a hostile or broken container from taking the machine's
// memory: the unpacked size of one part, and the rows and cells read.
const (
	maxPartSize  = 64 << 20
	maxLines     = 200_000
	maxRowCells  = 256
	maxCellRunes = 20_000
)

// docFormat is what a document's bytes say it is.
type docFormat int

const (
	formatText docFormat = iota
	formatDocx
	formatXlsx
)

// sniff tells the format from the first bytes and, for a zip, its parts.
func sniff(data []byte) (docFormat, *zip.Reader, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return 0, nil, fmt.Errorf("%w: an old Word or Excel file (.doc/.xls); save it as .docx or .xlsx", ErrFormat)
	case bytes.HasPrefix(data, []byte("%PDF")):
		return 0, nil, fmt.Errorf("%w: a PDF; save it from Word as .docx, or copy its text", ErrFormat)
	default:
		return formatText, nil, nil
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0, nil, fmt.Errorf("%w: a broken zip archive: %v", ErrFormat, err)
	}
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return formatDocx, zr, nil
		case "xl/workbook.xml":
			return formatXlsx, zr, nil
		}
	}
	return 0, nil, fmt.Errorf("%w: a zip archive that is neither a Word (.docx) nor an Excel (.xlsx) file", ErrFormat)
}

// openPart opens one part of a container, refusing parts that unpack to
// more than maxPartSize.
func openPart(zr *zip.Reader, name string) (io.ReadCloser, bool, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		if f.UncompressedSize64 > maxPartSize {
			return nil, true, fmt.Errorf("%w: %s unpacks to more than %d MiB", ErrTooLarge, name, maxPartSize>>20)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, true, fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
		}
		return struct {
			io.Reader
			io.Closer
		}{io.LimitReader(rc, maxPartSize), rc}, true, nil
	}
	return nil, false, nil
}

// readModel reads a document of any format into the model.
func readModel(data []byte) ([]sourceLine, []Warning, error) {
	format, zr, err := sniff(data)
	if err != nil {
		return nil, nil, err
	}
	var lines []sourceLine
	var warnings []Warning
	switch format {
	case formatDocx:
		lines, warnings, err = docxDocument(zr)
	case formatXlsx:
		lines, warnings, err = xlsxDocument(data)
	default:
		return textModel(data)
	}
	if err != nil {
		return nil, nil, err
	}
	// The text a container holds gets the same cap as a text file: the
	// stages after the readers are sized for it.
	size := 0
	for _, l := range lines {
		size += len(l.text)
	}
	if size > MaxDocumentSize {
		return nil, nil, fmt.Errorf("%w: its text is larger than %d MiB", ErrTooLarge, MaxDocumentSize>>20)
	}
	return lines, warnings, nil
}

// textModel reads a text document into the model.
func textModel(data []byte) ([]sourceLine, []Warning, error) {
	lines, warnings, err := textDocument(data)
	if err != nil {
		return nil, nil, err
	}
	return textTables(lines), warnings, nil
}

// whereOf names a line for messages: its where, or 第N行.
func whereOf(l sourceLine) string {
	if l.where != "" {
		return l.where
	}
	return fmt.Sprintf("第%d行", l.num)
}

// clip cuts a cell to maxCellRunes.
func clip(s string) string {
	if len(s) <= maxCellRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == maxCellRunes {
			return s[:i]
		}
		n++
	}
	return s
}
