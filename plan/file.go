package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The plan file is YAML, written by WriteYAML and edited by the office. Parse
// reads it strictly: a misspelt field is an error with its line, not a
// silently empty value.

// FileError is a plan file that cannot be read: bad YAML, or fields of the
// wrong shape. Each problem has its line.
type FileError struct {
	Path     string // "" when parsed from bytes
	Problems []Problem
}

// Error names the file and the first problem's line.
func (e *FileError) Error() string {
	name := e.Path
	if name == "" {
		name = "plan file"
	}
	if len(e.Problems) == 0 {
		return "plan: " + name + ": unreadable"
	}
	first := e.Problems[0]
	msg := fmt.Sprintf("plan: %s:%d: %s", name, first.Line, first.Message)
	if n := len(e.Problems) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// Load reads and parses a plan file, YAML or a plan workbook. The plan's
// Source records the path.
func Load(path string) (*Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("plan: %s is a directory, not a plan file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err) // a *PathError: "read FILE: …"
	}
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("plan: %s is larger than %d MiB", path, MaxDocumentSize>>20)
	}
	p, err := Parse(data)
	var fe *FileError
	if errors.As(err, &fe) {
		fe.Path = path
	}
	if err != nil {
		return nil, err
	}
	p.Source.Path = path
	return p, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// Parse reads a plan file. Errors are *FileError. The plan is not
// validated: call Validate for unknown units, duplicate IDs and the like.
//
// A plan workbook (WriteXLSX) is told from YAML by its content and read as
// the same plan.
func Parse(data []byte) (*Plan, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		if p, ok, err := readPlanWorkbook(data); ok {
			return p, err
		}
		return nil, &FileError{Problems: []Problem{{Line: 1, Message: "this is a Word or Excel document, not a plan file or plan workbook; import it with reformbot plan import"}}}
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		return nil, &FileError{Problems: []Problem{{Line: 1, Message: "the file is not UTF-8 text"}}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &FileError{Problems: []Problem{{Line: 1, Message: "the file is empty"}}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimSpace(yamlLine.ReplaceAllString(strings.TrimPrefix(msg, "line "+strconv.Itoa(line)+":"), "line $1"))
		return nil, &FileError{Problems: []Problem{{Line: line, Message: "not valid YAML: " + msg}}}
	}
	if len(doc.Content) == 0 {
		return nil, &FileError{Problems: []Problem{{Line: 1, Message: "the file is empty"}}}
	}
	r := &fileReader{}
	p := r.plan(doc.Content[0])
	if len(r.problems) > 0 {
		return nil, &FileError{Problems: r.problems}
	}
	p.Source = captureSource(&doc)
	return p, nil
}

// fileReader reads the node tree into a plan, collecting every problem.
type fileReader struct {
	problems []Problem
}

func (r *fileReader) errf(n *yaml.Node, format string, args ...any) {
	r.problems = append(r.problems, Problem{Line: n.Line, Message: fmt.Sprintf(format, args...)})
}

// fields reads a mapping whose keys must be among known.
func (r *fileReader) fields(n *yaml.Node, what string, known map[string]func(*yaml.Node)) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		r.errf(n, "%s must be a set of fields (key: value)", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		switch set, ok := known[k.Value]; {
		case seen[k.Value]:
			r.errf(k, "%s has %s twice", what, k.Value)
		case !ok:
			r.errf(k, "unknown field %q in %s%s", k.Value, what, didYouMean(k.Value, known))
		default:
			set(v)
		}
		seen[k.Value] = true
	}
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func (r *fileReader) str(n *yaml.Node, what string) string {
	switch {
	case isNull(n):
		return ""
	case n.Kind != yaml.ScalarNode:
		r.errf(n, "%s must be text", what)
		return ""
	}
	return n.Value
}

func (r *fileReader) integer(n *yaml.Node, what string) int {
	if isNull(n) {
		return 0
	}
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		r.errf(n, "%s must be a whole number", what)
	}
	return v
}

func (r *fileReader) boolean(n *yaml.Node, what string) bool {
	var b bool
	if isNull(n) {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		r.errf(n, "%s must be true or false", what)
	}
	return b
}

// list calls each for every item of a sequence.
func (r *fileReader) list(n *yaml.Node, what string, each func(*yaml.Node)) {
	switch {
	case isNull(n):
		return
	case n.Kind != yaml.SequenceNode:
		r.errf(n, "%s must be a list", what)
		return
	}
	for _, item := range n.Content {
		each(deref(item))
	}
}

// strs reads a list of text.
func (r *fileReader) strs(n *yaml.Node, what string) []string {
	out := []string{}
	r.list(n, what, func(item *yaml.Node) { out = append(out, r.str(item, "each of "+what)) })
	return out
}

func (r *fileReader) plan(n *yaml.Node) *Plan {
	p := &Plan{Categories: []Category{}, Units: []Unit{}}
	r.fields(n, "the plan", map[string]func(*yaml.Node){
		"title":      func(v *yaml.Node) { p.Title = r.str(v, "title") },
		"doc_number": func(v *yaml.Node) { p.DocNumber = r.str(v, "doc_number") },
		"issuers":    func(v *yaml.Node) { p.Issuers = r.strs(v, "issuers") },
		"published":  func(v *yaml.Node) { p.Published = r.str(v, "published") },
		"year":       func(v *yaml.Node) { p.Year = r.integer(v, "year") },
		"reporting": func(v *yaml.Node) {
			r.fields(v, "reporting", map[string]func(*yaml.Node){
				"cadence":    func(v *yaml.Node) { p.Reporting.Cadence = Cadence(r.str(v, "cadence")) },
				"acceptance": func(v *yaml.Node) { p.Reporting.Acceptance = r.boolean(v, "acceptance") },
				"basis":      func(v *yaml.Node) { p.Reporting.Basis = r.strs(v, "basis") },
			})
		},
		"categories": func(v *yaml.Node) {
			r.list(v, "categories", func(item *yaml.Node) { p.Categories = append(p.Categories, r.category(item)) })
		},
		"units": func(v *yaml.Node) {
			r.list(v, "units", func(item *yaml.Node) { p.Units = append(p.Units, r.unit(item)) })
		},
	})
	if len(p.Issuers) == 0 {
		p.Issuers = nil
	}
	if len(p.Reporting.Basis) == 0 {
		p.Reporting.Basis = nil
	}
	return p
}

func (r *fileReader) category(n *yaml.Node) Category {
	c := Category{Projects: []Project{}}
	r.fields(n, "a category", map[string]func(*yaml.Node){
		"number": func(v *yaml.Node) { c.Number = r.integer(v, "number") },
		"title":  func(v *yaml.Node) { c.Title = r.str(v, "title") },
		"projects": func(v *yaml.Node) {
			r.list(v, "projects", func(item *yaml.Node) { c.Projects = append(c.Projects, r.project(item)) })
		},
	})
	return c
}

func (r *fileReader) project(n *yaml.Node) Project {
	p := Project{Measures: []Measure{}}
	r.fields(n, "a project", map[string]func(*yaml.Node){
		"number":  func(v *yaml.Node) { p.Number = r.integer(v, "number") },
		"title":   func(v *yaml.Node) { p.Title = r.str(v, "title") },
		"summary": func(v *yaml.Node) { p.Summary = r.str(v, "summary") },
		"measures": func(v *yaml.Node) {
			r.list(v, "measures", func(item *yaml.Node) { p.Measures = append(p.Measures, r.measure(item)) })
		},
	})
	return p
}

func (r *fileReader) measure(n *yaml.Node) Measure {
	m := Measure{LeadUnits: []string{}, CoUnits: []string{}}
	r.fields(n, "a measure", map[string]func(*yaml.Node){
		"id":            func(v *yaml.Node) { m.ID = r.str(v, "id") },
		"title":         func(v *yaml.Node) { m.Title = r.str(v, "title") },
		"text":          func(v *yaml.Node) { m.Text = r.str(v, "text") },
		"lead_units":    func(v *yaml.Node) { m.LeadUnits = r.strs(v, "lead_units") },
		"co_units":      func(v *yaml.Node) { m.CoUnits = r.strs(v, "co_units") },
		"deadline":      func(v *yaml.Node) { m.Deadline = r.str(v, "deadline") },
		"deadline_text": func(v *yaml.Node) { m.DeadlineText = r.str(v, "deadline_text") },
		"leaders":       func(v *yaml.Node) { m.Leaders = r.strs(v, "leaders") },
	})
	if len(m.Leaders) == 0 {
		m.Leaders = nil
	}
	return m
}

func (r *fileReader) unit(n *yaml.Node) Unit {
	u := Unit{Aliases: []string{}}
	r.fields(n, "a unit", map[string]func(*yaml.Node){
		"name":     func(v *yaml.Node) { u.Name = r.str(v, "name") },
		"aliases":  func(v *yaml.Node) { u.Aliases = r.strs(v, "aliases") },
		"group":    func(v *yaml.Node) { u.Group = r.boolean(v, "group") },
		"members":  func(v *yaml.Node) { u.Members = r.strs(v, "members") },
		"formerly": func(v *yaml.Node) { u.Formerly = r.strs(v, "formerly") },
	})
	if len(u.Members) == 0 {
		u.Members = nil
	}
	if len(u.Formerly) == 0 {
		u.Formerly = nil
	}
	return u
}

// didYouMean suggests the known field closest to a misspelt one.
func didYouMean(key string, known map[string]func(*yaml.Node)) string {
	best, dist := "", 3
	for k := range known {
		if d := editDistance(key, k); d < dist || d == dist && k < best {
			best, dist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
