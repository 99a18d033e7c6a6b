package schedule

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/store"
)

const holidays2028 = `
holidays:
  2028:
    off: ["2028-01-01 元旦", "2028-01-26..2028-02-01 春节"]
    work: ["2028-02-05 春节调休"]
`

func TestHolidaysFileExtendsTheCalendar(t *testing.T) {
	h, err := ParseHolidays([]byte(holidays2028))
	if err != nil {
		t.Fatal(err)
	}
	withFile := ChinaCalendar{Extra: h}
	builtIn := ChinaCalendar{}
	if builtIn.Covers(2028) {
		t.Fatal("the built-in data now covers 2028: this test proves nothing; pick a later year")
	}
	if !withFile.Covers(2028) || !withFile.Covers(2027) {
		t.Error("the file's year, or the built-in one, is not covered")
	}
	tests := []struct {
		date time.Time
		work bool
		why  string
	}{
		{at(2028, 1, 26, 9), false, "春节"}, // a Wednesday
		{at(2028, 2, 1, 9), false, "春节"},
		{at(2028, 2, 2, 9), true, ""},
		{at(2028, 2, 5, 9), true, "春节调休上班"}, // a Saturday
		{at(2028, 2, 6, 9), false, "周末"},
		{at(2028, 1, 1, 9), false, "元旦"},
	}
	for _, tt := range tests {
		work, why := withFile.Day(tt.date)
		if work != tt.work || why != tt.why {
			t.Errorf("%s: (%v, %q), want (%v, %q)", tt.date.Format("2006-01-02 Mon"), work, why, tt.work, tt.why)
		}
	}
	if !builtIn.IsWorkday(at(2028, 1, 26, 9)) {
		t.Error("without the file a 2028 weekday should count as working: the test above proves nothing")
	}
}

func TestHolidaysFileRefusesMistakes(t *testing.T) {
	for _, bad := range []string{
		"holidays: {2028: {off: [2027-12-31]}}",
		"holidays: {2028: {off: [2028-13-01]}}",
		"holidays: {2028: {off: [2028-02-05], work: [2028-02-05]}}",
		"holidays: {2028: {off: [2028-02-05..2028-02-01]}}",
		"holidays: {28: {off: [2028-02-05]}}",
	} {
		if _, err := ParseHolidays([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// partial is a calendar whose data ends with a given year.
type partial struct {
	ChinaCalendar
	last int
}

func (p partial) Covers(year int) bool { return year <= p.last }

func TestMissingYearsWarnsFromDecember(t *testing.T) {
	cal := partial{last: 2017}
	if got := MissingYears(cal, at(2017, 11, 30, 23)); len(got) != 0 {
		t.Errorf("November: %v, want nothing yet", got)
	}
	if got := MissingYears(cal, at(2017, 12, 1, 0)); len(got) != 1 || got[0] != 2018 {
		t.Errorf("1 December: %v, want [2018]", got)
	}
	if got := MissingYears(cal, at(2018, 3, 1, 0)); len(got) != 1 || got[0] != 2018 {
		t.Errorf("March of the missing year: %v, want [2018]", got)
	}
	if got := MissingYears(EveryDay{}, at(2017, 12, 1, 0)); got != nil {
		t.Errorf("every-day calendar: %v", got)
	}
}

func TestDecemberDigestTellsTheOfficeAboutMissingHolidays(t *testing.T) {
	for _, tt := range []struct {
		name string
		cal  Calendar
		want bool
	}{
		{"next year missing", partial{last: 2017}, true},
		{"next year known", partial{last: 2018}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Config{Calendar: tt.cal})
			f.bind(t, 9, store.RoleOffice, "")
			f.clock.Set(at(2017, 12, 4, 9)) // 2 December 2017 is a Saturday
			if err := f.s.Tick(context.Background(), TriggerCron); err != nil {
				t.Fatal(err)
			}
			msgs, err := f.db.Messages(context.Background(), KindDigest, "2017-11")
			if err != nil || len(msgs) == 0 {
				t.Fatalf("no digest: %v", err)
			}
			found := false
			for _, m := range msgs {
				if strings.Contains(m.Payload.Text, "calendar add 2018") {
					found = true
				}
			}
			if found != tt.want {
				t.Errorf("notice in the digest: %v, want %v", found, tt.want)
			}
		})
	}
}

func TestOccurrencesSayWhyTheyMoved(t *testing.T) {
	f := newFixture(t, Config{})
	occ := f.s.Occurrences(at(2017, 11, 20, 0), at(2017, 11, 30, 0))
	var prompt Occurrence
	for _, o := range occ {
		if o.Kind == KindPrompt {
			prompt = o
		}
	}
	if prompt.Moved != "周末" || prompt.Due.Day() != 27 {
		t.Errorf("prompt of 25 November 2017 (a Saturday): due %v, moved %q", prompt.Due, prompt.Moved)
	}
	occ = f.s.Occurrences(at(2017, 9, 28, 0), at(2017, 10, 10, 0))
	for _, o := range occ {
		if o.Kind == KindDigest && o.Moved != "国庆节" {
			t.Errorf("digest of 2 October 2017: moved %q, want 国庆节", o.Moved)
		}
	}
}

// A digest moved only because its period's last reminder fell on its day
// says so; it does not blame a working day for being a day off. 1 February
// 2026 is a Sunday: the reminder goes on Monday the 2nd, the digest on the
// 3rd.
func TestADigestMovedPastTheReminderSaysSo(t *testing.T) {
	f := newFixture(t, Config{})
	var digest Occurrence
	for _, o := range f.s.Occurrences(at(2026, 1, 26, 0), at(2026, 2, 10, 0)) {
		if o.Kind == KindDigest {
			digest = o
		}
	}
	if !digest.Due.Equal(at(2026, 2, 3, 9)) || digest.Moved != MovedAfterReminder {
		t.Errorf("digest of Mon 2 February 2026: due %v, moved %q; want 3 February, %q", digest.Due, digest.Moved, MovedAfterReminder)
	}
	// 2 July 2017 is a Sunday, and the 1st's reminder (a Saturday) went
	// on Monday the 3rd: both reasons.
	for _, o := range f.s.Occurrences(at(2017, 6, 26, 0), at(2017, 7, 10, 0)) {
		if o.Kind == KindDigest && (!o.Due.Equal(at(2017, 7, 4, 9)) || o.Moved != "周末，"+MovedAfterReminder) {
			t.Errorf("digest of Sun 2 July 2017: due %v, moved %q", o.Due, o.Moved)
		}
	}
}

// serve need not restart after `calendar add`: the file is read again when
// it changes.
func TestFileCalendarSeesTheFileChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "holidays.yaml")
	now := at(2027, 12, 1, 9)
	cal, err := NewFileCalendar(path, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if cal.Covers(2028) || MissingYears(cal, now) == nil {
		t.Fatal("2028 known before the file exists")
	}
	if err := os.WriteFile(path, []byte(holidays2028), 0o644); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	if !cal.Covers(2028) || cal.IsWorkday(at(2028, 1, 26, 9)) {
		t.Error("the new file is not in force")
	}
	// A broken edit keeps the last good data.
	os.WriteFile(path, []byte("holidays: {2028: {off: [2028-02-30]}}"), 0o644)
	now = now.Add(2 * time.Minute)
	if !cal.Covers(2028) || cal.Err() == nil {
		t.Errorf("after a broken edit: covers %v, err %v", cal.Covers(2028), cal.Err())
	}
	if _, err := NewFileCalendar(path, nil); err == nil {
		t.Error("a broken file at start is accepted")
	}
}
