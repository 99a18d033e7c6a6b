package bot

import (
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// otherPlan is another district's plan of another year.
func otherPlan() *plan.Plan {
	return &plan.Plan{
		Title:     "示范区2026年改革工作要点",
		Year:      2017, // the harness's clock is in 2017
		Reporting: plan.Reporting{Cadence: plan.Monthly},
		Categories: []plan.Category{{Number: 1, Title: "重点改革", Projects: []plan.Project{{
			Number: 1, Title: "营商环境改革", Measures: []plan.Measure{
				{ID: "1.1.1", Title: "推进审批制度改革", Text: "推进审批制度改革。", LeadUnits: []string{"区数据局"}, CoUnits: []string{}},
			},
		}}}},
		Units: []plan.Unit{{Name: "区数据局", Aliases: []string{}}},
	}
}

func TestTextsComeFromThePlanAndTheConfiguration(t *testing.T) {
	h := newHarness(t, withPlan(otherPlan()), withConfig(func(c *Config) {
		c.PromptSpec, c.DigestSpec = "0 9 20 * *", "0 9 3 * *"
	}))
	office := fakeapi.User{ID: 9001}
	unit := fakeapi.User{ID: 1001}
	h.bind(office, store.RoleOffice, "")
	h.bind(unit, store.RoleContact, "区数据局")

	bound := h.waitText(office.ID, "绑定成功")
	help := h.say(office, "/help", "您是区委改革办联络人")
	contactHelp := h.say(unit, "/help", "联络人")
	empty := h.say(office, "/unit", "请输入单位名称")
	all := bound.PlainText + help.PlainText + contactHelp.PlainText + empty.PlainText
	for _, want := range []string{"示范区2026年改革工作要点", "/unit 区数据局", "/measure 1.1.1", "搜索 营商环境", "每月20日会提醒您填报当月进展", "每月3日将收到上期填报汇总"} {
		if !strings.Contains(all, want) {
			t.Errorf("%q missing from the texts:\n%s", want, all)
		}
	}
	for _, unwanted := range []string{"罗湖", "区编办", "2.1.1", "棚改", "城市更新", "25日", "每月2日", "示例计划"} {
		if strings.Contains(all, unwanted) {
			t.Errorf("%q in the texts of another plan:\n%s", unwanted, all)
		}
	}
}

func TestTheSampleSaysSo(t *testing.T) {
	sample := plan.Default()
	sample.Sample = true
	h := newHarness(t, withPlan(sample))
	u := fakeapi.User{ID: 1001}
	stranger := fakeapi.User{ID: 1002}
	h.bind(u, store.RoleContact, "区编办")
	for _, m := range []fakeapi.Message{
		h.waitText(u.ID, "绑定成功"),
		h.say(u, "/help", "联络人"),
		h.say(u, "/start", "您好"),
		h.say(stranger, "/start", "邀请链接"),
	} {
		// Only the office is told the operator's command that loads a plan.
		if !strings.Contains(m.PlainText, "示例计划") || strings.Contains(m.PlainText, "reformbot plan activate") {
			t.Errorf("the sample is not named, or a unit is told the operator's command:\n%s", m.PlainText)
		}
	}
	boss := fakeapi.User{ID: 9001}
	h.bind(boss, store.RoleOffice, "")
	if m := h.say(boss, "/help", "区委改革办"); !strings.Contains(m.PlainText, "示例计划") || !strings.Contains(m.PlainText, "reformbot plan activate") {
		t.Errorf("the office is not told how to load its plan:\n%s", m.PlainText)
	}
	// The sample's periods follow the calendar: in the harness's 2017 as in
	// any year; and the schedule says nothing it was not told.
	help := h.say(u, "/help", "联络人")
	if !strings.Contains(help.PlainText, "区委改革办会按时提醒您填报进展") {
		t.Errorf("help without a configured prompt day:\n%s", help.PlainText)
	}
}

func TestWhenText(t *testing.T) {
	for _, tt := range []struct{ spec, want string }{
		{"0 9 25 * *", "每月25日"},
		{"0 9 25 3,6,9,12 *", "每年3、6、9、12月25日"},
		{"0 9 1 12 *", "每年12月1日"},
		{"0 9 * * 1", ""},
		{"0 9 1-5 * *", ""},
		{"0 9 25 * 1", ""},
		{"@daily", ""},
	} {
		if got := whenText(tt.spec); got != tt.want {
			t.Errorf("whenText(%q) = %q, want %q", tt.spec, got, tt.want)
		}
	}
}
