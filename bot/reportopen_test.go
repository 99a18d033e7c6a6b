package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// While a saved report is still open, words sent after it are more of it,
// as people write on a phone: never a search that loses them. A difficulty's
// added words follow it to the office.
func TestWordsAfterSavingAreAddedToTheReport(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	o := fakeapi.User{ID: 9001}
	h.bind(o, store.RoleOffice, "")
	u := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.1", "存在困难需协调", "资金缺口较大，")
	h.waitText(o.ID, "困难反映")

	m := h.say(u, "需区财政统筹安排2000万元。", "")
	if !strings.Contains(m.PlainText, "已将这段文字补充到") || !strings.Contains(m.PlainText, "资金缺口较大，\n需区财政统筹安排2000万元。") {
		t.Errorf("the second message was not added; the bot answered:\n%s", m.PlainText)
	}
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || rep.Text != "资金缺口较大，\n需区财政统筹安排2000万元。" || rep.Status != plan.NeedsHelp {
		t.Fatalf("report = %q %s, %v; want both messages", rep.Text, rep.Status, err)
	}
	alert := h.waitText(o.ID, "困难反映（补充）")
	if !strings.Contains(alert.PlainText, "需区财政统筹安排2000万元。") || !strings.Contains(alert.PlainText, "区编办") {
		t.Errorf("the office's follow-up lacks the added words:\n%s", alert.PlainText)
	}

	// An explicit search searches, and a measure's number is one; neither
	// joins the report.
	h.say(u, "搜索 棚改", "找到")
	h.say(u, "3.1.1", "3.1.1")
	h.settle()
	if rep, _ := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04"); strings.Contains(rep.Text, "棚改") || strings.Contains(rep.Text, "3.1.1") {
		t.Errorf("a search joined the report: %q", rep.Text)
	}

	// 取消 closes the report to more words; what follows is searched.
	h.say(u, "取消", "不再添加")
	h.say(u, "天气怎么样", "未找到")
	if rep, _ := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04"); strings.Contains(rep.Text, "天气") {
		t.Errorf("words after 取消 joined the report: %q", rep.Text)
	}
}

// Words long after the last save are not the report's any more: a
// sentence the next morning is a question or a search.
func TestWordsLongAfterSavingAreNotAdded(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.1", "按计划推进", "已完成方案起草。")
	h.clock.Set(h.clock.Now().Add(wordsAddedFor + time.Minute))
	h.say(u, "下雨了", "未找到")
	rep, err := h.db.CurrentReport(context.Background(), 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || rep.Text != "已完成方案起草。" {
		t.Errorf("report = %q, %v; words after %v joined it", rep.Text, err, wordsAddedFor)
	}
}

// A photo with a caption at the text prompt saves the report; the words
// sent next are added to it.
func TestCaptionThenWords(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	openReport(t, h, u, "2.1.1", "按计划推进")
	since := len(h.sentTo(u.ID))
	h.api.SendPhoto(u, "现场照片")
	h.waitNew(u.ID, since, "已保存")
	h.say(u, "已完成场地改造，下月验收。", "已将这段文字补充到")
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || rep.Text != "现场照片\n已完成场地改造，下月验收。" || len(rep.Attachments) != 1 {
		t.Fatalf("report = %q with %d files, %v; want the caption, the words and the photo", rep.Text, len(rep.Attachments), err)
	}
}

// At the text prompt an explicit 搜索 searches and the prompt still waits;
// a voice note or sticker is asked for the words of that report.
func TestSearchAndVoiceWhileWriting(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	openReport(t, h, u, "2.1.2", "按计划推进")
	h.say(u, "搜索 棚改", "找到")
	since := len(h.sentTo(u.ID))
	h.api.SendSticker(u)
	m := h.waitNew(u.ID, since, "暂不支持")
	if !strings.Contains(m.PlainText, "2.1.2") || strings.Contains(m.PlainText, "我的任务") {
		t.Errorf("a voice note during the report was not asked for its words:\n%s", m.PlainText)
	}
	if _, err := h.db.CurrentReport(ctx, 2017, "2.1.2", "区编办", "2017-04"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the search was saved as the report: %v", err)
	}
	h.say(u, "科室整合方案已报区编委。", "已保存")
	if rep, err := h.db.CurrentReport(ctx, 2017, "2.1.2", "区编办", "2017-04"); err != nil || rep.Text != "科室整合方案已报区编委。" {
		t.Errorf("report = %q, %v", rep.Text, err)
	}
}

// A file before the words saves a draft; 取消 takes it back whole, and the
// report it replaced is current again, with its own files, as before.
func TestCancelTakesBackAFileSentBeforeTheWords(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.1", "已完成", "权责清单已印发实施。")
	openReport(t, h, u, "2.1.1", "进度滞后") // passes the 更新 guard
	since := len(h.sentTo(u.ID))
	h.api.SendPhoto(u, "")
	h.waitNew(u.ID, since, "已收到照片")
	since = len(h.sentTo(u.ID))
	h.api.SendDocument(u, "方案.pdf", 1024, "")
	h.waitNew(u.ID, since, "已收到文件")
	m := h.say(u, "取消", "已取消")
	if !strings.Contains(m.PlainText, "原记录（已完成）") {
		t.Errorf("取消 does not say the earlier report stands:\n%s", m.PlainText)
	}
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || rep.Status != plan.Done || rep.Text != "权责清单已印发实施。" || len(rep.Attachments) != 0 {
		t.Fatalf("after 取消 the current report is %s %q with %d files, %v; want the earlier one", rep.Status, rep.Text, len(rep.Attachments), err)
	}
	if hist, _ := h.db.History(ctx, 2017, "2.1.1", "区编办", "2017-04"); len(hist) != 1 {
		t.Errorf("%d versions after 取消, want the one before the draft", len(hist))
	}
	list := h.say(u, "我的任务", "本期已填报 1 项")
	if !strings.Contains(list.PlainText, "已完成") {
		t.Errorf("the task list does not show the earlier report:\n%s", list.PlainText)
	}
}

// 存在困难需协调, a photo, 取消: nothing is left to count as a difficulty,
// and the office, told nothing, has nothing to be told.
func TestPhotoThenCancelLeavesNoDifficulty(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	o := fakeapi.User{ID: 9001}
	h.bind(o, store.RoleOffice, "")
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	openReport(t, h, u, "2.1.1", "存在困难需协调")
	since := len(h.sentTo(u.ID))
	h.api.SendPhoto(u, "")
	h.waitNew(u.ID, since, "已收到照片")
	h.say(u, "/cancel", "已取消")
	h.settle()
	if _, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a report is left after 取消: %v", err)
	}
	if got := len(h.sentTo(o.ID)); got != 1 {
		t.Errorf("the office got %d messages after binding, want none", got-1)
	}
}

