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

func TestMyTasksListsLeadThenCo(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	for _, input := range []string{"我的任务", "/tasks", "任务"} {
		t.Run(input, func(t *testing.T) {
			m := h.say(u, input, "区编办 · 2017年4月")
			text := m.PlainText
			lead := strings.Index(text, "牵头任务")
			co := strings.Index(text, "协办任务")
			if lead < 0 || co < lead {
				t.Fatalf("want 牵头 before 协办:\n%s", text)
			}
			for _, id := range []string{"2.1.1", "2.1.2"} {
				if i := strings.Index(text, id); i < lead || i > co {
					t.Errorf("%s not among the lead tasks:\n%s", id, text)
				}
			}
			if i := strings.Index(text, "2.3.3"); i < co {
				t.Errorf("2.3.3 not among the co tasks:\n%s", text)
			}
			if !strings.Contains(text, "未填报") || !strings.Contains(text, "共 3 项任务（牵头 2、协办 1）") {
				t.Errorf("summary or status missing:\n%s", text)
			}
			if got := len(m.Markup.Buttons()); got != 3 {
				t.Errorf("%d buttons, want one per measure (3)", got)
			}
		})
	}
}

// openReport walks from 我的任务 to the text prompt: the measure's button,
// 填报进展, the status, each editing the list in place. It returns the
// prompt for the text.
func openReport(t *testing.T, h *harness, u fakeapi.User, measureID, status string) fakeapi.Message {
	t.Helper()
	list := h.say(u, "我的任务", "本期已填报")
	var label string
	for _, b := range list.Markup.Buttons() {
		if strings.HasPrefix(b.Text, measureID+" ") {
			label = b.Text
		}
	}
	since := len(h.sentTo(u.ID))
	h.press(u, list, label)
	detail := h.waitNew(u.ID, since, "任务内容")
	since = len(h.sentTo(u.ID))
	h.press(u, detail, "填报进展（2017年4月）")
	choose := h.waitNew(u.ID, since, "2017年4月）\n")
	if strings.Contains(choose.PlainText, "本期已由") { // the re-report guard (reguard.go)
		since = len(h.sentTo(u.ID))
		h.press(u, choose, choose.Markup.Buttons()[0].Text)
		choose = h.waitNew(u.ID, since, "请选择本期进展状态")
	}
	since = len(h.sentTo(u.ID))
	h.press(u, choose, status)
	ask := h.waitNew(u.ID, since, "状态："+status)
	// Every step edited 我的任务 in place (flow.go).
	for _, m := range []fakeapi.Message{detail, choose, ask} {
		if !m.IsEdit() || m.MessageID != list.MessageID {
			t.Errorf("%v: want an edit of the task list (message %d)", m, list.MessageID)
		}
	}
	return ask
}

// report walks the whole reporting flow from 我的任务 and returns the
// confirmation.
func report(t *testing.T, h *harness, u fakeapi.User, measureID, status, text string) fakeapi.Message {
	t.Helper()
	ask := openReport(t, h, u, measureID, status)
	since := len(h.sentTo(u.ID))
	h.api.Reply(u, ask.MessageID, text)
	return h.waitNew(u.ID, since, "已保存")
}

func TestReportFlowKeepsHistory(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(u, store.RoleContact, "区编办")

	ok := report(t, h, u, "2.1.1", "按计划推进", "已出台权责清单管理办法。")
	for _, want := range []string{"2.1.1", "2017年4月", "按计划推进", "已出台权责清单管理办法。", "区编办"} {
		if !strings.Contains(ok.PlainText, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, ok.PlainText)
		}
	}
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || rep.Status != plan.OnTrack || rep.Text != "已出台权责清单管理办法。" || rep.ReporterID != u.ID || rep.ReporterName != "张三" {
		t.Fatalf("stored = %+v, %v", rep, err)
	}

	// Reporting again replaces the current version and keeps the old one.
	report(t, h, u, "2.1.1", "进度滞后", "系统建设延期。")
	hist, err := h.db.History(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || len(hist) != 2 || hist[0].Current() || !hist[1].Current() || hist[1].Status != plan.Behind {
		t.Fatalf("history = %+v, %v", hist, err)
	}
	list := h.say(u, "我的任务", "本期已填报 1 项")
	if !strings.Contains(list.PlainText, "进度滞后") {
		t.Errorf("task list does not show the new status:\n%s", list.PlainText)
	}
}

func TestAttachments(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	report(t, h, u, "2.1.2", "已完成", "科室重组完成。")

	since := len(h.sentTo(u.ID))
	h.api.SendDocument(u, "方案.pdf", 120*1024, "")
	h.waitNew(u.ID, since, "已将文件「方案.pdf」（120 KB）添加到")
	since = len(h.sentTo(u.ID))
	h.api.SendPhoto(u, "现场照片")
	h.waitNew(u.ID, since, "已将照片添加到")
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.2", "区编办", "2017-04")
	if err != nil || len(rep.Attachments) != 2 || rep.Attachments[0].FileName != "方案.pdf" || rep.Attachments[0].Size != 120*1024 {
		t.Fatalf("attachments = %+v, %v", rep.Attachments, err)
	}

	// A file too big for the Bot API to hand back is refused.
	since = len(h.sentTo(u.ID))
	h.api.SendDocument(u, "录像.mp4", 300<<20, "")
	h.waitNew(u.ID, since, "文件过大")

	// A file with nothing in progress gets a hint.
	h.say(u, "/cancel", "")
	v := fakeapi.User{ID: 1002}
	h.bind(v, store.RoleContact, "区财政局")
	since = len(h.sentTo(v.ID))
	h.api.SendPhoto(v, "")
	h.waitNew(v.ID, since, "请先在「我的任务」中选择任务")
}

