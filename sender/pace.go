package sender

import (
	"cmp"
	"slices"
	"time"

	"github.com/luohu/reformbot/store"
)

// underLimit is the share of the configured rate the sender paces at:
// Telegram may count sends in a strict one-second window, and a send
// delayed on the way by a few milliseconds must not make the next second
// hold one too many.
const underLimit = 0.97

// replyBurst is how many messages may go to one chat within a second when
// they answer what its user just did. Bulk sends keep the per-chat rate.
const replyBurst = 3

// pace is what the sender remembers of its recent sends, and choose is the
// decision made from it: which of the due messages go now. It does no I/O
// and reads no clock, so the rules are tested without a network:
//
//   - the outbox order is kept within a lane (a chat's messages; a chat's
//     callback answers are a lane of their own, so a button's acknowledgement
//     never holds the reply to it), and one call per lane is in flight;
//   - a lane that must wait never hides the others (no head-of-line block);
//   - messages go one at a time, evenly spaced just under the overall rate:
//     no burst after an idle spell;
//   - a bulk message waits a whole per-chat interval after the chat's last
//     message; a reply may follow others within the same second, up to
//     replyBurst in any second;
//   - a chat Telegram slowed down (a 429 for that chat) waits out its
//     retry_after alone; a global 429 or an outage pauses everything.
type pace struct {
	full     float64       // the configured overall rate, messages per second
	rate     float64       // the rate now; below full after a 429
	ceiling  float64       // the rate may climb back to this; 0 when no 429 met
	slowedAt time.Time     // when the last global 429 came
	chatGap  time.Duration // between a chat's bulk messages

	nextAt      time.Time      // the next slot of the overall pace
	lastSend    time.Time      // when the last message went
	sent        []time.Time    // messages sent within sendWindow
	busy        map[int64]bool // ids of the messages in flight
	pausedUntil time.Time
	lanes       map[lane]*laneState
	chats       map[int64]*chatState
	throttled   struct {
		chat int64
		at   time.Time
	} // the last per-chat 429
}

// lane is one ordered queue of the outbox: a chat's messages, or its
// callback answers.
type lane struct {
	chat int64
	ack  bool
}

func laneOf(m store.Message) lane { return lane{m.ChatID, !counts(m.Method)} }

type laneState struct {
	inflight bool
}

type chatState struct {
	sent      []time.Time // this chat's sends within the last second
	last      time.Time   // its last send
	heldUntil time.Time   // a 429 for this chat
}

func newPace(global, perChat float64) *pace {
	return &pace{
		full: global, rate: global,
		chatGap: time.Duration(float64(time.Second) / (perChat * underLimit)),
		busy:    map[int64]bool{},
		lanes:   map[lane]*laneState{},
		chats:   map[int64]*chatState{},
	}
}

// interval is the time between two messages at the current rate.
func (p *pace) interval() time.Duration {
	return time.Duration(float64(time.Second) / (p.rate * underLimit))
}

// slack lets a message go that is due within it: timers fire a little late
// or early, and the spacing makes up for it at the next message.
const slack = time.Millisecond

// choose picks, from due (in the outbox's order, none of them in flight or
// sent), the messages that go now, at most free of them, and marks them
// and their lanes in flight. wait is how long until something held back
// could go (at most idlePoll).
func (p *pace) choose(due []store.Message, now time.Time, free int) (picks []store.Message, wait time.Duration) {
	if now.Before(p.pausedUntil) {
		return nil, p.pausedUntil.Sub(now)
	}
	wait = idlePoll
	blocked := map[lane]bool{}
	for _, m := range due {
		if len(picks) >= free {
			break
		}
		l := laneOf(m)
		if blocked[l] {
			continue
		}
		blocked[l] = true // keep each lane in order: at most one pick, and none after a row that waits
		if ls := p.lanes[l]; ls != nil && ls.inflight {
			continue
		}
		if !l.ack {
			if d := p.chatWait(m, now); d > 0 {
				wait = min(wait, d)
				continue
			}
			if d := p.slotWait(now); d > slack {
				wait = min(wait, d)
				continue
			}
			p.takeSlot(now)
			c := p.chat(m.ChatID)
			c.sent, c.last = append(recentSends(c.sent, now), now), now
		}
		p.lane(l).inflight = true
		p.busy[m.ID] = true
		picks = append(picks, m)
	}
	if len(picks) > 0 {
		if d := p.slotWait(now); d > 0 {
			wait = min(wait, d)
		}
	}
	return picks, wait
}

