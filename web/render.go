package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
)

// page is what every template gets.
type pageData struct {
	Viewer *viewer
	Title  string // the plan's
	Data   any
}

func parsePages(loc *time.Location, fileURL func(*viewer, int64, string, string, plan.Period) string) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"when":        func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		"day":         func(t time.Time) string { return dayLabel(t, loc) },
		"statusClass": statusClass,
		"statusText": func(s plan.Status) string {
			if s == "" {
				return "未填报"
			}
			return string(s)
		},
		"periodLabel": func(p plan.Period) string { return p.Label() },
		"short": func(p plan.Period) string {
			if p.IsQuarter() {
				return string(p[5:])
			}
			return strings.TrimLeft(string(p[5:]), "0") + "月"
		},
		"unitURL":    unitURL,
		"measureURL": measureURL,
		"fileURL":    fileURL,
		"roleLabel":  func(r plan.Role) string { return r.Label() },
		// inYear adds ?year= to a link of a page of another year.
		"inYear": func(year int, path string) string { return withYear(path, year) },
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, name)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

// statusClass is a status's colour class in the stylesheet.
func statusClass(s plan.Status) string {
	switch s {
	case plan.Done:
		return "s-done"
	case plan.OnTrack:
		return "s-ok"
	case plan.Behind:
		return "s-behind"
	case plan.NeedsHelp:
		return "s-hard"
	case plan.Returned:
		return "s-returned"
	case "":
		return "s-none"
	}
	return "s-other"
}

// render writes a page into a buffer first, so a template error is a 500
// and never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v *viewer, data any) error {
	var buf bytes.Buffer
	t := s.pages[name]
	err := t.ExecuteTemplate(&buf, "layout.html", pageData{Viewer: v, Title: s.inForce().Title, Data: data})
	if err != nil {
		s.cfg.Log.Error("web: render", "page", name, "err", err)
		http.Error(w, "服务器出错，请稍后再试。", http.StatusInternalServerError)
		return nil
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(buf.Bytes())
	return err
}
