package bot

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Handlers decide what an update means and what to answer. They read and
// write the store through the update's transaction and return their
// answers as outbox rows; they never call Telegram and never enqueue. The
// intake (Bot) runs them inside the transaction that also records the
// update and enqueues what they return, so effects, answers and the inbox
// row commit together.
type Handlers struct {
	state atomic.Pointer[plansState] // the plans in force; see SetPlans
	log   *slog.Logger

	loc            *time.Location     // the office's zone: periods and dates
	inviteAttempts store.AttemptLimit // failed /start codes (start.go)
	bulletins      Bulletins          // nil: /bulletin is off
	// promptSpec and digestSpec are the schedule's cron specs (words.go).
	promptSpec, digestSpec string
	webAppURL              string // the dashboard for 工作台; "" for none

	// budgetWarned is the hour (Unix) the invite-guessing budget was last
	// reported in the log: once an hour is enough.
	budgetWarned atomic.Int64
}

// newHandlers takes the handlers' part of cfg (defaults already set) and
// answers from the plans y.
func newHandlers(cfg Config, y *plan.Years, log *slog.Logger) *Handlers {
	h := &Handlers{
		log:            log,
		loc:            cfg.Location,
		inviteAttempts: cfg.InviteAttempts,
		bulletins:      cfg.Bulletins,
		promptSpec:     cfg.PromptSpec,
		digestSpec:     cfg.DigestSpec,
		webAppURL:      cfg.WebAppURL,
	}
	h.SetPlans(y)
	return h
}

// Handle decides what upd means within tx and returns the answers to
// enqueue, keyed by the update id (reply:<update_id>:<n>) unless a handler
// gave one its own key. An error rolls back what the handler wrote; the
// intake retries or records the update.
func (h *Handlers) Handle(ctx context.Context, tx *store.Tx, upd *models.Update) ([]store.Message, error) {
	r := h.newRequest(ctx, tx, upd)
	if err := h.handle(r); err != nil {
		return nil, err
	}
	return r.messages(), nil
}

// TooFast is the answer to the first update a user sends past their budget
// (budget.go): that they are going too fast. Later ones get nothing.
func (h *Handlers) TooFast(ctx context.Context, tx *store.Tx, upd *models.Update) []store.Message {
	r := h.newRequest(ctx, tx, upd)
	if r.chatID != 0 && r.private {
		r.reply(textTooFast, nil)
	}
	r.answer(textTooFast)
	return r.messages()
}

// Sorry is the apology for an update that could not be applied: a line to
// a private chat, and the answer that stops a pressed button's spinner.
func (h *Handlers) Sorry(ctx context.Context, tx *store.Tx, upd *models.Update) []store.Message {
	r := h.newRequest(ctx, tx, upd)
	if r.chatID != 0 && r.private {
		r.reply(textSorry, nil)
	}
	if r.callbackID != "" {
		r.answer("")
	}
	return r.messages()
}

// Menu is the command menu (setMyCommands) at t, from the route table with
// examples from the plan in force: the units' (every chat's default), or
// the office's (set for each office contact's chat).
func (h *Handlers) Menu(t time.Time, office bool) []models.BotCommand {
	return menuCommands(h.words(t.In(h.loc)), h.bulletins != nil, office)
}
