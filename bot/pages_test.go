package bot

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

// heaviestUnit is the unit of p with the most tasks (not a group).
func heaviestUnit(t *testing.T, p *plan.Plan) (string, []plan.Task) {
	t.Helper()
	ix := newPlanIndex(p)
	best, most := "", []plan.Task(nil)
	for _, u := range p.Units {
		if tasks := ix.tasks(u.Name); !u.Group && len(tasks) > len(most) {
			best, most = u.Name, tasks
		}
	}
	if len(most) <= pageSize*2 {
		t.Fatalf("the heaviest unit, %s, has %d tasks: too few to page; the test proves nothing", best, len(most))
	}
	return best, most
}

// measureButtons returns the measure ids on a page's buttons (the paging
// row left out), checking the page is within Telegram's markup limits.
func measureButtons(t *testing.T, m fakeapi.Message) []string {
	t.Helper()
	if m.Markup == nil {
		t.Fatalf("no keyboard:\n%s", m.PlainText)
	}
	if n := len(m.Markup.Buttons()); n > 30 {
		t.Errorf("%d buttons on one page", n)
	}
	if len(m.MarkupRaw) > fakeapi.MaxMarkupBytes/2 {
		t.Errorf("%d bytes of markup on one page", len(m.MarkupRaw))
	}
	var ids []string
	for _, b := range m.Markup.Buttons() {
		if b.Text != labelPrev && b.Text != labelNext {
			ids = append(ids, strings.Fields(b.Text)[0])
		}
	}
	return ids
}

// The heaviest unit of a city's plan has more measures than Telegram
// takes buttons in one message: 我的任务 pages, turning a page edits the
// message in place, every measure is on exactly one page, and the measures
// not yet reported come first.
func TestLongTaskListPages(t *testing.T) {
	h := newHarness(t, withPlan(cityPlan()))
	h.clock.Set(time.Date(2026, 4, 20, 10, 0, 0, 0, shanghai)) // the city plan's year
	unit, tasks := heaviestUnit(t, h.plan)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, unit)
	first := tasks[0].Measure.ID // reported: it must move to the end
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveReport(ctx, store.Report{PlanYear: h.plan.Key(), MeasureID: first, Unit: unit, Period: "2026-04", Status: plan.OnTrack,
			Text: "按计划推进。", ReporterID: u.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	list := h.say(u, "我的任务", "第 1/")
	seen := map[string]int{}
	var order []string
	m := list
	for pageNo := 1; ; pageNo++ {
		for _, id := range measureButtons(t, m) {
			seen[id]++
			order = append(order, id)
		}
		if _, ok := m.Markup.Button(labelNext); !ok {
			break
		}
		h.press(u, m, labelNext)
		next := h.waitText(u.ID, "第 "+itoa(int64(pageNo+1))+"/")
		if next.Method != "editMessageText" || next.MessageID != list.MessageID {
			t.Fatalf("page %d came as %s of message %d, want the list (%d) edited in place", pageNo+1, next.Method, next.MessageID, list.MessageID)
		}
		m = next
	}
	if len(seen) != len(tasks) {
		t.Errorf("%d measures over the pages, want %d", len(seen), len(tasks))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("measure %s on %d pages", id, n)
		}
	}
	if order[0] == first || order[len(order)-1] != first {
		t.Errorf("the reported measure %s is not last (first %s, last %s)", first, order[0], order[len(order)-1])
	}
	h.press(u, m, labelPrev)
	h.waitText(u.ID, "第 "+itoa(int64(len(tasks)/pageSize))+"/")
}

// The prompt to the heaviest unit pages the same way.
func TestLongPromptPages(t *testing.T) {
	h := newHarness(t, withPlan(cityPlan()))
	h.clock.Set(time.Date(2026, 4, 20, 10, 0, 0, 0, shanghai)) // the city plan's year
	unit, tasks := heaviestUnit(t, h.plan)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, unit)
	sched, err := schedule.New(schedule.DefaultConfig(plan.Monthly), h.db, h.plan, Compose{}, quietLog(), h.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sched.PromptNow(context.Background(), "2026-04"); err != nil {
		t.Fatal(err)
	}
	h.bot.Sender().Wake()
	prompt := h.waitText(u.ID, "改革任务进展填报")
	ids := measureButtons(t, prompt)
	if len(ids) != pageSize || !strings.Contains(prompt.PlainText, "请填报以下 "+itoa(int64(len(tasks)))+" 项任务") {
		t.Fatalf("page 1: %d buttons:\n%s", len(ids), prompt.PlainText)
	}
	h.press(u, prompt, labelNext)
	next := h.waitText(u.ID, "第 2/")
	if next.Method != "editMessageText" || next.MessageID != prompt.MessageID {
		t.Fatalf("page 2 came as %s of message %d, want the prompt (%d) edited", next.Method, next.MessageID, prompt.MessageID)
	}
	if ids2 := measureButtons(t, next); len(ids2) == 0 || ids2[0] == ids[0] {
		t.Errorf("page 2 shows %v", ids2)
	}
	// A button on page 2 still starts a report for the prompt's period.
	h.press(u, next, next.Markup.Buttons()[0].Text)
	h.waitText(u.ID, "请选择本期进展状态")
}

// A page of the prompt drawn again (paging back) shows a report the office
// sent back as 需补充 with 🔁, among the measures still to report, and one
// reported under the unit's former name as reported.
func TestPromptPagesShowReturnedReports(t *testing.T) {
	h := newHarness(t, withPlan(cityPlan()))
	h.clock.Set(time.Date(2026, 4, 20, 10, 0, 0, 0, shanghai))
	ctx := context.Background()
	unit, tasks := heaviestUnit(t, h.plan)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, unit)
	returned, kept := tasks[len(tasks)-1].Measure, tasks[len(tasks)-2].Measure
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		rep, err := tx.SaveReport(ctx, store.Report{PlanYear: h.plan.Key(), MeasureID: returned.ID, Unit: unit, Period: "2026-04", Status: plan.OnTrack, Text: "推进中。", ReporterID: 1001})
		if err != nil {
			return err
		}
		if _, err := tx.SaveReport(ctx, store.Report{PlanYear: h.plan.Key(), MeasureID: kept.ID, Unit: unit, Period: "2026-04", Status: plan.Done, Text: "已完成。", ReporterID: 1001}); err != nil {
			return err
		}
		_, err = tx.AddReview(ctx, store.Review{ReportID: rep.ID, Kind: store.ReviewReturned, Comment: "请补充数据", ByID: 9001})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := schedule.New(schedule.DefaultConfig(plan.Monthly), h.db, h.plan, Compose{}, quietLog(), h.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sched.PromptNow(ctx, "2026-04"); err != nil {
		t.Fatal(err)
	}
	h.bot.Sender().Wake()
	prompt := h.waitText(u.ID, "改革任务进展填报")
	h.press(u, prompt, labelNext)
	next := h.waitText(u.ID, "第 2/")
	back := pressNew(h, u, next, labelPrev, "第 1/")
	ids := measureButtons(t, back)
	if !slices.Contains(ids, returned.ID) || slices.Contains(ids, kept.ID) {
		t.Errorf("page 1 drawn again shows %v: want the returned %s first, not the reported %s", ids, returned.ID, kept.ID)
	}
	if !strings.Contains(back.PlainText, "🔁 "+returned.ID) || !strings.Contains(back.PlainText, "需补充") {
		t.Errorf("page 1 does not mark the returned report:\n%s", back.PlainText)
	}
}
