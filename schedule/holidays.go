package schedule

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Holidays is the office's own holiday data, one entry per year, as kept in
// the holidays file:
//
//	holidays:
//	  2028:
//	    off: ["2028-01-01 元旦", "2028-01-26..2028-02-01 春节"]
//	    work: ["2028-02-05 春节调休"]
//
// Each item is a date or a range A..B, optionally followed by a name.
type Holidays map[int]HolidayYear

// HolidayYear is one year's days off and 调休 working days.
type HolidayYear struct {
	Off  []string `yaml:"off"`
	Work []string `yaml:"work"`

	days map[string]day // compiled by Check
}

type day struct {
	work bool
	name string
}

// why is the reason shown for a day: its name, or a generic one.
func (d day) why(weekend bool) string {
	switch {
	case d.work && weekend && d.name == "":
		return "调休上班"
	case d.work && weekend:
		return strings.TrimSuffix(d.name, "调休") + "调休上班"
	case d.work:
		return ""
	case d.name != "":
		return d.name
	case weekend:
		return "周末"
	}
	return "节假日"
}

type holidaysFile struct {
	Holidays Holidays `yaml:"holidays"`
}

// LoadHolidays reads a holidays file. A file that does not exist is no
// data, not an error: the built-in data then serves alone.
func LoadHolidays(path string) (Holidays, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Holidays{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	return ParseHolidays(data)
}

// ParseHolidays reads the holidays file's content and checks every year.
func ParseHolidays(data []byte) (Holidays, error) {
	var f holidaysFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	if f.Holidays == nil {
		f.Holidays = Holidays{}
	}
	for year, y := range f.Holidays {
		if err := y.Check(year); err != nil {
			return nil, err
		}
		f.Holidays[year] = y
	}
	return f.Holidays, nil
}

// Marshal renders h as a holidays file, years in order.
func (h Holidays) Marshal() ([]byte, error) {
	var b strings.Builder
	b.WriteString("# reformbot holidays: the State Council's days off and 调休 working days.\n")
	b.WriteString("# Add a year with `reformbot calendar add YEAR --off ... --work ...`, or edit by hand.\n")
	out, err := yaml.Marshal(holidaysFile{Holidays: h})
	if err != nil {
		return nil, err
	}
	b.Write(out)
	return []byte(b.String()), nil
}

// Years lists the years h has, in order.
func (h Holidays) Years() []int {
	years := make([]int, 0, len(h))
	for y := range h {
		years = append(years, y)
	}
	sort.Ints(years)
	return years
}

func (h Holidays) has(year int) bool {
	_, ok := h[year]
	return ok
}

func (h Holidays) day(t time.Time) (day, bool) {
	y, ok := h[t.Year()]
	if !ok {
		return day{}, false
	}
	d, ok := y.days[t.Format(time.DateOnly)]
	return d, ok
}

// Check validates a year's items (dates of that year, ranges in order, no
// date both off and working) and prepares them for lookups.
func (y *HolidayYear) Check(year int) error {
	if year < 2000 || year > 2200 {
		return fmt.Errorf("holidays: %d is not a plausible year", year)
	}
	y.days = map[string]day{}
	for _, list := range []struct {
		items []string
		work  bool
	}{{y.Off, false}, {y.Work, true}} {
		for _, item := range list.items {
			dates, name, err := parseHolidayItem(item)
			if err != nil {
				return fmt.Errorf("holidays %d: %w", year, err)
			}
			for _, d := range dates {
				if d.Year() != year {
					return fmt.Errorf("holidays %d: %s is not in %d", year, d.Format(time.DateOnly), year)
				}
				key := d.Format(time.DateOnly)
				if prev, ok := y.days[key]; ok && prev.work != list.work {
					return fmt.Errorf("holidays %d: %s is both a day off and a working day", year, key)
				}
				y.days[key] = day{work: list.work, name: name}
			}
		}
	}
	return nil
}

// parseHolidayItem reads "2028-01-26..2028-02-01 春节" into its dates and
// name.
func parseHolidayItem(item string) ([]time.Time, string, error) {
	item = strings.TrimSpace(item)
	span, name, _ := strings.Cut(item, " ")
	name = strings.TrimSpace(name)
	from, to, isRange := strings.Cut(span, "..")
	first, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, "", fmt.Errorf("bad date %q: want YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD", span)
	}
	last := first
	if isRange {
		if last, err = time.Parse(time.DateOnly, to); err != nil {
			return nil, "", fmt.Errorf("bad date %q: want YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD", span)
		}
		if last.Before(first) || last.Sub(first) > 40*24*time.Hour {
			return nil, "", fmt.Errorf("bad range %q: the end must follow the start, within 40 days", span)
		}
	}
	var dates []time.Time
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		dates = append(dates, d)
	}
	return dates, name, nil
}
