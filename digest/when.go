package digest

import "time"

// Times that leaders read are written the Chinese way, as the bot writes
// them: 2026年11月29日 09:17.
const (
	cnDateTimeLayout = "2006年1月2日 15:04"
	// xlsxDateTimeFormat shows an Excel date the same way; the cell holds
	// a real date, so the office can sort and filter by it.
	xlsxDateTimeFormat = `yyyy"年"m"月"d"日" hh:mm`
	xlsxDateFormat     = `yyyy"年"m"月"d"日"`
)

// cnDateTime is t in the digest's zone, e.g. 2026年11月29日 09:17.
func (d *Digest) cnDateTime(t time.Time) string { return t.In(d.location()).Format(cnDateTimeLayout) }

// cellWhen is a time for a workbook cell, in the digest's zone: writeTable
// stores it as an Excel date with xlsxDateTimeFormat.
type cellWhen time.Time

// cellTime is t for a cell: an Excel date, or an empty cell when t is zero.
func (d *Digest) cellTime(t time.Time) any {
	if t.IsZero() {
		return ""
	}
	return cellWhen(t.In(d.location()))
}

// cellDay is a date for a workbook cell (a deadline): writeTable stores it
// as an Excel date with xlsxDateFormat.
type cellDay time.Time

// cellDate is an ISO date from the plan for a cell: an Excel date, or the
// text as given when it is not a date.
func cellDate(iso string) any {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return cellDay(t)
}

// excelEpoch is day 0 of Excel's dates (its 1900 leap-year bug makes it
// 30 December 1899 for every date after February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial is w as an Excel date serial: days since excelEpoch on w's wall
// clock (Excel dates have no zone), to the second.
func (w cellWhen) serial() float64 {
	t := time.Time(w)
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return float64(wall.Sub(excelEpoch)/time.Second) / (24 * 60 * 60)
}
