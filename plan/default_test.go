package plan

import (
	"bytes"
	"os"
	"testing"
)

// TestDefaultIsFresh keeps default.yaml what a fresh import of the seed
// writes; -update rewrites it.
func TestDefaultIsFresh(t *testing.T) {
	p, _ := importFile(t, seedPath)
	var buf bytes.Buffer
	if err := p.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("default.yaml", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(buf.Bytes(), defaultYAML) {
		t.Error("default.yaml differs from a fresh import of the seed; run go test ./plan -run TestDefaultIsFresh -update")
	}
}

func TestDefault(t *testing.T) {
	p := Default()
	if problems := p.Validate(); len(problems) > 0 {
		t.Fatalf("the default plan has problems: %v", problems)
	}
	if len(p.Measures()) != 67 || len(p.Units) != 38 {
		t.Errorf("default plan has %d measures and %d units", len(p.Measures()), len(p.Units))
	}
	// Each call is a copy: changing one leaves the next alone.
	p.Title = "changed"
	p.Categories[0].Projects[0].Measures[0].LeadUnits[0] = "changed"
	p.Units[0].Aliases = append(p.Units[0].Aliases, "changed")
	q := Default()
	if q.Title == "changed" || q.Categories[0].Projects[0].Measures[0].LeadUnits[0] == "changed" || len(q.Units[0].Aliases) != 0 {
		t.Error("Default shares its plan between calls")
	}
	if !bytes.Equal(DefaultYAML(), defaultYAML) {
		t.Error("DefaultYAML differs from the embedded file")
	}
}
