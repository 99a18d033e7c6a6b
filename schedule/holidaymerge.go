package schedule

import (
	"fmt"
	"sort"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// BuiltinYear is year's arrangement from the built-in data as a holidays
// file's year, so an office adding a day to a year the built-in data has
// keeps the rest of it (a year in the file replaces the built-in one). It
// reports false when the built-in data does not have year.
func BuiltinYear(year int) (HolidayYear, bool) {
	l := HolidayUtil.GetHolidaysByYear(year)
	if l.Len() == 0 {
		return HolidayYear{}, false
	}
	y := HolidayYear{days: map[string]day{}}
	for e := l.Front(); e != nil; e = e.Next() {
		h, ok := e.Value.(*HolidayUtil.Holiday)
		if !ok {
			continue
		}
		t, err := time.Parse(time.DateOnly, h.GetDay())
		if err != nil || t.Year() != year {
			continue
		}
		y.days[t.Format(time.DateOnly)] = day{work: h.IsWork(), name: h.GetName()}
	}
	y.Off, y.Work = y.items()
	return y, true
}

// MergeResult says what Merge did.
type MergeResult struct {
	Added, Replaced int // days new to the year, days given again
}

// Merge adds the days of add (checked for year) to y (checked for year):
// a date y has is replaced by add's entry (its name), and a date add makes
// a working day where y has a day off, or the reverse, is an error. The
// result's items are rewritten as dates and ranges of one name.
func (y HolidayYear) Merge(year int, add HolidayYear) (HolidayYear, MergeResult, error) {
	var r MergeResult
	out := HolidayYear{days: make(map[string]day, len(y.days)+len(add.days))}
	for k, d := range y.days {
		out.days[k] = d
	}
	for _, k := range sortedKeys(add.days) {
		d := add.days[k]
		prev, ok := out.days[k]
		switch {
		case ok && prev.work != d.work:
			return HolidayYear{}, r, fmt.Errorf("holidays %d: %s is already %s; give the whole year again with --replace, or edit the file", year, k, prev.describe())
		case ok:
			r.Replaced++
		default:
			r.Added++
		}
		out.days[k] = d
	}
	out.Off, out.Work = out.items()
	return out, r, nil
}

func (d day) describe() string {
	kind := "a day off"
	if d.work {
		kind = "a working day"
	}
	if d.name != "" {
		kind += " (" + d.name + ")"
	}
	return kind
}

// items writes y's days as the file's items: consecutive dates of one kind
// and name as one range A..B, each followed by its name.
func (y HolidayYear) items() (off, work []string) {
	keys := sortedKeys(y.days)
	for i := 0; i < len(keys); {
		first := keys[i]
		d := y.days[first]
		last := first
		j := i + 1
		for ; j < len(keys); j++ {
			next := y.days[keys[j]]
			if next != d || keys[j] != dayAfter(last) {
				break
			}
			last = keys[j]
		}
		item := first
		if last != first {
			item += ".." + last
		}
		if d.name != "" {
			item += " " + d.name
		}
		if d.work {
			work = append(work, item)
		} else {
			off = append(off, item)
		}
		i = j
	}
	return off, work
}

func dayAfter(date string) string {
	t, _ := time.Parse(time.DateOnly, date)
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

func sortedKeys(m map[string]day) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
