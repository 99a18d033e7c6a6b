package store

import (
	"context"
	"time"
)

// Checkpoints run beside the writers, not inside them. SQLite's own
// automatic checkpoint runs in the commit that pushes the WAL past its
// threshold, and that commit then copies the WAL into the database and
// syncs it: 3–7 ms added to whichever update happened to be the 1,000th
// page (most of the intake's p99). Instead, a commit wakes checkpointer,
// which waits checkpointPause for more commits to gather and then runs a
// PASSIVE checkpoint on a connection of its own; writers go on meanwhile
// (in WAL mode a checkpoint does not hold the write lock). SQLite's
// automatic checkpoint stays as a backstop at walBackstop pages, should
// this one fall behind. Checkpoint (TRUNCATE, after pruning) and this one
// take turns (ckptMu): run at once, one of them would find the other busy
// and give up without a word.

// checkpointPause gathers the commits one checkpoint copies.
const checkpointPause = 200 * time.Millisecond

// walBackstop is the WAL size, in pages, at which a commit checkpoints
// itself (SQLite's wal_autocheckpoint; its default is 1,000).
const walBackstop = 10000

// walKeepBytes is the size a -wal file is cut back to once reset.
const walKeepBytes = 4 << 20

// committed tells the checkpointer a transaction was committed.
func (db *DB) committed() {
	select {
	case db.dirty <- struct{}{}:
	default: // a checkpoint is due already
	}
}

// checkpointer runs until Close.
func (db *DB) checkpointer() {
	defer close(db.ckptDone)
	for {
		select {
		case <-db.closing:
			return
		case <-db.dirty:
		}
		select {
		case <-db.closing:
			return
		case <-time.After(checkpointPause):
		}
		// An error (the file gone, a busy reader) is left to the next
		// round and to the backstop: a late checkpoint loses nothing.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		db.ckptMu.Lock()
		db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
		db.ckptMu.Unlock()
		cancel()
	}
}

// stopCheckpointer ends the checkpointer and waits for it.
func (db *DB) stopCheckpointer() {
	if db.closing == nil {
		return
	}
	select {
	case <-db.closing:
	default:
		close(db.closing)
	}
	<-db.ckptDone
}
