package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/luohu/reformbot/store"
)

// startPayload is what Telegram lets a deep link carry: at most 64 of
// A-Z a-z 0-9 _ -. Anything else cannot be one of our codes.
var startPayload = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// start handles /start, with an invite code from a deep link or without.
// A bad code gets one polite sentence that reveals nothing; a user who
// keeps guessing is stopped by the store's attempt limit.
func (h *Handlers) start(r *request, payload string) error {
	payload = strings.TrimSpace(payload)
	if payload == "" {
		return h.greet(r)
	}
	if !startPayload.MatchString(payload) {
		payload = "" // still counted as a failed attempt below
	}
	c, err := r.tx.RedeemInvite(r.ctx, payload, store.Contact{
		UserID:   r.userID,
		ChatID:   r.chatID,
		Name:     displayName(r.user),
		Username: r.user.Username,
	}, r.h.inviteAttempts)
	switch {
	case errors.Is(err, store.ErrTooManyAttempts):
		// One answer per user per hour at most: a guesser sending a
		// thousand codes must not make us send a thousand messages.
		bucket := r.now().Truncate(time.Hour).Unix()
		if errors.Is(err, store.ErrGuessingBudget) && h.budgetWarned.Swap(bucket) != bucket {
			h.log.Warn("invite: failed codes from all users reached the hourly budget; refusing every code until it clears", "user", r.userID)
		}
		r.queue(store.Message{
			Key: fmt.Sprintf("ratelimit:%d:%d", r.userID, bucket), Kind: store.KindReply,
			ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
			Method: store.SendMessage, Payload: store.Payload{Text: textTooMany},
		})
		return nil
	case errors.Is(err, store.ErrInviteInvalid):
		if r.contact.CanReport() || r.contact.IsOffice() {
			// Most often someone opening their own invite link again.
			r.reply("该邀请链接已使用或已过期，您的绑定不变。", nil)
			return h.greet(r)
		}
		r.reply(textBadInvite, nil)
		return nil
	case err != nil:
		return err
	}
	// Bound before, elsewhere: say that binding ended.
	moved, wasOffice := "", r.contact.IsOffice()
	if was := r.contact; (was.CanReport() || was.IsOffice()) && (was.Unit != c.Unit || was.Role != c.Role) {
		from := "区委改革办"
		if !was.IsOffice() {
			from = was.Unit
		}
		moved = fmt.Sprintf("\n（原绑定的「%s」已解除。）", esc(from))
	}
	r.contact = c
	w := h.words(r.now())
	if c.IsOffice() {
		digest := "将定期收到填报汇总"
		if w.digestWhen != "" {
			digest = w.digestWhen + "将收到上期填报汇总"
		}
		// The help that follows ends with the difficulty alerts: say it once.
		r.reply(fmt.Sprintf("绑定成功！%s，您已绑定为<b>区委改革办</b>联络人，%s。%s\n\n%s",
			esc(c.Name), digest, moved, helpText(c, w, h.bulletins != nil)), officeKeyboard())
		r.queue(h.chatMenu(r, true))
		return nil
	}
	r.reply(fmt.Sprintf("绑定成功！%s，您已绑定为<b>%s</b>的联络人。%s\n点击下方「我的任务」查看本单位的改革任务并填报进展。%s",
		esc(c.Name), esc(c.Unit), moved, w.sampleNote()), contactKeyboard())
	if wasOffice {
		r.queue(h.chatMenu(r, false)) // the office's menu goes with it
	}
	return nil
}

// chatMenu sets the office's (or the units') command menu in the chat of
// r, for a contact bound since serve started (commands.go sets the office
// contacts' menus then).
func (h *Handlers) chatMenu(r *request, office bool) store.Message {
	return store.Message{
		Kind: store.KindReply, ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
		Method: store.SetMyCommands, Payload: store.Payload{Commands: mustJSON(h.Menu(r.now(), office))},
	}
}

// pastedInvite finds an invite code in text someone pasted instead of
// opening the link (forwarded through another messenger, the link does
// not open the bot): the whole link, or the bare code.
func pastedInvite(text string) (string, bool) {
	if _, after, ok := strings.Cut(text, "?start="); ok {
		end := strings.IndexFunc(after, func(c rune) bool { return !isPayloadRune(c) })
		if end < 0 {
			end = len(after)
		}
		return after[:end], end > 0
	}
	return text, len(text) == store.InviteCodeLen && startPayload.MatchString(text)
}

func isPayloadRune(c rune) bool {
	return c == '_' || c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// greet answers /start without a code.
func (h *Handlers) greet(r *request) error {
	switch {
	case r.contact.IsOffice():
		r.reply(fmt.Sprintf("您好，%s。您是区委改革办联络人。%s", esc(displayName(r.user)), h.words(r.now()).officeSampleNote()), officeKeyboard())
	case r.contact.CanReport():
		r.reply(fmt.Sprintf("您好，%s。您是<b>%s</b>的联络人，点击「我的任务」查看任务。%s",
			esc(displayName(r.user)), esc(r.contact.Unit), h.words(r.now()).sampleNote()), contactKeyboard())
	default:
		return h.unbound(r)
	}
	return nil
}
