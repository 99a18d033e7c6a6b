package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func exportJSON(t *testing.T, p *Plan) string {
	t.Helper()
	b, err := json.MarshalIndent(NewExport(p, nil), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// txt → xlsx → plan gives the same plan, through Import and through Load.
func TestPlanWorkbookRoundTrip(t *testing.T) {
	seed, _ := importFile(t, seedPath)
	forms, _ := importBytes(t, []byte(formsDocument))
	forms.Units[0].Members = []string{"区税务局"}
	forms.Units[0].Formerly = []string{"区工商局", "区质监局"}
	for name, p := range map[string]*Plan{"seed": seed, "forms": forms} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := p.WriteXLSX(&buf); err != nil {
				t.Fatal(err)
			}
			back, warnings, err := Import(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings reading the workbook back: %v", warnings)
			}
			if a, b := exportJSON(t, p), exportJSON(t, back); a != b {
				t.Errorf("the workbook reads back differently:\n%s", diffLines(a, b))
			}
			path := filepath.Join(t.TempDir(), "plan.xlsx")
			if err := p.WriteFile(path); err != nil {
				t.Fatal(err)
			}
			loaded, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := exportJSON(t, p), exportJSON(t, loaded); a != b {
				t.Errorf("Load reads the workbook differently:\n%s", diffLines(a, b))
			}
			if problems := loaded.Validate(); len(problems) > 0 && name == "seed" {
				t.Errorf("problems: %v", problems)
			}
		})
	}
}

// An office's edit in Excel: a measure given an unknown unit is reported
// with its row.
func TestPlanWorkbookEditChecked(t *testing.T) {
	p, _ := importBytes(t, []byte(formsDocument))
	var buf bytes.Buffer
	if err := p.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue(sheetMeasures, "F3", "区不存在局")
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	problems := loaded.Validate()
	if len(problems) == 0 || problems[0].Line != 3 || !strings.Contains(problems[0].Message, "区不存在局") {
		t.Errorf("problems %v, want the unknown unit at row 3", problems)
	}
}

func TestParseRefusesOtherDocuments(t *testing.T) {
	data := xlsxBytes(t, xlsxSheet{name: "台账", rows: taskTable})
	_, err := Parse(data)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "plan import") {
		t.Errorf("Parse of a 台账: %v, want a FileError pointing to plan import", err)
	}
}
