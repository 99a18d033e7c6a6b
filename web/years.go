package web

import (
	"context"
	"net/url"
	"strconv"
	"sync"

	"github.com/luohu/reformbot/plan"
)

// Pages show the plan in force; ?year= shows another year whose plan the
// store keeps (in January the office wants last year's 全年进度 too). The
// sample plan covers every calendar year. A page of another year links
// its measures and units with the same ?year=, so a click stays in it.

// planYears caches the store's plans in force, read again only when a
// plan was activated since (the store's PlansStamp changed): decoding a
// city's plan costs more than a page may.
type planYears struct {
	mu    sync.Mutex
	stamp int64
	years *plan.Years
}

// plans returns the plans in force, one per year.
func (s *Server) plans(ctx context.Context) (*plan.Years, error) {
	stamp, err := s.cfg.Store.PlansStamp(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.planYears
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.years == nil || c.stamp != stamp {
		years, err := s.cfg.Store.Plans(ctx)
		if err != nil {
			return nil, err
		}
		c.stamp, c.years = stamp, years
	}
	return c.years, nil
}

// planOf is the plan of year's pages: the plan in force when it is that
// year's (or the sample, which covers every year), else the year's plan
// in the store; a 404 when there is none.
func (s *Server) planOf(ctx context.Context, year int) (*plan.Plan, error) {
	pl := s.inForce()
	if pl.Sample || pl.Year == year {
		return pl, nil
	}
	years, err := s.plans(ctx)
	if err != nil {
		return nil, err
	}
	if p, ok := years.Year(year); ok && !p.Sample {
		return p, nil
	}
	return nil, notFound("没有" + strconv.Itoa(year) + "年的改革计划。")
}

// defaultYear is the year pages show without ?year=: the plan in force's
// (in January, until the new plan is loaded, last year's), or the current
// period's for the sample.
func (s *Server) defaultYear() int {
	if pl := s.inForce(); !pl.Sample && pl.Year != 0 {
		return pl.Year
	}
	return s.current().Year()
}

// linkYear is the ?year= a page of year adds to its links: none for the
// default year.
func (s *Server) linkYear(year int) int {
	if year == s.defaultYear() {
		return 0
	}
	return year
}

// yearPicker is the 年度 switch on 总览 and 全年进度: shown when the store
// keeps plans of more than one year.
type yearPicker struct {
	Action string // the page's path
	Year   int
	Years  []int
}

func (s *Server) yearPicker(ctx context.Context, action string, year int) (yearPicker, error) {
	pick := yearPicker{Action: action, Year: year}
	if s.inForce().Sample {
		return pick, nil
	}
	years, err := s.plans(ctx)
	if err != nil {
		return pick, err
	}
	pick.Years = years.List()
	return pick, nil
}

// withYear adds ?year= to a path when year is not 0.
func withYear(path string, year int) string {
	if year == 0 {
		return path
	}
	return path + "?" + url.Values{"year": {strconv.Itoa(year)}}.Encode()
}
