package schedule

import (
	"strings"
	"testing"
	"time"
)

// A year written to the file from the built-in data is the same calendar,
// day by day, as the built-in one: adding a day to 2026 changes only that
// day.
func TestBuiltinYearIsTheSameCalendar(t *testing.T) {
	for _, year := range []int{2017, 2026, 2027} {
		y, ok := BuiltinYear(year)
		if !ok {
			t.Fatalf("no built-in %d", year)
		}
		// Through the file's form, as calendar add writes it.
		h, err := ParseHolidays(mustMarshal(t, Holidays{year: y}))
		if err != nil {
			t.Fatal(err)
		}
		file, builtIn := ChinaCalendar{Extra: h}, ChinaCalendar{}
		for d := time.Date(year, 1, 1, 9, 0, 0, 0, shanghai); d.Year() == year; d = d.AddDate(0, 0, 1) {
			w1, why1 := file.Day(d)
			w2, why2 := builtIn.Day(d)
			if w1 != w2 || why1 != why2 {
				t.Errorf("%s: file %v %q, built-in %v %q", d.Format(time.DateOnly), w1, why1, w2, why2)
			}
		}
	}
	if _, ok := BuiltinYear(2099); ok {
		t.Error("a built-in 2099")
	}
}

func TestMergeRefusesAFlip(t *testing.T) {
	h, err := ParseHolidays([]byte(holidays2028))
	if err != nil {
		t.Fatal(err)
	}
	add := HolidayYear{Off: []string{"2028-02-04..2028-02-06 补休"}}
	if err := add.Check(2028); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h[2028].Merge(2028, add); err == nil || !strings.Contains(err.Error(), "2028-02-05 is already a working day (春节调休)") {
		t.Errorf("Merge = %v, want the 调休 day named", err)
	}
}

func mustMarshal(t *testing.T, h Holidays) []byte {
	t.Helper()
	data, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return data
}
