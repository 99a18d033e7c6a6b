package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Notices (通知): the office tells units something and sees who pressed
// 收到. The operator's `reformbot notify` and the office's /notify both go
// through Audience and EnqueueNotice, so a notice is the same from either.

// MaxNoticeText bounds a notice's text as Telegram counts a message: in
// UTF-16 code units, so a Chinese character is one and an emoji two. A
// notice goes to each unit as one message with its heading, signature and,
// once pressed, the 收到 line; Telegram takes 4096 units, and 3000 leaves
// that room whatever the text holds.
const MaxNoticeText = 3000

// noticeExcess is by how much text exceeds MaxNoticeText (0 if it fits).
// text is counted as the units read it: esc's &amp; is one character again
// once Telegram has parsed the HTML.
func noticeExcess(text string) int { return max(utf16Len(text)-MaxNoticeText, 0) }

// Audience is who a notice goes to.
type Audience struct {
	Label      string          // 全部单位, 区编办、区法制办, or the group's name
	Units      []string        // the units named (canonical); nil for all
	Recipients []store.Contact // the active contacts of the units addressed
	Unbound    []string        // units addressed that have no active contact
}

// NoticeAudience resolves who a notice is for: every unit (all), the named
// units (a group with listed members stands for them), or one group's
// members. Unknown names are an error naming close matches.
func NoticeAudience(p *plan.Plan, contacts []store.Contact, all bool, units []string, group string) (Audience, error) {
	var names []string
	var a Audience
	switch {
	case all:
		a.Label = "全部单位"
		for _, c := range contacts {
			if c.CanReport() {
				a.Recipients = append(a.Recipients, c)
			}
		}
		if len(a.Recipients) == 0 {
			return a, errors.New("no unit has a bound contact yet")
		}
		return a, nil
	case group != "":
		u, ok := p.Unit(group)
		if !ok {
			return a, unknownUnit(p, group)
		}
		if !u.Group {
			return a, fmt.Errorf("%s is not a group of units: use --unit", u.Name)
		}
		a.Label, a.Units = u.Name, []string{u.Name}
		names = expand(p, u)
	default:
		var labels []string
		for _, name := range units {
			u, ok := p.Unit(name)
			if !ok {
				return a, unknownUnit(p, name)
			}
			if !slices.Contains(labels, u.Name) {
				labels = append(labels, u.Name)
			}
			names = append(names, expand(p, u)...)
		}
		if len(names) == 0 {
			return a, errors.New("name at least one unit")
		}
		a.Label, a.Units = strings.Join(labels, "、"), labels
	}
	seen := map[string]bool{}
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		found := false
		for _, c := range contacts {
			if c.CanReport() && c.Unit == name {
				a.Recipients = append(a.Recipients, c)
				found = true
			}
		}
		if !found {
			a.Unbound = append(a.Unbound, name)
		}
	}
	if len(a.Recipients) == 0 {
		return a, fmt.Errorf("no bound contact in %s", a.Label)
	}
	return a, nil
}

// expand is a unit's reporting units: a group's listed members, or itself.
func expand(p *plan.Plan, u plan.Unit) []string {
	if u.Group && len(u.Members) > 0 {
		return u.Members
	}
	return []string{u.Name}
}

func unknownUnit(p *plan.Plan, name string) error {
	msg := fmt.Sprintf("unknown unit %q", name)
	if s := p.SuggestUnits(name, 3); len(s) > 0 {
		msg += "; close matches: " + strings.Join(s, ", ")
	}
	return errors.New(msg)
}

// EnqueueNotice records a notice and enqueues its message to each
// recipient, in tx: the notice, its recipients and its outbox rows commit
// together or not at all, and the rows' keys (notice:<id>:<user>) make
// each message one send. Notices go at bulk priority, paced like prompts.
func EnqueueNotice(ctx context.Context, tx *store.Tx, text string, a Audience, by int64) (store.Notice, error) {
	text = strings.TrimSpace(text)
	if err := checkNoticeText(text); err != nil {
		return store.Notice{}, err
	}
	n, err := tx.CreateNotice(ctx, text, a.Label, a.Units, by, a.Recipients)
	if err != nil {
		return store.Notice{}, err
	}
	for _, m := range noticeMessages(n, a.Recipients) {
		if _, err := tx.Enqueue(ctx, m); err != nil {
			return store.Notice{}, err
		}
	}
	return n, nil
}

