package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/luohu/reformbot/store"
)

// ProcessBatch applies the updates of one getUpdates answer, in order,
// exactly once each, and returns the highest update_id among them (0 when
// none has one): the next getUpdates may confirm up to it. It returns an
// error only when ctx ends before every update was settled.
//
// The updates share one transaction, each in a savepoint of its own: one
// commit (one fsync of the WAL, one turn of the write lock) for up to 100
// updates instead of one each. An update whose handler panics is rolled
// back to its savepoint and recorded as failed in the same transaction. One
// that fails with an ordinary error is rolled back alone; the updates
// before it are committed, it is settled in a transaction of its own as
// Process does (retried, then recorded as failed), and the batch goes on
// after it. A busy database rolls the whole transaction back and it is
// tried again. Nothing is confirmed to Telegram before its commit.
func (b *Bot) ProcessBatch(ctx context.Context, raws []json.RawMessage) (int64, error) {
	var ins []incoming
	var last int64
	for _, raw := range raws {
		if in, ok := b.decode(raw); ok {
			ins = append(ins, in)
			last = max(last, in.upd.ID)
		}
	}
	wait := newBackoff(50*time.Millisecond, 2*time.Second)
	start := time.Now()
	for len(ins) > 0 {
		n, stopped, err := b.applyBatch(ctx, ins)
		switch {
		case ctx.Err() != nil:
			return last, ctx.Err()
		case err != nil && store.IsBusy(err):
			b.log.Warn("intake: database busy, retrying", "updates", len(ins))
			sleep(ctx, wait.next())
			continue
		case err != nil:
			// The transaction itself failed (a savepoint, the commit):
			// take the first update alone, which retries and records.
			b.log.Warn("intake: batch failed, going one at a time", "err", err)
			n, stopped = 0, true
		}
		wait.reset()
		for range n {
			b.stats.handled(start)
		}
		ins = ins[n:]
		if stopped {
			if err := b.settle(ctx, ins[0]); err != nil {
				return last, err
			}
			ins = ins[1:]
		}
	}
	return last, nil
}

// applyBatch applies ins in order in one transaction, each in a savepoint,
// and returns how many it settled. It stops (stopped true) before the first
// update that fails with an ordinary error, rolled back to its savepoint
// and left to settle.
func (b *Bot) applyBatch(ctx context.Context, ins []incoming) (n int, stopped bool, err error) {
	err = b.db.Update(ctx, func(tx *store.Tx) error {
		n, stopped = 0, false
		for _, in := range ins {
			fnErr, err := tx.Try(ctx, func() error { return b.applyIn(ctx, tx, &in.upd, in.decodeErr) })
			if err != nil {
				return err
			}
			var pe *panicError
			switch {
			case fnErr == nil:
			case store.IsBusy(fnErr):
				return fnErr
			case errors.As(fnErr, &pe):
				// Running it again would panic again: record it now.
				b.log.Error("intake: handler panicked", "update_id", in.upd.ID, "panic", pe.value, "stack", string(pe.stack))
				recErr, err := tx.Try(ctx, func() error { return b.recordFailureIn(ctx, tx, &in.upd, fnErr) })
				if err != nil {
					return err
				}
				if recErr != nil {
					stopped = true
					return nil
				}
				b.stats.updateFailed()
			default:
				stopped = true
				return nil
			}
			n++
		}
		return nil
	})
	return n, stopped, err
}
