package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/schedule"
	"github.com/luohu/reformbot/store"
)

// nextYearPlan is testPlan's successor: 区编办 stays, with other measures,
// 区经济促进局 and the others leave, 区新局 comes in.
func nextYearPlan() *plan.Plan {
	return &plan.Plan{
		Title: "某区2018年改革工作要点", Year: 2018,
		Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true},
		Categories: []plan.Category{{Number: 1, Title: "经济体制改革", Projects: []plan.Project{{Number: 1, Title: "商事制度", Measures: []plan.Measure{
			{ID: "1.1.1", Title: "证照分离", Text: "证照分离。", LeadUnits: []string{"区编办"}, CoUnits: []string{}},
			{ID: "1.1.2", Title: "多证合一", Text: "多证合一。", LeadUnits: []string{"区新局"}, CoUnits: []string{}},
		}}}}},
		Units: []plan.Unit{{Name: "区编办", Aliases: []string{}}, {Name: "区新局", Aliases: []string{}}},
	}
}

// newYearHarness is the 2017 plan in force on 2 January 2018, before
// December's digest, with 区编办's December report on 2.1.1 saved; then
// the 2018 plan is activated and the units it leaves out are told, as
// serve does. It returns the harness and how many were told.
func newYearHarness(t *testing.T, contacts map[int64]string, digested bool) (*harness, int) {
	t.Helper()
	ctx := context.Background()
	h := newHarness(t)
	h.clock.Set(time.Date(2018, 1, 2, 10, 0, 0, 0, shanghai))
	for id, unit := range contacts {
		role := store.RoleContact
		if unit == "" {
			role = store.RoleOffice
		}
		h.bind(fakeapi.User{ID: id}, role, unit)
	}
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveReport(ctx, store.Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-12",
			Status: plan.OnTrack, Text: "十二月进展。", ReporterID: 1001})
		if err != nil || !digested {
			return err
		}
		return tx.RecordCampaign(ctx, store.Campaign{Kind: store.KindDigest, Period: "2017-12", Trigger: "cron"})
	})
	if err != nil {
		t.Fatal(err)
	}
	next := nextYearPlan()
	if _, err := h.db.Activate(ctx, next); err != nil {
		t.Fatal(err)
	}
	h.bot.SetPlans(plan.NewYears(h.plan, next))
	told, err := h.bot.TellUnitsLeft(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.settle()
	return h, told
}

