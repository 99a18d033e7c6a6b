package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// A unit renamed in mid-year keeps its contact, and what it reported under
// the old name this period still shows as reported; the office finds it by
// the old name.
func TestARenamedUnitCarriesOn(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	office := fakeapi.User{ID: 9001}
	h.bind(u, store.RoleContact, "区编办")
	h.bind(office, store.RoleOffice, "")
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveReport(ctx, store.Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04", Status: plan.Done, Text: "完成。", ReporterID: 1001})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	renamed := testPlan()
	renamed.Units[0] = plan.Unit{Name: "区委编办", Aliases: []string{}, Formerly: []string{"区编办"}}
	for i := range renamed.Categories {
		for j := range renamed.Categories[i].Projects {
			for k, m := range renamed.Categories[i].Projects[j].Measures {
				for n, name := range m.LeadUnits {
					if name == "区编办" {
						m.LeadUnits[n] = "区委编办"
					}
				}
				for n, name := range m.CoUnits {
					if name == "区编办" {
						m.CoUnits[n] = "区委编办"
					}
				}
				renamed.Categories[i].Projects[j].Measures[k] = m
			}
		}
	}
	if _, err := h.db.Activate(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	h.bot.SetPlans(plan.NewYears(renamed))

	tasks := h.say(u, "我的任务", "本期已填报").PlainText
	if !strings.Contains(tasks, "区委编办") || !strings.Contains(tasks, "本期已填报 1 项") {
		t.Errorf("我的任务 after the rename:\n%s", tasks)
	}
	if m := h.say(office, "/unit 区编办", "区委编办"); !strings.Contains(m.PlainText, "2.1.1") || !strings.Contains(m.PlainText, "本期已填报 1 项") {
		t.Errorf("/unit by the old name:\n%s", m.PlainText)
	}
	// Sent back, the report made under the old name reaches the contact,
	// who now carries the new one.
	view := h.say(office, "/measure 2.1.1", "各单位最新进展")
	ask := pressNew(h, office, view, "退回补充", "请输入需要补充的内容")
	officeReply(h, office, ask, "请补充实施细则。", "已退回")
	if back := h.waitText(u.ID, "退回补充"); !strings.Contains(back.PlainText, "请补充实施细则。") {
		t.Errorf("the return under the old name:\n%s", back.PlainText)
	}
}
