package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// refusedSends are the requests the fake Bot API refused (getUpdates
// aside): a message Telegram would not deliver.
func refusedSends(h *harness) []string {
	var out []string
	for _, r := range h.api.Requests() {
		if r.Status != 200 && r.Method != "getUpdates" {
			out = append(out, fmt.Sprintf("%s to %d: %d %s", r.Method, r.ChatID, r.Status, r.Description))
		}
	}
	return out
}

func TestLongOfficeAndUnitTextsReachTheirReaders(t *testing.T) {
	h := newHarness(t)
	boss := fakeapi.User{ID: 9001, FirstName: "王主任"}
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(zhang, store.RoleContact, "区编办")

	report(t, h, zhang, "2.1.1", "存在困难需协调", strings.Repeat("😀", maxReportText))
	h.waitText(boss.ID, "困难反映")
	view := h.say(boss, "/measure 2.1.1", "各单位最新进展")
	ask := pressNew(h, boss, view, "退回补充", "请输入需要补充的内容")
	officeReply(h, boss, ask, strings.Repeat("😀", maxOfficeText), "已退回 区编办 补充")
	h.waitText(zhang.ID, "退回补充")
	h.say(boss, "/urge 2.1.1 区编办 "+strings.Repeat("😀", maxOfficeText), "已督办 区编办")
	h.waitText(zhang.ID, "📣 督办")
	h.say(zhang, "我的任务", "本期已填报")
	h.say(boss, "/measure 2.1.1", "各单位最新进展")
	h.settle()
	if bad := refusedSends(h); len(bad) > 0 {
		t.Errorf("Telegram refused: %v", bad)
	}
}

// A notice is limited as Telegram counts a message (UTF-16 units after
// the HTML is parsed): a 3000-character Chinese notice full of & and <
// goes; 2990 emoji (5980 units) are refused with how much to cut, where
// they used to be previewed, reported sent and refused by Telegram.
func TestNoticeLimitIsCountedAsTelegramCounts(t *testing.T) {
	h := newHarness(t)
	boss := fakeapi.User{ID: 9001, FirstName: "王主任"}
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(zhang, store.RoleContact, "区编办")

	h.say(boss, "/notify "+strings.Repeat("😀", 2990), "这条有 5980 字，请删去至少 2980 字后再发")
	h.settle()
	if n := noticesTo(h, boss.ID) + noticesTo(h, zhang.ID); n != 0 {
		t.Fatalf("an overlong notice was previewed or sent (%d messages)", n)
	}

	chinese := strings.Repeat("请各单位&<落实>", 300) + strings.Repeat("办", 300)
	for _, text := range []string{strings.Repeat("😀", MaxNoticeText/2), chinese} {
		// The preview may come in two parts (its HTML source, with
		// &amp; and &lt;, is longer than 4000); 发送 is under the last.
		preview := h.say(boss, "/notify "+text, "确认无误请点「发送」")
		since := len(h.sentTo(zhang.ID))
		h.press(boss, preview, "发送")
		h.waitText(boss.ID, "已发出")
		got := h.waitNew(zhang.ID, since, "📢 通知")
		if !strings.Contains(got.PlainText, text) {
			t.Errorf("the unit's notice lacks the text (%d characters of it)", len([]rune(got.PlainText)))
		}
		h.press(zhang, got, "收到")
		h.waitNew(zhang.ID, since+1, "确认收到")
	}
	h.settle()
	if bad := refusedSends(h); len(bad) > 0 {
		t.Errorf("Telegram refused: %v", bad)
	}
}

// A draft written before the limit was counted in UTF-16 units is not
// sent when 发送 is pressed: the office is told why, and nothing is said
// to be sent.
func TestOverlongDraftIsNotSent(t *testing.T) {
	h := newHarness(t)
	boss := fakeapi.User{ID: 9001, FirstName: "王主任"}
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(boss, store.RoleOffice, "")
	h.bind(zhang, store.RoleContact, "区编办")
	preview := h.say(boss, "/notify 明天开会", "将发给")
	ctx := context.Background()
	var n store.Notice
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.DraftNotice(ctx, strings.Repeat("😀", 2990), "全部单位", nil, boss.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	since := len(h.sentTo(boss.ID))
	h.api.Press(boss, preview.MessageID, noticeData(sendPrefix, n.ID))
	h.waitNew(boss.ID, since, "请删去至少 2980 字")
	h.settle()
	if got := noticesTo(h, zhang.ID); got != 0 {
		t.Errorf("the overlong draft reached the unit (%d notices)", got)
	}
	for _, m := range h.sentTo(boss.ID)[since:] {
		if strings.Contains(m.PlainText, "已发出") {
			t.Errorf("the office was told the draft was sent: %q", m.PlainText)
		}
	}
	if d, err := h.db.Notice(ctx, n.ID); err != nil || !d.Dropped {
		t.Errorf("the overlong draft is not dropped: %+v, %v", d, err)
	}
	if bad := refusedSends(h); len(bad) > 0 {
		t.Errorf("Telegram refused: %v", bad)
	}
}

// reformbot notify goes through EnqueueNotice: the same limit, and what it
// lets through reaches the unit.
func TestEnqueueNoticeLimit(t *testing.T) {
	h := newHarness(t)
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(zhang, store.RoleContact, "区编办")
	ctx := context.Background()
	enqueue := func(text string) error {
		return h.db.Update(ctx, func(tx *store.Tx) error {
			contacts, err := tx.ActiveContacts(ctx, store.RoleContact)
			if err != nil {
				return err
			}
			a, err := NoticeAudience(h.plan, contacts, true, nil, "")
			if err != nil {
				return err
			}
			_, err = EnqueueNotice(ctx, tx, text, a, 0)
			return err
		})
	}
	if err := enqueue(strings.Repeat("😀", MaxNoticeText/2+1)); err == nil || !strings.Contains(err.Error(), "cut at least 2") {
		t.Errorf("an overlong notice: err = %v", err)
	}
	if err := enqueue(strings.Repeat("😀", MaxNoticeText/2)); err != nil {
		t.Fatal(err)
	}
	m := h.waitText(zhang.ID, "📢 通知")
	h.press(zhang, m, "收到")
	h.waitText(zhang.ID, "确认收到")
	h.settle()
	if got := noticesTo(h, zhang.ID); got != 1 {
		t.Errorf("%d notices reached the unit, want 1", got)
	}
	if bad := refusedSends(h); len(bad) > 0 {
		t.Errorf("Telegram refused: %v", bad)
	}
}
