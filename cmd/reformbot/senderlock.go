package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/luohu/reformbot/store"
)

// standbyPoll is how often a standby serve tries the sender lock.
const standbyPoll = time.Second

// takeSenderLock makes this serve the database's one sender. Another serve
// on the same database is refused with its pid and start time, or, with
// --standby, waited for: this one then starts the moment the other is gone
// (stopped or killed), having sent nothing meanwhile.
func takeSenderLock(ctx context.Context, env *Env, dbPath string, standby bool, log *slog.Logger) (*store.SenderLock, error) {
	lock, err := store.LockSender(dbPath, env.Now())
	if err == nil || !errors.Is(err, store.ErrSenderLocked) {
		return lock, err
	}
	if !standby {
		return nil, fmt.Errorf("%v: stop it first, or start this one with --standby to take over when it stops", err)
	}
	log.Warn("standby: another serve holds the database; waiting for it to stop", "why", err.Error())
	t := time.NewTicker(standbyPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
		lock, err := store.LockSender(dbPath, env.Now())
		if err == nil {
			log.Info("standby: the other serve is gone; taking over")
			return lock, nil
		}
		if !errors.Is(err, store.ErrSenderLocked) {
			return nil, err
		}
	}
}
