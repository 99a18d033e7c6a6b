package plan

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// raceEnabled is set by race_test.go in a -race build.
var raceEnabled bool

// rezip copies a zip archive, replacing the named parts. A one-byte
// replacement is written with a header saying it unpacks to 70 MiB, as a
// zip bomb's does.
func rezip(t testing.TB, data []byte, replace map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		b, ok := replace[f.Name]
		if ok && len(b) == 1 {
			raw, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Store, UncompressedSize64: 70 << 20, CompressedSize64: 1})
			if err != nil {
				t.Fatal(err)
			}
			raw.Write(b)
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			w.Write(b)
			continue
		}
		rc, _ := f.Open()
		var part bytes.Buffer
		part.ReadFrom(rc)
		rc.Close()
		w.Write(part.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bigTable is a 分工 table with n rows.
func bigTable(n int) [][]string {
	rows := [][]string{{"序号", "改革任务", "牵头单位", "配合单位", "完成时限"}}
	for i := 1; i <= n; i++ {
		rows = append(rows, []string{fmt.Sprint(i), fmt.Sprintf("推进第%d项改革任务，完善工作机制", i), fmt.Sprintf("区第%d局", i%40+1), "区财政局、区审计局", "2026年6月底前"})
	}
	return rows
}

func TestImportRefusesBrokenContainers(t *testing.T) {
	docx := docxOf(t, formsDocument)
	book := xlsxBytes(t, xlsxSheet{name: "台账", rows: taskTable})
	bomb := []byte(" ") // written with a header saying 70 MiB
	long := &docxBuilder{}
	long.body.WriteString(strings.Repeat("<w:p><w:r><w:t>"+strings.Repeat("推进改革", 700)+"</w:t></w:r></w:p>", 1000))
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"truncated docx", docx[:len(docx)/2], ErrFormat},
		{"truncated xlsx", book[:len(book)/2], ErrFormat},
		{"zip of something else", rezipOnly(t, "hello.txt", []byte("hi")), ErrFormat},
		{"old Word file", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), ErrFormat},
		{"broken document.xml", rezip(t, docx, map[string][]byte{"word/document.xml": []byte("<w:document><w:body><w:p>")}), ErrFormat},
		{"docx bomb", rezip(t, docx, map[string][]byte{"word/document.xml": bomb}), ErrTooLarge},
		{"xlsx bomb", rezip(t, book, map[string][]byte{"xl/worksheets/sheet1.xml": bomb}), ErrTooLarge},
		{"empty docx", (&docxBuilder{}).bytes(t), ErrEmpty},
		{"docx with 8.4 MB of text", long.bytes(t), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, warnings, err := Import(bytes.NewReader(tt.data))
			if !errors.Is(err, tt.want) || p != nil || warnings != nil {
				t.Errorf("Import = %v, %v, %v; want %v", p, warnings, err, tt.want)
			}
		})
	}
}

func rezipOnly(t *testing.T, name string, body []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	w.Write(body)
	zw.Close()
	return buf.Bytes()
}

// A table of 10,000 rows imports from each format, in memory proportional
// to the table.
func TestImportTenThousandRows(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds three 10,000-row documents; too slow under -short or -race")
	}
	rows := bigTable(10_000)
	var text strings.Builder
	text.WriteString("某某区2026年改革任务分工方案\n")
	for _, r := range rows {
		text.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	d := &docxBuilder{}
	d.para("某某区2026年改革任务分工方案").table(rows)
	inputs := map[string][]byte{
		"text": []byte(text.String()),
		"docx": d.bytes(t),
		"xlsx": xlsxBytes(t, xlsxSheet{name: "台账", rows: append([][]string{{"某某区2026年改革任务分工方案"}}, rows...)}),
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			p, _ := importBytes(t, data)
			runtime.ReadMemStats(&after)
			if n := len(p.Measures()); n != 10_000 {
				t.Fatalf("%d measures, want 10000", n)
			}
			if m := p.Measures()[9999].Measure; m.ID != "10000" || m.Deadline != "2026-06-30" || len(m.CoUnits) != 2 {
				t.Errorf("last measure %+v", m)
			}
			// Allocation, not time: a reader that kept copies of the
			// whole document per row would exceed this many times over.
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: %d KiB document, %d MiB allocated", name, len(data)>>10, alloc>>20)
			if alloc > 1<<30 {
				t.Errorf("allocated %d MiB for a %d KiB document", alloc>>20, len(data)>>10)
			}
		})
	}
}

