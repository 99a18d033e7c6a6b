package main

import (
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// table writes rows in columns padded to their display width: a Chinese
// character takes two terminal cells, so text/tabwriter, which counts runes,
// leaves every column after a unit name out of line.
type table struct {
	rows [][]string
}

// row adds a row; cells may contain no line breaks.
func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// write prints the rows, two spaces between columns, no trailing spaces.
func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		var line strings.Builder
		for i, c := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(c)))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
