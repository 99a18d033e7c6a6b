package plan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period names a reporting period: a month "2017-04", a quarter "2017-Q2",
// or a whole year "2017" (used for year-end acceptance).
type Period string

// PeriodOf returns the period of cadence c that contains t. t should already
// be in the office's time zone: a period boundary is the office's midnight.
func PeriodOf(t time.Time, c Cadence) Period {
	if c == Quarterly {
		return Period(fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())-1)/3+1))
	}
	return Period(fmt.Sprintf("%04d-%02d", t.Year(), int(t.Month())))
}

// YearPeriod is the acceptance period of a year.
func YearPeriod(year int) Period { return Period(fmt.Sprintf("%04d", year)) }

// ParsePeriod reads a period as people type it: 2017-04, 2017-4, 201704,
// 2017-Q2, 2017Q2, 2017-q2, or 2017. It returns the canonical form.
func ParsePeriod(s string) (Period, error) {
	in := strings.ToUpper(strings.TrimSpace(s))
	bad := fmt.Errorf("bad period %q: want YYYY-MM (2017-04), YYYY-Qn (2017-Q2) or YYYY", s)
	if len(in) < 4 {
		return "", bad
	}
	year, err := strconv.Atoi(in[:4])
	if err != nil || year < 2000 || year > 2999 {
		return "", bad
	}
	rest := strings.TrimPrefix(in[4:], "-")
	switch {
	case rest == "" && len(in) == 4:
		return YearPeriod(year), nil
	case strings.HasPrefix(rest, "Q"):
		q, err := strconv.Atoi(rest[1:])
		if err != nil || q < 1 || q > 4 || len(rest) != 2 {
			return "", bad
		}
		return Period(fmt.Sprintf("%04d-Q%d", year, q)), nil
	default:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 || len(rest) > 2 || rest == "" {
			return "", bad
		}
		return Period(fmt.Sprintf("%04d-%02d", year, m)), nil
	}
}

// Year returns the period's year.
func (p Period) Year() int {
	y, _ := strconv.Atoi(string(p)[:min(4, len(p))])
	return y
}

// IsYear reports whether p is a whole year (an acceptance period).
func (p Period) IsYear() bool { return len(p) == 4 }

// IsQuarter reports whether p is a quarter.
func (p Period) IsQuarter() bool { return len(p) == 7 && p[5] == 'Q' }

// firstMonth and months give the calendar months a period covers.
func (p Period) span() (year int, first time.Month, months int) {
	year = p.Year()
	switch {
	case p.IsYear():
		return year, time.January, 12
	case p.IsQuarter():
		q := int(p[6] - '0')
		return year, time.Month(3*(q-1) + 1), 3
	default:
		m, _ := strconv.Atoi(string(p[5:]))
		return year, time.Month(m), 1
	}
}

// Start is the first instant of the period in loc.
func (p Period) Start(loc *time.Location) time.Time {
	y, m, _ := p.span()
	return time.Date(y, m, 1, 0, 0, 0, 0, loc)
}

// End is the first instant after the period in loc.
func (p Period) End(loc *time.Location) time.Time {
	y, m, n := p.span()
	return time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, loc)
}

// Next returns the period that follows p, of the same kind.
func (p Period) Next() Period { return p.shift(1) }

// Prev returns the period before p, of the same kind.
func (p Period) Prev() Period { return p.shift(-1) }

func (p Period) shift(n int) Period {
	y, m, months := p.span()
	t := time.Date(y, m+time.Month(n*months), 1, 0, 0, 0, 0, time.UTC)
	switch {
	case p.IsYear():
		return YearPeriod(t.Year())
	case p.IsQuarter():
		return PeriodOf(t, Quarterly)
	default:
		return PeriodOf(t, Monthly)
	}
}

// Label is the period as people say it: 2017年4月, 2017年第2季度, 2017年度.
func (p Period) Label() string {
	y, m, _ := p.span()
	switch {
	case p.IsYear():
		return fmt.Sprintf("%d年度", y)
	case p.IsQuarter():
		return fmt.Sprintf("%d年第%d季度", y, (int(m)-1)/3+1)
	default:
		return fmt.Sprintf("%d年%d月", y, int(m))
	}
}

// String returns the canonical form.
func (p Period) String() string { return string(p) }
