package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

func TestGreetingsGetAFriendlyAnswerAndTheMenu(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	boss := fakeapi.User{ID: 9001}
	h.bind(u, store.RoleContact, "区编办")
	h.bind(boss, store.RoleOffice, "")
	tests := []struct {
		name  string
		who   fakeapi.User
		input string
		want  string
	}{
		{"hello", u, "你好", "您好！点击下方「我的任务」"},
		{"hello with a mark", u, "您好！", "您好！"},
		{"thanks", u, "谢谢", "不客气！"},
		{"ok", u, "好的", "好的。"},
		{"got it", u, "收到", "好的。"},
		{"office", boss, "你好", "「本期总览」"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := h.say(tt.who, tt.input, tt.want)
			if strings.Contains(m.PlainText, "未找到") {
				t.Errorf("answered as a search:\n%s", m.PlainText)
			}
			if m.Markup == nil || len(m.Markup.Keyboard) == 0 {
				t.Errorf("no menu with the answer: %+v", m.Markup)
			}
		})
	}
	// In the middle of a report, 好的 is not taken as the report.
	ask := openReport(t, h, u, "2.1.1", "按计划推进")
	h.say(u, "好的", "请直接输入本期进展")
	if _, err := h.db.CurrentReport(context.Background(), 2017, "2.1.1", "区编办", "2017-04"); err == nil {
		t.Errorf("好的 was saved as a report")
	}
	since := len(h.sentTo(u.ID))
	h.api.Reply(u, ask.MessageID, "已出台办法。")
	h.waitNew(u.ID, since, "已保存")
}

func TestACaptionAfterAReportJoinsItsText(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.2", "已完成", "科室重组完成。")
	since := len(h.sentTo(u.ID))
	h.api.SendPhoto(u, "挂牌仪式现场")
	h.waitNew(u.ID, since, "说明已补充到进展内容")
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.2", "区编办", "2017-04")
	if err != nil || rep.Text != "科室重组完成。\n挂牌仪式现场" || len(rep.Attachments) != 1 || rep.Status != plan.Done {
		t.Fatalf("stored = %+v, %v", rep, err)
	}
	// A file without a caption leaves the text alone and keeps the photo.
	since = len(h.sentTo(u.ID))
	h.api.SendDocument(u, "方案.pdf", 1024, "")
	h.waitNew(u.ID, since, "已将文件「方案.pdf」")
	rep, err = h.db.CurrentReport(ctx, 2017, "2.1.2", "区编办", "2017-04")
	if err != nil || rep.Text != "科室重组完成。\n挂牌仪式现场" || len(rep.Attachments) != 2 {
		t.Fatalf("stored = %+v, %v", rep, err)
	}
}

func TestThePromptMarksOnlyDoneWithACheck(t *testing.T) {
	var tasks []plan.Task
	for _, m := range []string{"2.1.1", "2.1.2", "2.3.3"} {
		tasks = append(tasks, plan.Task{Measure: plan.Measure{ID: m, Title: "任务" + m}, Role: plan.Lead})
	}
	got := Compose{}.Prompt("区编办", tasks, map[string]plan.Status{"2.1.1": plan.Behind, "2.1.2": plan.Done, "2.3.3": plan.NeedsHelp}, "2017-04").Text
	for _, want := range []string{"🟡 2.1.1", "✅ 2.1.2", "🔴 2.3.3"} {
		if !strings.Contains(got, want) {
			t.Errorf("prompt lacks %q:\n%s", want, got)
		}
	}
}

func TestOfficeViewsDoNotAskTheOfficeToReport(t *testing.T) {
	h := newHarness(t)
	boss := fakeapi.User{ID: 9001}
	since := len(h.sentTo(boss.ID))
	h.bind(boss, store.RoleOffice, "")
	welcome := h.waitNew(boss.ID, since, "绑定成功")
	if n := strings.Count(welcome.PlainText, "立即收到通知"); n != 1 {
		t.Errorf("the welcome says 立即收到通知 %d times:\n%s", n, welcome.PlainText)
	}
	unit := h.say(boss, "/unit 区编办", "区编办 · 2017年4月")
	if strings.Contains(unit.PlainText, "填报进展") {
		t.Errorf("/unit tells the office to report:\n%s", unit.PlainText)
	}
}

func TestSearchResultsPage(t *testing.T) {
	p := testPlan()
	var ms []plan.Measure
	for i := 1; i <= 25; i++ {
		ms = append(ms, plan.Measure{ID: fmt.Sprintf("4.1.%d", i), Title: fmt.Sprintf("试点事项%02d", i),
			Text: "推进。", LeadUnits: []string{"区编办"}, CoUnits: []string{}})
	}
	p.Categories = append(p.Categories, plan.Category{Number: 4, Title: "试点", Projects: []plan.Project{{Number: 1, Title: "试点项目", Measures: ms}}})
	h := newHarness(t, withPlan(p))
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	first := h.say(u, "搜索 试点事项", "找到 25 项")
	if !strings.Contains(first.PlainText, "第 1/3 页") || !strings.Contains(first.PlainText, "4.1.10 ") || strings.Contains(first.PlainText, "4.1.11 ") {
		t.Fatalf("page 1:\n%s", first.PlainText)
	}
	since := len(h.sentTo(u.ID))
	h.press(u, first, labelNext)
	second := h.waitNew(u.ID, since, "第 2/3 页")
	if !second.IsEdit() || second.MessageID != first.MessageID {
		t.Errorf("page 2 is not the answer turned: %v", second)
	}
	if !strings.Contains(second.PlainText, "4.1.11 ") || !strings.Contains(second.PlainText, "4.1.20 ") || strings.Contains(second.PlainText, "4.1.21 ") {
		t.Errorf("page 2:\n%s", second.PlainText)
	}
	since = len(h.sentTo(u.ID))
	h.press(u, second, labelNext)
	third := h.waitNew(u.ID, since, "第 3/3 页")
	if !strings.Contains(third.PlainText, "4.1.25 ") {
		t.Errorf("page 3:\n%s", third.PlainText)
	}
	for _, b := range third.Markup.Buttons() {
		if b.Text == labelNext {
			t.Errorf("下一页 on the last page")
		}
	}
	for _, data := range []string{"h:1:试点:事项", "h:0:a"} {
		if c, err := parseCallback(data); err != nil || c.String() != data {
			t.Errorf("%q read back as %q, %v", data, c.String(), err)
		}
	}
	for _, bad := range []string{"h:01:a", "h:1:", "h:x:a", "h:1: "} {
		if _, err := parseCallback(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
