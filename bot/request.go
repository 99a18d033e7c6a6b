package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// request is one update being handled inside its transaction. Handlers read
// and write through tx and queue their answers with reply, answer and
// queue; Handle returns them (messages) and the intake writes them as
// outbox rows in the same transaction.
type request struct {
	ctx context.Context
	tx  *store.Tx
	h   *Handlers
	upd *models.Update

	user       *models.User
	userID     int64
	chatID     int64
	private    bool
	callbackID string

	contact store.Contact // zero unless the user is a bound contact of any status

	// inPlace asks show to edit the message whose button was pressed
	// rather than send a new one; carry is a line kept at its top (flow.go).
	inPlace bool
	carry   string

	open plan.Period // period(), once known

	// saveNote is a line for the confirmation of a report saved over one
	// another contact of the unit saved meanwhile (report.go).
	saveNote string

	out []store.Message
}

func (h *Handlers) newRequest(ctx context.Context, tx *store.Tx, upd *models.Update) *request {
	r := &request{ctx: ctx, tx: tx, h: h, upd: upd}
	r.user, r.chatID, r.private = origin(upd)
	if r.user != nil {
		r.userID = r.user.ID
	}
	if upd.CallbackQuery != nil {
		r.callbackID = upd.CallbackQuery.ID
	}
	return r
}

// origin is who sent an update and the chat it came from. The intake
// needs the user too: the inbox row and the budget are per user.
func origin(upd *models.Update) (user *models.User, chatID int64, private bool) {
	var msg *models.Message
	switch {
	case upd.Message != nil:
		msg = upd.Message
	case upd.EditedMessage != nil:
		msg = upd.EditedMessage
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		user, chatID, private = &q.From, q.From.ID, true
		if m := q.Message.Message; m != nil {
			chatID, private = m.Chat.ID, m.Chat.Type == models.ChatTypePrivate
		} else if m := q.Message.InaccessibleMessage; m != nil && m.Chat.ID != 0 {
			chatID, private = m.Chat.ID, m.Chat.Type == models.ChatTypePrivate
		}
	case upd.MyChatMember != nil:
		user = &upd.MyChatMember.From
		chatID = upd.MyChatMember.Chat.ID
		private = upd.MyChatMember.Chat.Type == models.ChatTypePrivate
	}
	if msg != nil {
		user, chatID = msg.From, msg.Chat.ID
		private = msg.Chat.Type == models.ChatTypePrivate
	}
	return user, chatID, private
}

// userOf is the id of the user who sent upd; 0 when none did.
func userOf(upd *models.Update) int64 {
	if user, _, _ := origin(upd); user != nil {
		return user.ID
	}
	return 0
}

// now is the transaction's time in the office's zone.
func (r *request) now() time.Time { return r.tx.Now().In(r.h.loc) }

// loadContact fills r.contact from the store. It reports whether the user
// is bound at all (in any status).
func (r *request) loadContact() (bool, error) {
	if r.userID == 0 {
		return false, nil
	}
	c, err := r.tx.Contact(r.ctx, r.userID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.contact = c
	return true, nil
}

// loadReachedContact is loadContact for input the user sent us (a message
// or a button press): a contact marked blocked is active again, since
// Telegram delivers to a user who is talking to the bot. Both paths use it,
// so a blocked contact pressing a button is not told they are unbound.
func (r *request) loadReachedContact() (bool, error) {
	bound, err := r.loadContact()
	if err != nil || !bound || r.contact.Status != store.Blocked {
		return bound, err
	}
	if err := r.tx.ReachedAgain(r.ctx, r.userID); err != nil {
		return false, err
	}
	r.contact.Status = store.Active
	return true, nil
}

// displayName is the user's name as Telegram gives it.
func displayName(u *models.User) string {
	if u == nil {
		return ""
	}
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" && u.Username != "" {
		name = "@" + u.Username
	}
	return name
}

// reply queues a message to the chat the update came from. Text longer
// than one message is split (splitText: as Telegram counts, at line breaks
// where it can, never inside a tag or entity); the markup goes with the
// last part.
func (r *request) reply(text string, markup json.RawMessage) {
	markup = r.h.officeKeyboardFor(markup) // the office keyboard is built in many places without the config
	r.sendTo(r.chatID, r.userID, store.KindReply, store.PriorityReply, text, markup)
}

func (r *request) sendTo(chatID, userID int64, kind string, priority int, text string, markup json.RawMessage) {
	parts := splitText(text, maxText)
	for i, part := range parts {
		p := store.Payload{Text: part, ParseMode: "HTML", NoPreview: true}
		if i == len(parts)-1 {
			p.ReplyMarkup = markup
		}
		r.out = append(r.out, store.Message{
			Kind: kind, ChatID: chatID, UserID: userID, Priority: priority,
			Method: store.SendMessage, Payload: p,
		})
	}
}

// answer queues the answer to the callback query being handled. Telegram
// shows a spinner on the button until it comes.
func (r *request) answer(toast string) {
	if r.callbackID == "" {
		return
	}
	r.out = append(r.out, store.Message{
		Kind: store.KindReply, ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
		Method: store.AnswerCallbackQuery, Payload: store.Payload{CallbackQueryID: r.callbackID, Text: toast},
	})
}

// queue adds a prepared message, e.g. an attachment sent again by file_id.
func (r *request) queue(m store.Message) { r.out = append(r.out, m) }

// messages are what the handler queued, keyed: keys derive from the
// update id, so the rows are the update's own and can never be doubled; a
// message queued with its own key keeps it.
func (r *request) messages() []store.Message {
	for i := range r.out {
		if r.out[i].Key == "" {
			r.out[i].Key = fmt.Sprintf("%s:%d:%d", r.out[i].Kind, r.upd.ID, i)
		}
	}
	return r.out
}
