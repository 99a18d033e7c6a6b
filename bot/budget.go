package bot

import (
	"sync"
	"time"
)

// textTooFast answers, once, a user who sends more than the intake takes.
const textTooFast = "您的操作太快了，请稍候一分钟再继续。"

// droppedReason is the inbox's error for an update dropped by the budget.
const droppedReason = "dropped: user over the intake budget"

// UserBudget bounds how many updates one user may have applied a minute.
// Past it, the user is told once that they are going too fast and the
// rest of their updates that minute are recorded in the inbox as dropped
// and not handled: one account flooding the bot costs an insert per
// update, not a handler run and a reply each, and cannot fill the outbox
// ahead of everyone else's replies.
type UserBudget struct {
	PerMinute int // updates a minute from one user (default defaultPerMinute; negative = no budget)
}

// defaultPerMinute is more than a person can tap: a contact reporting on
// measure after measure makes about 90 updates a minute (a tap every 0.7
// s), an album of photos 10 at once.
const defaultPerMinute = 150

// verdict is what the budget says about one update.
type verdict int

const (
	admitted  verdict = iota
	overFirst         // the first past the budget: answered once
	overQuiet         // past the budget: dropped without an answer
)

// budget counts each user's updates in windows of a minute from their
// first update in the window. It is kept in memory: a restart forgets it,
// which only gives a flooding user one more minute's worth.
type budget struct {
	perMinute int

	mu    sync.Mutex
	users map[int64]*userWindow
}

type userWindow struct {
	start  time.Time
	count  int
	judged map[int64]verdict // this window's updates: one retried is judged the same
}

func newBudget(cfg UserBudget) *budget {
	n := cfg.PerMinute
	if n == 0 {
		n = defaultPerMinute
	}
	return &budget{perMinute: n, users: map[int64]*userWindow{}}
}

// judge counts update updateID from userID at now.
func (b *budget) judge(userID, updateID int64, now time.Time) verdict {
	if b.perMinute < 0 || userID == 0 {
		return admitted
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	w := b.users[userID]
	if w != nil {
		if v, ok := w.judged[updateID]; ok {
			return v
		}
	}
	if w == nil || now.Sub(w.start) >= time.Minute || now.Before(w.start) {
		if len(b.users) > 10000 {
			for id, u := range b.users {
				if now.Sub(u.start) >= time.Minute {
					delete(b.users, id)
				}
			}
		}
		w = &userWindow{start: now, judged: map[int64]verdict{}}
		b.users[userID] = w
	}
	w.count++
	v := admitted
	switch {
	case w.count == b.perMinute+1:
		v = overFirst
	case w.count > b.perMinute:
		v = overQuiet
	}
	w.judged[updateID] = v
	return v
}
