package plan

import "fmt"

// Warning is something the importer repaired, guessed or could not use,
// with the line of the document it concerns. Nothing is dropped or changed
// silently: each such decision is one warning.
type Warning struct {
	Line int `json:"line"`
	// Where names the place in a Word or Excel document, where a line
	// number means little: 第3段, 表2第5行, 工作表“台账”第7行.
	Where   string `json:"where,omitempty"`
	Message string `json:"message"`
}

// String is "line N: message", or "where: message".
func (w Warning) String() string {
	if w.Where != "" {
		return w.Where + ": " + w.Message
	}
	return fmt.Sprintf("line %d: %s", w.Line, w.Message)
}

// Problem is a mistake in a plan that keeps it from being used: an unknown
// unit, a duplicate ID, a measure without a lead unit. Line is the line of
// the plan file, or 0 when the plan did not come from a file.
type Problem struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// String is "line N: message", or the message alone when the line is unknown.
func (p Problem) String() string {
	if p.Line == 0 {
		return p.Message
	}
	return fmt.Sprintf("line %d: %s", p.Line, p.Message)
}
