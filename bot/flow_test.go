package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// newMessages counts what the bot sent chatID after its first since
// records that are new messages, not edits.
func newMessages(h *harness, chatID int64, since int) []fakeapi.Message {
	var out []fakeapi.Message
	for _, m := range h.sentTo(chatID)[since:] {
		if !m.IsEdit() && m.Method != "answerCallbackQuery" {
			out = append(out, m)
		}
	}
	return out
}

// buttonStartingWith is the label of m's first button starting with prefix.
func buttonStartingWith(t *testing.T, m fakeapi.Message, prefix string) string {
	t.Helper()
	for _, b := range m.Markup.Buttons() {
		if strings.HasPrefix(b.Text, prefix) {
			return b.Text
		}
	}
	t.Fatalf("no button %q… under:\n%s", prefix, m.PlainText)
	return ""
}

func TestAReportAddsAtMostTwoMessages(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	list := h.say(u, "我的任务", "本期已填报")
	h.settle()
	since := len(h.sentTo(u.ID))
	answered := len(h.api.CallbackAnswers())

	// From tapping the measure to the confirmation.
	h.press(u, list, buttonStartingWith(t, list, "2.1.1 "))
	detail := h.waitNew(u.ID, since, "任务内容")
	h.press(u, detail, "填报进展（2017年4月）")
	choose := h.waitNew(u.ID, since, "请选择本期进展状态")
	h.press(u, choose, "按计划推进")
	ask := h.waitNew(u.ID, since, "状态：按计划推进")
	h.api.Reply(u, ask.MessageID, "已出台权责清单管理办法。")
	h.waitNew(u.ID, since, "已保存")
	h.settle()

	bot := newMessages(h, u.ID, since)
	// The contact's own text is the other new message in the chat.
	if len(bot)+1 > 2 {
		t.Errorf("a report added %d bot messages and the text, want at most 2 in all:\n%v", len(bot), bot)
	}
	if len(bot) != 1 || !strings.Contains(bot[0].PlainText, "已保存") {
		t.Errorf("want the confirmation as the only new bot message, got %v", bot)
	}
	if got := lastVersion(h.sentTo(u.ID), list.MessageID).PlainText; !strings.Contains(got, "状态：按计划推进") {
		t.Errorf("the list was not turned into the text prompt:\n%s", got)
	}
	// Every press (measure, 填报进展, status) was answered.
	if got := len(h.api.CallbackAnswers()) - answered; got != 3 {
		t.Errorf("%d callback answers, want 3 (one per press)", got)
	}
	if n := h.api.Unanswered(); n != 0 {
		t.Errorf("%d presses left unanswered", n)
	}
}

// lastVersion is the newest record of message id among sent.
func lastVersion(sent []fakeapi.Message, id int) fakeapi.Message {
	var m fakeapi.Message
	for _, s := range sent {
		if s.MessageID == id {
			m = s
		}
	}
	return m
}

func TestNextGoesThroughTheWholeList(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办") // 2.1.1, 2.1.2 (lead), 2.3.3 (co)
	since := len(h.sentTo(u.ID))

	ok := report(t, h, u, "2.1.1", "按计划推进", "清单已出台。")
	texts := map[string]string{"2.1.2": "科室重组完成。", "2.3.3": "配合出台政策。"}
	saved := "2.1.1"
	for _, id := range []string{"2.1.2", "2.3.3"} {
		label := buttonStartingWith(t, ok, "下一项：")
		if !strings.HasPrefix(label, "下一项："+id+" ") {
			t.Fatalf("下一项 is %q, want %s", label, id)
		}
		mark := len(h.sentTo(u.ID))
		h.press(u, ok, label)
		choose := h.waitNew(u.ID, mark, "请选择本期进展状态")
		if !choose.IsEdit() || choose.MessageID != ok.MessageID {
			t.Errorf("下一项 sent a new message instead of replacing the confirmation: %v", choose)
		}
		if !strings.Contains(choose.PlainText, "✅ 已保存 "+saved) || !strings.Contains(choose.PlainText, id) {
			t.Errorf("the status choice does not keep the saved line or name %s:\n%s", id, choose.PlainText)
		}
		mark = len(h.sentTo(u.ID))
		h.press(u, choose, "已完成")
		ask := h.waitNew(u.ID, mark, "状态：已完成")
		mark = len(h.sentTo(u.ID))
		h.api.Reply(u, ask.MessageID, texts[id])
		ok = h.waitNew(u.ID, mark, "已保存")
		saved = id
	}
	if !strings.Contains(ok.PlainText, "本单位本期任务已全部填报") {
		t.Errorf("the last confirmation does not say the list is done:\n%s", ok.PlainText)
	}
	for _, b := range ok.Markup.Buttons() {
		if strings.HasPrefix(b.Text, "下一项") {
			t.Errorf("下一项 offered with nothing left: %q", b.Text)
		}
	}
	for id, text := range texts {
		rep, err := h.db.CurrentReport(ctx, 2017, id, "区编办", "2017-04")
		if err != nil || rep.Text != text || rep.Status != plan.Done {
			t.Errorf("%s stored = %+v, %v", id, rep, err)
		}
	}
	// Three reports: three texts and three confirmations, nothing else.
	h.settle()
	if got := newMessages(h, u.ID, since); len(got) != 1+3 { // 我的任务 and the confirmations
		t.Errorf("%d new bot messages for the whole list, want 4:\n%v", len(got), got)
	}
}

