package bot

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/luohu/reformbot/plan"
)

// maxResults is how many search hits are listed; a phone screen, not a report.
const maxResults = 10

// search finds measures by ID, title, project, unit or text. Queries may be
// Traditional or Simplified: both sides are compared in Simplified.
func (h *Handlers) search(r *request, query string) error { return h.searchPage(r, query, 0) }

// searchPage answers a search with page n of its hits, maxResults a page;
// the paging buttons carry the query and edit the answer in place.
func (h *Handlers) searchPage(r *request, query string, n int) error {
	query = strings.TrimSpace(query)
	if query == "" {
		r.reply("请在「搜索」后输入关键词，如：搜索 "+esc(h.words(r.now()).searchEx), nil)
		return nil
	}
	if utf8.RuneCountInString(query) > 50 {
		r.reply("关键词过长，请用几个字搜索，如：搜索 "+esc(h.words(r.now()).searchEx), nil)
		return nil
	}
	ix := r.collected().ix
	hits := ix.search(plan.ToSimplified(query))
	if len(hits) == 0 {
		r.reply(fmt.Sprintf(textSearchEmpty, esc(query)), keyboardFor(r.contact))
		return nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "找到 %d 项与「%s」相关的任务", len(hits), esc(query))
	pages := (len(hits) + maxResults - 1) / maxResults
	at := min(max(n, 0), pages-1)
	pageable := len(callback{kind: cbSearchPage, n: pages, query: query}.String()) <= 64
	switch {
	case pages > 1 && pageable:
		fmt.Fprintf(&sb, "（第 %d/%d 页）", at+1, pages)
	case pages > 1:
		// A query too long to ride in a button: the first page only.
		at = 0
		fmt.Fprintf(&sb, "，显示前 %d 项（关键词短一些可翻页）", maxResults)
	}
	hits = hits[at*maxResults : min((at+1)*maxResults, len(hits))]
	sb.WriteString("：\n\n")
	var buttons []button
	for _, t := range hits {
		var lead []string
		for _, a := range ix.units(t.Measure.ID) {
			if a.Role == plan.Lead {
				lead = append(lead, a.Unit)
			}
		}
		fmt.Fprintf(&sb, "<b>%s %s</b>\n　 %s · 牵头：%s\n", t.Measure.ID, esc(t.Measure.Title), esc(t.Project.Title), unitList(lead))
		buttons = append(buttons, button{
			Text:         buttonLabel(t.Measure.ID + " " + t.Measure.Title),
			CallbackData: callback{kind: cbMeasure, measureID: t.Measure.ID}.String(),
		})
	}
	var nav []button
	if pageable {
		nav = navRow(at, pages, func(n int) callback { return callback{kind: cbSearchPage, n: n, query: query} })
	}
	r.show(sb.String(), withNav(buttons, nav))
	return nil
}

// cbSearchPage is a search's page button: h:<page>:<query>, the query last
// and as typed (it may hold ':'), so the form fits only short queries.
const cbSearchPage = 'h'

// parseSearchCallback reads a search page button; ok is false for any other
// data.
func parseSearchCallback(data string) (c callback, ok bool, err error) {
	if len(data) < 2 || data[0] != cbSearchPage || data[1] != ':' {
		return callback{}, false, nil
	}
	bad := fmt.Errorf("unknown callback data %q", data)
	parts := strings.SplitN(data, ":", 3)
	if len(parts) != 3 {
		return callback{}, true, bad
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 0 || n > 999 || strconv.Itoa(n) != parts[1] {
		return callback{}, true, bad
	}
	if q := parts[2]; strings.TrimSpace(q) == "" || !utf8.ValidString(q) {
		return callback{}, true, bad
	}
	return callback{kind: cbSearchPage, n: n, query: parts[2]}, true, nil
}

// search ranks measures against a Simplified query: an exact ID first, then
// hits in the title or project, then in a responsible unit's name, then in
// the text; document order within a rank.
func (ix *planIndex) search(query string) []plan.Task {
	q := strings.ToLower(strings.Join(strings.Fields(query), ""))
	if q == "" {
		return nil
	}
	unitHit := map[string]bool{}
	key := plan.NormalizeUnitName(q)
	for name, spellings := range ix.unitKeys {
		for _, k := range spellings {
			if strings.Contains(k, key) {
				unitHit[name] = true
			}
		}
	}
	type hit struct {
		t    plan.Task
		rank int
	}
	var hits []hit
	for i, t := range ix.order {
		m, low := t.Measure, ix.lowered[i]
		rank := 0
		switch {
		case m.ID == q:
			rank = 4
		case strings.Contains(low.title, q) || strings.Contains(t.Project.Title, q):
			rank = 3
		case ix.namesUnit(m, unitHit):
			rank = 2
		case strings.Contains(low.text, q):
			rank = 1
		}
		if rank > 0 {
			hits = append(hits, hit{t, rank})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].rank > hits[j].rank })
	out := make([]plan.Task, len(hits))
	for i, h := range hits {
		out[i] = h.t
	}
	return out
}

// namesUnit reports whether a measure names one of the units, directly or
// through a group that has it as a member.
func (ix *planIndex) namesUnit(m plan.Measure, units map[string]bool) bool {
	if len(units) == 0 {
		return false
	}
	for _, u := range append(append([]string{}, m.LeadUnits...), m.CoUnits...) {
		if units[u] {
			return true
		}
	}
	for _, a := range ix.byMeasure[m.ID] {
		if units[a.Unit] {
			return true
		}
	}
	return false
}
