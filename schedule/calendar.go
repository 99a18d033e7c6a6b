package schedule

import (
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Calendar tells working days from days off.
type Calendar interface {
	// IsWorkday reports whether the date of t (in t's location) is a
	// working day.
	IsWorkday(t time.Time) bool
}

// ChinaCalendar is the mainland calendar of public holidays and 调休: the
// State Council's holidays are days off, weekends are days off unless they
// are 调休 working days. The data comes from github.com/6tail/lunar-go,
// which carries each year's official arrangement (through 2027 in the
// version we use); for years it does not know, only weekends are days off.
type ChinaCalendar struct{}

// IsWorkday implements Calendar.
func (ChinaCalendar) IsWorkday(t time.Time) bool {
	if h := HolidayUtil.GetHolidayByYmd(t.Year(), int(t.Month()), t.Day()); h != nil {
		return h.IsWork()
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// EveryDay is the calendar in which every day is a working day: actions run
// on their nominal dates.
type EveryDay struct{}

// IsWorkday implements Calendar.
func (EveryDay) IsWorkday(time.Time) bool { return true }

// maxShift is the longest run of days off we look across. The longest
// mainland holiday (Spring Festival, with weekends) is under two weeks.
const maxShift = 31

// nextWorkday returns t itself if its date is a working day, otherwise the
// same clock time on the next working day.
func nextWorkday(cal Calendar, t time.Time) time.Time {
	for i := 0; i < maxShift && !cal.IsWorkday(t); i++ {
		t = t.AddDate(0, 0, 1)
	}
	return t
}
