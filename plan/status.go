package plan

// StatusCode is what a unit reports about a measure in a period, as a
// stable ASCII code: the store keeps codes and buttons carry them, so a
// status added, renamed or reordered never remaps what is stored or a
// button already sitting in a chat. People read Label.
type StatusCode string

// Status is the name the rest of the code has long used for StatusCode.
type Status = StatusCode

// The statuses, by code.
const (
	OnTrack   StatusCode = "on_track"
	Done      StatusCode = "done"
	Behind    StatusCode = "behind"
	NeedsHelp StatusCode = "needs_help"
	// Submitted marks a year-end acceptance submission of result materials.
	Submitted StatusCode = "submitted"
	// Returned is set by the office, never chosen by a contact: the
	// office sent the report back for more (退回补充), and it counts as not
	// reported until the unit reports again.
	Returned StatusCode = "returned"
)

// labels are the statuses as people read them.
var labels = map[StatusCode]string{
	OnTrack:   "按计划推进",
	Done:      "已完成",
	Behind:    "进度滞后",
	NeedsHelp: "存在困难需协调",
	Submitted: "已提交成果材料",
	Returned:  "需补充",
}

// Statuses are the progress statuses a contact may choose, in the order the
// bot offers them.
var Statuses = []StatusCode{OnTrack, Done, Behind, NeedsHelp}

// Label is the status as people read it, e.g. 按计划推进; an unknown code
// is shown as it is.
func (s StatusCode) Label() string {
	if l, ok := labels[s]; ok {
		return l
	}
	return string(s)
}

// String is the label, so that a status formatted for people reads as one;
// string(s) is the code.
func (s StatusCode) String() string { return s.Label() }

// ParseStatus returns the status with code or label s, or false.
func ParseStatus(s string) (StatusCode, bool) {
	for code, label := range labels {
		if string(code) == s || label == s {
			return code, true
		}
	}
	return "", false
}

// Difficulty reports whether the status asks the office for help.
func (s StatusCode) Difficulty() bool { return s == NeedsHelp }