// Next year's plan activated in early January does not cut December off:
// until December's digest goes out, December is the period being
// collected, under the 2017 plan, for units and the office alike; a unit
// the new plan leaves out is told so, and also to finish December. After
// the digest everything is 2018's.
func TestDecemberIsCollectedAfterNextYearsPlanIsActivated(t *testing.T) {
	ctx := context.Background()
	bianban := fakeapi.User{ID: 1001} // in both plans
	jingcu := fakeapi.User{ID: 1002}  // 2017 only
	xinju := fakeapi.User{ID: 1003}   // 2018 only
	boss := fakeapi.User{ID: 9001}
	h, told := newYearHarness(t, map[int64]string{1001: "区编办", 1002: "区经济促进局", 1003: "区新局", 9001: ""}, false)

	if told != 1 {
		t.Errorf("TellUnitsLeft told %d contacts, want 1 (区经济促进局)", told)
	}
	left := h.waitText(jingcu.ID, "改革计划已更新")
	for _, want := range []string{"某区2018年改革工作要点", "在新计划中暂无任务", "2017年12月", "我的任务"} {
		if !strings.Contains(left.PlainText, want) {
			t.Errorf("the unit left out lacks %q:\n%s", want, left.PlainText)
		}
	}
	if strings.Contains(left.PlainText, "无需再填报进展") {
		t.Errorf("the unit left out is told to stop while December is open:\n%s", left.PlainText)
	}

	for _, c := range []struct {
		name string
		who  fakeapi.User
		say  string
		want []string
	}{
		{"left out, 我的任务", jingcu, "我的任务", []string{"区经济促进局", "2017年12月", "2.3.3", "本期已填报 0 项"}},
		{"in both, 我的任务", bianban, "我的任务", []string{"2017年12月", "2.1.1", "2.1.2", "本期已填报 1 项"}},
		{"new, 我的任务", xinju, "我的任务", []string{"2018年1月", "1.1.2"}},
		{"left out, 搜索", jingcu, "搜索 创新政策", []string{"2.3.3"}},
		{"/missing", boss, "/missing", []string{"2017年12月 未填报", "区经济促进局", "2.3.3"}},
		{"/overview", boss, "/overview", []string{"2017年12月"}},
		{"/measure", boss, "/measure 2.1.1", []string{"强区放权", "十二月进展。"}},
		{"/unit", boss, "/unit 区经济促进局", []string{"2017年12月", "2.3.3"}},
		// The new year's plan is in force: its measures and units are
		// found too, in their own period.
		{"/measure, new", boss, "/measure 1.1.2", []string{"多证合一", "区新局"}},
		{"/unit, new", boss, "/unit 区新局", []string{"2018年1月", "1.1.2"}},
	} {
		h.say(c.who, c.say, "")
		h.settle()
		got := h.sentTo(c.who.ID)
		m := got[len(got)-1]
		for _, want := range c.want {
			if !strings.Contains(m.PlainText, want) {
				t.Errorf("%s: no %q in\n%s", c.name, want, m.PlainText)
			}
		}
		if strings.HasSuffix(c.name, "new") && hasButton(m, "督办·区新局") {
			t.Errorf("%s: 督办 offered on January before it is prompted:\n%s", c.name, m.PlainText)
		}
		if c.who == xinju && strings.Contains(m.PlainText, "2017年12月") {
			t.Errorf("%s: a unit new in 2018 is asked for December:\n%s", c.name, m.PlainText)
		}
	}

	// The left-out unit reports December and may still submit its 2017
	// results (年终成果验收, 1月仍可提交).
	list := h.say(jingcu, "我的任务", "2.3.3")
	detail := pressNew(h, jingcu, list, buttonStarting(t, list, "2.3.3 "), "任务内容")
	for _, want := range []string{"填报进展（2017年12月）", "提交成果材料"} {
		if !hasButton(detail, want) {
			t.Errorf("2.3.3's view lacks %q:\n%s", want, detail.PlainText)
		}
	}

	err := h.db.Update(ctx, func(tx *store.Tx) error {
		return tx.RecordCampaign(ctx, store.Campaign{Kind: store.KindDigest, Period: "2017-12", Trigger: "cron"})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		who  fakeapi.User
		say  string
		want string
	}{
		{"in both, after the digest", bianban, "我的任务", "2018年1月"},
		{"left out, after the digest", jingcu, "我的任务", textNoTasks},
		{"/missing after the digest", boss, "/missing", "2018年1月"},
		{"/measure after the digest", boss, "/measure 1.1.2", "多证合一"},
	} {
		if m := h.say(c.who, c.say, c.want); !strings.Contains(m.PlainText, c.want) {
			t.Errorf("%s: no %q in\n%s", c.name, c.want, m.PlainText)
		}
	}
	// The 2017 acceptance stays one tap away from 我的任务 in January,
	// also for a unit the 2018 plan leaves out.
	none := h.say(jingcu, "我的任务", textNoTasks)
	h.press(jingcu, none, "提交2017年度成果材料")
	ask := h.waitText(jingcu.ID, "2017年度改革成果验收") // edited in place
	pressNew(h, jingcu, ask, buttonStarting(t, ask, "2.3.3 "), "成果材料")
	if m := h.say(jingcu, "创新政策全年目标完成。", "已保存"); !strings.Contains(m.PlainText, "2.3.3 创新政策 2017年度成果材料") {
		t.Errorf("the 2017 materials submitted in January:\n%s", m.PlainText)
	}
	if list := h.say(bianban, "我的任务", "2018年1月"); !hasButton(list, "提交2017年度成果材料") {
		t.Errorf("我的任务 of a 2017 lead unit in January lacks the 2017 acceptance:\n%s", list.PlainText)
	}
	if list := h.say(xinju, "我的任务", "2018年1月"); hasButton(list, "提交2017年度成果材料") {
		t.Errorf("a unit new in 2018 is offered the 2017 acceptance:\n%s", list.PlainText)
	}

	if n, err := h.bot.TellUnitsLeft(ctx); n != 0 || err != nil {
		t.Errorf("TellUnitsLeft again = %d, %v; want each told once", n, err)
	}
}

// Activated once December's digest is out, the new plan is in force at
// once: the unit it leaves out is told it has nothing more to report.
func TestAUnitLeftOutAfterDecembersDigestIsToldToStop(t *testing.T) {
	jingcu := fakeapi.User{ID: 1002}
	h, told := newYearHarness(t, map[int64]string{1002: "区经济促进局"}, true)
	if told != 1 {
		t.Fatalf("TellUnitsLeft told %d, want 1", told)
	}
	if m := h.waitText(jingcu.ID, "改革计划已更新"); !strings.Contains(m.PlainText, "无需再填报进展") || strings.Contains(m.PlainText, "2017年12月") {
		t.Errorf("the unit left out after the digest:\n%s", m.PlainText)
	}
}

// Under a new year's plan that reports quarterly, the office still gets
// December's bulletin by its month; the new year's periods are quarters.
func TestDecembersBulletinUnderAQuarterlySuccessor(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, withBulletins(t))
	h.clock.Set(time.Date(2018, 1, 3, 10, 0, 0, 0, shanghai))
	boss := fakeapi.User{ID: 9001}
	h.bind(boss, store.RoleOffice, "")
	next := nextYearPlan()
	next.Reporting.Cadence = plan.Quarterly
	if _, err := h.db.Activate(ctx, next); err != nil {
		t.Fatal(err)
	}
	years := plan.NewYears(h.plan, next)
	h.bot.SetPlans(years)
	h.cfg.Bulletins.(*schedule.Scheduler).SetPlans(years)

	if m := h.say(boss, "/bulletin 2017-12", "2017年12月"); m.Method != "sendDocument" {
		t.Errorf("/bulletin 2017-12 under a quarterly 2018 plan:\n%s", m.PlainText)
	}
	h.say(boss, "/bulletin 2018-01", "期次格式不对，请写成如：/bulletin 2026-Q4")
}

// buttonStarting is the label of m's first button that starts with prefix.
func buttonStarting(t *testing.T, m fakeapi.Message, prefix string) string {
	t.Helper()
	if m.Markup != nil {
		for _, b := range m.Markup.Buttons() {
			if strings.HasPrefix(b.Text, prefix) {
				return b.Text
			}
		}
	}
	t.Fatalf("no button %q under:\n%s", prefix, m.PlainText)
	return ""
}
