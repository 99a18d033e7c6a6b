package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// What a lead unit submits for the year-end acceptance (提交成果材料) is
// in the office's view of the measure, not only in the database.
func TestOfficeSeesYearEndMaterials(t *testing.T) {
	h := newHarness(t)
	h.clock.Set(time.Date(2017, 12, 10, 10, 0, 0, 0, shanghai))
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	boss := fakeapi.User{ID: 9001}
	h.bind(zhang, store.RoleContact, "区编办")
	h.bind(boss, store.RoleOffice, "")

	if view := h.say(boss, "/measure 2.1.1", "各单位最新进展"); strings.Contains(view.PlainText, "年度成果材料") {
		t.Fatalf("materials before any was submitted:\n%s", view.PlainText)
	}
	list := h.say(zhang, "我的任务", "本期已填报")
	var label string
	for _, b := range list.Markup.Buttons() {
		if strings.HasPrefix(b.Text, "2.1.1 ") {
			label = b.Text
		}
	}
	detail := pressNew(h, zhang, list, label, "任务内容")
	pressNew(h, zhang, detail, "提交成果材料", "成果材料")
	h.say(zhang, "权责清单管理办法已出台，年度目标全部完成。", "已保存")

	view := h.say(boss, "/measure 2.1.1", "年度成果材料")
	for _, want := range []string{"📦 区编办 · 2017年度", "权责清单管理办法已出台，年度目标全部完成。", "张三"} {
		if !strings.Contains(view.PlainText, want) {
			t.Errorf("the office's view lacks %q:\n%s", want, view.PlainText)
		}
	}
}

// Two contacts of one unit write the same report at once: the later save
// replaces the earlier (kept in the history) and says so.
func TestTwoContactsAtOnceAreTold(t *testing.T) {
	h := newHarness(t)
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	li := fakeapi.User{ID: 1002, FirstName: "李四"}
	h.bind(zhang, store.RoleContact, "区编办")
	h.bind(li, store.RoleContact, "区编办")
	askLi := openReport(t, h, li, "2.1.1", "进度滞后")
	askZhang := openReport(t, h, zhang, "2.1.1", "已完成")
	h.clock.Set(h.clock.Now().Add(time.Minute))
	since := len(h.sentTo(zhang.ID))
	h.api.Reply(zhang, askZhang.MessageID, "已完成。")
	if m := h.waitNew(zhang.ID, since, "已保存"); strings.Contains(m.PlainText, "注意") {
		t.Errorf("the first save is told of another:\n%s", m.PlainText)
	}
	h.clock.Set(h.clock.Now().Add(time.Minute))
	since = len(h.sentTo(li.ID))
	h.api.Reply(li, askLi.MessageID, "场地未落实。")
	if m := h.waitNew(li.ID, since, "已保存"); !strings.Contains(m.PlainText, "注意：张三 于") {
		t.Errorf("the second save is not told of the first:\n%s", m.PlainText)
	}
}
