package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// notices counts the messages chatID received that are notices (edits
// aside).
func noticesTo(h *harness, chatID int64) int {
	n := 0
	for _, m := range h.sentTo(chatID) {
		if !m.IsEdit() && strings.Contains(m.PlainText, "📢 通知") {
			n++
		}
	}
	return n
}

func TestNoticeWithAcknowledgements(t *testing.T) {
	h := newHarness(t)
	boss := fakeapi.User{ID: 9001, FirstName: "王主任"}
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	li := fakeapi.User{ID: 1002, FirstName: "李四"}
	zhao := fakeapi.User{ID: 1003, FirstName: "赵五"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(zhang, store.RoleContact, "区编办")
	h.bind(li, store.RoleContact, "区法制办")
	h.bind(zhao, store.RoleContact, "区编办")

	// A unit contact cannot send notices, nor press another's 发送.
	h.say(zhang, "/notify 大家好", "改革办")
	if noticesTo(h, li.ID) != 0 {
		t.Fatal("a unit contact's /notify reached another unit")
	}
	forged := h.say(boss, "/notify 伪造测试", "将发给")
	h.api.Press(zhang, forged.MessageID, "nts:1")
	h.settle()
	if noticesTo(h, li.ID) != 0 {
		t.Fatal("a unit contact's forged 发送 sent the office's draft")
	}
	h.press(boss, forged, "取消")
	h.waitText(boss.ID, "已取消")

	preview := h.say(boss, "/notify 请于4月25日前完成本月填报 & 上传照片", "将发给：全部单位，3 位联络人")
	if !strings.Contains(preview.PlainText, "📢 通知\n\n请于4月25日前完成本月填报 & 上传照片") {
		t.Errorf("the preview does not show the notice as units will see it:\n%s", preview.PlainText)
	}
	h.settle()
	if noticesTo(h, zhang.ID) != 0 {
		t.Fatal("the notice went out before the office pressed 发送")
	}
	h.press(boss, preview, "发送")
	h.waitText(boss.ID, "通知 #2 已发出：全部单位，3 位联络人")
	// 发送 pressed again (a double tap) sends nothing more: a toast says
	// so, and the preview keeps saying how to follow the notice.
	h.api.Press(boss, preview.MessageID, "nts:2")
	h.api.WaitFor(t, 30*time.Second, func([]fakeapi.Message) bool {
		for _, a := range h.api.CallbackAnswers() {
			if strings.Contains(a.Text, "不会重复发送") {
				return true
			}
		}
		return false
	})
	h.settle()
	if last := h.sentTo(boss.ID); !strings.Contains(last[len(last)-1].PlainText, "/notices") {
		t.Errorf("the double tap replaced the preview: %q", last[len(last)-1].PlainText)
	}
	m := h.waitText(zhang.ID, "📢 通知")
	if !strings.Contains(m.PlainText, "请于4月25日前完成本月填报 & 上传照片") {
		t.Errorf("notice text: %q", m.PlainText)
	}
	h.waitText(li.ID, "📢 通知")
	h.waitText(zhao.ID, "📢 通知")

	h.press(zhang, m, "收到")
	edited := h.waitText(zhang.ID, "确认收到")
	if !edited.IsEdit() || edited.MessageID != m.MessageID {
		t.Errorf("收到 should edit the notice in place, got %s", edited)
	}
	if edited.Markup != nil && len(edited.Markup.InlineKeyboard) > 0 {
		t.Errorf("the 收到 button is still there after pressing it")
	}
	// A second press (from a stale copy, or a double tap) changes nothing.
	h.api.Press(zhang, m.MessageID, "ack:2")
	// Someone the notice was not sent to cannot acknowledge it.
	h.api.Press(boss, m.MessageID, "ack:2")
	h.settle()
	refused, again := false, false
	for _, a := range h.api.CallbackAnswers() {
		refused = refused || (a.UserID == boss.ID && strings.Contains(a.Text, "不是发给您的"))
		again = again || (a.UserID == zhang.ID && strings.Contains(a.Text, "您已于 4月20日 10:00 确认收到"))
	}
	if !refused {
		t.Error("the office's press of another's 收到 was not refused")
	}
	if !again {
		t.Error("a second 收到 was not answered with the first one's time")
	}
	edits := 0
	for _, m := range h.sentTo(zhang.ID) {
		if m.IsEdit() {
			edits++
		}
	}
	if edits != 1 {
		t.Errorf("the notice was edited %d times, want once", edits)
	}

	status := h.say(boss, "/notices", "通知 #2")
	for _, want := range []string{"已收到 1/3", "未确认：", "区编办（赵五）", "区法制办（李四）"} {
		if !strings.Contains(status.PlainText, want) {
			t.Errorf("/notices lacks %q:\n%s", want, status.PlainText)
		}
	}
	if strings.Contains(status.PlainText, "张三") {
		t.Errorf("/notices lists 张三 as not acknowledged:\n%s", status.PlainText)
	}

	// Cancelled: nobody gets it.
	draft := h.say(boss, "/notify 明天停电", "将发给：全部单位")
	h.press(boss, draft, "取消")
	h.waitText(boss.ID, "已取消，通知未发出")
	h.api.Press(boss, draft.MessageID, "nts:3")
	h.waitText(boss.ID, "这条通知已取消")

	// To one unit only, named on the command's line.
	draft = h.say(boss, "/notify 区法制办\n请补报2.1.1", "将发给：区法制办，1 位联络人")
	h.press(boss, draft, "发送")
	h.waitText(li.ID, "请补报2.1.1")
	h.settle()
	if n := noticesTo(h, zhang.ID); n != 1 {
		t.Errorf("张三 received %d notices, want only the first", n)
	}

	// Units written the way people write them: full-width comma and
	// colon. A name that is no unit, or units without words, make no draft.
	h.say(boss, "/notify 区编办，区法制办：请补报", "将发给：区编办、区法制办")
	h.say(boss, "/notify 区编办、不存在局 请补报", "未找到单位：不存在局")
	h.say(boss, "/notify 区编办", "请在单位名称后写通知内容")
	h.say(boss, "/notify 区编办：", "请在单位名称后写通知内容")

	ns, err := h.db.Notices(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || ns[1].Acked() != 1 || ns[0].ID != 4 || len(ns[0].Recipients) != 1 {
		t.Errorf("notices as stored: %+v", ns)
	}
	// Notices are bulk rows, paced like prompts, and keyed per notice and
	// contact.
	rows, err := h.db.Messages(context.Background(), store.KindNotice, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Errorf("%d notice rows, want 4", len(rows))
	}
	for _, r := range rows {
		if r.Priority != store.PriorityBulk || !strings.HasPrefix(r.Key, "notice:") {
			t.Errorf("notice row %s: priority %d", r.Key, r.Priority)
		}
	}
}

func TestNoticeIsNeverSentTwice(t *testing.T) {
	h := newHarness(t)
	u := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(u, store.RoleContact, "区编办")
	ctx := context.Background()
	var n store.Notice
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		contacts, err := tx.ActiveContacts(ctx, store.RoleContact)
		if err != nil {
			return err
		}
		a, err := NoticeAudience(h.plan, contacts, false, []string{"區編辦"}, "")
		if err != nil {
			return err
		}
		n, err = EnqueueNotice(ctx, tx, "明天上午开会", a, 0)
		if err != nil {
			return err
		}
		// The same rows again, as a retried transaction would write them:
		// the keys keep them single.
		for _, c := range a.Recipients {
			added, err := tx.Enqueue(ctx, store.Message{Key: "notice:" + itoa(n.ID) + ":" + itoa(c.UserID),
				Kind: store.KindNotice, ChatID: c.ChatID, Method: store.SendMessage, Payload: store.Payload{Text: "x"}})
			if err != nil || added {
				t.Errorf("second enqueue of a notice row: added %v, %v", added, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.waitText(u.ID, "明天上午开会")
	h.halt()
	h.start() // a restart sends nothing again
	h.settle()
	if got := noticesTo(h, u.ID); got != 1 {
		t.Errorf("%d notices delivered, want 1", got)
	}
}

func TestNoticeAudience(t *testing.T) {
	p := testPlan()
	for i := range p.Units {
		if p.Units[i].Name == "各街道办" {
			p.Units[i].Members = []string{"区编办", "区财政局"}
		}
	}
	contacts := []store.Contact{
		{UserID: 1, Unit: "区编办", Role: store.RoleContact, Status: store.Active},
		{UserID: 2, Unit: "区财政局", Role: store.RoleContact, Status: store.Revoked},
		{UserID: 3, Unit: "区法制办", Role: store.RoleContact, Status: store.Active},
		{UserID: 4, Role: store.RoleOffice, Status: store.Active},
	}
	tests := []struct {
		name    string
		all     bool
		units   []string
		group   string
		want    []int64
		unbound string
		err     string
	}{
		{name: "all", all: true, want: []int64{1, 3}},
		{name: "units", units: []string{"区法制办", "区编办"}, want: []int64{3, 1}},
		{name: "group members", group: "各街道办", want: []int64{1}, unbound: "区财政局"},
		{name: "not a group", group: "区编办", err: "not a group"},
		{name: "unknown", units: []string{"区编制办"}, err: "close matches: 区编办"},
		{name: "nobody bound", units: []string{"区财政局"}, err: "no bound contact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NoticeAudience(p, contacts, tt.all, tt.units, tt.group)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, c := range a.Recipients {
				got = append(got, c.UserID)
			}
			if itoa(int64(len(got))) != itoa(int64(len(tt.want))) || strings.Join(a.Unbound, ",") != tt.unbound {
				t.Errorf("recipients %v unbound %v, want %v %v", got, a.Unbound, tt.want, tt.unbound)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("recipients %v, want %v", got, tt.want)
				}
			}
		})
	}
}
