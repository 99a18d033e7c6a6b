package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// MaxDocumentSize is the largest document Import reads. Published plans are
// tens of kilobytes; the cap keeps a wrong file (a video, a disk image) from
// being read into memory at all.
const MaxDocumentSize = 8 << 20

// Errors Import returns for input that is not a plan document. They are
// wrapped with detail; test with errors.Is.
var (
	ErrEmpty    = errors.New("plan: document is empty")
	ErrTooLarge = fmt.Errorf("plan: document is larger than %d MiB", MaxDocumentSize>>20)
	ErrBinary   = errors.New("plan: document is not text")
	ErrNoPlan   = errors.New("plan: document contains no plan")
)

// sourceLine is one line of the document model (document.go): a paragraph,
// or a row of a table, with its 1-based number in the document, which every
// warning refers to.
type sourceLine struct {
	num  int
	text string
	// where names the line for people when its number alone would not:
	// 第3段, 表2第5行, 工作表“台账”第7行. "" in a text file, where it is
	// the line number.
	where string
	// table is the 1-based number of the table the row belongs to, 0 for a
	// paragraph; cells are the row's cells, merged cells carried into
	// every place they cover.
	table int
	cells []string
	// row is set on the lines the table stage made from a table's rows:
	// the measure the row holds, with its units already read.
	row *tableItem
	// tableEnd marks the line that closes a table: what follows is no
	// longer part of its last row's measure.
	tableEnd bool
}

// readDocument reads at most MaxDocumentSize bytes and returns the document
// as UTF-8 lines. Besides UTF-8 (with or without a byte-order mark) it accepts
// UTF-16 with a byte-order mark and GB18030/GBK, the encodings Chinese
// government sites and Windows editors save in; a non-UTF-8 encoding is
// reported as a warning.
func readDocument(r io.Reader) ([]sourceLine, []Warning, error) {
	data, err := readInput(r)
	if err != nil {
		return nil, nil, err
	}
	return textDocument(data)
}

// readInput reads at most MaxDocumentSize bytes.
func readInput(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("plan: read document: %w", err)
	}
	if len(data) > MaxDocumentSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// textDocument reads a text document into lines.
func textDocument(data []byte) ([]sourceLine, []Warning, error) {
	text, warnings, err := decodeText(data)
	if err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil, ErrEmpty
	}
	raw := strings.Split(text, "\n")
	lines := make([]sourceLine, 0, len(raw))
	controls, first := 0, 0
	for i, l := range raw {
		l = strings.TrimRight(l, "\r")
		if clean := strings.Map(dropControl, l); clean != l {
			if controls == 0 {
				first = i + 1
			}
			controls++
			l = clean
		}
		lines = append(lines, sourceLine{num: i + 1, text: l})
	}
	if controls > 0 {
		warnings = append(warnings, Warning{Line: first, Message: fmt.Sprintf("%d 行中的控制字符已替换为空格", controls)})
	}
	return lines, warnings, nil
}

// decodeText turns the document's bytes into UTF-8 text.
func decodeText(data []byte) (string, []Warning, error) {
	var warnings []Warning
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "", nil, ErrEmpty
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", nil, fmt.Errorf("%w: broken UTF-16: %v", ErrBinary, err)
		}
		data = out
		warnings = append(warnings, Warning{Line: 1, Message: "文档为 UTF-16 编码，已按此读取"})
	}
	if !utf8.Valid(data) {
		out, ok := decodeGB18030(data)
		if !ok {
			return "", nil, fmt.Errorf("%w: it is neither UTF-8 nor GBK", ErrBinary)
		}
		data = out
		warnings = append(warnings, Warning{Line: 1, Message: "文档不是 UTF-8 编码，已按 GBK（GB18030）读取"})
	}
	text := string(data)
	if !looksLikeText(text) {
		return "", nil, fmt.Errorf("%w: it holds control characters", ErrBinary)
	}
	return text, warnings, nil
}

// decodeGB18030 decodes data as GB18030 (a superset of GBK and GB2312) and
// reports whether the result is plausible: no replacement characters and
// mostly Chinese.
func decodeGB18030(data []byte) ([]byte, bool) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, false
	}
	han, other := 0, 0
	for _, r := range string(out) {
		switch {
		case isHan(r):
			han++
		case r >= 0x80:
			other++
		}
	}
	return out, han > 0 && han >= other
}

// dropControl turns a control character (other than tab) into a space:
// no plan means one, and YAML cannot hold them.
func dropControl(r rune) rune {
	if r < 0x20 && r != '\t' || r >= 0x7F && r <= 0x9F {
		return ' '
	}
	return r
}

// looksLikeText rejects binary data: NUL and other C0 controls besides tab,
// newline, carriage return and form feed. A text editor never writes them; a
// PDF, image or archive always has them.
func looksLikeText(s string) bool {
	controls := 0
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7F {
			controls++
			if r == 0 || controls > 8 {
				return false
			}
		}
	}
	return true
}
