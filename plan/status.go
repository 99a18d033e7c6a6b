package plan

// Status is what a unit reports about a measure in a period.
type Status string

// The statuses a contact chooses from, in the order the bot offers them.
const (
	OnTrack   Status = "按计划推进"
	Done      Status = "已完成"
	Behind    Status = "进度滞后"
	NeedsHelp Status = "存在困难需协调"
	// Submitted marks a year-end acceptance submission of result materials.
	Submitted Status = "已提交成果材料"
)

// Statuses are the progress statuses a contact may choose.
var Statuses = []Status{OnTrack, Done, Behind, NeedsHelp}

// ParseStatus returns the status named s, or false.
func ParseStatus(s string) (Status, bool) {
	for _, st := range append(Statuses, Submitted) {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// Difficulty reports whether the status asks the office for help.
func (s Status) Difficulty() bool { return s == NeedsHelp }