func TestNoNewsKeepsLastPeriodsReport(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.1", "进度滞后", "系统建设延期。")

	h.clock.Set(time.Date(2017, 5, 20, 10, 0, 0, 0, shanghai))
	list := h.say(u, "我的任务", "2017年5月")
	since := len(h.sentTo(u.ID))
	h.press(u, list, buttonStartingWith(t, list, "2.1.2 "))
	detail := h.waitNew(u.ID, since, "任务内容")
	since = len(h.sentTo(u.ID))
	h.press(u, detail, "填报进展（2017年5月）")
	choose := h.waitNew(u.ID, since, "请选择本期进展状态")
	for _, b := range choose.Markup.Buttons() {
		if b.Text == labelNoNews {
			t.Errorf("本期无新进展 offered for a measure never reported")
		}
	}

	list = h.say(u, "我的任务", "2017年5月")
	since = len(h.sentTo(u.ID))
	h.press(u, list, buttonStartingWith(t, list, "2.1.1 "))
	detail = h.waitNew(u.ID, since, "任务内容")
	since = len(h.sentTo(u.ID))
	h.press(u, detail, "填报进展（2017年5月）")
	choose = h.waitNew(u.ID, since, "请选择本期进展状态")
	h.settle()
	since = len(h.sentTo(u.ID))
	h.press(u, choose, labelNoNews)
	ok := h.waitNew(u.ID, since, "已保存")
	if !ok.IsEdit() || ok.MessageID != choose.MessageID {
		t.Errorf("本期无新进展 sent a new message: %v", ok)
	}
	if !strings.Contains(ok.PlainText, "本期无新进展") || !strings.Contains(ok.PlainText, "系统建设延期。") {
		t.Errorf("confirmation:\n%s", ok.PlainText)
	}
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-05")
	if err != nil || rep.Status != plan.Behind || rep.Text != noNewsMark+"系统建设延期。" {
		t.Fatalf("stored = %+v, %v", rep, err)
	}
	h.settle()
	if got := newMessages(h, u.ID, since); len(got) != 0 {
		t.Errorf("本期无新进展 added messages: %v", got)
	}

	// The old button again saves nothing twice.
	since = len(h.sentTo(u.ID))
	h.api.Press(u, ok.MessageID, callback{kind: cbNoNews, measureID: "2.1.1", period: "2017-05"}.String())
	h.waitNew(u.ID, since, "本期已有填报")
	if hist, err := h.db.History(ctx, 2017, "2.1.1", "区编办", "2017-05"); err != nil || len(hist) != 1 {
		t.Errorf("history = %+v, %v", hist, err)
	}
}

func TestNavigationFormsRoundTrip(t *testing.T) {
	for _, c := range []callback{
		{kind: cbMeasureHere, measureID: "2.1.1"},
		{kind: cbReportHere, measureID: "2.1.1", period: "2017-04"},
		{kind: cbNext, measureID: "12.10.3.1", period: "2017-Q2"},
		{kind: cbNoNews, measureID: "2.1.1", period: "2017-04"},
		{kind: cbCancel, measureID: "2.1.2000"},
		{kind: cbCancel},
	} {
		got, err := parseCallback(c.String())
		if err != nil || got != c {
			t.Errorf("%q read back as %+v, %v", c.String(), got, err)
		}
	}
	for _, bad := range []string{"v:2.1.1:2017-04", "e:2.1.1", "k:2.1.1:2017", "n:x:2017-04"} {
		if _, err := parseCallback(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCancelTurnsTheQuestionIntoItsAnswer(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	ask := openReport(t, h, u, "2.1.1", "按计划推进")
	h.settle()
	since := len(h.sentTo(u.ID))
	h.press(u, ask, "取消")
	got := h.waitNew(u.ID, since, "已取消")
	if !got.IsEdit() || got.MessageID != ask.MessageID || len(got.Markup.Buttons()) != 1 || !hasButton(got, labelBackList) {
		t.Errorf("取消 answered with %v, want the question edited, with only %s", got, labelBackList)
	}
	// The text that follows is not a report.
	h.say(u, "随便说说", "未找到")
}

// A 取消 left under a question already answered does not end the report
// begun since: 2.1.1 saved, 下一项 2.1.2 under way, the old 取消 pressed.
func TestAnOldCancelLeavesTheNextReport(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	ask := openReport(t, h, u, "2.1.1", "按计划推进")
	since := len(h.sentTo(u.ID))
	h.api.Reply(u, ask.MessageID, "进展A")
	saved := h.waitNew(u.ID, since, "已保存")
	h.settle()
	var next string
	for _, b := range saved.Markup.Buttons() {
		if strings.HasPrefix(b.Text, "下一项：2.1.2") {
			next = b.Text
		}
	}
	choose := pressNew(h, u, saved, next, "请选择本期进展状态")
	second := pressNew(h, u, choose, "按计划推进", "状态：")
	h.settle()
	old := pressNew(h, u, ask, "取消", "无需取消")
	if !hasButton(old, labelBackList) {
		t.Errorf("the old question became %q", old.PlainText)
	}
	since = len(h.sentTo(u.ID))
	h.api.Reply(u, second.MessageID, "进展B")
	if got := h.waitNew(u.ID, since, "已保存"); !strings.Contains(got.PlainText, "2.1.2") {
		t.Errorf("进展B was saved as %q", got.PlainText)
	}
}

// Words sent while the status buttons wait are not searched for: the
// contact is told to pick the status first. A search still searches.
func TestWordsBeforeTheStatus(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	list := h.say(u, "我的任务", "本期已填报")
	var label string
	for _, b := range list.Markup.Buttons() {
		if strings.HasPrefix(b.Text, "2.1.1 ") {
			label = b.Text
		}
	}
	detail := pressNew(h, u, list, label, "任务内容")
	pressNew(h, u, detail, "填报进展（2017年4月）", "请选择本期进展状态")
	h.say(u, "编制调整方案已报区委审定。", textStatusFirst)
	h.say(u, "搜索 强区放权", "2.1.1")
}
