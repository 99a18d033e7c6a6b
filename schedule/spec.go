package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// specParser reads the standard five cron fields (minute hour day month
// weekday) and the @monthly-style descriptors.
var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// parseSpec validates and parses a cron spec. robfig/cron panics on some
// malformed specs (a bare "TZ=UTC", for one); that becomes an error here,
// as does a time zone prefix, because the office's zone is set with --tz
// and one schedule must not run in another zone.
func parseSpec(spec string) (sched cron.Schedule, err error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, fmt.Errorf("empty cron spec")
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, fmt.Errorf("cron spec %q: no time zone prefix here; the office's zone is set with --tz", spec)
	}
	if strings.HasPrefix(spec, "@every") {
		return nil, fmt.Errorf("cron spec %q: @every has no dates; use a calendar spec such as \"0 9 25 * *\"", spec)
	}
	defer func() {
		if v := recover(); v != nil {
			sched, err = nil, fmt.Errorf("cron spec %q: %v", spec, v)
		}
	}()
	sched, err = specParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("cron spec %q: %w (want minute hour day month weekday, e.g. \"0 9 25 * *\")", spec, err)
	}
	// A spec that can never fire (e.g. 31 February) would silently do
	// nothing: refuse it.
	if sched.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, fmt.Errorf("cron spec %q never fires", spec)
	}
	return sched, nil
}

// workdaySchedule is a cron schedule moved onto working days: each time the
// base spec names that falls on a day off happens instead at the same clock
// time on the next working day. robfig/cron fires at these moved times
// directly.
type workdaySchedule struct {
	base cron.Schedule
	cal  Calendar
	loc  *time.Location
	// later, when set, may move a due time further (the digest past its
	// period's last reminder, Scheduler.dueOf); by at most maxShift days.
	later func(nominal, due time.Time) time.Time
}

// Next returns the first moved time after t.
func (s workdaySchedule) Next(t time.Time) time.Time {
	// Moving is monotonic, so a nominal time up to 2·maxShift days before
	// t may move to after t: start looking there.
	n := s.base.Next(t.In(s.loc).AddDate(0, 0, -2*maxShift))
	for i := 0; i < 10000 && !n.IsZero(); i++ {
		due := nextWorkday(s.cal, n)
		if s.later != nil {
			due = s.later(n, due)
		}
		if due.After(t) {
			return due
		}
		n = s.base.Next(n)
	}
	return time.Time{}
}
