package digest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

// readDOCX opens a document, checks that every part is well-formed XML and
// returns the parts by name.
func readDOCX(t *testing.T, data []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed: %v", f.Name, err)
			}
		}
		parts[f.Name] = string(b)
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("the document has no %s", name)
		}
	}
	return parts
}

// paragraphs reads the text of document.xml's paragraphs back, a tab as
// the full-width space PlainText puts between issuer and date.
func paragraphs(t *testing.T, document string) []string {
	t.Helper()
	var out []string
	var cur strings.Builder
	inText := false
	dec := xml.NewDecoder(strings.NewReader(document))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "t":
				inText = true
			case "tab":
				cur.WriteString("　")
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "t":
				inText = false
			case "p":
				out = append(out, cur.String())
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(el)
			}
		}
	}
	return out
}

func TestDOCXReadBack(t *testing.T) {
	in, info := bulletinInput(t)
	// Text XML cannot hold must not break the document.
	in.Reports = append(in.Reports, rep("2.3.1", "区发改局", apr, plan.NeedsHelp, "控制字符\x01与<标签>&符号"))
	b := NewBulletin(in, info)
	data, err := b.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	parts := readDOCX(t, data)
	got := paragraphs(t, parts["word/document.xml"])
	var want []string
	for _, line := range strings.Split(strings.TrimSuffix(b.PlainText(), "\n"), "\n") {
		if line != "" {
			want = append(want, line)
		}
	}
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = strings.ReplaceAll(want[i], "\x01", "\uFFFD")
		}
		if g != w {
			t.Errorf("paragraph %d = %q, want %q", i, g, w)
		}
	}
	doc, styles := parts["word/document.xml"], parts["word/styles.xml"]
	for _, s := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,                         // A4
		`w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`, // 37, 26, 35, 28 mm
		`<w:docGrid w:type="lines" w:linePitch="579"/>`,
		`<w:footerReference w:type="even" r:id="rIdFooterEven"/>`,
		`<w:highlight w:val="yellow"/>`,
	} {
		if !strings.Contains(doc, s) {
			t.Errorf("document.xml lacks %s", s)
		}
	}
	for _, s := range []string{
		`w:eastAsia="方正小标宋简体"`, `<w:sz w:val="44"/>`, // title 二号
		`w:eastAsia="仿宋_GB2312"`, `<w:sz w:val="32"/>`, // body 三号
		`w:line="579" w:lineRule="exact"`, `<w:ind w:firstLineChars="200" w:firstLine="640"/>`,
		`w:eastAsia="黑体"`, `w:eastAsia="楷体_GB2312"`,
	} {
		if !strings.Contains(styles, s) {
			t.Errorf("styles.xml lacks %s", s)
		}
	}
	for name, side := range map[string]string{"word/footer1.xml": "right", "word/footer2.xml": "left"} {
		f := parts[name]
		if !strings.Contains(f, `w:instr=" PAGE "`) || !strings.Contains(f, "— ") || !strings.Contains(f, " —") || !strings.Contains(f, `<w:jc w:val="`+side+`"/>`) {
			t.Errorf("%s is not a 公文 page number on the %s: %s", name, side, f)
		}
	}
	if !strings.Contains(parts["word/settings.xml"], "<w:evenAndOddHeaders/>") {
		t.Error("settings.xml does not separate odd and even footers")
	}
	again, _ := b.DOCX()
	if !bytes.Equal(data, again) {
		t.Error("the same bulletin gave different bytes")
	}
}

// schemaOrder lists, for the elements whose children WordprocessingML
// orders (Word refuses a file that breaks the order), the children we write
// in the schema's sequence.
var schemaOrder = map[string][]string{
	"pPr":      {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "pBdr", "shd", "tabs", "snapToGrid", "spacing", "ind", "jc", "outlineLvl", "rPr"},
	"rPr":      {"rStyle", "rFonts", "b", "bCs", "i", "color", "kern", "sz", "szCs", "highlight", "u", "lang"},
	"sectPr":   {"headerReference", "footerReference", "pgSz", "pgMar", "cols", "titlePg", "docGrid"},
	"style":    {"name", "basedOn", "next", "uiPriority", "semiHidden", "qFormat", "pPr", "rPr"},
	"settings": {"zoom", "defaultTabStop", "evenAndOddHeaders", "characterSpacingControl", "compat"},
	"font":     {"altName", "panose1", "charset", "family", "pitch"},
}

func TestDOCXElementOrder(t *testing.T) {
	in, info := bulletinInput(t)
	data, err := NewBulletin(in, info).DOCX()
	if err != nil {
		t.Fatal(err)
	}
	for name, part := range readDOCX(t, data) {
		dec := xml.NewDecoder(strings.NewReader(part))
		type open struct {
			name string
			last int
		}
		var stack []open
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch el := tok.(type) {
			case xml.StartElement:
				if n := len(stack); n > 0 {
					if order, ok := schemaOrder[stack[n-1].name]; ok {
						i := indexOf(order, el.Name.Local)
						if i < 0 {
							t.Errorf("%s: <%s> in <%s> is not in the order table", name, el.Name.Local, stack[n-1].name)
						} else if i < stack[n-1].last {
							t.Errorf("%s: <%s> comes too late in <%s>", name, el.Name.Local, stack[n-1].name)
						} else {
							stack[n-1].last = i
						}
					}
				}
				stack = append(stack, open{name: el.Name.Local})
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			}
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// TestDOCXConverts converts the document with LibreOffice, as the office's
// word processor would open it, and reads the PDF's text when pdftotext is
// there too.
func TestDOCXConverts(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui to run this test")
	}
	if testing.Short() {
		t.Skip("LibreOffice conversion skipped in -short mode")
	}
	in, info := bulletinInput(t)
	data, err := NewBulletin(in, info).DOCX()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "bulletin.docx")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "pdf", "--outdir", dir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "bulletin.pdf"))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("no PDF from LibreOffice: %v", err)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
		return
	}
	out, err := exec.CommandContext(ctx, pdftotext, "-layout", filepath.Join(dir, "bulletin.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, s := range []string{"实施进展情况通报", "（2017年第4期）", "一、总体情况", "五、下一步工作", "—1—", "—2—"} {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF's text lacks %q:\n%s", s, out)
		}
	}
}
