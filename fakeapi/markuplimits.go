package fakeapi

import "strconv"

// Telegram refuses a message whose reply markup is too big: reported
// limits are about 100 inline buttons and 10 KB of markup JSON. The fake
// holds bots to both, so a list that grows with the plan cannot slip
// through tests and fail in production.
const (
	MaxInlineButtons = 100
	MaxMarkupBytes   = 10 << 10
)

// checkMarkupSize refuses a reply markup over the limits.
func checkMarkupSize(raw string) *apiError {
	if len(raw) > MaxMarkupBytes {
		return badRequest("reply markup is too long (" + strconv.Itoa(len(raw)) + " bytes)")
	}
	return nil
}

// checkInlineButtons refuses an inline keyboard with too many buttons.
func checkInlineButtons(m *Markup) *apiError {
	n := 0
	for _, row := range m.InlineKeyboard {
		n += len(row)
	}
	if n > MaxInlineButtons {
		return badRequest("too many inline keyboard buttons (" + strconv.Itoa(n) + ")")
	}
	return nil
}