// The overall pace. Slots lie on an even grid at the current rate (times
// underLimit); a send that comes late, because a timer fired late on a busy
// machine, does not move the slots after it, so lateness is made up rather
// than lost. Making up may not burst: sends are at least half a slot
// apart, and no window of sendWindow holds more than the rate's whole
// messages, so that any one second holds fewer than the limit even when
// sends reach Telegram some milliseconds apart from when they left.
// Only a little lateness is made up (catchUpSlots): a sender far behind its
// grid, idle or starved of CPU, starts the grid anew rather than sending
// a burst, which a limiter with a small bucket (as the fake's, and maybe
// Telegram's) answers with 429s.

// sendWindow is the window the sender counts its own sends in: a second
// and the 3% of underLimit.
const sendWindow = 1031 * time.Millisecond // time.Second / underLimit

// catchUpSlots is how many slots behind its grid the sender may be and
// still make the time up.
const catchUpSlots = 2

// slotWait is how long until the next message may go overall.
func (p *pace) slotWait(now time.Time) time.Duration {
	iv := p.interval()
	var wait time.Duration
	if !p.lastSend.IsZero() {
		wait = p.lastSend.Add(iv / 2).Sub(now)
	}
	wait = max(wait, p.nextAt.Sub(now))
	p.sent = recentWithin(p.sent, now, sendWindow)
	if n := max(int(p.rate), 1); len(p.sent) >= n {
		wait = max(wait, p.sent[len(p.sent)-n].Add(sendWindow).Sub(now))
	}
	return wait
}

// takeSlot records a message going at now.
func (p *pace) takeSlot(now time.Time) {
	iv := p.interval()
	if now.Sub(p.nextAt) > catchUpSlots*iv {
		p.nextAt = now
	}
	p.nextAt = p.nextAt.Add(iv)
	p.lastSend = now
	p.sent = append(p.sent, now)
}

// chatWait is how long message m must wait for its chat's own limits.
func (p *pace) chatWait(m store.Message, now time.Time) time.Duration {
	c := p.chats[m.ChatID]
	if c == nil {
		return 0
	}
	if now.Before(c.heldUntil) {
		return c.heldUntil.Sub(now)
	}
	c.sent = recentSends(c.sent, now)
	if m.Priority == store.PriorityReply {
		if len(c.sent) < replyBurst {
			return 0
		}
		return c.sent[len(c.sent)-replyBurst].Add(time.Second + 10*time.Millisecond).Sub(now)
	}
	if c.last.IsZero() {
		return 0
	}
	return max(c.last.Add(p.chatGap).Sub(now), 0)
}

// done records that the call for m finished at now.
func (p *pace) done(m store.Message, now time.Time) {
	p.lane(laneOf(m)).inflight = false
	delete(p.busy, m.ID)
	if len(p.lanes) > 10000 {
		for l, s := range p.lanes {
			if !s.inflight {
				delete(p.lanes, l)
			}
		}
	}
	if len(p.chats) > 10000 {
		for id, c := range p.chats {
			if now.Sub(c.last) > p.chatGap && !now.Before(c.heldUntil) {
				delete(p.chats, id)
			}
		}
	}
}

// tooMany records a 429 for chatID asking to wait d, and reports whether
// it was global. Telegram's answer does not say which limit was met; a 429
// is taken for the chat's own limit unless another chat met one within the
// same retry_after (or the sender is already paused for one): then it is
// the overall limit, everything pauses for d and the rate drops.
func (p *pace) tooMany(chatID int64, d time.Duration, now time.Time) (global bool) {
	p.chat(chatID).heldUntil = later(p.chat(chatID).heldUntil, now.Add(d))
	if now.Before(p.pausedUntil) {
		return true // calls in flight meeting the squeeze already known
	}
	last := p.throttled
	p.throttled.chat, p.throttled.at = chatID, now
	if last.at.IsZero() || last.chat == chatID || now.Sub(last.at) >= d {
		return false
	}
	p.pause(now, d)
	p.slowDown(now)
	return true
}

// pause stops every send until now+d.
func (p *pace) pause(now time.Time, d time.Duration) {
	p.pausedUntil = later(p.pausedUntil, now.Add(d))
}

