package plan

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// fileGuide opens a plan file written from an import. It is in Chinese: the
// office edits the file.
const fileGuide = `reformbot 改革计划文件：%s
由 reformbot plan import 生成，可直接编辑（UTF-8）。改完请运行 reformbot plan check 文件名 检查。
- 举措 id 为“类别.项目.举措”（如 2.1.1），开始填报进度后请勿再改。
- lead_units 为牵头单位，co_units 为协办单位，均须是下方 units 中的单位名称。
- 单位组（group: true，如“各街道办”）可在 members 中列出成员单位；成员也须在 units 中登记。
- 文件中的注释在 reformbot 改写本文件时会保留。`

// groupHint follows group: true in a file written from an import.
const groupHint = "可在 members: 中列出成员单位，每个成员分别负责"

// WriteYAML writes the plan as a plan file. A plan loaded from a YAML file
// keeps that file's comments; an imported one, or one read from a plan
// workbook, gets a short guide at the top.
func (p *Plan) WriteYAML(w io.Writer) error {
	doc := p.yamlDocument()
	var bad string
	walkNodes(doc, "", func(path string, n *yaml.Node) {
		if bad == "" && n.Kind == yaml.ScalarNode && strings.ContainsFunc(n.Value, isControl) {
			bad = path
		}
	})
	if bad != "" {
		// YAML cannot hold them; writing them would give a file that
		// does not load.
		return fmt.Errorf("plan: %s holds a control character", strings.ReplaceAll(bad, "/", "."))
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("plan: encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("plan: encode: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteFile writes the plan file at path atomically: to a temporary file in
// the same directory, renamed over path only once complete. An error leaves
// no file behind, and an existing file untouched. A path ending in .xlsx
// gets a plan workbook (WriteXLSX), any other the YAML file.
func (p *Plan) WriteFile(path string) error {
	var buf bytes.Buffer
	write := p.WriteYAML
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		write = p.WriteXLSX
	}
	if err := write(&buf); err != nil {
		return err
	}
	return writeFileAtomic(path, buf.Bytes())
}

func writeFileAtomic(path string, data []byte) (err error) {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("plan: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("plan: write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("plan: write %s: %w", path, err)
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("plan: write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("plan: write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("plan: write %s: %w", path, err)
	}
	return nil
}

// yamlDocument builds the node tree of the plan file.
func (p *Plan) yamlDocument() *yaml.Node {
	root := mapping()
	add(root, "title", text(p.Title))
	if p.DocNumber != "" {
		add(root, "doc_number", text(p.DocNumber))
	}
	if len(p.Issuers) > 0 {
		add(root, "issuers", texts(p.Issuers, false))
	}
	if p.Published != "" {
		add(root, "published", text(p.Published))
	}
	if p.Year != 0 {
		add(root, "year", number(p.Year))
	}
	rep := mapping()
	add(rep, "cadence", text(string(p.Reporting.Cadence)))
	add(rep, "acceptance", boolean(p.Reporting.Acceptance))
	if len(p.Reporting.Basis) > 0 {
		add(rep, "basis", texts(p.Reporting.Basis, false))
	}
	add(root, "reporting", rep)
	cats := sequence(false)
	for _, c := range p.Categories {
		cn := mapping()
		add(cn, "number", number(c.Number))
		add(cn, "title", text(c.Title))
		projects := sequence(false)
		for _, pr := range c.Projects {
			pn := mapping()
			add(pn, "number", number(pr.Number))
			add(pn, "title", text(pr.Title))
			if pr.Summary != "" {
				add(pn, "summary", text(pr.Summary))
			}
			measures := sequence(false)
			for _, m := range pr.Measures {
				mn := mapping()
				add(mn, "id", text(m.ID))
				add(mn, "title", text(m.Title))
				add(mn, "lead_units", texts(m.LeadUnits, true))
				add(mn, "co_units", texts(m.CoUnits, true))
				if m.Deadline != "" {
					add(mn, "deadline", text(m.Deadline))
				}
				if m.DeadlineText != "" {
					add(mn, "deadline_text", text(m.DeadlineText))
				}
				if len(m.Leaders) > 0 {
					add(mn, "leaders", texts(m.Leaders, true))
				}
				add(mn, "text", text(m.Text))
				measures.Content = append(measures.Content, mn)
			}
			add(pn, "measures", measures)
			projects.Content = append(projects.Content, pn)
		}
		add(cn, "projects", projects)
		cats.Content = append(cats.Content, cn)
	}
	add(root, "categories", cats)
	units := sequence(false)
	for _, u := range p.Units {
		un := mapping()
		add(un, "name", text(u.Name))
		add(un, "aliases", texts(u.Aliases, true))
		group := boolean(u.Group)
		if u.Group && len(u.Members) == 0 && p.newFile() {
			group.LineComment = groupHint
		}
		add(un, "group", group)
		if len(u.Members) > 0 {
			add(un, "members", texts(u.Members, false))
		}
		if len(u.Formerly) > 0 {
			add(un, "formerly", texts(u.Formerly, true))
		}
		units.Content = append(units.Content, un)
	}
	add(root, "units", units)

	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	if p.newFile() {
		doc.HeadComment = fmt.Sprintf(fileGuide, p.Title)
	} else {
		p.Source.applyComments(doc)
	}
	return doc
}

// newFile reports whether the plan has no YAML file of its own to keep the
// comments of: imported from a document or read from a workbook.
func (p *Plan) newFile() bool {
	return p.Source == nil || p.Source.Workbook
}

// isControl reports the characters a plan file cannot hold: controls other
// than tab and newline.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r >= 0x7F && r <= 0x9F
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

func sequence(flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func add(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, text(key), value)
}

// text is a string node; multi-line text is written as a literal block so
// that its paragraphs read as paragraphs.
func text(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func texts(list []string, flow bool) *yaml.Node {
	n := sequence(flow)
	for _, s := range list {
		n.Content = append(n.Content, text(s))
	}
	return n
}

func number(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}
