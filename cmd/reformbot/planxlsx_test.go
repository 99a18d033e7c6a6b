package main

import (
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
