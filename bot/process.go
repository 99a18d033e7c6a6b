package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/store"
)

// panicError is a handler panic turned into an error. Such an update is
// recorded as failed at once: running it again would panic again.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("handler panic: %v", e.value) }

// maxAttempts is how often an update whose handler fails with an ordinary
// error is tried before it is recorded as failed. A busy database is not a
// failure of the update: that is retried until it clears.
const maxAttempts = 3

// Process applies one update exactly once and returns its update_id. Its
// effects, its replies (as outbox rows) and its inbox row are committed in
// one transaction; an update already in the inbox is skipped. Process
// returns an error only when ctx ends before the update was settled.
func (b *Bot) Process(ctx context.Context, raw json.RawMessage) (int64, error) {
	var head struct {
		UpdateID int64 `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.UpdateID <= 0 {
		// Without an id there is nothing to record or confirm by.
		b.log.Warn("intake: update without update_id ignored", "bytes", len(raw))
		return 0, nil
	}
	id := head.UpdateID
	var upd models.Update
	decodeErr := json.Unmarshal(raw, &upd)
	upd.ID = id
	wait := newBackoff(50*time.Millisecond, 2*time.Second)
	for attempt := 1; ; attempt++ {
		err := b.apply(ctx, &upd, decodeErr)
		if err == nil {
			return id, nil
		}
		if ctx.Err() != nil {
			return id, ctx.Err()
		}
		var pe *panicError
		switch {
		case errors.As(err, &pe):
			b.log.Error("intake: handler panicked", "update_id", id, "panic", pe.value, "stack", string(pe.stack))
		case store.IsBusy(err):
			b.log.Warn("intake: database busy, retrying", "update_id", id)
			sleep(ctx, wait.next())
			continue
		case attempt < maxAttempts:
			b.log.Warn("intake: update failed, retrying", "update_id", id, "attempt", attempt, "err", err)
			sleep(ctx, wait.next())
			continue
		default:
			b.log.Error("intake: update failed", "update_id", id, "err", err)
		}
		if err := b.recordFailure(ctx, &upd, err); err != nil {
			if ctx.Err() != nil {
				return id, ctx.Err()
			}
			b.log.Warn("intake: recording a failed update failed, retrying", "update_id", id, "err", err)
			sleep(ctx, wait.next())
			continue
		}
		return id, nil
	}
}

// apply runs the handler for upd inside one write transaction.
func (b *Bot) apply(ctx context.Context, upd *models.Update, decodeErr error) error {
	return b.db.Update(ctx, func(tx *store.Tx) error {
		seen, err := tx.Seen(ctx, upd.ID)
		if err != nil || seen {
			return err
		}
		r := b.newRequest(ctx, tx, upd)
		entry := store.InboxEntry{UpdateID: upd.ID, UserID: r.userID, Kind: updateKind(upd), Outcome: store.OutcomeDone}
		if v := b.budget.judge(r.userID, upd.ID, tx.Now()); v != admitted {
			return b.drop(r, entry, v)
		}
		if decodeErr != nil {
			// Telegram sent something our types cannot read: record it, do
			// not guess at it.
			entry.Outcome, entry.Error = store.OutcomeFailed, "undecodable: "+decodeErr.Error()
			return tx.RecordUpdate(ctx, entry)
		}
		if err := runRecovering(func() error { return b.handle(r) }); err != nil {
			return err
		}
		if err := r.flush(); err != nil {
			return err
		}
		return tx.RecordUpdate(ctx, entry)
	})
}

// drop records an update from a user past their budget without handling
// it; the first such update is answered that they are going too fast.
func (b *Bot) drop(r *request, entry store.InboxEntry, v verdict) error {
	if v == overFirst {
		if r.chatID != 0 && r.private {
			r.reply(textTooFast, nil)
		}
		r.answer(textTooFast)
		if err := r.flush(); err != nil {
			return err
		}
	}
	// Settled, not failed: nothing is owed to it. (The inbox's outcome
	// column admits only done and failed; the reason says which.)
	entry.Error = droppedReason
	return r.tx.RecordUpdate(r.ctx, entry)
}

// runRecovering runs fn, turning a panic into a *panicError.
func runRecovering(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return fn()
}

// recordFailure records an update whose handler could not complete, with an
// apology to its sender, so that it is neither lost silently nor retried
// forever.
func (b *Bot) recordFailure(ctx context.Context, upd *models.Update, cause error) error {
	return b.db.Update(ctx, func(tx *store.Tx) error {
		seen, err := tx.Seen(ctx, upd.ID)
		if err != nil || seen {
			return err
		}
		r := b.newRequest(ctx, tx, upd)
		if r.chatID != 0 && r.private {
			r.reply(textSorry, nil)
		}
		if r.callbackID != "" {
			r.answer("")
		}
		if err := r.flush(); err != nil {
			return err
		}
		msg := cause.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		return tx.RecordUpdate(ctx, store.InboxEntry{
			UpdateID: upd.ID, UserID: r.userID, Kind: updateKind(upd),
			Outcome: store.OutcomeFailed, Error: msg,
		})
	})
}

// updateKind names an update's type for the inbox.
func updateKind(upd *models.Update) string {
	switch {
	case upd.Message != nil:
		return "message"
	case upd.EditedMessage != nil:
		return "edited_message"
	case upd.CallbackQuery != nil:
		return "callback_query"
	case upd.MyChatMember != nil:
		return "my_chat_member"
	case upd.ChannelPost != nil:
		return "channel_post"
	case upd.InlineQuery != nil:
		return "inline_query"
	default:
		return "other"
	}
}
