package bot

import (
	"fmt"
	"time"

	"github.com/luohu/reformbot/plan"
)

// dueSoonDays is how close a deadline is before the bot flags it with ⏰.
const dueSoonDays = 30

// daysLeft is the number of days from the day of now to a measure's
// deadline (0 on the day itself, negative once past), and false when the
// measure has no date.
func daysLeft(m plan.Measure, now time.Time) (int, bool) {
	due, err := time.Parse(time.DateOnly, m.Deadline)
	if err != nil {
		return 0, false
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return int(due.Sub(today).Hours() / 24), true
}

// deadlineLabel is a measure's deadline as the document wrote it, else its
// date; "" when it has neither.
func deadlineLabel(m plan.Measure) string {
	if m.DeadlineText != "" {
		return m.DeadlineText
	}
	if due, err := time.Parse(time.DateOnly, m.Deadline); err == nil {
		return fmt.Sprintf("%d年%d月%d日前", due.Year(), int(due.Month()), due.Day())
	}
	return ""
}

// deadlineNote is a measure's deadline for people at now: 时限：… with ⏰
// and the days left when it is due within dueSoonDays, or 已逾期 when past
// and not done. "" when the measure names no deadline.
func deadlineNote(m plan.Measure, now time.Time, done bool) string {
	label := deadlineLabel(m)
	if label == "" {
		return ""
	}
	note := "时限：" + esc(label)
	days, ok := daysLeft(m, now)
	switch {
	case !ok || done:
	case days < 0:
		note = "⏰ " + note + "（已逾期）"
	case days <= dueSoonDays:
		note = fmt.Sprintf("⏰ %s（还剩 %d 天）", note, days)
	}
	return note
}

// dueSoon reports whether a measure is due within dueSoonDays of now and
// not yet past.
func dueSoon(m plan.Measure, now time.Time) bool {
	days, ok := daysLeft(m, now)
	return ok && days >= 0 && days <= dueSoonDays
}