// The office hears of a change when the words come, not when a file
// before them saved a draft that 取消 could still take back.
func TestDraftTellsTheOfficeOnlyWithTheWords(t *testing.T) {
	h := newHarness(t)
	o := fakeapi.User{ID: 9001}
	h.bind(o, store.RoleOffice, "")
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.1", "存在困难需协调", "编制不足。")
	h.waitText(o.ID, "困难反映")
	h.settle()
	before := len(h.sentTo(o.ID))
	openReport(t, h, u, "2.1.1", "按计划推进")
	since := len(h.sentTo(u.ID))
	h.api.SendPhoto(u, "")
	h.waitNew(u.ID, since, "已收到照片")
	h.settle()
	if got := len(h.sentTo(o.ID)); got != before {
		t.Fatalf("the office was told of a draft: %s", h.sentTo(o.ID)[got-1].PlainText)
	}
	h.say(u, "编制已调剂到位。", "已保存")
	cleared := h.waitNew(o.ID, before, "困难已解除")
	if !strings.Contains(cleared.PlainText, "编制不足。") {
		t.Errorf("困难已解除 does not name the difficulty the draft replaced:\n%s", cleared.PlainText)
	}
	// The photo and the words are one version after the difficulty.
	hist, err := h.db.History(context.Background(), 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || len(hist) != 2 || hist[1].Text != "编制已调剂到位。" || len(hist[1].Attachments) != 1 {
		t.Errorf("history %+v, %v; want the difficulty, then the photo with its words", hist, err)
	}
}

// 取消 at the 更新 guard: the contact chose not to update; 已取消, and the
// way back to the list.
func TestGuardCancelIsCancelled(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.1", "按计划推进", "已出台办法。")
	list := h.say(u, "我的任务", "本期已填报")
	since := len(h.sentTo(u.ID))
	h.press(u, list, buttonStartingWith(t, list, "2.1.1 "))
	d := h.waitNew(u.ID, since, "任务内容")
	since = len(h.sentTo(u.ID))
	h.press(u, d, "填报进展（2017年4月）")
	g := h.waitNew(u.ID, since, "要更新吗")
	since = len(h.sentTo(u.ID))
	h.press(u, g, "取消")
	m := h.waitNew(u.ID, since, "已取消")
	if !m.IsEdit() || m.MessageID != g.MessageID || strings.Contains(m.PlainText, "无需取消") {
		t.Errorf("取消 at the guard answered %q (edit %v)", m.PlainText, m.IsEdit())
	}
	if bs := m.Markup.Buttons(); len(bs) != 1 || bs[0].Text != labelBackList {
		t.Errorf("buttons %v, want %s", bs, labelBackList)
	}
}
