package web

import (
	"html"
	"html/template"
	"strings"
)

// gridHTML writes a grid's body rows. A city's year is some 8,000 cells
// and 20,000 status marks; written here it takes a few milliseconds, where
// the template engine, calling a function per mark, took half a second.
// Every text is escaped; the result is trusted HTML. Measure links carry
// ?year=linkYear unless it is 0.
func gridHTML(rows []gridRow, cols, linkYear int) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * cols * 80)
	for _, row := range rows {
		if row.Project != "" {
			b.WriteString(`<tr class="proj"><th colspan="`)
			b.WriteString(itoa(cols))
			b.WriteString(`">`)
			b.WriteString(html.EscapeString(row.Project))
			b.WriteString("</th></tr>\n")
			continue
		}
		href := html.EscapeString(withYear(measureURL(row.MeasureID), linkYear))
		b.WriteString(`<tr><th class="m"><a href="`)
		b.WriteString(href)
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(row.MeasureID))
		b.WriteString(`</a> <span>`)
		b.WriteString(html.EscapeString(row.Title))
		b.WriteString(`</span>`)
		if row.Note != "" {
			b.WriteString(` <small>`)
			b.WriteString(html.EscapeString(row.Note))
			b.WriteString(`</small>`)
		}
		b.WriteString(`</th>`)
		for _, c := range row.Cells {
			b.WriteString(`<td><a href="`)
			b.WriteString(href)
			b.WriteString(`#p-`)
			b.WriteString(html.EscapeString(string(c.Period)))
			b.WriteString(`">`)
			for _, u := range c.Units {
				b.WriteString(`<i class="`)
				b.WriteString(statusClass(u.Status))
				b.WriteString(`"></i>`)
			}
			b.WriteString(`</a></td>`)
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}
