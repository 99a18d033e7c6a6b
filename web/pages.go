package web

import (
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// period reads ?period=, defaulting to the current one; a period of
// another cadence or a malformed one is a 400.
func (s *Server) period(r *http.Request) (plan.Period, error) {
	q := r.URL.Query().Get("period")
	if q == "" {
		return s.current(), nil
	}
	p, err := plan.ParsePeriod(q)
	if err != nil || p.IsYear() || p.IsQuarter() != (s.inForce().Reporting.Cadence == plan.Quarterly) {
		return "", badRequest("期次格式不对，例如 " + string(s.current()))
	}
	return p, nil
}

// planParam is the year a page asks for (?year=) and that year's plan.
func (s *Server) planParam(r *http.Request) (int, *plan.Plan, error) {
	year, err := s.yearParam(r)
	if err != nil {
		return 0, nil, err
	}
	pl, err := s.planOf(r.Context(), year)
	return year, pl, err
}

// yearParam reads ?year=, defaulting to the plan in force's.
func (s *Server) yearParam(r *http.Request) (int, error) {
	q := r.URL.Query().Get("year")
	if q == "" {
		return s.defaultYear(), nil
	}
	y, err := strconv.Atoi(q)
	if err != nil || y < 2000 || y > 2100 {
		return 0, badRequest("年份不对：请写 2000 至 2100 之间的年份，如 ?year=2025。")
	}
	return y, nil
}

// projectRow is a project's line on the overview.
type projectRow struct {
	digest.Project
	Done        int
	DonePercent int
	RedFor      int // periods in a row the project has been red, up to this one
}

// trendBar is one period's bar in the overview's trend chart.
type trendBar struct {
	Period              plan.Period
	Reported, Done      int // percent of pairs
	X, ReportedY, DoneY int // SVG coordinates
	ReportedH, DoneH    int
	RedY                int // the red count, above the bar
	Red, Yellow, Green  int
	Selected            bool
}

type overviewData struct {
	Digest   *digest.Digest
	Projects []projectRow
	Trend    []trendBar
	Period   plan.Period
	Periods  []plan.Period
	// TrendWidth is the trend chart's width in SVG units.
	TrendWidth int
	Title      string // the year's plan's
	Picker     yearPicker
	LinkYear   int // ?year= of the page's links (0: the default year)
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if !v.Office {
		http.Redirect(w, r, unitURL(v.Unit), http.StatusSeeOther)
		return nil
	}
	period, y, err := s.overviewPeriod(r)
	if err != nil {
		return err
	}
	// The period's digest is the year's: the same digest.Build over the
	// same reports (without the contacts and failed messages, which the
	// overview does not show).
	var d *digest.Digest
	for _, yd := range y.Digests {
		if yd.Period == period {
			d = yd
		}
	}
	if d == nil {
		return badRequest(period.Label() + "尚未开始。")
	}
	data := overviewData{Digest: d, Period: period, Periods: y.Periods, Title: y.plan.Title, LinkYear: s.linkYear(y.Year)}
	if y.plan.Sample {
		data.Title += "（示例计划）"
	}
	if data.Picker, err = s.yearPicker(r.Context(), "/overview", y.Year); err != nil {
		return err
	}
	done := doneByProject(d)
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			data.Projects = append(data.Projects, projectRow{Project: p, Done: done[p.ID], DonePercent: digest.Percent(done[p.ID], p.Total),
				RedFor: redFor(y, period, p.ID)})
		}
	}
	for i, yd := range y.Digests {
		b := trendBar{Period: yd.Period, Reported: yd.Totals.Percent(), Done: digest.Percent(yd.Totals.Done, yd.Totals.Pairs), Selected: yd.Period == period}
		b.X = 8 + i*34
		b.ReportedH, b.DoneH = b.Reported, b.Done
		b.ReportedY, b.DoneY = 110-b.ReportedH, 110-b.DoneH
		b.RedY = b.ReportedY - 3
		for _, c := range yd.Categories {
			for _, p := range c.Projects {
				switch p.Light {
				case digest.Red:
					b.Red++
				case digest.Yellow:
					b.Yellow++
				default:
					b.Green++
				}
			}
		}
		data.Trend = append(data.Trend, b)
	}
	// Room for the whole year, so bars keep their width as months pass.
	data.TrendWidth = 8 + 34*len(periodsOf(period.Year(), y.plan.Reporting.Cadence, s.cfg.Location))
	return s.render(w, r, http.StatusOK, "overview", v, data)
}

// overviewPeriod is the period the overview shows and its year: ?period=,
// else the latest of ?year= (or of the default year) that has begun.
func (s *Server) overviewPeriod(r *http.Request) (plan.Period, *yearView, error) {
	var period plan.Period
	year, err := s.yearParam(r)
	if err != nil {
		return "", nil, err
	}
	if q := r.URL.Query().Get("period"); q != "" {
		if period, err = plan.ParsePeriod(q); err != nil || period.IsYear() {
			return "", nil, badRequest("期次格式不对，例如 " + string(s.current()))
		}
		year = period.Year()
	}
	y, err := s.year(r.Context(), year)
	if err != nil {
		return "", nil, err
	}
	if period == "" {
		if len(y.Periods) == 0 {
			return "", nil, badRequest(strconv.Itoa(year) + "年尚未开始。")
		}
		period = y.Periods[len(y.Periods)-1]
	}
	if period.IsQuarter() != (y.plan.Reporting.Cadence == plan.Quarterly) {
		return "", nil, badRequest("期次格式不对，例如 " + string(y.Periods[len(y.Periods)-1]))
	}
	return period, y, nil
}

