package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeYAML(t *testing.T, p *Plan) string {
	t.Helper()
	var buf bytes.Buffer
	if err := p.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func sameJSON(t *testing.T, a, b *Plan) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}

func TestPlanFileRoundTrip(t *testing.T) {
	for _, name := range []string{seedPath, "testdata/forms-own-lines.txt", "testdata/forms-numbered-only.txt"} {
		t.Run(name, func(t *testing.T) {
			p, _ := importFile(t, name)
			written := writeYAML(t, p)
			q, err := Parse([]byte(written))
			if err != nil {
				t.Fatal(err)
			}
			if !sameJSON(t, p, q) {
				t.Error("the plan read back differs from the plan written")
			}
			if again := writeYAML(t, q); again != written {
				t.Error("writing the plan read back gives another file")
			}
		})
	}
}

// The office's comments, wherever they put them, survive a rewrite.
func TestPlanFileKeepsComments(t *testing.T) {
	p, _ := importFile(t, seedPath)
	written := writeYAML(t, p)
	edits := []struct{ old, new string }{
		{"title: 深圳市罗湖区2017年改革计划\n", "# 办公室备注：以此文件为准\ntitle: 深圳市罗湖区2017年改革计划\n"},
		{"          - id: 2.1.2\n", "          # 2.1.2 与编办确认过\n          - id: 2.1.2\n"},
		{"            lead_units: [区网格办, 区科技创新局]\n", "            lead_units: [区网格办, 区科技创新局] # 网格办为主\n"},
		{"  - name: 区法制办\n", "  # 2019年起为区司法局\n  - name: 区法制办\n"},
		{"    group: true # 可在 members: 中列出成员单位，每个成员分别负责\n  - name: 区住房建设局\n", "    group: true # 待补充成员\n  - name: 区住房建设局\n"},
	}
	edited := written
	for _, e := range edits {
		if !strings.Contains(edited, e.old) {
			t.Fatalf("written file has no %q", e.old)
		}
		edited = strings.Replace(edited, e.old, e.new, 1)
	}
	q, err := Parse([]byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	if got := writeYAML(t, q); got != edited {
		t.Errorf("comments were lost or moved:\n%s", diffLines(edited, got))
	}

	// A change of content keeps the comments of what did not change.
	q.Categories[0].Projects[0].Measures[1].Title = "区直部门大科室改革"
	got := writeYAML(t, q)
	for _, e := range edits {
		comment := e.new[strings.Index(e.new, "#"):]
		comment = comment[:strings.IndexByte(comment, '\n')]
		if !strings.Contains(got, comment) {
			t.Errorf("comment %q lost after an edit", comment)
		}
	}
}

// diffLines shows the first lines where two texts differ.
func diffLines(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return "want: " + la[i] + "\n got: " + lb[i]
		}
	}
	return "lengths differ"
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, file string
		line       int
		message    string
	}{
		{"empty", "", 1, "empty"},
		{"comments only", "# nothing\n", 1, "empty"},
		{"not utf-8", "title: \xff\xfe\n", 1, "not UTF-8"},
		{"bad yaml", "title: a\ncategories: [\n  - x\n", 2, "not valid YAML"},
		{"a list", "- a\n- b\n", 1, "set of fields"},
		{"misspelt field", "title: a\nunits:\n  - name: 区编办\n    aliass: []\n", 4, "did you mean aliases?"},
		{"unknown top field", "title: a\nowner: me\n", 2, `unknown field "owner"`},
		{"field twice", "title: a\ntitle: b\n", 2, "title twice"},
		{"number not a number", "categories:\n  - number: two\n", 2, "whole number"},
		{"group not a bool", "units:\n  - name: 各街道办\n    group: maybe\n", 3, "true or false"},
		{"units not a list", "title: a\nunits: 区编办\n", 2, "must be a list"},
		{"lead units not text", "categories:\n  - number: 2\n    projects:\n      - number: 1\n        measures:\n          - id: 2.1.1\n            lead_units: [[a]]\n", 7, "must be text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.file))
			var fe *FileError
			if !errors.As(err, &fe) || p != nil {
				t.Fatalf("Parse = %v, %v; want a *FileError", p, err)
			}
			first := fe.Problems[0]
			if first.Line != tt.line || !strings.Contains(first.Message, tt.message) {
				t.Errorf("got line %d %q, want line %d with %q", first.Line, first.Message, tt.line, tt.message)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(path, []byte("title: a\nbogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path+":2:") {
		t.Errorf("Load error %q does not name the file and line", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
	if _, err := Load(dir); err == nil || err.Error() != "plan: "+dir+" is a directory, not a plan file" {
		t.Errorf("Load of a directory: %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	p, _ := importFile(t, "testdata/forms-numbered-only.txt")
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.yaml")
	if err := p.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path)
	if err != nil || !sameJSON(t, p, q) {
		t.Fatalf("the file written does not load as the plan: %v", err)
	}

	t.Run("missing directory", func(t *testing.T) {
		bad := filepath.Join(dir, "no", "such", "plan.yaml")
		if err := p.WriteFile(bad); err == nil {
			t.Fatal("wrote into a missing directory")
		}
	})
	t.Run("rename fails", func(t *testing.T) {
		// A directory in the way: the temporary file is written, the
		// rename fails, and nothing is left behind.
		target := filepath.Join(dir, "taken")
		if err := os.MkdirAll(filepath.Join(target, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := p.WriteFile(target); err == nil {
			t.Fatal("wrote over a directory")
		}
	})
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "plan.yaml" && e.Name() != "taken" {
			t.Errorf("left %s behind", e.Name())
		}
	}
}

// YAML cannot hold control characters: writing one is an error, not a file
// that does not load.
func TestWriteRefusesControlCharacters(t *testing.T) {
	p := &Plan{Title: "计划\b", Reporting: Reporting{Cadence: Monthly}}
	var buf bytes.Buffer
	if err := p.WriteYAML(&buf); err == nil || !strings.Contains(err.Error(), "title") {
		t.Errorf("WriteYAML = %v, want an error naming the title", err)
	}
	path := filepath.Join(t.TempDir(), "plan.yaml")
	if err := p.WriteFile(path); err == nil {
		t.Error("WriteFile wrote a control character")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("left a file: %v", err)
	}
	// Import turns them into spaces, with a warning.
	got, warnings, err := Import(strings.NewReader("要点\b清单\n1.推进改革。（牵头单位：区编办）\n"))
	if err != nil || strings.ContainsRune(got.Title, '\b') || len(warnings) == 0 || warnings[0].Line != 1 {
		t.Errorf("Import = %+v, %v, %v", got, warnings, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	f.Add([]byte(brokenPlan))
	f.Add([]byte("title: a\nunits:\n  - name: x\n    members: [y]\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			return
		}
		p.Validate()
		var buf bytes.Buffer
		if err := p.WriteYAML(&buf); err != nil {
			return // a control character: refused, not written
		}
		q, err := Parse(buf.Bytes())
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v\n%s", err, buf.Bytes())
		}
		if !sameJSON(t, p, q) {
			t.Fatal("rewriting the file changes the plan")
		}
	})
}

// Deadlines, leaders and former names are read, written and read back.
func TestPlanFileNewFields(t *testing.T) {
	p, _ := importFile(t, seedPath)
	m := &p.Categories[0].Projects[0].Measures[0]
	m.Deadline, m.DeadlineText, m.Leaders = "2026-06-30", "2026年6月底前", []string{"张三"}
	p.Units[0].Formerly = []string{"旧单位名"}
	written := writeYAML(t, p)
	for _, want := range []string{"deadline: \"2026-06-30\"", "deadline_text: 2026年6月底前", "leaders: [张三]", "formerly: [旧单位名]"} {
		if !strings.Contains(written, want) {
			t.Errorf("the written file lacks %q", want)
		}
	}
	q, err := Parse([]byte(written))
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, p, q) {
		t.Error("the plan read back differs from the plan written")
	}
	if c := q.Clone(); &c.Units[0].Formerly[0] == &q.Units[0].Formerly[0] {
		t.Error("Clone shares the former names")
	}
	m2 := &q.Categories[0].Projects[0].Measures[0]
	m2.Deadline = "6月底"
	if probs := q.Validate(); !strings.Contains(fmt.Sprint(probs), "deadline") {
		t.Errorf("a deadline that is no date was accepted: %v", probs)
	}
}