func checkNoticeText(text string) error {
	if text == "" {
		return errors.New("a notice needs text")
	}
	if over := noticeExcess(text); over > 0 {
		return fmt.Errorf("a notice is at most %d characters as Telegram counts them (an emoji counts as 2); this one has %d: cut at least %d",
			MaxNoticeText, utf16Len(text), over)
	}
	return nil
}

// noticeTooLong is the office's refusal of a notice over MaxNoticeText:
// how much to cut, and why an emoji-heavy text is longer than it looks.
func noticeTooLong(text string) string {
	return fmt.Sprintf("通知最多 %d 字（表情符号按 2 字计），这条有 %d 字，请删去至少 %d 字后再发。",
		MaxNoticeText, utf16Len(text), noticeExcess(text))
}

// noticeMessages are a notice's message to each recipient, keyed by the
// notice and the contact: it is never sent twice to one.
func noticeMessages(n store.Notice, recipients []store.Contact) []store.Message {
	markup := oneColumn(button{Text: "收到", CallbackData: ackData(n.ID)})
	out := make([]store.Message, 0, len(recipients))
	for _, c := range recipients {
		out = append(out, store.Message{
			Key:  fmt.Sprintf("%s:%d:%d", store.KindNotice, n.ID, c.UserID),
			Kind: store.KindNotice, ChatID: c.ChatID, UserID: c.UserID, Priority: store.PriorityBulk,
			Method:  store.SendMessage,
			Payload: store.Payload{Text: noticeText(n), ParseMode: "HTML", NoPreview: true, ReplyMarkup: markup},
		})
	}
	return out
}

func noticeText(n store.Notice) string {
	return "📢 <b>通知</b>\n\n" + esc(n.Text) + "\n\n——" + digest.OfficeName
}

// Notice buttons' callback_data is <prefix>:<notice id>: ack (收到), nts
// (the office's 发送 under a draft) and ntx (取消). The prefixes are longer
// than one letter, so they can never be read as one of parseCallback's
// forms.
const (
	ackPrefix  = "ack"
	sendPrefix = "nts"
	dropPrefix = "ntx"
)

func ackData(id int64) string { return noticeData(ackPrefix, id) }

func noticeData(prefix string, id int64) string { return prefix + ":" + strconv.FormatInt(id, 10) }

