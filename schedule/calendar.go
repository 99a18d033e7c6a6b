package schedule

import (
	"fmt"
	"strings"
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
// are 调休 working days. The data comes from the office's holidays file
// (Extra) for the years it lists, and otherwise from
// github.com/6tail/lunar-go, which carries each year's official arrangement
// (through 2027 in the version we use). For a year neither knows, only
// weekends are days off: Covers tells, so serve and doctor can warn.
type ChinaCalendar struct {
	// Extra is the office's own data; a year in it replaces the built-in
	// one. The zero value uses the built-in data only.
	Extra Holidays
}

// Day says whether t's date is a working day and, when that is not what
// its weekday suggests or it is a day off, why: the holiday's name, 周末,
// or 调休上班.
func (c ChinaCalendar) Day(t time.Time) (work bool, why string) {
	weekend := t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
	if d, ok := c.Extra.day(t); ok {
		return d.work, d.why(weekend)
	}
	if !c.Extra.has(t.Year()) {
		if h := HolidayUtil.GetHolidayByYmd(t.Year(), int(t.Month()), t.Day()); h != nil {
			return h.IsWork(), day{work: h.IsWork(), name: h.GetName()}.why(weekend)
		}
	}
	if weekend {
		return false, "周末"
	}
	return true, ""
}

// IsWorkday implements Calendar.
func (c ChinaCalendar) IsWorkday(t time.Time) bool {
	work, _ := c.Day(t)
	return work
}

// Covers reports whether the calendar has the official holidays of year,
// from the holidays file or the built-in data.
func (c ChinaCalendar) Covers(year int) bool {
	return c.Extra.has(year) || HolidayUtil.GetHolidaysByYear(year).Len() > 0
}

// Source says where year's data comes from: "file", "built-in" or "".
func (c ChinaCalendar) Source(year int) string {
	switch {
	case c.Extra.has(year):
		return "file"
	case HolidayUtil.GetHolidaysByYear(year).Len() > 0:
		return "built-in"
	}
	return ""
}

// EveryDay is the calendar in which every day is a working day: actions run
// on their nominal dates.
type EveryDay struct{}

// IsWorkday implements Calendar.
func (EveryDay) IsWorkday(time.Time) bool { return true }

// coverage is what a calendar with yearly data offers; EveryDay needs none.
type coverage interface {
	Covers(year int) bool
}

// reasoner is a calendar that can say why a day is off.
type reasoner interface {
	Day(t time.Time) (work bool, why string)
}

// MissingYears lists the years whose holidays cal should know by now and
// does not: this year always, and next year from 1 December (the State
// Council publishes it in November or December). Calendars without yearly
// data miss nothing.
func MissingYears(cal Calendar, now time.Time) []int {
	cv, ok := cal.(coverage)
	if !ok {
		return nil
	}
	var missing []int
	if !cv.Covers(now.Year()) {
		missing = append(missing, now.Year())
	}
	if now.Month() == time.December && !cv.Covers(now.Year()+1) {
		missing = append(missing, now.Year()+1)
	}
	return missing
}

// MissingNotice is the office's sentence about MissingYears (for the
// digest), or "" when nothing is missing. It is plain text, safe as HTML.
func MissingNotice(cal Calendar, now time.Time) string {
	missing := MissingYears(cal, now)
	if len(missing) == 0 {
		return ""
	}
	years := ""
	for i, y := range missing {
		if i > 0 {
			years += "、"
		}
		years += fmt.Sprint(y)
	}
	return fmt.Sprintf("⚠️ 系统还没有%s年的节假日和调休安排，届时提醒只避开周末。"+
		"国务院公布后，请管理员运行 reformbot calendar add %d 补上。", years, missing[len(missing)-1])
}

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

// MovedAfterReminder is why a digest was moved past the day of its
// period's last reminder (Scheduler.afterLastReminder).
const MovedAfterReminder = "排在最后一次提醒之后"

// whyMoved says why an action nominally at nominal is due at due: the
// reason nominal's date is a day off, and whether it was then moved past
// its period's last reminder.
func (s *Scheduler) whyMoved(nominal, due time.Time) string {
	var why []string
	workday := nextWorkday(s.cfg.Calendar, nominal)
	if !workday.Equal(nominal) {
		why = append(why, dayOff(s.cfg.Calendar, nominal))
	}
	if !due.Equal(workday) {
		why = append(why, MovedAfterReminder)
	}
	return strings.Join(why, "，")
}

// dayOff says why t's date is a day off: its name, or 休息日 when the
// calendar cannot say.
func dayOff(cal Calendar, t time.Time) string {
	if r, ok := cal.(reasoner); ok {
		if _, why := r.Day(t); why != "" {
			return why
		}
	}
	return "休息日"
}

// Calendar is the calendar the scheduler moves actions by.
func (s *Scheduler) Calendar() Calendar { return s.cfg.Calendar }

// warnMissing logs, loudly, the years whose holidays are missing by now.
func (s *Scheduler) warnMissing(now time.Time) {
	for _, y := range MissingYears(s.cfg.Calendar, now) {
		s.log.Warn("schedule: no holiday data for this year: actions move off weekends only; add it with reformbot calendar add", "year", y)
	}
}