func TestPhotoBeforeText(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区财政局")
	openReport(t, h, u, "3.1.1", "按计划推进")
	since := len(h.sentTo(u.ID))
	h.api.SendPhoto(u, "")
	h.waitNew(u.ID, since, "已收到照片。请继续输入文字说明")
	since = len(h.sentTo(u.ID))
	h.api.SendText(u, "棚改签约率达到95%。")
	h.waitNew(u.ID, since, "附件 1 个")
	rep, err := h.db.CurrentReport(ctx, 2017, "3.1.1", "区财政局", "2017-04")
	if err != nil || rep.Text != "棚改签约率达到95%。" || len(rep.Attachments) != 1 {
		t.Fatalf("report = %+v, %v", rep, err)
	}
}

func TestDifficultyAlertsTheOffice(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001, FirstName: "王五"}
	office1 := fakeapi.User{ID: 9001}
	office2 := fakeapi.User{ID: 9002}
	h.bind(u, store.RoleContact, "区编办")
	h.bind(office1, store.RoleOffice, "")
	h.bind(office2, store.RoleOffice, "")
	report(t, h, u, "2.1.1", "存在困难需协调", "编制不足，需区里协调。")
	for _, o := range []fakeapi.User{office1, office2} {
		m := h.waitText(o.ID, "困难反映")
		for _, want := range []string{"2.1.1", "区编办", "王五", "编制不足，需区里协调。", "2017年4月"} {
			if !strings.Contains(m.PlainText, want) {
				t.Errorf("alert to %d lacks %q:\n%s", o.ID, want, m.PlainText)
			}
		}
	}
}

func TestLeadSeesCoUnitReportsButNotTheOtherWayRound(t *testing.T) {
	h := newHarness(t)
	lead := fakeapi.User{ID: 1001}
	co := fakeapi.User{ID: 1002}
	h.bind(lead, store.RoleContact, "区经济促进局")
	h.bind(co, store.RoleContact, "区财政局")
	report(t, h, co, "2.3.3", "按计划推进", "财政局配合测算退税。")
	report(t, h, lead, "2.3.3", "进度滞后", "经促局的内部意见。")

	list := h.say(lead, "我的任务", "本期已填报")
	h.press(lead, list, list.Markup.Buttons()[0].Text)
	detail := h.waitText(lead.ID, "各单位最新进展")
	if !strings.Contains(detail.PlainText, "财政局配合测算退税。") {
		t.Errorf("the lead unit does not see the co-unit's report:\n%s", detail.PlainText)
	}

	since := len(h.sentTo(co.ID))
	list = h.say(co, "我的任务", "本期已填报")
	var label string
	for _, b := range list.Markup.Buttons() {
		if strings.HasPrefix(b.Text, "2.3.3") {
			label = b.Text
		}
	}
	h.press(co, list, label)
	detail = h.waitNew(co.ID, since+1, "任务内容")
	if strings.Contains(detail.PlainText, "经促局的内部意见") {
		t.Errorf("a co-unit sees the lead unit's report:\n%s", detail.PlainText)
	}
	if !strings.Contains(detail.PlainText, "财政局配合测算退税。") {
		t.Errorf("a co-unit does not see its own report:\n%s", detail.PlainText)
	}
}

// A report made from a prompt's button counts for the prompt's period, even
// when answered after that period ended.
func TestLateAnswerToAPromptCountsForItsPeriod(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	h.clock.Set(time.Date(2017, 5, 3, 10, 0, 0, 0, shanghai))
	// The April prompt, as the scheduler enqueues it.
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.Enqueue(ctx, store.Message{
			Key: "prompt:2017-04:1001", Kind: "prompt", Period: "2017-04", ChatID: u.ID, UserID: u.ID,
			Priority: store.PriorityBulk, Method: store.SendMessage,
			Payload: Compose{}.Prompt("区编办", h.plan.Tasks("区编办"), nil, "2017-04"),
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h.bot.Sender().Wake()
	prompt := h.waitText(u.ID, "2017年4月 改革任务进展填报")
	h.press(u, prompt, prompt.Markup.Buttons()[0].Text)
	choose := h.waitText(u.ID, "请选择本期进展状态")
	if !strings.Contains(choose.PlainText, "2017年4月") {
		t.Fatalf("status prompt is not for April:\n%s", choose.PlainText)
	}
	h.press(u, choose, "已完成")
	h.waitText(u.ID, "状态：已完成")
	since := len(h.sentTo(u.ID))
	h.api.SendText(u, "四月工作已完成。")
	h.waitNew(u.ID, since, "已保存")
	if _, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04"); err != nil {
		t.Fatalf("the late answer is not stored for April: %v", err)
	}
	if _, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-05"); err == nil {
		t.Error("the late answer was stored for May")
	}
}

func TestConversationSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	openReport(t, h, u, "2.1.2", "按计划推进")
	h.settle()

	h.halt()
	h.start()
	since := len(h.sentTo(u.ID))
	h.api.SendText(u, "重启后继续填报。")
	h.waitNew(u.ID, since, "已保存")
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.2", "区编办", "2017-04")
	if err != nil || rep.Text != "重启后继续填报。" {
		t.Fatalf("report after restart = %+v, %v", rep, err)
	}
}
