package digest

import (
	"math"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/luohu/reformbot/store"
)

var cnDateTimeRE = regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$`)

// Times leaders read are Chinese (2017年4月26日 10:00), and the workbook's
// are real Excel dates in the office's zone, so they sort and filter.
func TestWorkbookTimesAreDates(t *testing.T) {
	in := testInput(t)
	in.Acceptance = testAcceptance()
	for _, r := range in.Reports {
		if r.MeasureID == "1.1.2" && r.Unit == "区发改局" && r.Period == apr {
			in.Returned = []store.Review{{ReportID: r.ID, Kind: store.ReviewReturned, Comment: "请补充", At: at(apr, 27), MeasureID: "1.1.2", Unit: "区发改局", Period: apr}}
		}
	}
	d := Build(in)
	f := workbookOf(t, d)
	// 1.1.1 区编办 reported on 26 April 2017 at 10:00 in Shanghai.
	want := time.Date(2017, 4, 26, 10, 0, 0, 0, time.UTC).Sub(excelEpoch).Hours() / 24
	for _, c := range []struct{ sheet, col string }{
		{SheetDetail, "H"}, {SheetDifficulty, "E"}, {SheetReturned, "E"}, {SheetAcceptance, "H"},
	} {
		shown, _ := f.GetCellValue(c.sheet, c.col+"2")
		raw, _ := f.GetCellValue(c.sheet, c.col+"2", excelize.Options{RawCellValue: true})
		serial, err := strconv.ParseFloat(raw, 64)
		if err != nil || !cnDateTimeRE.MatchString(shown) {
			t.Errorf("%s!%s2 = %q (raw %q): want a date shown as 2017年4月26日 10:00", c.sheet, c.col, shown, raw)
		}
		if c.sheet == SheetDetail && (math.Abs(serial-want) > 1e-6 || shown != "2017年4月26日 10:00") {
			t.Errorf("%s!%s2 = %v %q, want %v 2017年4月26日 10:00", c.sheet, c.col, serial, shown, want)
		}
	}
	summary, _ := f.GetCellValue(SheetSummary, "A2")
	if summary != "生成时间：2017年5月2日 09:00" {
		t.Errorf("汇总 A2 = %q", summary)
	}
}