// FuzzImportDocx mutates the XML of a Word document's body and numbering,
// packed afresh each time: mutating the zip itself mostly breaks its
// checksums (TestImportRefusesBrokenContainers covers broken archives).
func FuzzImportDocx(f *testing.F) {
	d := (&docxBuilder{}).listPara(1, 0, "推进改革。（牵头单位：区编办）")
	f.Add(d.body.String(), decimalList)
	d = (&docxBuilder{}).table([][]string{{"序号", "任务", "牵头单位"}, {"1", "推进", "区编办"}, {"2", "改革", "^"}})
	f.Add(d.body.String(), "")
	f.Fuzz(func(t *testing.T, body, numbering string) {
		d := &docxBuilder{numbering: numbering}
		d.body.WriteString(body)
		checkImport(t, d.bytes(t))
	})
}

// FuzzImportXlsx mutates a 台账's cells and merges.
func FuzzImportXlsx(f *testing.F) {
	f.Add("序号|改革任务|牵头单位|配合单位\n1|推进改革|区编办|区财政局\n2|推进|^|", "C2:C3")
	f.Fuzz(func(t *testing.T, cells, merge string) {
		var rows [][]string
		for _, l := range strings.Split(cells, "\n") {
			rows = append(rows, strings.Split(l, "|"))
		}
		if len(rows) > 50 || len(cells) > 4000 {
			return
		}
		var merges []string
		if a, b, ok := strings.Cut(merge, ":"); ok && len(a) < 6 && len(b) < 6 {
			if _, _, err := excelize.CellNameToCoordinates(a); err == nil {
				if _, _, err := excelize.CellNameToCoordinates(b); err == nil {
					merges = append(merges, merge)
				}
			}
		}
		f := excelize.NewFile()
		defer f.Close()
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				f.SetCellStr("Sheet1", cell, v)
			}
		}
		for _, m := range merges {
			a, b, _ := strings.Cut(m, ":")
			f.MergeCell("Sheet1", a, b)
		}
		buf, err := f.WriteToBuffer()
		if err != nil {
			return
		}
		checkImport(t, buf.Bytes())
	})
}

// FuzzTextTables mutates the text shapes of tables, where the zip fuzzers
// mostly break checksums.
func FuzzTextTables(f *testing.F) {
	f.Add("序号\n改革任务\n牵头单位\n配合单位\n1\n推行告知承诺制\n区住建局\n区发改局\n")
	f.Add("| 序号 | 改革任务 | 牵头单位 |\n|---|---|---|\n| 1 | 推行 | 区住建局 |\n|  | 告知承诺制 |  |\n")
	f.Add("│序号│任务│牵头单位│\n├──┼──┼──┤\n│1 │推行│区住建局│\n│  │承诺│    │\n")
	f.Fuzz(func(t *testing.T, s string) {
		checkImport(t, []byte(s))
	})
}

// checkImport holds what any import must: an error and nothing else, or a
// plan with measures whose warnings say where.
func checkImport(t *testing.T, data []byte) {
	p, warnings, err := Import(bytes.NewReader(data))
	if err != nil {
		if p != nil || warnings != nil {
			t.Fatalf("error %v with a plan", err)
		}
		return
	}
	if len(p.Measures()) == 0 {
		t.Fatal("a plan without measures")
	}
	for _, w := range warnings {
		if w.Line < 1 {
			t.Fatalf("warning without a place: %+v", w)
		}
	}
	var buf bytes.Buffer
	if err := p.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkImportSheet imports a 台账 of 1,000 rows.
func BenchmarkImportSheet(b *testing.B) {
	data := xlsxBytes(b, xlsxSheet{name: "台账", rows: bigTable(1000)})
	ToSimplified("預熱")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Import(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportDocxTable imports a Word table of 1,000 rows.
func BenchmarkImportDocxTable(b *testing.B) {
	data := (&docxBuilder{}).table(bigTable(1000)).bytes(b)
	ToSimplified("預熱")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Import(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