// redFor counts the periods in a row, ending with period, in which the
// project's light was red.
func redFor(y *yearView, period plan.Period, projectID string) int {
	n := 0
	for i := len(y.Digests) - 1; i >= 0; i-- {
		d := y.Digests[i]
		if d.Period > period {
			continue
		}
		red := false
		for _, c := range d.Categories {
			for _, p := range c.Projects {
				if p.ID == projectID {
					red = p.Light == digest.Red
				}
			}
		}
		if !red {
			break
		}
		n++
	}
	return n
}

// doneByProject counts the pairs reporting 已完成, per project.
func doneByProject(d *digest.Digest) map[string]int {
	out := map[string]int{}
	for _, m := range d.Measures {
		for _, u := range m.Units {
			if u.Reported && u.Status == plan.Done {
				out[m.ProjectID]++
			}
		}
	}
	return out
}

// cell is one unit's status in one period.
type cell struct {
	Unit   string
	Status plan.Status // empty: not reported; plan.Returned: sent back, not reported either
}

// gridCell is one measure in one period: its units' statuses.
type gridCell struct {
	Period plan.Period
	Units  []cell
}

// gridRow is a project heading (Project set) or a measure's row.
type gridRow struct {
	Project   string
	MeasureID string
	Title     string
	Note      string // after the title, e.g. the unit's role
	Cells     []gridCell
}

type gridData struct {
	Year    int
	Periods []plan.Period
	Rows    []gridRow
	Cols    int // the table's columns: the measure and one per period
	Body    template.HTML
	Picker  yearPicker
}

func (s *Server) grid(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if !v.Office {
		return forbidden()
	}
	year, err := s.yearParam(r)
	if err != nil {
		return err
	}
	y, err := s.year(r.Context(), year)
	if err != nil {
		return err
	}
	data := gridData{Year: year, Periods: y.Periods, Cols: len(y.Periods) + 1}
	if data.Picker, err = s.yearPicker(r.Context(), "/grid", year); err != nil {
		return err
	}
	if len(y.Digests) > 0 {
		returned := make([]map[pair]digest.Returned, len(y.Digests))
		for j, d := range y.Digests {
			returned[j] = returnedIn(d)
		}
		lastProject := ""
		for i, m := range y.Digests[0].Measures {
			if m.ProjectID != lastProject {
				lastProject = m.ProjectID
				data.Rows = append(data.Rows, gridRow{Project: m.ProjectID + " " + m.ProjectTitle})
			}
			row := gridRow{MeasureID: m.ID, Title: m.Title}
			for j, d := range y.Digests {
				row.Cells = append(row.Cells, gridCell{Period: d.Period, Units: cells(d.Measures[i], returned[j])})
			}
			data.Rows = append(data.Rows, row)
		}
	}
	data.Body = gridHTML(data.Rows, data.Cols, s.linkYear(year))
	return s.render(w, r, http.StatusOK, "grid", v, data)
}

// cells are a measure's units' statuses in a period; returned holds the
// period's returns (returnedIn), whose pairs the digest counts as not
// reported and the page marks 需补充.
func cells(m digest.Measure, returned map[pair]digest.Returned) []cell {
	out := make([]cell, len(m.Units))
	for i, u := range m.Units {
		out[i] = cell{Unit: u.Unit}
		if u.Reported {
			out[i].Status = u.Status
		} else if _, ok := returned[pair{m.ID, u.Unit}]; ok {
			out[i].Status = plan.Returned
		}
	}
	return out
}

// thread is one unit's reports on a measure for one period, newest
// version first.
type thread struct {
	Unit     string
	Period   plan.Period
	Versions []store.Report
	Review   *reviewMark // the office's latest verdict on the current version, if any (loop.go)
}

type measureData struct {
	Task     plan.Task
	Units    []plan.Assignment
	Threads  []thread
	Year     int    // the plan's year
	Sample   bool   // the embedded sample, whose periods follow the calendar
	Cadence  string // 按月 or 按季度
	LinkYear int    // ?year= of the page's links (0: the default year)
	// Loop is the 审阅与督办记录, oldest first: the office's only, as in
	// the bot (loop.go).
	Loop []loopEvent
}

