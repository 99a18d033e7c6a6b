package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Notices (通知): the office tells units something and sees who pressed
// 收到. The operator's `reformbot notify` and the office's /notify both go
// through Audience and EnqueueNotice, so a notice is the same from either.

// MaxNoticeText bounds a notice's text, so it goes as one message with its
// heading and signature.
const MaxNoticeText = 3000

// Audience is who a notice goes to.
type Audience struct {
	Label      string          // 全部单位, 区编办、区法制办, or the group's name
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
		a.Label = u.Name
		names = expand(p, u)
	default:
		var labels []string
		for _, name := range units {
			u, ok := p.Unit(name)
			if !ok {
				return a, unknownUnit(p, name)
			}
			labels = append(labels, u.Name)
			names = append(names, expand(p, u)...)
		}
		if len(names) == 0 {
			return a, errors.New("name at least one unit")
		}
		a.Label = strings.Join(labels, "、")
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
	if text == "" {
		return store.Notice{}, errors.New("a notice needs text")
	}
	if n := utf8.RuneCountInString(text); n > MaxNoticeText {
		return store.Notice{}, fmt.Errorf("a notice is at most %d characters (this one has %d)", MaxNoticeText, n)
	}
	n, err := tx.CreateNotice(ctx, text, a.Label, by, a.Recipients)
	if err != nil {
		return store.Notice{}, err
	}
	markup := oneColumn(button{Text: "收到", CallbackData: ackData(n.ID)})
	for _, c := range a.Recipients {
		_, err := tx.Enqueue(ctx, store.Message{
			Key:  fmt.Sprintf("%s:%d:%d", store.KindNotice, n.ID, c.UserID),
			Kind: store.KindNotice, ChatID: c.ChatID, UserID: c.UserID, Priority: store.PriorityBulk,
			Method:  store.SendMessage,
			Payload: store.Payload{Text: noticeText(n), ParseMode: "HTML", NoPreview: true, ReplyMarkup: markup},
		})
		if err != nil {
			return store.Notice{}, err
		}
	}
	return n, nil
}

func noticeText(n store.Notice) string {
	return "📢 <b>通知</b>\n\n" + esc(n.Text) + "\n\n——" + digest.OfficeName
}

// The 收到 button's callback_data is ack:<notice id>. Its prefix is longer
// than one letter, so it can never be read as one of parseCallback's forms.
const ackPrefix = "ack:"

func ackData(id int64) string { return ackPrefix + strconv.FormatInt(id, 10) }

// parseAck reads a 收到 button's data; ok is false for any other data.
func parseAck(data string) (id int64, ok bool) {
	rest, found := strings.CutPrefix(data, ackPrefix)
	if !found {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != rest {
		return 0, false
	}
	return id, true
}

// ackNotice records a press of 收到 and turns the button into the time it
// was pressed, so the contact sees it was counted.
func (b *Bot) ackNotice(r *request, q *models.CallbackQuery, id int64, bound bool) error {
	if !bound || r.contact.Status == store.Revoked {
		r.answer("")
		return b.unbound(r)
	}
	n, at, err := r.tx.AckNotice(r.ctx, id, r.userID)
	if errors.Is(err, store.ErrNotFound) {
		r.answer("这条通知不是发给您的。")
		return nil
	}
	if err != nil {
		return err
	}
	r.answer("已确认收到")
	if m := q.Message.Message; m != nil {
		r.queue(store.Message{
			Kind: "reply", ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
			Method: store.EditMessageText,
			Payload: store.Payload{
				MessageID: int64(m.ID), ParseMode: "HTML", NoPreview: true,
				Text: noticeText(n) + "\n\n✅ 已于 " + shortDate(at, b.cfg.Location) + " 确认收到",
			},
		})
	}
	return nil
}

// notify is the office's /notify [单位、单位] 内容: to every unit, or to
// the units named first when the first word names them.
func (b *Bot) notify(r *request, args string) error {
	if !b.requireOffice(r) {
		return nil
	}
	if args == "" {
		r.reply("请在命令后写通知内容，如：\n/notify 请于周五前完成本月填报\n只发给部分单位时，先写单位名称：\n/notify 区编办、区法制办 请于周五前补报", officeKeyboard())
		return nil
	}
	all, units, text := true, []string(nil), args
	if first, rest, ok := strings.Cut(args, " "); ok && strings.TrimSpace(rest) != "" {
		names := strings.FieldsFunc(first, func(c rune) bool { return c == '、' || c == ',' || c == '，' })
		known := len(names) > 0
		for _, name := range names {
			if _, ok := b.plan.Unit(name); !ok {
				known = false
			}
		}
		if known {
			all, units, text = false, names, strings.TrimSpace(rest)
		}
	}
	if utf8.RuneCountInString(text) > MaxNoticeText {
		r.reply(fmt.Sprintf("通知最多 %d 字，请精简后再发。", MaxNoticeText), officeKeyboard())
		return nil
	}
	contacts, err := r.tx.ActiveContacts(r.ctx, store.RoleContact)
	if err != nil {
		return err
	}
	a, err := NoticeAudience(b.plan, contacts, all, units, "")
	if err != nil {
		r.reply("没有可以接收通知的单位联系人，通知未发出。", officeKeyboard())
		return nil
	}
	n, err := EnqueueNotice(r.ctx, r.tx, text, a, r.userID)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("通知 #%d 已发出：%s，%d 位联系人。\n各单位点「收到」后，可用 /notices 查看谁已收到。", n.ID, esc(a.Label), len(a.Recipients))
	if len(a.Unbound) > 0 {
		msg += "\n未绑定联系人、收不到通知的单位：" + esc(strings.Join(a.Unbound, "、"))
	}
	r.reply(msg, officeKeyboard())
	return nil
}

// noticesShown is how many recent notices /notices lists.
const noticesShown = 5

// notices is the office's /notices: the latest notices, each with how many
// pressed 收到 and who has not yet.
func (b *Bot) notices(r *request) error {
	if !b.requireOffice(r) {
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
		fmt.Fprintf(&s, "<b>通知 #%d</b> · %s · %s\n", n.ID, shortDate(n.CreatedAt, b.cfg.Location), esc(n.Audience))
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
