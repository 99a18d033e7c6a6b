package digest

import (
	"fmt"
	"strings"
)

// shownText is a report's text as the office reads it: when the unit
// wrote nothing (a status and photos only), say so and count the
// attachments, so a line never ends in an empty quote. The JSON keeps the
// text as it came.
func shownText(text string, attachments int) string {
	switch {
	case strings.TrimSpace(text) != "":
		return text
	case attachments > 0:
		return fmt.Sprintf("（未填写说明，附件%d个）", attachments)
	}
	return "（未填写说明）"
}
