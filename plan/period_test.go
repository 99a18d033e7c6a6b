package plan

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		ok   bool
	}{
		{"2017-04", "2017-04", true},
		{"2017-4", "2017-04", true},
		{"201704", "2017-04", true},
		{" 2017-12 ", "2017-12", true},
		{"2017-Q2", "2017-Q2", true},
		{"2017q4", "2017-Q4", true},
		{"2017", "2017", true},
		{"2017-13", "", false},
		{"2017-00", "", false},
		{"2017-Q5", "", false},
		{"2017-Q", "", false},
		{"17-04", "", false},
		{"abcd-01", "", false},
		{"", "", false},
		{"2017-04-01", "", false},
		{"2017-", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePeriod(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParsePeriod(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestPeriodArithmetic(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		p          Period
		next, prev Period
		start, end string
		label      string
	}{
		{"month", "2017-04", "2017-05", "2017-03", "2017-04-01", "2017-05-01", "2017年4月"},
		{"december", "2017-12", "2018-01", "2017-11", "2017-12-01", "2018-01-01", "2017年12月"},
		{"january", "2017-01", "2017-02", "2016-12", "2017-01-01", "2017-02-01", "2017年1月"},
		{"quarter", "2017-Q4", "2018-Q1", "2017-Q3", "2017-10-01", "2018-01-01", "2017年第4季度"},
		{"year", "2017", "2018", "2016", "2017-01-01", "2018-01-01", "2017年度"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Next(); got != tt.next {
				t.Errorf("Next = %q, want %q", got, tt.next)
			}
			if got := tt.p.Prev(); got != tt.prev {
				t.Errorf("Prev = %q, want %q", got, tt.prev)
			}
			if got := tt.p.Start(shanghai).Format(time.DateOnly); got != tt.start {
				t.Errorf("Start = %s, want %s", got, tt.start)
			}
			if got := tt.p.End(shanghai).Format(time.DateOnly); got != tt.end {
				t.Errorf("End = %s, want %s", got, tt.end)
			}
			if got := tt.p.Label(); got != tt.label {
				t.Errorf("Label = %s, want %s", got, tt.label)
			}
		})
	}
}

func TestPeriodOfUsesTheGivenZone(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	// 2017-04-30 17:00 UTC is already May 1st in Shanghai.
	utc := time.Date(2017, 4, 30, 17, 0, 0, 0, time.UTC)
	if got := PeriodOf(utc.In(shanghai), Monthly); got != "2017-05" {
		t.Errorf("PeriodOf in Shanghai = %s, want 2017-05", got)
	}
	if got := PeriodOf(utc, Monthly); got != "2017-04" {
		t.Errorf("PeriodOf in UTC = %s, want 2017-04", got)
	}
	if got := PeriodOf(utc.In(shanghai), Quarterly); got != "2017-Q2" {
		t.Errorf("quarter = %s, want 2017-Q2", got)
	}
}
