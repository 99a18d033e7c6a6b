package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luohu/reformbot/plan"
)

// The office's loop: import the plan into a workbook, check it, and read it
// back as the same plan.
func TestPlanImportToWorkbook(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "plan.xlsx")
	code, _, stderr := planRun(t, "", "plan", "import", planSeed, "-o", book)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, stdout, _ := planRun(t, "", "plan", "check", book)
	if code != 0 || !strings.HasPrefix(stdout, "ok: ") || !strings.Contains(stdout, "67 measures, 38 units") {
		t.Errorf("check of the workbook: exit %d, %q", code, stdout)
	}
	yml := filepath.Join(dir, "plan.yaml")
	if code, _, stderr := planRun(t, "", "plan", "import", book, "-o", yml); code != 0 {
		t.Fatalf("import of the workbook: exit %d: %s", code, stderr)
	}
	fromBook, err := plan.Load(book)
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := plan.Load(yml)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := summary(fromBook), summary(fromYAML); a != b || fromBook.Measures()[66].Measure.Text != fromYAML.Measures()[66].Measure.Text {
		t.Errorf("workbook %s, YAML from it %s", a, b)
	}
}

// A Word document on stdin: told by content, its warnings name the table
// and row.
func TestPlanImportWordFromStdin(t *testing.T) {
	row := func(cells ...string) string {
		s := "<w:tr>"
		for _, c := range cells {
			s += "<w:tc><w:p><w:r><w:t>" + c + "</w:t></w:r></w:p></w:tc>"
		}
		return s + "</w:tr>"
	}
	body := `<w:p><w:r><w:t>某某区2026年改革任务分工方案</w:t></w:r></w:p><w:tbl>` +
		row("序号", "改革任务", "牵头单位") + row("1", "推进集团化办学", "区教育局") + row("2", "推进外贸转型", "") + `</w:tbl>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	zw.Close()
	code, stdout, stderr := planRun(t, buf.String(), "plan", "import", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "stdin: 表1第3行: warning:") || !strings.Contains(stdout, "区教育局") {
		t.Errorf("stderr:\n%s\nstdout:\n%s", stderr, stdout)
	}
}

// The other way: the YAML plan file the yearly process writes becomes a
// workbook to edit in Excel, and that workbook the same YAML file again.
func TestPlanImportYAMLToWorkbook(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(yml, plan.DefaultYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "plan.xlsx")
	code, _, stderr := planRun(t, "", "plan", "import", yml, "-o", book)
	if code != 0 || !strings.Contains(stderr, "67 measures, 38 units, 0 warnings") {
		t.Fatalf("import of the YAML file: exit %d: %s", code, stderr)
	}
	if code, stdout, _ := planRun(t, "", "plan", "check", book); code != 0 || !strings.HasPrefix(stdout, "ok: ") {
		t.Errorf("check of the workbook: exit %d, %q", code, stdout)
	}
	back := filepath.Join(dir, "back.yaml")
	if code, _, stderr := planRun(t, "", "plan", "import", book, "-o", back); code != 0 {
		t.Fatalf("import of the workbook: exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(back)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(plan.DefaultYAML()) {
		t.Errorf("YAML → workbook → YAML is another file")
	}
	// A plan file with a mistake is reported with its line.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("title: x\ncategories:\n  - numbr: 1\n"), 0o644)
	code, _, stderr = planRun(t, "", "plan", "import", bad, "-o", book)
	if code == 0 || !strings.Contains(stderr, "bad.yaml") || !strings.Contains(stderr, "bad.yaml:3: unknown field \"numbr\"") {
		t.Errorf("import of a misspelt plan file: exit %d: %s", code, stderr)
	}
}
