package plan

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// A plan file (YAML) given to Import is read as the plan it is, like the
// plan workbook: `plan import plan.yaml -o plan.xlsx` turns the YAML file
// into a workbook, and back. Any other text is a document to import.

// planFileKey is the key every plan file has at its top level.
var planFileKey = regexp.MustCompile(`(?m)^categories[ \t]*:`)

// readPlanFile reads data as a plan file when it is one: UTF-8 YAML whose
// top level is a mapping with a categories key. ok is false for any other
// document; err is the plan file's problems (*FileError).
func readPlanFile(data []byte) (*Plan, bool, error) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !planFileKey.Match(data) || !utf8.Valid(data) {
		// The common case, a document: no YAML parse.
		return nil, false, nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, false, nil
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "categories" {
			p, err := Parse(data)
			return p, true, err
		}
	}
	return nil, false, nil
}
