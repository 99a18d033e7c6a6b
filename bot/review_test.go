package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// officeReply answers the office's ForceReply prompt containing ask with
// text and waits for the office's answer containing want.
func officeReply(h *harness, u fakeapi.User, prompt fakeapi.Message, text, want string) fakeapi.Message {
	h.t.Helper()
	if prompt.Markup == nil || !prompt.Markup.ForceReply {
		h.t.Errorf("the office's prompt is not a ForceReply: %s", prompt.PlainText)
	}
	since := len(h.sentTo(u.ID))
	h.api.Reply(u, prompt.MessageID, text)
	return h.waitNew(u.ID, since, want)
}

// pressNew presses label under m and waits for a new message holding want.
func pressNew(h *harness, u fakeapi.User, m fakeapi.Message, label, want string) fakeapi.Message {
	h.t.Helper()
	since := len(h.sentTo(u.ID))
	h.press(u, m, label)
	return h.waitNew(u.ID, since, want)
}

func hasButton(m fakeapi.Message, label string) bool {
	if m.Markup == nil {
		return false
	}
	for _, b := range m.Markup.Buttons() {
		if b.Text == label {
			return true
		}
	}
	return false
}

func TestReturnAndResubmitLoop(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	boss := fakeapi.User{ID: 9001, FirstName: "王主任"}
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	zhao := fakeapi.User{ID: 1003, FirstName: "赵五"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(zhang, store.RoleContact, "区编办")
	h.bind(zhao, store.RoleContact, "区编办")

	report(t, h, zhang, "2.1.1", "按计划推进", "已出台权责清单管理办法。")

	view := h.say(boss, "/measure 2.1.1", "各单位最新进展")
	for _, label := range []string{"已阅·区编办", "退回补充", "督办·区法制办"} {
		if !hasButton(view, label) {
			t.Errorf("the office's measure view lacks %q", label)
		}
	}
	ask := pressNew(h, boss, view, "退回补充", "请输入需要补充的内容")
	officeReply(h, boss, ask, "请补充办法全文 & 实施时间表", "已退回 区编办 补充（2 位联络人）")

	// Both contacts of the unit get it at once, with 填报进展.
	var back fakeapi.Message
	for _, u := range []fakeapi.User{zhang, zhao} {
		back = h.waitText(u.ID, "退回补充")
		if !strings.Contains(back.PlainText, "请补充办法全文 & 实施时间表") || !strings.Contains(back.PlainText, "2.1.1") {
			t.Errorf("the return lacks the comment or the measure:\n%s", back.PlainText)
		}
		if !hasButton(back, "填报进展（2017年4月）") {
			t.Errorf("the return has no 填报进展 button")
		}
	}
	// 需补充: first in 我的任务 with 🔁, and not counted as reported.
	list := h.say(zhang, "我的任务", "本期已填报 0 项")
	first := strings.Index(list.PlainText, "🔁 2.1.1")
	if first < 0 || strings.Index(list.PlainText, "2.1.2") < first || !strings.Contains(list.PlainText, "需补充") {
		t.Errorf("the returned measure is not first with 🔁 需补充:\n%s", list.PlainText)
	}
	if m := h.say(boss, "/missing", "未填报"); !strings.Contains(m.PlainText, "2.1.1") {
		t.Errorf("/missing does not count the returned report as missing:\n%s", m.PlainText)
	}

	// The unit reports again from the return's button: no re-report guard
	// (it was sent back; it has no attachments to choose about), the
	// usual flow; and the office contact who sent it back hears of it.
	choose := pressNew(h, zhao, back, "填报进展（2017年4月）", "请选择本期进展状态")
	ask = pressNew(h, zhao, choose, "按计划推进", "状态：按计划推进")
	since := len(h.sentTo(zhao.ID))
	bossSince := len(h.sentTo(boss.ID))
	h.api.Reply(zhao, ask.MessageID, "办法全文已印发，时间表附后。")
	h.waitNew(zhao.ID, since, "已保存")
	done := h.waitNew(boss.ID, bossSince, "已补充")
	for _, want := range []string{"区编办", "退回意见：请补充办法全文 & 实施时间表", "办法全文已印发，时间表附后。"} {
		if !strings.Contains(done.PlainText, want) {
			t.Errorf("the office's 已补充 lacks %q:\n%s", want, done.PlainText)
		}
	}
	if list := h.say(zhang, "我的任务", "本期已填报 1 项"); strings.Contains(list.PlainText, "🔁") {
		t.Errorf("still 需补充 after the unit reported again:\n%s", list.PlainText)
	}

	// 已阅 on the new version; the unit sees it in the measure's detail.
	view = h.say(boss, "/measure 2.1.1", "各单位最新进展")
	pressNew(h, boss, view, "已阅·区编办", "已阅：区编办")
	pressNew(h, boss, view, "已阅·区编办", "记为已阅") // a double tap records nothing more
	list = h.say(zhang, "我的任务", "本期已填报 1 项")
	detail := pressNew(h, zhang, list, list.Markup.Buttons()[len(list.Markup.Buttons())-1].Text, "任务内容")
	if !strings.Contains(detail.PlainText, "改革办已阅 4月20日") {
		// the last button is the reported measure (unreported come first)
		t.Errorf("the unit's measure detail does not show 已阅:\n%s", detail.PlainText)
	}
	// The measure's history has both reviews.
	view = h.say(boss, "/measure 2.1.1", "审阅与督办记录")
	for _, want := range []string{"退回补充 区编办 2017年4月：请补充办法全文", "已阅 区编办 2017年4月"} {
		if !strings.Contains(view.PlainText, want) {
			t.Errorf("the history lacks %q:\n%s", want, view.PlainText)
		}
	}
	if n := strings.Count(view.PlainText, "已阅 区编办"); n != 1 {
		t.Errorf("the history has 已阅 %d times, want once:\n%s", n, view.PlainText)
	}
	// A stale button (the first version, now superseded) reviews nothing.
	old, err := h.db.History(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || len(old) != 2 {
		t.Fatalf("history = %d, %v", len(old), err)
	}
	since = len(h.sentTo(boss.ID))
	h.api.Press(boss, view.MessageID, "rvx:"+itoa(old[0].ID))
	h.waitNew(boss.ID, since, "已更新了这份填报")
	// A unit contact cannot review.
	since = len(h.sentTo(zhang.ID))
	h.api.Press(zhang, view.MessageID, "rvx:"+itoa(old[1].ID))
	h.waitNew(zhang.ID, since, textOfficeOnly)
	// A comment asked for and left: text half an hour later is a search,
	// never words sent to the unit.
	view = h.say(boss, "/measure 2.1.1", "各单位最新进展")
	pressNew(h, boss, view, "退回补充", "请输入需要补充的内容")
	h.clock.Set(h.clock.Now().Add(31 * time.Minute))
	h.say(boss, "搜索 强区放权", "2.1.1")
	h.settle()
	if n := strings.Count(strings.Join(texts(h.sentTo(zhang.ID)), "\n"), "🔁 退回补充"); n != 1 {
		t.Errorf("区编办 got %d returns, want 1", n)
	}
	rv, err := h.db.ReturnedReports(ctx, 2017, "2017-04")
	if err != nil || len(rv) != 0 {
		t.Errorf("returned after the re-report = %+v, %v; want none", rv, err)
	}
}

func TestUrge(t *testing.T) {
	h := newHarness(t)
	boss := fakeapi.User{ID: 9001, FirstName: "王主任"}
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	li := fakeapi.User{ID: 1002, FirstName: "李四"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(zhang, store.RoleContact, "区编办")
	h.bind(li, store.RoleContact, "区法制办")

	h.say(boss, "/urge 2.1.1 区编办 请于本周五前补报 <急>", "已督办 区编办（1 位联络人）")
	m := h.waitText(zhang.ID, "📣 督办")
	if !strings.Contains(m.PlainText, "请于本周五前补报 <急>") || !strings.Contains(m.PlainText, "2.1.1") {
		t.Errorf("the 督办 lacks the words or the measure:\n%s", m.PlainText)
	}
	if !hasButton(m, "填报进展（2017年4月）") {
		t.Errorf("the 督办 has no 填报进展 button")
	}
	pressNew(h, zhang, m, "填报进展（2017年4月）", "请选择本期进展状态")

	h.say(boss, "/urge 2.1.1 区财政局 快", "不是 2.1.1 的责任单位")
	h.say(boss, "/urge 2.1.1 不存在局 快", "未找到单位")
	h.say(boss, "/urge 2.1.1", "用法")
	h.say(zhang, "/urge 2.1.1 区法制办 快", textOfficeOnly)

	// The 督办 button in the measure view asks for the words.
	view := h.say(boss, "/measure 2.1.1", "各单位最新进展")
	ask := pressNew(h, boss, view, "督办·区法制办", "请输入督办内容")
	officeReply(h, boss, ask, "请尽快填报", "已督办 区法制办（1 位联络人）")
	h.waitText(li.ID, "请尽快填报")
	// A unit contact pressing a forged 督办 is refused.
	since := len(h.sentTo(zhang.ID))
	h.api.Press(zhang, view.MessageID, urgePrefix+":2.1.1:"+unitTag("区法制办"))
	h.waitNew(zhang.ID, since, textOfficeOnly)

	view = h.say(boss, "/measure 2.1.1", "审阅与督办记录")
	for _, want := range []string{"督办 区编办：请于本周五前补报 &lt;急&gt;", "督办 区法制办：请尽快填报"} {
		if !strings.Contains(view.Text, want) {
			t.Errorf("the history lacks %q:\n%s", want, view.Text)
		}
	}
	// The unit view's 督办: the unit's unreported tasks, with 我的任务.
	unitView := h.say(boss, "/unit 区编办", "联络人：张三")
	ask = pressNew(h, boss, unitView, "督办·区编办", "请输入督办内容")
	officeReply(h, boss, ask, "本月任务请抓紧", "已督办 区编办（1 位联络人）：本期未填报 3 项")
	all := h.waitText(zhang.ID, "本月任务请抓紧")
	if !strings.Contains(all.PlainText, "本期未填报：2.1.1、2.1.2、2.3.3") || !hasButton(all, "我的任务") {
		t.Errorf("the unit's 督办:\n%s", all.PlainText)
	}
	h.say(boss, "/urge 区编办 第三次督办", "已督办 区编办")
	urges, err := h.db.PeriodUrges(context.Background(), 2017, "2017-04")
	if err != nil || len(urges) != 4 {
		t.Errorf("urges = %+v, %v; want 4", urges, err)
	}
	h.settle()
	if n := strings.Count(strings.Join(texts(h.sentTo(li.ID)), "\n"), "📣 督办"); n != 1 {
		t.Errorf("区法制办 got %d 督办, want 1", n)
	}

	// Nothing to press: a measure already reported, a unit that reported
	// everything, a unit no contact has bound (refused before the words
	// are asked for). None is recorded.
	for _, id := range []string{"2.1.1", "2.1.2", "2.3.3"} {
		report(t, h, zhang, id, "按计划推进", "已推进。")
	}
	h.say(boss, "/urge 2.1.1 区编办 再催", "已填报 2.1.1")
	h.say(boss, "/urge 区编办 再催", "任务已全部填报，无需督办")
	if unitView := h.say(boss, "/unit 区编办", "联络人：张三"); hasButton(unitView, "督办·区编办") {
		t.Errorf("the unit view offers 督办 to a unit that reported everything")
	}
	h.say(boss, "/urge 区财政局 快", "尚未绑定联络人")
	if urges, err := h.db.PeriodUrges(context.Background(), 2017, "2017-04"); err != nil || len(urges) != 4 {
		t.Errorf("urges = %d, %v; the refused ones were recorded", len(urges), err)
	}
}

func texts(ms []fakeapi.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.PlainText)
	}
	return out
}

func TestReReportGuardAndDifficultyCleared(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	boss := fakeapi.User{ID: 9001, FirstName: "王主任"}
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	zhao := fakeapi.User{ID: 1003, FirstName: "赵五"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(zhang, store.RoleContact, "区编办")
	h.bind(zhao, store.RoleContact, "区编办")

	report(t, h, zhang, "2.1.1", "存在困难需协调", "场地未落实，需协调")
	since := len(h.sentTo(zhang.ID))
	h.api.SendPhoto(zhang, "现场")
	h.waitNew(zhang.ID, since, "已将照片添加到")
	alert := h.waitText(boss.ID, "困难反映")
	if !hasButton(alert, "已阅·区编办") || !hasButton(alert, "退回补充") {
		t.Errorf("the difficulty alert has no review buttons")
	}

	// Another contact of the unit is shown the unit's report first.
	list := h.say(zhao, "我的任务", "本期已填报 1 项")
	var label string
	for _, b := range list.Markup.Buttons() {
		if strings.HasPrefix(b.Text, "2.1.1 ") {
			label = b.Text
		}
	}
	detail := pressNew(h, zhao, list, label, "任务内容")
	guard := pressNew(h, zhao, detail, "填报进展（2017年4月）", "本期已由")
	if !strings.Contains(guard.PlainText, "本期已由 张三 于 4月20日 填报：存在困难需协调——场地未落实，需协调") {
		t.Errorf("guard:\n%s", guard.PlainText)
	}
	for _, l := range []string{"更新（保留原附件）", "更新（不保留附件）", "取消"} {
		if !hasButton(guard, l) {
			t.Errorf("the guard lacks %q", l)
		}
	}
	if back := pressNew(h, zhao, guard, "取消", "已取消"); !hasButton(back, labelBackList) {
		t.Errorf("取消 under the guard is a dead end: %q", back.PlainText)
	}
	if cur, _ := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04"); cur.Status != plan.NeedsHelp {
		t.Fatalf("取消 changed the report: %+v", cur)
	}

	// 更新 without the attachments: the new version starts bare, and the
	// office hears the difficulty was cleared, by whom.
	// 取消 took the guard's buttons away: open it again.
	list = h.say(zhao, "我的任务", "本期已填报 1 项")
	again := pressNew(h, zhao, list, label, "任务内容")
	guard = pressNew(h, zhao, again, "填报进展（2017年4月）", "本期已由")
	choose := pressNew(h, zhao, guard, "更新（不保留附件）", "请选择本期进展状态")
	ask := pressNew(h, zhao, choose, "按计划推进", "状态：按计划推进")
	since = len(h.sentTo(zhao.ID))
	h.api.Reply(zhao, ask.MessageID, "场地已落实。")
	h.waitNew(zhao.ID, since, "已保存")
	cleared := h.waitText(boss.ID, "困难已解除")
	for _, want := range []string{"2.1.1", "区编办", "场地未落实", "赵五 更新"} {
		if !strings.Contains(cleared.PlainText, want) {
			t.Errorf("the cleared notice lacks %q:\n%s", want, cleared.PlainText)
		}
	}
	cur, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || cur.Text != "场地已落实。" || len(cur.Attachments) != 0 {
		t.Fatalf("current = %+v, %v; want the new text and no attachments", cur, err)
	}
	since = len(h.sentTo(zhao.ID))
	h.api.SendDocument(zhao, "协议.pdf", 1024, "")
	h.waitNew(zhao.ID, since, "已将文件")

	// 更新 keeping the attachments carries them.
	list = h.say(zhang, "我的任务", "本期已填报 1 项")
	mine := pressNew(h, zhang, list, label, "任务内容")
	guard = pressNew(h, zhang, mine, "填报进展（2017年4月）", "本期已由 赵五")
	choose = pressNew(h, zhang, guard, "更新（保留原附件）", "请选择本期进展状态")
	ask = pressNew(h, zhang, choose, "已完成", "状态：已完成")
	since = len(h.sentTo(zhang.ID))
	h.api.Reply(zhang, ask.MessageID, "已完成。")
	h.waitNew(zhang.ID, since, "已保存")
	cur, err = h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || cur.Status != plan.Done || len(cur.Attachments) != 1 || cur.Attachments[0].FileName != "协议.pdf" {
		t.Fatalf("current = %+v, %v; want 已完成 with 协议.pdf kept", cur, err)
	}
	h.settle()
	if n := strings.Count(strings.Join(texts(h.sentTo(boss.ID)), "\n"), "困难已解除"); n != 1 {
		t.Errorf("the office was told %d times that the difficulty was cleared, want once", n)
	}
}

// A measure with many units, each reported with an attachment: the office's
// view with its review buttons still fits Telegram's limits (the fake
// refuses markup over them).
func TestReviewButtonsFitAManyUnitMeasure(t *testing.T) {
	p := testPlan()
	var units []string
	for i := 0; i < 30; i++ {
		name := fmt.Sprintf("深圳市罗湖区第%02d城市更新和土地整备局", i)
		units = append(units, name)
		p.Units = append(p.Units, plan.Unit{Name: name, Aliases: []string{}})
	}
	p.Categories[0].Projects[0].Measures[0].LeadUnits = units
	if problems := p.Validate(); len(problems) > 0 {
		t.Fatalf("proved nothing: the plan is invalid: %v", problems)
	}
	h := newHarness(t, withPlan(p))
	boss := fakeapi.User{ID: 9001, FirstName: "王主任"}
	h.bind(boss, store.RoleOffice, "")
	ctx := context.Background()
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		for i, u := range units {
			rep, err := tx.SaveReport(ctx, store.Report{PlanYear: 2017, MeasureID: "2.1.1", Unit: u, Period: "2017-04",
				Status: plan.OnTrack, Text: strings.Repeat("进展", 100), ReporterID: int64(2000 + i), ReporterName: "联络人"})
			if err != nil {
				return err
			}
			if _, err := tx.AddAttachment(ctx, rep.ID, store.Attachment{Kind: store.Photo, FileID: fmt.Sprint("f", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.say(boss, "/measure 2.1.1", "各单位最新进展")
	h.settle()
	sent := h.sentTo(boss.ID)
	view := sent[len(sent)-1] // a long view is split; the buttons go with its last part
	if !hasButton(view, "退回补充") || !hasButton(view, "查看附件："+units[19]) {
		t.Errorf("the review or attachment buttons are missing:\n%s", view.PlainText)
	}
	if counts, err := h.db.OutboxCounts(ctx); err != nil || counts[store.Failed] != 0 {
		t.Errorf("outbox = %v, %v: Telegram refused a part", counts, err)
	}
}
