package plan

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Source is what a plan remembers of the file it was read from: the line of
// every element, for messages, and the comments the office wrote, so that
// writing the plan back keeps them. Plans built in code or imported from a
// document have none.
//
// Both maps are keyed by an element's path in the file, such as
// "categories/#2/projects/#1/measures/#2.1.1/lead_units/[0]": list items
// with an id, name or number are keyed by it, so a comment stays with its
// measure when measures are reordered. The second item of a list with the
// same key gets "~1" after it.
type Source struct {
	// Path is the file's name as given to Load, or "" after Parse.
	Path string
	// Lines holds the line of each element.
	Lines map[string]int
	// Comments holds the comments around each element.
	Comments map[string]Comment
	// Workbook is set for a plan read from a plan workbook, which holds
	// no comments: written as YAML, it gets the guide a new file has.
	Workbook bool
}

// Comment is the comments yaml attaches to one node: the lines above it,
// the one after it on its line, and the lines below it.
type Comment struct {
	Head, Line, Foot string
}

// Paths of the top-level fields.
const (
	docPath = "^" // the document itself, whose head comment opens the file
)

// childPath is the path of a mapping's field.
func childPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "/" + key
}

// itemKey is how a list item is keyed: by its id, name or number when it
// has one, by its index otherwise.
func itemKey(i int, item *yaml.Node) string {
	if item.Kind == yaml.MappingNode {
		for _, key := range []string{"id", "name", "number"} {
			for j := 0; j+1 < len(item.Content); j += 2 {
				if item.Content[j].Value == key && item.Content[j+1].Kind == yaml.ScalarNode {
					return "#" + item.Content[j+1].Value
				}
			}
		}
	}
	return "[" + strconv.Itoa(i) + "]"
}

// keyer makes the keys of one list unique, as Source documents.
type keyer map[string]int

func (k keyer) unique(key string) string {
	n := k[key]
	k[key]++
	if n == 0 {
		return key
	}
	return key + "~" + strconv.Itoa(n)
}

// walkNodes calls visit for every node under n with its path. A mapping's
// key node gets the path of its value plus "#key".
func walkNodes(n *yaml.Node, path string, visit func(path string, n *yaml.Node)) {
	switch n.Kind {
	case yaml.DocumentNode:
		visit(docPath, n)
		for _, c := range n.Content {
			walkNodes(c, path, visit)
		}
	case yaml.MappingNode:
		visit(path, n)
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := childPath(path, n.Content[i].Value)
			visit(p+"#key", n.Content[i])
			walkNodes(n.Content[i+1], p, visit)
		}
	case yaml.SequenceNode:
		visit(path, n)
		keys := keyer{}
		for i, c := range n.Content {
			walkNodes(c, path+"/"+keys.unique(itemKey(i, c)), visit)
		}
	default:
		visit(path, n)
	}
}

// captureSource records the lines and comments of a parsed file.
func captureSource(doc *yaml.Node) *Source {
	s := &Source{Lines: map[string]int{}, Comments: map[string]Comment{}}
	walkNodes(doc, "", func(path string, n *yaml.Node) {
		if _, seen := s.Lines[path]; !seen {
			s.Lines[path] = n.Line
		}
		if n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
			c := s.Comments[path]
			c.Head, c.Line, c.Foot = join(c.Head, n.HeadComment), join(c.Line, n.LineComment), join(c.Foot, n.FootComment)
			s.Comments[path] = c
		}
	})
	return s
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}

// applyComments attaches the recorded comments to a tree about to be
// written.
func (s *Source) applyComments(doc *yaml.Node) {
	if s == nil {
		return
	}
	walkNodes(doc, "", func(path string, n *yaml.Node) {
		if c, ok := s.Comments[path]; ok {
			n.HeadComment, n.LineComment, n.FootComment = c.Head, c.Line, c.Foot
		}
	})
	settleLineComments(doc)
}

// settleLineComments moves a key's line comment to its value when the value
// is written on the key's line (a scalar, or a list written [a, b] or []):
// yaml would otherwise put the comment first and break the line.
func settleLineComments(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			inline := v.Kind == yaml.ScalarNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0
			if k.LineComment != "" && inline {
				v.LineComment = join(k.LineComment, v.LineComment)
				k.LineComment = ""
			}
		}
	}
	for _, c := range n.Content {
		settleLineComments(c)
	}
}

// line returns the line of the element at path, or 0 when unknown.
func (s *Source) line(path string) int {
	if s == nil {
		return 0
	}
	return s.Lines[path]
}