// slowDown lowers the overall rate after a global 429: Telegram's real
// limits are not published and may be below what was configured. The rate
// drops to 70% of what met the 429 and may climb back only to a ceiling of
// 90% of it, so a --rate set above Telegram's limit settles just under that
// limit instead of meeting a 429 (and its pause) again and again. The
// ceiling rises by 1% of the configured rate a minute, in case the 429 was
// a passing squeeze.
func (p *pace) slowDown(now time.Time) {
	p.ceiling = max(p.rate*0.9, 1)
	p.slowedAt = now
	p.rate = max(p.rate*0.7, 1)
}

// speedUp wins the rate back a little with every message delivered: 0.1%
// of the configured rate, up to the ceiling.
func (p *pace) speedUp(now time.Time) {
	top := p.full
	if p.ceiling > 0 {
		top = min(p.ceiling+p.full*now.Sub(p.slowedAt).Minutes()/100, p.full)
	}
	if p.rate < top {
		p.rate = min(p.rate+p.full/1000, top)
	}
}

func (p *pace) lane(l lane) *laneState {
	ls := p.lanes[l]
	if ls == nil {
		ls = &laneState{}
		p.lanes[l] = ls
	}
	return ls
}

func (p *pace) chat(id int64) *chatState {
	c := p.chats[id]
	if c == nil {
		c = &chatState{}
		p.chats[id] = c
	}
	return c
}

// recentSends drops the sends at least a second before now.
func recentSends(ts []time.Time, now time.Time) []time.Time {
	return recentWithin(ts, now, time.Second)
}

// recentWithin drops the times at least d before now.
func recentWithin(ts []time.Time, now time.Time, d time.Duration) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= d {
		i++
	}
	return ts[i:]
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// reloadEvery is how long the sender works from one look at the outbox
// before looking again on its own; it looks at once when woken (something
// was enqueued). Messages enqueued by another process (the CLI) wait at
// most this long.
const reloadEvery = time.Second

// dueList is the sender's copy of the due rows between looks at the
// outbox: a look costs milliseconds with a fan-out pending, and the sender
// may send 30 times a second. Rows are taken out as they are picked, and a
// look leaves out the rows in flight when it began (one may be recorded
// sent while the look runs), so the list never holds a row that is in
// flight or sent: only this sender sends.
type dueList struct {
	rows     []store.Message
	loadedAt time.Time
	dirty    bool // something was enqueued since the look
}

// stale reports whether the outbox must be looked at again, whole. (When
// only something was enqueued since, dirty, a look at the replies and
// alerts is enough: merge.)
func (d *dueList) stale(now time.Time) bool {
	return len(d.rows) == 0 || now.Sub(d.loadedAt) >= reloadEvery
}

// settled reports whether a look at the urgent rows could bring nothing
// new: the list already holds limit replies (the most urgent priority), and
// everything enqueued since the list was read has a higher id, so it would
// rank after them and not make a look's first limit rows. With a backlog's
// replies piling up faster than Telegram takes them, that spares reading
// thousands of pending rows after every commit.
func (d *dueList) settled(limit int) bool {
	return len(d.rows) >= limit && d.rows[limit-1].Priority == store.PriorityReply
}

// merge takes in a fresh look at the urgent rows (replies and alerts),
// keeping the bulk rows of the last whole look: urgent rows are replaced,
// those in flight left out, and the list stays in the outbox's order.
func (d *dueList) merge(urgent []store.Message, inflight map[int64]bool) {
	rows := make([]store.Message, 0, len(urgent)+len(d.rows))
	for _, m := range urgent {
		if !inflight[m.ID] {
			rows = append(rows, m)
		}
	}
	for _, m := range d.rows {
		if m.Priority >= store.PriorityBulk {
			rows = append(rows, m)
		}
	}
	slices.SortFunc(rows, func(a, b store.Message) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.ID, b.ID))
	})
	d.rows, d.dirty = rows, false
}

// load replaces the list with rows, read at now, leaving out those whose
// ids were in flight when the read began.
func (d *dueList) load(rows []store.Message, inflight map[int64]bool, now time.Time) {
	d.rows = d.rows[:0]
	for _, m := range rows {
		if !inflight[m.ID] {
			d.rows = append(d.rows, m)
		}
	}
	d.loadedAt, d.dirty = now, false
}

// remove takes the picked rows out of the list.
func (d *dueList) remove(picks []store.Message) {
	if len(picks) == 0 {
		return
	}
	gone := make(map[int64]bool, len(picks))
	for _, m := range picks {
		gone[m.ID] = true
	}
	kept := d.rows[:0]
	for _, m := range d.rows {
		if !gone[m.ID] {
			kept = append(kept, m)
		}
	}
	d.rows = kept
}