func (s *Server) measure(w http.ResponseWriter, r *http.Request, v *viewer) error {
	year, pl, err := s.planParam(r)
	if err != nil {
		return err
	}
	task, ok := pl.Measure(r.PathValue("id"))
	if !ok {
		return notFound("没有这项措施。")
	}
	data := measureData{Task: task, Year: pl.Year, Sample: pl.Sample, Cadence: "按月", LinkYear: s.linkYear(year)}
	if data.Year == 0 {
		data.Year = s.current().Year()
	}
	if pl.Reporting.Cadence == plan.Quarterly {
		data.Cadence = "按季度"
	}
	visible := false
	for _, a := range pl.Assignments() {
		if a.MeasureID == task.Measure.ID {
			data.Units = append(data.Units, a)
			visible = visible || v.maysee(a.Unit)
		}
	}
	if !visible {
		return forbidden()
	}
	current, err := s.cfg.Store.MeasureReports(r.Context(), pl.Key(), task.Measure.ID, 400)
	if err != nil {
		return err
	}
	var ids []int64 // the threads' current versions
	for _, c := range current {
		if !v.maysee(c.Unit) {
			continue
		}
		versions, err := s.cfg.Store.History(r.Context(), c.PlanYear, c.MeasureID, c.Unit, c.Period)
		if err != nil {
			return err
		}
		sort.Slice(versions, func(i, j int) bool { return versions[i].ID > versions[j].ID })
		data.Threads = append(data.Threads, thread{Unit: c.Unit, Period: c.Period, Versions: versions})
		ids = append(ids, c.ID)
	}
	// The office's loop, as the bot's measure view shows it: each report's
	// latest review (a return makes it 需补充), and for the office the
	// measure's reviews and 督办.
	reviews, err := s.cfg.Store.LatestReviews(r.Context(), ids...)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if rv, ok := reviews[id]; ok {
			data.Threads[i].Review = markOf(rv, s.cfg.Location)
		}
	}
	if v.Office {
		if data.Loop, err = s.measureLoop(r.Context(), pl.Key(), task.Measure.ID, v.maysee); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "measure", v, data)
}

// unitRow is one of a unit's measures over the year.
type unitRow struct {
	Task   plan.Task
	Cells  []gridCell
	Latest *digest.UnitReport
	Period plan.Period // of Latest
	// Review is set when Latest is a report the office sent back: it is
	// 需补充 and, by the digest's rule, not reported.
	Review *reviewMark
}

type unitData struct {
	Unit     plan.Unit
	Year     int
	Periods  []plan.Period
	Rows     []unitRow
	Grid     template.HTML
	LinkYear int // ?year= of the page's links (0: the default year)
}

func (s *Server) unit(w http.ResponseWriter, r *http.Request, v *viewer) error {
	year, pl, err := s.planParam(r)
	if err != nil {
		return err
	}
	u, ok := pl.Unit(r.PathValue("name"))
	if !ok {
		return notFound("没有这个单位。")
	}
	if !v.maysee(u.Name) {
		return forbidden()
	}
	y, err := s.year(r.Context(), year)
	if err != nil {
		return err
	}
	data := unitData{Unit: u, Year: year, Periods: y.Periods, LinkYear: s.linkYear(year)}
	returned := unitReturns(y, u.Name)
	for _, t := range y.plan.Tasks(u.Name) {
		row := unitRow{Task: t}
		for j, d := range y.Digests {
			c := gridCell{Period: d.Period}
			for _, m := range d.Measures {
				if m.ID != t.Measure.ID {
					continue
				}
				for i := range m.Units {
					if ur := &m.Units[i]; ur.Unit == u.Name {
						c.Units = append(c.Units, cells(digest.Measure{ID: m.ID, Units: []digest.UnitReport{*ur}}, returned[j].pairs)...)
						if ur.Reported {
							row.Latest, row.Period, row.Review = ur, d.Period, nil
						} else if ret, ok := returned[j].reports[m.ID]; ok {
							row.Latest, row.Period, row.Review = ret.report(ur), d.Period, markOf(ret.review, s.cfg.Location)
						}
					}
				}
			}
			row.Cells = append(row.Cells, c)
		}
		data.Rows = append(data.Rows, row)
	}
	grid := make([]gridRow, len(data.Rows))
	for i, row := range data.Rows {
		grid[i] = gridRow{MeasureID: row.Task.Measure.ID, Title: row.Task.Measure.Title, Note: row.Task.Role.Label(), Cells: row.Cells}
	}
	data.Grid = gridHTML(grid, len(y.Periods)+1, data.LinkYear)
	return s.render(w, r, http.StatusOK, "unit", v, data)
}

func (s *Server) apiDigest(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if !v.Office {
		return forbidden()
	}
	d, err := s.digestOf(r)
	if err != nil {
		return err
	}
	body, err := d.JSON()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(append(body, '\n'))
	return err
}

func (s *Server) exportXLSX(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if !v.Office {
		return forbidden()
	}
	d, err := s.digestOf(r)
	if err != nil {
		return err
	}
	body, err := d.XLSX()
	if err != nil {
		return err
	}
	name := "改革进展汇总-" + string(d.Period) + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, err = w.Write(body)
	return err
}

func (s *Server) digestOf(r *http.Request) (*digest.Digest, error) {
	period, err := s.period(r)
	if err != nil {
		return nil, err
	}
	return s.cfg.Digests.BuildDigest(r.Context(), period)
}

func unitURL(name string) string { return "/unit/" + url.PathEscape(name) }

func measureURL(id string) string { return "/measure/" + url.PathEscape(id) }
