package plan

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// A plan file given to Import reads as the plan it is, so that the office
// can turn the YAML file into a workbook and back: YAML → workbook → YAML
// gives the same plan, and the same file.
func TestImportPlanFileRoundTrip(t *testing.T) {
	forms, _ := importBytes(t, []byte(formsDocument))
	forms.Units[0].Members = []string{"区税务局"}
	forms.Units[0].Formerly = []string{"区工商局", "区质监局"}
	var formsYAML bytes.Buffer
	if err := forms.WriteYAML(&formsYAML); err != nil {
		t.Fatal(err)
	}
	for name, yml := range map[string][]byte{"default": DefaultYAML(), "forms": formsYAML.Bytes()} {
		t.Run(name, func(t *testing.T) {
			want, err := Parse(yml)
			if err != nil {
				t.Fatal(err)
			}
			p, warnings, err := Import(bytes.NewReader(yml))
			if err != nil {
				t.Fatalf("Import of the plan file: %v", err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings reading a plan file: %v", warnings)
			}
			if a, b := exportJSON(t, want), exportJSON(t, p); a != b {
				t.Fatalf("the plan file imports differently:\n%s", diffLines(a, b))
			}
			var book bytes.Buffer
			if err := p.WriteXLSX(&book); err != nil {
				t.Fatal(err)
			}
			back, _, err := Import(bytes.NewReader(book.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if a, b := exportJSON(t, want), exportJSON(t, back); a != b {
				t.Errorf("YAML → workbook → plan differs:\n%s", diffLines(a, b))
			}
			var again bytes.Buffer
			if err := back.WriteYAML(&again); err != nil {
				t.Fatal(err)
			}
			reread, err := Parse(again.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if a, b := exportJSON(t, want), exportJSON(t, reread); a != b {
				t.Errorf("YAML → workbook → YAML differs:\n%s", diffLines(a, b))
			}
			// A file with only the comments reformbot writes comes
			// back byte for byte: the guide and the group hints too.
			if a, b := string(yml), again.String(); a != b {
				t.Errorf("YAML → workbook → YAML is another file:\n%s", diffLines(a, b))
			}
		})
	}
}

// A plan file with a mistake is reported as a plan file, with its line,
// not as a document without measures.
func TestImportPlanFileWithProblem(t *testing.T) {
	yml := strings.Replace(string(DefaultYAML()), "\n    title: 新推重点改革项目", "\n    titel: 新推重点改革项目", 1)
	_, _, err := Import(strings.NewReader(yml))
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "titel") || fe.Problems[0].Line == 0 {
		t.Errorf("Import of a misspelt plan file: %v, want a FileError naming titel with its line", err)
	}
}

// A text document that merely mentions categories: is still a document.
func TestImportTextMentioningCategories(t *testing.T) {
	doc := "categories: 三类\n" + formsDocument
	if _, _, err := Import(strings.NewReader(doc)); err != nil {
		t.Errorf("Import: %v", err)
	}
}
