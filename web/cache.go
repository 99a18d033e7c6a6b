package web

import (
	"context"
	"sync"
	"time"

	"github.com/luohu/reformbot/plan"
)

// yearTTL bounds how long a cached year is used even when nothing seems to
// have changed; coldTTL how long loadYear keeps the older periods' reports
// when something did.
const (
	yearTTL = 30 * time.Second
	coldTTL = 5 * time.Minute
)

// yearCache keeps the last year built. Reading a city's year of reports
// takes far longer than a page may, and between two page views the data
// rarely changes. Every change to reports and attachments arrives as a
// Telegram update and leaves an inbox row in the same transaction; contacts
// and the plan change with an audit row. So the newest update id and audit
// id together say whether the year must be read again. yearTTL covers what
// they might miss (a Bot API that restarts its update ids).
type yearCache struct {
	mu   sync.Mutex
	key  yearKey
	at   time.Time
	view *yearView
}

type yearKey struct {
	year    int
	current plan.Period
	update  int64
	audit   int64
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
	if c.view != nil && c.key == key && s.cfg.Now().Sub(c.at) < yearTTL {
		return c.view, nil
	}
	view, err := s.loadYear(ctx, year, c.view)
	if err != nil {
		return nil, err
	}
	c.key, c.at, c.view = key, s.cfg.Now(), view
	return view, nil
}
