package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/luohu/reformbot/plan"
)

// callback is what an inline button asks for. callback_data only names
// things: a client can forge it, so every handler decides what the user may
// do from the user id and the store, never from the data.
//
// Wire forms (all far under Telegram's 64-byte limit, as IDs are ASCII):
//
//	t                    我的任务
//	m:<measure>          a measure's detail
//	r:<measure>:<period> start a report for that period
//	s:<measure>:<period>:<n>  the n-th status chosen
//	a:<measure>:<year>   start a year-end acceptance submission
//	f:<report>           send a report's attachments again
//	x                    cancel what is in progress
type callback struct {
	kind      byte
	measureID string
	period    plan.Period
	n         int   // status index for 's'
	reportID  int64 // for 'f'
}

const (
	cbTasks      = 't'
	cbMeasure    = 'm'
	cbReport     = 'r'
	cbStatus     = 's'
	cbAcceptance = 'a'
	cbFiles      = 'f'
	cbCancel     = 'x'
)

var measureIDPattern = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,3}){0,2}$`)

func (c callback) String() string {
	switch c.kind {
	case cbMeasure:
		return fmt.Sprintf("m:%s", c.measureID)
	case cbReport:
		return fmt.Sprintf("r:%s:%s", c.measureID, c.period)
	case cbStatus:
		return fmt.Sprintf("s:%s:%s:%d", c.measureID, c.period, c.n)
	case cbAcceptance:
		return fmt.Sprintf("a:%s:%s", c.measureID, c.period)
	case cbFiles:
		return fmt.Sprintf("f:%d", c.reportID)
	case cbTasksPage, cbPromptPage:
		return pageString(c) // pages.go
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
	parts := strings.Split(data, ":")
	if len(parts[0]) != 1 {
		return callback{}, bad
	}
	c := callback{kind: parts[0][0]}
	want := map[byte]int{cbTasks: 1, cbCancel: 1, cbMeasure: 2, cbFiles: 2, cbReport: 3, cbAcceptance: 3, cbStatus: 4}[c.kind]
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
	case cbTasks, cbCancel:
		return c, nil
	}
	if !measureIDPattern.MatchString(parts[1]) {
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
		n, err := strconv.Atoi(parts[3])
		if err != nil || n < 0 || n >= len(plan.Statuses) || strconv.Itoa(n) != parts[3] {
			return callback{}, bad
		}
		c.n = n
	}
	return c, nil
}
