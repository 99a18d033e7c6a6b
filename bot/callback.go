package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/luohu/reformbot/plan"
)

// callback is what an inline button asks for. callback_data only names
// things: a client can forge it, so every handler decides what the user may
// do from the user id and the store, never from the data.
//
// Wire forms (within Telegram's 64 bytes for any id plan.CheckMeasureID
// accepts: plan.MaxMeasureIDLen is chosen for the longest, 's'):
//
//	t                    我的任务
//	m:<measure>          a measure's detail
//	r:<measure>:<period> start a report for that period
//	s:<measure>:<period>:<code>  a status chosen, by its plan.StatusCode; a
//	                     digit n is a button of the first release, the n-th
//	                     of its list (legacyStatuses), and keeps working
//	a:<measure>:<year>   start a year-end acceptance submission
//	f:<report>           send a report's attachments again
//	x                    cancel what is in progress
//	g:<measure>          取消 at the re-report guard (reguard.go)
//	e:<measure>:<period> 填报进展 from a measure's detail: the status choice
//	                     replaces the detail (flow.go)
//	n:<measure>:<period> 下一项 after a saved report: the next measure's
//	                     status choice replaces the confirmation
//	k:<measure>:<period> 本期无新进展: last period's report again, marked
//	v:<measure>          a measure's detail in place of a list (我的任务,
//	                     search results)
type callback struct {
	kind      byte
	measureID string
	period    plan.Period
	status    plan.StatusCode // for 's'
	reportID  int64           // for 'f'
	n         int             // a page number, for the page buttons (pages.go)
	query     string          // for 'h': the search (search.go)
}

// legacyStatuses is the status list whose indexes the first release put in
// buttons. It never changes.
var legacyStatuses = []plan.StatusCode{plan.OnTrack, plan.Done, plan.Behind, plan.NeedsHelp}

const (
	cbTasks      = 't'
	cbMeasure    = 'm'
	cbReport     = 'r'
	cbStatus     = 's'
	cbAcceptance = 'a'
	cbFiles      = 'f'
	cbCancel     = 'x'
)

func (c callback) String() string {
	switch c.kind {
	case cbMeasure:
		return fmt.Sprintf("m:%s", c.measureID)
	case cbCancel:
		if c.measureID == "" {
			return "x"
		}
		return fmt.Sprintf("x:%s", c.measureID)
	case cbReport, cbReportHere, cbNext, cbNoNews:
		return fmt.Sprintf("%c:%s:%s", c.kind, c.measureID, c.period)
	case cbMeasureHere, cbGuardCancel:
		return fmt.Sprintf("%c:%s", c.kind, c.measureID)
	case cbStatus:
		return fmt.Sprintf("s:%s:%s:%s", c.measureID, c.period, string(c.status))
	case cbAcceptance:
		return fmt.Sprintf("a:%s:%s", c.measureID, c.period)
	case cbFiles:
		return fmt.Sprintf("f:%d", c.reportID)
	case cbTasksPage, cbPromptPage:
		return pageString(c) // pages.go
	case cbSearchPage:
		return fmt.Sprintf("h:%d:%s", c.n, c.query) // search.go
	default:
		return string(c.kind)
	}
}

// parseCallback reads callback_data; anything that is not exactly one of
// our forms is an error.
func parseCallback(data string) (callback, error) {
	bad := fmt.Errorf("unknown callback data %q", data)
	if data == "" || len(data) > 64 {
		return callback{}, bad
	}
	if c, ok, err := parsePageCallback(data); ok {
		return c, err
	}
	if c, ok, err := parseSearchCallback(data); ok {
		return c, err
	}
	parts := strings.Split(data, ":")
	if len(parts[0]) != 1 {
		return callback{}, bad
	}
	c := callback{kind: parts[0][0]}
	want := map[byte]int{cbTasks: 1, cbCancel: 1 + min(len(parts)-1, 1), cbMeasure: 2, cbFiles: 2, cbReport: 3, cbAcceptance: 3, cbStatus: 4,
		cbMeasureHere: 2, cbGuardCancel: 2, cbReportHere: 3, cbNext: 3, cbNoNews: 3}[c.kind]
	if want == 0 || len(parts) != want {
		return callback{}, bad
	}
	switch c.kind {
	case cbFiles:
		id, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || id <= 0 {
			return callback{}, bad
		}
		c.reportID = id
		return c, nil
	case cbTasks:
		return c, nil
	case cbCancel:
		if len(parts) == 1 {
			return c, nil // the first release's 取消, for whatever is under way
		}
	}
	if !plan.IsMeasureID(parts[1]) {
		return callback{}, bad
	}
	c.measureID = parts[1]
	if len(parts) >= 3 {
		p, err := plan.ParsePeriod(parts[2])
		if err != nil || string(p) != parts[2] || p.IsYear() != (c.kind == cbAcceptance) {
			return callback{}, bad
		}
		c.period = p
	}
	if c.kind == cbStatus {
		c.status = chosenStatus(parts[3])
		if c.status == "" {
			return callback{}, bad
		}
	}
	return c, nil
}

// chosenStatus reads a status button's code, or a first-release index; ""
// when it is neither. Only statuses a contact may choose are accepted.
func chosenStatus(s string) plan.StatusCode {
	if n, err := strconv.Atoi(s); err == nil && strconv.Itoa(n) == s {
		if n >= 0 && n < len(legacyStatuses) {
			return legacyStatuses[n]
		}
		return ""
	}
	for _, st := range plan.Statuses {
		if string(st) == s {
			return st
		}
	}
	return ""
}
