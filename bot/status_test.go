package bot

import (
	"context"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Status buttons carry stable codes, and the store keeps codes; people
// read labels.
func TestStatusButtonsCarryCodes(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	tasks := h.say(u, "我的任务", "本期已填报")
	h.press(u, tasks, tasks.Markup.Buttons()[0].Text)
	detail := h.waitText(u.ID, "任务内容")
	h.press(u, detail, "填报进展（2017年4月）")
	choose := h.waitText(u.ID, "请选择本期进展状态")
	want := map[string]string{
		"按计划推进":   "s:2.1.1:2017-04:on_track",
		"已完成":     "s:2.1.1:2017-04:done",
		"进度滞后":    "s:2.1.1:2017-04:behind",
		"存在困难需协调": "s:2.1.1:2017-04:needs_help",
	}
	got := map[string]string{}
	for _, b := range choose.Markup.Buttons() {
		if b.Text != "取消" {
			got[b.Text] = b.CallbackData
		}
	}
	if len(got) != len(want) {
		t.Fatalf("status buttons = %v", got)
	}
	for label, data := range want {
		if got[label] != data {
			t.Errorf("button %s carries %q, want %q", label, got[label], data)
		}
	}
	h.press(u, choose, "进度滞后")
	h.waitText(u.ID, "状态：进度滞后")
	h.say(u, "人手不足。", "已保存")
	rep, err := h.db.CurrentReport(context.Background(), 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || rep.Status != plan.Behind || string(rep.Status) != "behind" {
		t.Fatalf("stored %q, %v; want the code behind", rep.Status, err)
	}
}

// A status button of the first release, carrying an index, still means
// what it said when it was sent.
func TestFirstReleaseStatusButtonsKeepTheirMeaning(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	tasks := h.say(u, "我的任务", "本期已填报")
	h.press(u, tasks, tasks.Markup.Buttons()[0].Text)
	detail := h.waitText(u.ID, "任务内容")
	h.press(u, detail, "填报进展（2017年4月）")
	choose := h.waitText(u.ID, "请选择本期进展状态")
	since := len(h.sentTo(u.ID))
	h.api.Press(u, choose.MessageID, "s:2.1.1:2017-04:3") // the first release's 存在困难需协调
	h.waitNew(u.ID, since, "状态：存在困难需协调")
	for _, data := range []string{"s:2.1.1:2017-04:submitted", "s:2.1.1:2017-04:4", "s:2.1.1:2017-04:03", "s:2.1.1:2017-04:按计划推进"} {
		if _, err := parseCallback(data); err == nil {
			t.Errorf("%q is accepted as a status button", data)
		}
	}
}
