package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

func TestDeadlinesInTheBot(t *testing.T) {
	p := testPlan()
	ms := p.Categories[0].Projects[0].Measures
	ms[0].Deadline, ms[0].DeadlineText = "2017-05-10", "" // 20 days from the harness's 20 April
	ms[1].Deadline, ms[1].DeadlineText = "2017-12-31", "年底前完成"
	h := newHarness(t, withPlan(p))
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")

	list := h.say(u, "我的任务", "本期已填报")
	tasks := list.PlainText
	for _, want := range []string{"⏰ 时限：2017年5月10日前（还剩 20 天）", "时限：年底前完成"} {
		if !strings.Contains(tasks, want) {
			t.Errorf("我的任务 lacks %q:\n%s", want, tasks)
		}
	}
	if strings.Contains(tasks, "⏰ 时限：年底前完成") {
		t.Errorf("a deadline eight months away is flagged:\n%s", tasks)
	}
	h.press(u, list, list.Markup.Buttons()[0].Text)
	if d := h.waitText(u.ID, "任务内容").PlainText; !strings.Contains(d, "⏰ 时限：2017年5月10日前（还剩 20 天）") {
		t.Errorf("measure detail lacks the deadline:\n%s", d)
	}

	h.clock.Set(time.Date(2017, 5, 11, 10, 0, 0, 0, shanghai))
	if tasks := h.say(u, "我的任务", "本期已填报").PlainText; !strings.Contains(tasks, "时限：2017年5月10日前（已逾期）") {
		t.Errorf("a passed deadline is not 已逾期:\n%s", tasks)
	}
}

func TestRemindersMentionMeasuresDueSoon(t *testing.T) {
	p := testPlan()
	ms := p.Categories[0].Projects[0].Measures
	ms[0].Deadline = "2017-05-20"                             // 19 days after April ends
	ms[1].Deadline, ms[1].DeadlineText = "2017-09-30", "9月底前" // far off
	got := Compose{}.Reminder("区编办", p.Tasks("区编办"), "2017-04").Text
	if !strings.Contains(got, "⏰ 30天内到期：2.1.1（2017年5月20日前）") || strings.Contains(got, "2.1.2（") {
		t.Errorf("reminder:\n%s", got)
	}
	if got := (Compose{}).Reminder("区编办", p.Tasks("区编办"), "2017-09").Text; strings.Contains(got, "30天内到期：2.1.1") {
		t.Errorf("a passed deadline is called due soon:\n%s", got)
	}
}
