package web

import (
	"context"
	"sync"
	"time"

	"github.com/luohu/reformbot/plan"
)

// yearTTL bounds how long a cached year is used even when nothing seems to
// have changed; coldTTL is how old the older periods' reports may get
// before they are read again, in the background.
const (
	yearTTL = 30 * time.Second
	coldTTL = 5 * time.Minute
)

// yearCache keeps the last year built. Reading a city's year of reports
// takes longer than a page may, and between two page views the data rarely
// changes. Every change to reports and attachments arrives as a Telegram
// update and leaves an inbox row in the same transaction; contacts and the
// plan change with an audit row. So the newest update id and audit id
// together say whether the year must be read again. yearTTL covers what
// they might miss (a Bot API that restarts its update ids).
//
// When they change, only the current and previous periods are read again
// (see loadYear); the older ones are refreshed in the background once they
// are coldTTL old, so no page waits for a whole year's read except the
// first after start, and the server builds that one as it starts.
type yearCache struct {
	mu         sync.Mutex
	key        yearKey
	at         time.Time
	view       *yearView
	refreshing bool // a background read of the older periods is under way
}

type yearKey struct {
	year    int
	current plan.Period
	update  int64
	audit   int64
}

// warm builds the current year in the background, so the first page after
// start does not wait for it.
func (s *Server) warm() {
	s.warmed = make(chan struct{})
	go func() {
		defer close(s.warmed)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.year(ctx, s.defaultYear()); err != nil {
			s.cfg.Log.Warn("web: building the year at start", "err", err)
		}
	}()
}

// year returns the year's view, from the cache when the data has not
// changed since it was built.
func (s *Server) year(ctx context.Context, year int) (*yearView, error) {
	key := yearKey{year: year, current: s.current()}
	var err error
	if key.update, err = s.cfg.Store.LastUpdateID(ctx); err != nil {
		return nil, err
	}
	entries, err := s.cfg.Store.AuditLog(ctx, 1)
	if err != nil {
		return nil, err
	}
	if len(entries) > 0 {
		key.audit = entries[0].ID
	}
	c := &s.years
	c.mu.Lock()
	defer c.mu.Unlock() // one build at a time; the others wait for it
	now := s.cfg.Now()
	if c.view != nil && c.key == key && now.Sub(c.at) < yearTTL {
		return c.view, nil
	}
	last := c.view
	if last != nil && (last.Year != year || last.Current != key.current) {
		last = nil
	}
	pl, err := s.planOf(ctx, year)
	if err != nil {
		return nil, err
	}
	view, err := s.loadYear(ctx, year, pl, last)
	if err != nil {
		return nil, err
	}
	c.key, c.at, c.view = key, now, view
	if now.Sub(view.coldReadAt) >= coldTTL && !c.refreshing {
		c.refreshing = true
		go s.refreshCold(year, pl, key.current)
	}
	return view, nil
}

// refreshCold reads the whole year again without holding up pages, then
// makes the next page read the current periods again on top of it (they
// may have changed while it read).
func (s *Server) refreshCold(year int, pl *plan.Plan, current plan.Period) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	view, err := s.loadYear(ctx, year, pl, nil)
	c := &s.years
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshing = false
	if err != nil {
		s.cfg.Log.Warn("web: refreshing the year", "err", err)
		return
	}
	if c.view == nil || c.view.Year != year || c.view.Current != current || c.view.plan != pl {
		return
	}
	c.view, c.key = view, yearKey{}
}
