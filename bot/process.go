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
	in, ok := b.decode(raw)
	if !ok {
		return 0, nil
	}
	return in.upd.ID, b.settle(ctx, in)
}

// incoming is one update as read from Telegram.
type incoming struct {
	upd       models.Update
	decodeErr error // the update has an id but our types cannot read the rest
}

// decode reads raw's update_id and as much of it as our types can; ok is
// false when it has no id: there is nothing to record or confirm it by.
func (b *Bot) decode(raw json.RawMessage) (in incoming, ok bool) {
	var head struct {
		UpdateID int64 `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.UpdateID <= 0 {
		b.log.Warn("intake: update without update_id ignored", "bytes", len(raw))
		return in, false
	}
	in.decodeErr = json.Unmarshal(raw, &in.upd)
	in.upd.ID = head.UpdateID
	return in, true
}

// settle applies one update in a transaction of its own, retrying a busy
// database until it clears and an ordinary failure maxAttempts times, then
// recording it as failed. It returns an error only when ctx ends first.
func (b *Bot) settle(ctx context.Context, in incoming) error {
	upd, decodeErr, id := &in.upd, in.decodeErr, in.upd.ID
	defer b.stats.handled(time.Now())
	wait := newBackoff(50*time.Millisecond, 2*time.Second)
	for attempt := 1; ; attempt++ {
		err := b.apply(ctx, upd, decodeErr)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
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
		b.stats.updateFailed()
		if err := b.recordFailure(ctx, upd, err); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			b.log.Warn("intake: recording a failed update failed, retrying", "update_id", id, "err", err)
			sleep(ctx, wait.next())
			continue
		}
		return nil
	}
}

// apply runs the handler for upd inside one write transaction.
func (b *Bot) apply(ctx context.Context, upd *models.Update, decodeErr error) error {
	return b.db.Update(ctx, func(tx *store.Tx) error { return b.applyIn(ctx, tx, upd, decodeErr) })
}

// applyIn applies upd within tx: skipped when already in the inbox,
// otherwise recorded, handled and its answers enqueued. The inbox row is
// written first (Claim: one statement that both asks "seen?" and records);
// an error rolls it back with the rest.
func (b *Bot) applyIn(ctx context.Context, tx *store.Tx, upd *models.Update, decodeErr error) error {
	entry := store.InboxEntry{UpdateID: upd.ID, UserID: userOf(upd), Kind: updateKind(upd), Outcome: store.OutcomeDone}
	claimed, err := tx.Claim(ctx, entry)
	if err != nil || !claimed {
		return err
	}
	if v := b.budget.judge(entry.UserID, upd.ID, tx.Now()); v != admitted {
		return b.drop(ctx, tx, upd, v)
	}
	if decodeErr != nil {
		// Telegram sent something our types cannot read: record it, do
		// not guess at it.
		return tx.SetOutcome(ctx, upd.ID, store.OutcomeFailed, "undecodable: "+decodeErr.Error())
	}
	var out []store.Message
	err = runRecovering(func() (err error) {
		if b.beforeHandle != nil {
			b.beforeHandle(upd)
		}
		out, err = b.handlers.Handle(ctx, tx, upd)
		return err
	})
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, out)
}

// enqueue writes an update's answers as outbox rows in its transaction.
func enqueue(ctx context.Context, tx *store.Tx, out []store.Message) error {
	for _, m := range out {
		if _, err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// drop settles an update from a user past their budget without handling
// it; the first such update is answered that they are going too fast.
func (b *Bot) drop(ctx context.Context, tx *store.Tx, upd *models.Update, v verdict) error {
	if v == overFirst {
		if err := enqueue(ctx, tx, b.courtesy(upd, func() []store.Message { return b.handlers.TooFast(ctx, tx, upd) })); err != nil {
			return err
		}
	}
	// Settled, not failed: nothing is owed to it. (The inbox's outcome
	// column admits only done and failed; the reason says which.)
	return tx.SetOutcome(ctx, upd.ID, store.OutcomeDone, droppedReason)
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
	return b.db.Update(ctx, func(tx *store.Tx) error { return b.recordFailureIn(ctx, tx, upd, cause) })
}

// recordFailureIn records upd as failed within tx.
func (b *Bot) recordFailureIn(ctx context.Context, tx *store.Tx, upd *models.Update, cause error) error {
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	claimed, err := tx.Claim(ctx, store.InboxEntry{
		UpdateID: upd.ID, UserID: userOf(upd), Kind: updateKind(upd),
		Outcome: store.OutcomeFailed, Error: msg,
	})
	if err != nil || !claimed {
		return err
	}
	return enqueue(ctx, tx, b.courtesy(upd, func() []store.Message { return b.handlers.Sorry(ctx, tx, upd) }))
}

// courtesy is what the intake says of an update it settles without its
// handler (too fast, sorry), or nothing if saying it panics: the update
// may be the one that just made its handler panic, and settling it must
// not depend on the handlers.
func (b *Bot) courtesy(upd *models.Update, say func() []store.Message) []store.Message {
	var out []store.Message
	err := runRecovering(func() error { out = say(); return nil })
	var pe *panicError
	if errors.As(err, &pe) {
		b.log.Error("intake: answering a settled update panicked", "update_id", upd.ID, "panic", pe.value)
		return nil
	}
	return out
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
