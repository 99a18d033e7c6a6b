package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/store"
)

// handle routes an update. Every input from a private chat gets an answer;
// group chats get one line pointing to a private chat; other update types
// are recorded and left alone.
func (h *Handlers) handle(r *request) error {
	upd := r.upd
	switch {
	case upd.Message != nil:
		if !r.private {
			return r.groupHint(upd.Message)
		}
		return h.onMessage(r, upd.Message)
	case upd.EditedMessage != nil:
		if !r.private {
			return nil
		}
		r.reply(textEdited, nil)
		return nil
	case upd.CallbackQuery != nil:
		if !r.private {
			r.answer(textGroupHint)
			return nil
		}
		return h.onCallback(r, upd.CallbackQuery)
	case upd.MyChatMember != nil:
		return h.onMembership(r, upd.MyChatMember)
	}
	return nil
}

// groupHint answers a message in a group once, with one line. Service
// messages (someone joined, the title changed) get nothing.
func (r *request) groupHint(m *models.Message) error {
	if m.Text == "" && m.Caption == "" {
		return nil
	}
	if m.From != nil && m.From.IsBot {
		return nil
	}
	r.reply(textGroupHint, nil)
	return nil
}

// onMembership follows the user blocking or unblocking the bot in a private
// chat, so prompts stop going to a blocked contact and resume after.
func (h *Handlers) onMembership(r *request, m *models.ChatMemberUpdated) error {
	if !r.private {
		return nil
	}
	bound, err := r.loadContact()
	if err != nil || !bound {
		return err
	}
	switch m.NewChatMember.Type {
	case models.ChatMemberTypeBanned, models.ChatMemberTypeLeft:
		if r.contact.Status == store.Active {
			return r.tx.SetContactStatus(r.ctx, r.userID, store.Blocked, r.userID)
		}
	case models.ChatMemberTypeMember:
		return r.tx.ReachedAgain(r.ctx, r.userID)
	}
	return nil
}

// command splits "/unit@reformbot_bot 区编办" into "unit" and "区编办".
// ok is false for text that is not a command.
func command(text string) (name, args string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	word, rest, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexAny(word, "\n\t"); i >= 0 {
		word, rest = word[:i], word[i+1:]+" "+rest
	}
	name, _, _ = strings.Cut(word, "@")
	return strings.ToLower(name), strings.TrimSpace(rest), true
}

// maxInput bounds what is read from a user's text: Telegram allows 4096
// characters, but nothing stops a client from sending more.
const maxInput = 4096

func (h *Handlers) onMessage(r *request, m *models.Message) error {
	if r.user == nil || r.user.IsBot {
		return nil // no one to answer
	}
	if _, err := r.loadReachedContact(); err != nil {
		return err
	}
	text := strings.TrimSpace(m.Text)
	if name, args, ok := command(text); ok {
		return h.onCommand(r, name, args)
	}
	if code, ok := pastedInvite(text); ok { // start.go
		return h.start(r, code)
	}
	if !r.contact.CanReport() && !r.contact.IsOffice() {
		return h.unbound(r)
	}
	switch {
	case len(m.Photo) > 0 || m.Document != nil:
		return h.onFile(r, m)
	case text == "":
		return h.onNoText(r) // report.go
	case utf8.RuneCountInString(text) > maxInput:
		return h.onOverlong(r)
	}
	if rt := h.textRoute(r, text); rt != nil {
		return rt.handler(h, r, "")
	}
	if handled, err := h.onOfficeText(r, text); handled || err != nil { // review.go
		return err
	}
	if opener := greeting(text); opener != "" {
		return h.answerGreeting(r, opener) // greet.go
	}
	if handled, err := h.onReportText(r, text); handled || err != nil {
		return err
	}
	query := text
	for _, prefix := range searchPrefixes {
		if rest, ok := strings.CutPrefix(query, prefix); ok {
			query = strings.TrimLeft(rest, " :：")
			break
		}
	}
	return h.search(r, query)
}

// searchPrefixes mark a text as a search (搜索 棚改).
var searchPrefixes = []string{"搜索", "查找", "查询", "搜"}

// isSearch reports whether text asks for a search by its prefix.
func isSearch(text string) bool {
	for _, prefix := range searchPrefixes {
		if strings.HasPrefix(text, prefix) {
			return true
		}
	}
	return false
}

// onCommand dispatches a command through the route table (routes.go).
func (h *Handlers) onCommand(r *request, name, args string) error {
	if rt := commandRoute(name); rt != nil {
		return h.dispatch(r, rt, args)
	}
	if !r.contact.CanReport() && !r.contact.IsOffice() {
		return h.unbound(r)
	}
	r.reply(textUnknownCmd, nil)
	return nil
}

// unbound answers someone who is not (or no longer) a contact.
func (h *Handlers) unbound(r *request) error {
	if r.contact.Status == store.Revoked {
		r.reply(textRevoked, removeKeyboardMarkup())
		return nil
	}
	r.reply(textNotBound+h.words(r.now()).sampleNote(), nil)
	return nil
}

func (h *Handlers) onOverlong(r *request) error {
	conv, err := r.conversation()
	if err != nil {
		return err
	}
	if conv != nil && conv.State == store.WritingText {
		r.reply(fmt.Sprintf(textTooLong, maxReportText), nil)
		return nil
	}
	r.reply(fmt.Sprintf(textTooLong, maxInput), nil)
	return nil
}

func keyboardFor(c store.Contact) []byte {
	if c.IsOffice() {
		return officeKeyboard()
	}
	if c.CanReport() {
		return contactKeyboard()
	}
	return nil
}

func removeKeyboardMarkup() []byte { return mustJSON(removeKeyboard{RemoveKeyboard: true}) }
