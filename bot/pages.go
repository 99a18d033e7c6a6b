package bot

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Long lists page. Telegram refuses a message with more than about 100
// inline buttons or 10 KB of markup, and the heaviest unit of a city's plan
// has 130 measures; a list of 20 with 上一页 / 下一页 stays far under both
// and reads better on a phone. Turning a page edits the message in place.
// The measures not yet reported come first, so page 1 is the work left.

// pageSize is how many measures one page shows.
const pageSize = 20

// Paging buttons' labels.
const (
	labelPrev = "上一页"
	labelNext = "下一页"
)

// Page callbacks (wire forms, beside those in callback.go):
//
//	p:<page>             我的任务, page n (from 0)
//	q:<period>:<page>    the prompt for a period (a year: the acceptance
//	                     request), page n
const (
	cbTasksPage  = 'p'
	cbPromptPage = 'q'
)

// parsePageCallback reads the page callbacks; ok is false for any other
// data. Anything that is not exactly a page form is an error.
func parsePageCallback(data string) (c callback, ok bool, err error) {
	if len(data) < 2 || data[1] != ':' || (data[0] != cbTasksPage && data[0] != cbPromptPage) {
		return callback{}, false, nil
	}
	bad := fmt.Errorf("unknown callback data %q", data)
	parts := strings.Split(data, ":")
	c.kind = data[0]
	if want := map[byte]int{cbTasksPage: 2, cbPromptPage: 3}[c.kind]; len(parts) != want {
		return callback{}, true, bad
	}
	n, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil || n < 0 || n > 999 || strconv.Itoa(n) != parts[len(parts)-1] {
		return callback{}, true, bad
	}
	c.n = n
	if c.kind == cbPromptPage {
		p, err := plan.ParsePeriod(parts[1])
		if err != nil || string(p) != parts[1] {
			return callback{}, true, bad
		}
		c.period = p
	}
	return c, true, nil
}

// pageString writes a page callback.
func pageString(c callback) string {
	if c.kind == cbPromptPage {
		return fmt.Sprintf("q:%s:%d", c.period, c.n)
	}
	return fmt.Sprintf("p:%d", c.n)
}

// page returns the bounds of page n of total items, n clamped to the
// pages there are, and how many pages there are (at least 1).
func page(total, n int) (lo, hi, at, pages int) {
	pages = max((total+pageSize-1)/pageSize, 1)
	at = min(max(n, 0), pages-1)
	lo = at * pageSize
	return lo, min(lo+pageSize, total), at, pages
}

// pageLine is the line saying which page this is, "" when there is one.
func pageLine(at, pages int) string {
	if pages <= 1 {
		return ""
	}
	return fmt.Sprintf("第 %d/%d 页，未填报的排在前面。\n", at+1, pages)
}

// navRow is the 上一页 / 下一页 row for page at of pages, nil when there
// is one page. to makes the callback for a page.
func navRow(at, pages int, to func(int) callback) []button {
	if pages <= 1 {
		return nil
	}
	var row []button
	if at > 0 {
		row = append(row, button{Text: labelPrev, CallbackData: to(at - 1).String()})
	}
	if at < pages-1 {
		row = append(row, button{Text: labelNext, CallbackData: to(at + 1).String()})
	}
	return row
}

// withNav is an inline keyboard of one button per row and the paging row.
func withNav(buttons []button, nav []button) json.RawMessage {
	rows := make([][]button, 0, len(buttons)+1)
	for _, b := range buttons {
		rows = append(rows, []button{b})
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	return rowsOf(rows...)
}

// unreportedFirst orders tasks with the unreported ones first, each group
// in the plan's order (lead before co).
func unreportedFirst(tasks []plan.Task, reported func(measureID string) bool) []plan.Task {
	out := slices.Clone(tasks)
	slices.SortStableFunc(out, func(a, b plan.Task) int {
		ra, rb := reported(a.Measure.ID), reported(b.Measure.ID)
		switch {
		case ra == rb:
			return 0
		case !ra:
			return -1
		default:
			return 1
		}
	})
	return out
}

// edit queues an edit of the bot's message messageID in the request's
// chat: a page turned in place.
func (r *request) edit(messageID int64, text string, markup json.RawMessage) {
	r.queue(store.Message{
		Kind: store.KindReply, ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
		Method: store.EditMessageText,
		Payload: store.Payload{
			MessageID: messageID, Text: text, ParseMode: "HTML", NoPreview: true, ReplyMarkup: markup,
		},
	})
}

// callbackMessageID is the id of the message whose button was pressed, 0
// when Telegram no longer shows it to the bot.
func (r *request) callbackMessageID() int64 {
	if q := r.upd.CallbackQuery; q != nil && q.Message.Message != nil {
		return int64(q.Message.Message.ID)
	}
	return 0
}

// showPage answers a page button: the message is edited in place to show
// that page, or sent anew when it can no longer be edited.
func (r *request) showPage(text string, markup json.RawMessage) {
	if id := r.callbackMessageID(); id != 0 {
		r.edit(id, text, markup)
		return
	}
	r.reply(text, markup)
}

// showPromptPage answers a prompt's page button with that page of the
// prompt for the user's unit, reported measures marked as they are now.
func (h *Handlers) showPromptPage(r *request, c callback) error {
	if !r.contact.CanReport() {
		r.reply(textStale, nil)
		return nil
	}
	v, ok := h.forPeriod(c.period)
	if !ok {
		r.reply(textStale, nil)
		return nil
	}
	unit := r.unitIn(v) // as the period's plan names it
	tasks := v.ix.tasks(unit)
	if c.period.IsYear() {
		year, err := strconv.Atoi(string(c.period))
		if err != nil {
			r.reply(textStale, nil)
			return nil
		}
		var lead []plan.Task
		for _, t := range tasks {
			if t.Role == plan.Lead {
				lead = append(lead, t)
			}
		}
		p := acceptancePage(unit, lead, year, c.n)
		r.showPage(p.Text, p.ReplyMarkup)
		return nil
	}
	// As in 我的任务: reports under a former name count, and one sent back
	// shows as 需补充 (🔁), first among the unreported.
	var reports []*store.Report
	for _, name := range append(append([]string(nil), h.state.Load().formerly[unit]...), unit) {
		rs, err := r.tx.UnitReports(r.ctx, v.plan.Key(), name, c.period)
		if err != nil {
			return err
		}
		reports = append(reports, pointers(rs)...)
	}
	if _, err := h.markReturned(r, reports); err != nil { // review.go
		return err
	}
	reported := map[string]plan.Status{}
	for _, rep := range reports {
		reported[rep.MeasureID] = rep.Status
	}
	p := promptPage(unit, tasks, reported, c.period, c.n)
	r.showPage(p.Text, p.ReplyMarkup)
	return nil
}