// parseNoticeCallback reads a notice button's data; ok is false for any
// other data.
func parseNoticeCallback(data string) (prefix string, id int64, ok bool) {
	prefix, rest, found := strings.Cut(data, ":")
	if !found || (prefix != ackPrefix && prefix != sendPrefix && prefix != dropPrefix) {
		return "", 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != rest {
		return "", 0, false
	}
	return prefix, id, true
}

// onNoticeCallback answers the notice buttons.
func (h *Handlers) onNoticeCallback(r *request, q *models.CallbackQuery, prefix string, id int64, bound bool) error {
	if prefix == ackPrefix {
		return h.ackNotice(r, q, id, bound)
	}
	if prefix == sendPrefix && bound && r.contact.IsOffice() {
		return h.sendDraft(r, q, id) // answers the press itself
	}
	r.answer("")
	if !bound || !r.contact.IsOffice() {
		if !bound || r.contact.Status == store.Revoked {
			return h.unbound(r)
		}
		return nil // a unit contact cannot have this button; nothing to say
	}
	if prefix == dropPrefix {
		return h.dropDraft(r, q, id)
	}
	return h.sendDraft(r, q, id)
}

// ackNotice records a press of 收到 and turns the button into the time it
// was pressed, so the contact sees it was counted.
func (h *Handlers) ackNotice(r *request, q *models.CallbackQuery, id int64, bound bool) error {
	if !bound || r.contact.Status == store.Revoked {
		r.answer("")
		return h.unbound(r)
	}
	n, at, first, err := r.tx.AckNotice(r.ctx, id, r.userID)
	if errors.Is(err, store.ErrNotFound) {
		r.answer("这条通知不是发给您的。")
		return nil
	}
	if err != nil {
		return err
	}
	if !first {
		// A double tap, or a stale copy: the notice already shows it.
		r.answer("您已于 " + shortDate(at, h.loc) + " 确认收到")
		return nil
	}
	r.answer("已确认收到")
	if m := q.Message.Message; m != nil {
		r.queue(store.Message{
			Kind: store.KindReply, ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
			Method: store.EditMessageText,
			Payload: store.Payload{
				MessageID: int64(m.ID), ParseMode: "HTML", NoPreview: true,
				Text: noticeText(n) + "\n\n✅ 已于 " + shortDate(at, h.loc) + " 确认收到",
			},
		})
	}
	return nil
}

// notify is the office's /notify [单位、单位] 内容: to every unit, or to
// the units named first when the first word names them. It shows the
// notice as the units will see it, with whom it goes to, and sends it only
// when the office presses 发送: a notice to every unit is not something to
// send by a slip of the thumb.
func (h *Handlers) notify(r *request, args string) error {
	if !h.requireOffice(r) {
		return nil
	}
	if args == "" {
		r.reply("请在命令后写通知内容，如：\n/notify 请于周五前完成本月填报\n只发给部分单位时，先写单位名称：\n/notify 区编办、区法制办 请于周五前补报", officeKeyboard())
		return nil
	}
	all, units, text := true, []string(nil), args
	// "区编办、区法制办 请补报" or "区编办，区法制办：请补报": the units
	// come first, up to a space or a colon. If some of them are units, all
	// must be; if none is, the whole is the notice, to every unit.
	if i := strings.IndexFunc(args, func(c rune) bool { return unicode.IsSpace(c) || c == '：' || c == ':' }); i > 0 {
		first, rest := args[:i], strings.TrimLeftFunc(args[i:], func(c rune) bool { return unicode.IsSpace(c) || c == '：' || c == ':' })
		names := strings.FieldsFunc(first, func(c rune) bool { return c == '、' || c == ',' || c == '，' })
		var known, unknown []string
		for _, name := range names {
			if u, ok := r.view().plan.Unit(name); ok {
				known = append(known, u.Name)
			} else {
				unknown = append(unknown, name)
			}
		}
		switch {
		case len(known) > 0 && len(unknown) > 0:
			r.reply(fmt.Sprintf("未找到单位：%s。通知未生成，请核对单位名称。", esc(strings.Join(unknown, "、"))), officeKeyboard())
			return nil
		case len(known) > 0 && rest == "":
			r.reply("请在单位名称后写通知内容，如：\n/notify "+esc(strings.Join(known, "、"))+" 请于周五前补报", officeKeyboard())
			return nil
		case len(known) > 0:
			all, units, text = false, known, rest
		}
	} else if u, ok := r.view().plan.Unit(args); ok {
		r.reply("请在单位名称后写通知内容，如：\n/notify "+esc(u.Name)+" 请于周五前补报", officeKeyboard())
		return nil
	}
	if noticeExcess(text) > 0 {
		r.reply(noticeTooLong(text), officeKeyboard())
		return nil
	}
	contacts, err := r.tx.ActiveContacts(r.ctx, store.RoleContact)
	if err != nil {
		return err
	}
	a, err := NoticeAudience(r.view().plan, contacts, all, units, "")
	if err != nil {
		r.reply("没有可以接收通知的单位联络人，通知未发出。", officeKeyboard())
		return nil
	}
	n, err := r.tx.DraftNotice(r.ctx, text, a.Label, a.Units, r.userID)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("将发给：%s，%d 位联络人", esc(a.Label), len(a.Recipients))
	if len(a.Unbound) > 0 {
		msg += "\n（未绑定联络人、收不到的单位：" + esc(strings.Join(a.Unbound, "、")) + "）"
	}
	msg += "\n\n" + noticeText(n) + "\n\n确认无误请点「发送」。"
	r.reply(msg, rowsOf([]button{
		{Text: "发送", CallbackData: noticeData(sendPrefix, n.ID)},
		{Text: "取消", CallbackData: noticeData(dropPrefix, n.ID)},
	}))
	return nil
}

// draftTTL is how long a draft notice can be sent: the audience shown in
// the preview must still be roughly the audience it reaches.
const draftTTL = 48 * time.Hour

// sendDraft sends a draft notice when the office presses 发送: to the
// named units' contacts as they are now.
func (h *Handlers) sendDraft(r *request, q *models.CallbackQuery, id int64) error {
	n, err := r.tx.Notice(r.ctx, id)
	if err == nil && !n.Draft && !n.Dropped {
		// Pressed again (a double tap): the preview already says it was
		// sent and how to follow it; a toast, and the message stays.
		r.answer(fmt.Sprintf("通知 #%d 已于 %s 发出，不会重复发送。", n.ID, shortDate(n.CreatedAt, h.loc)))
		return nil
	}
	r.answer("")
	if errors.Is(err, store.ErrNotFound) || (err == nil && n.Dropped) {
		h.editPreview(r, q, "这条通知已取消，未发出。")
		return nil
	}
	if err != nil {
		return err
	}
	if r.tx.Now().Sub(n.CreatedAt) > draftTTL {
		if _, err := r.tx.DropDraft(r.ctx, id); err != nil {
			return err
		}
		h.editPreview(r, q, "这条通知的草稿已超过48小时，未发出。请重新用 /notify 发送。")
		return nil
	}
	if noticeExcess(n.Text) > 0 {
		// A draft written before the limit was counted as Telegram counts:
		// the units could not receive it, so it is not sent nor said to be.
		if _, err := r.tx.DropDraft(r.ctx, id); err != nil {
			return err
		}
		h.editPreview(r, q, noticeTooLong(n.Text)+"\n这条通知未发出，已作废。")
		return nil
	}
	contacts, err := r.tx.ActiveContacts(r.ctx, store.RoleContact)
	if err != nil {
		return err
	}
	a, err := NoticeAudience(r.view().plan, contacts, len(n.Units) == 0, n.Units, "")
	if err != nil {
		h.editPreview(r, q, "没有可以接收通知的单位联络人，通知未发出。")
		return nil
	}
	if n, err = r.tx.SendDraft(r.ctx, id, a.Recipients); err != nil {
		return err
	}
	for _, m := range noticeMessages(n, a.Recipients) {
		r.queue(m) // keyed by notice and contact: a second 发送 adds nothing
	}
	h.editPreview(r, q, fmt.Sprintf("✅ 通知 #%d 已发出：%s，%d 位联络人。\n「%s」\n各单位点「收到」后，可用 /notices 查看谁已收到。",
		n.ID, esc(a.Label), len(a.Recipients), esc(clip(n.Text, 60))))
	return nil
}

// dropDraft discards a draft notice when the office presses 取消.
func (h *Handlers) dropDraft(r *request, q *models.CallbackQuery, id int64) error {
	dropped, err := r.tx.DropDraft(r.ctx, id)
	if err != nil {
		return err
	}
	if !dropped {
		if n, err := r.tx.Notice(r.ctx, id); err == nil && !n.Draft && !n.Dropped {
			h.editPreview(r, q, fmt.Sprintf("通知 #%d 已发出，无法取消。", n.ID))
			return nil
		}
	}
	h.editPreview(r, q, "已取消，通知未发出。")
	return nil
}

// editPreview replaces the draft's preview (and its buttons) with text,
// or says it in a new message when the preview cannot be edited.
func (h *Handlers) editPreview(r *request, q *models.CallbackQuery, text string) {
	m := q.Message.Message
	if m == nil {
		r.reply(text, officeKeyboard())
		return
	}
	r.queue(store.Message{
		Kind: store.KindReply, ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
		Method:  store.EditMessageText,
		Payload: store.Payload{MessageID: int64(m.ID), Text: text, ParseMode: "HTML", NoPreview: true},
	})
}

// noticesShown is how many recent notices /notices lists.
const noticesShown = 5

// notices is the office's /notices: the latest notices, each with how many
// pressed 收到 and who has not yet.
func (h *Handlers) notices(r *request) error {
	if !h.requireOffice(r) {
		return nil
	}
	ns, err := r.tx.Notices(r.ctx, noticesShown)
	if err != nil {
		return err
	}
	if len(ns) == 0 {
		r.reply("还没有发过通知。发通知：/notify 内容", officeKeyboard())
		return nil
	}
	var parts []string
	for _, n := range ns {
		var s strings.Builder
		fmt.Fprintf(&s, "<b>通知 #%d</b> · %s · %s\n", n.ID, shortDate(n.CreatedAt, h.loc), esc(n.Audience))
		fmt.Fprintf(&s, "「%s」\n", esc(clip(strings.Join(strings.Fields(n.Text), " "), 40)))
		fmt.Fprintf(&s, "已收到 %d/%d", n.Acked(), len(n.Recipients))
		var waiting []string
		for _, rc := range n.Recipients {
			if rc.AckedAt.IsZero() {
				waiting = append(waiting, esc(rc.Unit)+"（"+esc(rc.Name)+"）")
			}
		}
		if len(waiting) > 0 {
			s.WriteString("；未确认：" + strings.Join(waiting, "、"))
		}
		parts = append(parts, s.String())
	}
	r.reply(strings.Join(parts, "\n\n"), officeKeyboard())
	return nil
}
