package sender

import (
	"context"
	"time"

	"github.com/luohu/reformbot/store"
)

// The sender keeps the outbox small while it is idle: it drops the bodies
// of messages sent more than Config.KeepBodies ago (store.PruneBodies)
// and the inbox rows of updates received more than store.DefaultKeepInbox
// ago (store.PruneInbox) once an hour, and checkpoints the WAL once a large campaign has drained,
// so the -wal file does not stay at the campaign's size.

// pruneEvery is how often the sender prunes message bodies.
const pruneEvery = time.Hour

// checkpointAfter is how many sends make a campaign large enough to
// checkpoint after.
const checkpointAfter = 500

// housekeep runs when the outbox has nothing due. pending is whether
// anything is still waiting (for a later time).
func (s *Sender) housekeep(ctx context.Context, pending bool) {
	now := time.Now()
	if now.Sub(s.prunedAt) >= pruneEvery {
		s.prunedAt = now
		n, err := s.db.PruneBodies(ctx, s.cfg.KeepBodies)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("sender: pruning sent messages failed", "err", err)
		case n > 0:
			s.log.Info("sender: dropped the bodies of old messages", "messages", n)
		}
		if _, err := s.db.PruneInbox(ctx, store.DefaultKeepInbox); err != nil && ctx.Err() == nil {
			s.log.Warn("sender: pruning the inbox failed", "err", err)
		}
	}
	s.mu.Lock()
	sends := s.sendsSinceCheckpoint
	s.mu.Unlock()
	if !pending && sends >= checkpointAfter {
		if err := s.db.Checkpoint(ctx); err != nil {
			if ctx.Err() == nil {
				s.log.Warn("sender: WAL checkpoint failed", "err", err)
			}
			return
		}
		s.mu.Lock()
		s.sendsSinceCheckpoint -= sends
		s.mu.Unlock()
	}
}
