package sender

import (
	"fmt"
	"testing"
	"time"

	"github.com/luohu/reformbot/store"
)

var t0 = time.Date(2026, 4, 25, 9, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// row makes an outbox row; the id keeps the outbox order.
func row(id int64, chat int64, prio int, method string) store.Message {
	return store.Message{ID: id, Key: fmt.Sprint(id), ChatID: chat, Priority: prio, Method: method}
}

func ids(ms []store.Message) string {
	var out []int64
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return fmt.Sprint(out)
}

// finish records every pick as done at the given time.
func finish(p *pace, ms []store.Message, now time.Time) {
	for _, m := range ms {
		p.done(m, now)
	}
}

func TestChooseRules(t *testing.T) {
	reply := func(id, chat int64) store.Message { return row(id, chat, store.PriorityReply, store.SendMessage) }
	ack := func(id, chat int64) store.Message {
		return row(id, chat, store.PriorityReply, store.AnswerCallbackQuery)
	}
	bulk := func(id, chat int64) store.Message { return row(id, chat, store.PriorityBulk, store.SendMessage) }
	tests := []struct {
		name string
		due  []store.Message
		prep func(p *pace)
		free int
		want string
		wait time.Duration // 0: not checked
	}{
		{
			name: "one message at a time, the reply first",
			due:  []store.Message{reply(5, 9), bulk(1, 1), bulk(2, 2)},
			want: "[5]",
		},
		{
			name: "a button's acknowledgement does not hold its reply",
			due:  []store.Message{ack(1, 9), reply(2, 9)},
			want: "[1 2]",
		},
		{
			name: "a chat in flight hides none of the others",
			due:  []store.Message{reply(1, 7), reply(2, 7), reply(3, 8)},
			prep: func(p *pace) { p.lane(lane{chat: 7}).inflight = true; p.busy[99] = true },
			want: "[3]",
		},
		{
			name: "a chat that must wait hides none of the others",
			due:  []store.Message{bulk(1, 7), bulk(2, 8)},
			prep: func(p *pace) { p.chat(7).last = at(-500) },
			want: "[2]",
		},
		{
			name: "a chat held by its own 429 waits alone",
			due:  []store.Message{reply(1, 7), bulk(2, 8)},
			prep: func(p *pace) { p.chat(7).heldUntil = at(3000) },
			want: "[2]",
		},
		{
			name: "a lane's order is kept: nothing passes its waiting head",
			due:  []store.Message{bulk(1, 7), reply(2, 7)},
			prep: func(p *pace) { p.chat(7).last = at(-500) },
			want: "[]",
			wait: 530 * time.Millisecond,
		},
		{
			name: "a reply may follow a reply within the second",
			due:  []store.Message{reply(1, 7)},
			prep: func(p *pace) { p.chat(7).sent = []time.Time{at(-600), at(-300)}; p.chat(7).last = at(-300) },
			want: "[1]",
		},
		{
			name: "but not a fourth within one second",
			due:  []store.Message{reply(1, 7)},
			prep: func(p *pace) {
				p.chat(7).sent = []time.Time{at(-900), at(-600), at(-300)}
				p.chat(7).last = at(-300)
			},
			want: "[]",
			wait: 110 * time.Millisecond,
		},
		{
			name: "a global pause stops everything",
			due:  []store.Message{reply(1, 7), ack(2, 8)},
			prep: func(p *pace) { p.pausedUntil = at(2000) },
			want: "[]",
			wait: 2 * time.Second,
		},
		{
			name: "acknowledgements need no slot of the overall rate",
			due:  []store.Message{reply(1, 7), ack(2, 8), ack(3, 9)},
			prep: func(p *pace) { p.nextAt = at(20) },
			want: "[2 3]",
			wait: 20 * time.Millisecond,
		},
		{
			name: "no more than the free workers",
			due:  []store.Message{ack(1, 1), ack(2, 2), ack(3, 3)},
			free: 2,
			want: "[1 2]",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newPace(30, 1)
			if tc.prep != nil {
				tc.prep(p)
			}
			free := tc.free
			if free == 0 {
				free = 8
			}
			picks, wait := p.choose(tc.due, at(0), free)
			if got := ids(picks); got != tc.want {
				t.Errorf("picked %s, want %s", got, tc.want)
			}
			if tc.wait != 0 && (wait < tc.wait-5*time.Millisecond || wait > tc.wait+5*time.Millisecond) {
				t.Errorf("wait %v, want %v", wait, tc.wait)
			}
		})
	}
}

// The sender's copy of the due rows never holds a row in flight or sent:
// picks leave it, and a look leaves out what was in flight when it began.
func TestDueListHoldsNothingInFlight(t *testing.T) {
	var d dueList
	if !d.stale(at(0)) {
		t.Fatal("an empty list needs no look")
	}
	reply := func(id int64) store.Message { return row(id, 7, store.PriorityReply, store.SendMessage) }
	d.load([]store.Message{reply(1), reply(2), reply(3)}, map[int64]bool{1: true}, at(0))
	if ids(d.rows) != "[2 3]" {
		t.Fatalf("loaded %s with 1 in flight", ids(d.rows))
	}
	p := newPace(30, 1)
	picks, _ := p.choose(d.rows, at(0), 8)
	d.remove(picks)
	if ids(picks) != "[2]" || ids(d.rows) != "[3]" {
		t.Fatalf("picked %s, left %s", ids(picks), ids(d.rows))
	}
	if picks, _ := p.choose(d.rows, at(10), 8); len(picks) != 0 {
		t.Fatalf("picked %s while its lane is in flight", ids(picks))
	}
	finish(p, []store.Message{reply(2)}, at(50))
	if picks, _ := p.choose(d.rows, at(60), 8); ids(picks) != "[3]" {
		t.Fatalf("after the lane's call: picked %s", ids(picks))
	}
	if d.stale(at(500)) || !d.stale(at(1000)) {
		t.Error("the list is looked at again after a second, not before")
	}
	// Something enqueued: a look at the urgent rows replaces the urgent
	// ones (3 went meanwhile; 4 is new; 5 is in flight) and keeps the bulk
	// ones, in the outbox's order.
	bulk := row(9, 8, store.PriorityBulk, store.SendMessage)
	d.rows = append(d.rows, bulk)
	d.dirty = true
	d.merge([]store.Message{reply(4), reply(5)}, map[int64]bool{5: true})
	if ids(d.rows) != "[4 9]" || d.dirty {
		t.Errorf("after merging: %s (dirty %v), want [4 9]", ids(d.rows), d.dirty)
	}
}

// Over any one second the overall pace stays under the configured rate,
// however the sender is woken: often, or late (a busy machine), when the
// time lost is made up without bursting; and a bulk message to one chat
// waits more than a second after its last.
func TestChooseStaysUnderTheLimit(t *testing.T) {
	for _, late := range []time.Duration{0, 3 * time.Millisecond, 15 * time.Millisecond} { // every wake-up this late
		t.Run(fmt.Sprint(late), func(t *testing.T) {
			p := newPace(30, 1)
			var due []store.Message
			for i := range 400 {
				due = append(due, row(int64(i+1), int64(i%50+1), store.PriorityBulk, store.SendMessage))
			}
			var sends []time.Time
			perChat := map[int64][]time.Time{}
			for now := at(0); now.Before(at(10000)); {
				picks, wait := p.choose(due, now, 8)
				for _, m := range picks {
					sends = append(sends, now)
					perChat[m.ChatID] = append(perChat[m.ChatID], now)
					due = due[1:] // the picks are always the head here: one chat after another
				}
				finish(p, picks, now)
				now = now.Add(wait + late)
			}
			if want := 276; len(sends) < want { // 0.95 of 30 × underLimit a second
				t.Errorf("%d sends in 10 s, want at least %d", len(sends), want)
			}
			for i := 30; i < len(sends); i++ {
				if d := sends[i].Sub(sends[i-30]); d < time.Second+20*time.Millisecond {
					t.Fatalf("31 sends within %v", d)
				}
			}
			for i := 1; i < len(sends); i++ {
				if d := sends[i].Sub(sends[i-1]); d < 15*time.Millisecond {
					t.Fatalf("a burst: two sends %v apart", d)
				}
			}
			for chat, ts := range perChat {
				for i := 1; i < len(ts); i++ {
					if d := ts[i].Sub(ts[i-1]); d < time.Second {
						t.Fatalf("chat %d: two bulk sends %v apart", chat, d)
					}
				}
			}
		})
	}
}

// One chat's 429 holds that chat only; a second chat's 429 within the
// retry_after means the overall limit: everything pauses and slows down.
func TestTooManyTellsOneChatFromAll(t *testing.T) {
	p := newPace(30, 1)
	if p.tooMany(7, 3*time.Second, at(0)) {
		t.Fatal("one chat's 429 paused everything")
	}
	if p.rate != 30 || !p.pausedUntil.IsZero() {
		t.Fatalf("one chat's 429 changed the overall pace: %.1f/s, paused until %v", p.rate, p.pausedUntil)
	}
	if p.tooMany(7, 3*time.Second, at(500)) {
		t.Fatal("the same chat's second 429 taken for the overall limit")
	}
	if !p.tooMany(8, time.Second, at(800)) {
		t.Fatal("two chats' 429s within a second not taken for the overall limit")
	}
	if p.rate >= 30 || !p.pausedUntil.Equal(at(1800)) {
		t.Fatalf("after a global 429: %.1f/s, paused until %v", p.rate, p.pausedUntil)
	}
	if picks, _ := p.choose([]store.Message{row(1, 9, store.PriorityReply, store.SendMessage)}, at(1000), 8); len(picks) != 0 {
		t.Fatal("sent during the pause")
	}
}

// At a fractional rate the window counts whole messages: at 28.5 the sender
// sends 28 in every 1.031 s and no more, woken late or not.
func TestChooseAtAFractionalRate(t *testing.T) {
	p := newPace(28.5, 1)
	var due []store.Message
	for i := range 400 {
		due = append(due, row(int64(i+1), int64(i+1), store.PriorityBulk, store.SendMessage))
	}
	var sends []time.Time
	for now := at(0); now.Before(at(10000)); {
		picks, wait := p.choose(due, now, 8)
		for range picks {
			sends = append(sends, now)
			due = due[1:]
		}
		finish(p, picks, now)
		now = now.Add(wait + 5*time.Millisecond) // woken a little late, as on a busy machine
	}
	if want := 266; len(sends) < want { // 0.98 × 28 ÷ 1.031 s × 10 s
		t.Errorf("%d sends in 10 s at 28.5/s, want at least %d", len(sends), want)
	}
	for i := 28; i < len(sends); i++ {
		if d := sends[i].Sub(sends[i-28]); d < sendWindow {
			t.Fatalf("29 sends within %v", d)
		}
	}
}

// After a 429 the overall rate drops and climbs back only to just under the
// rate that met it, so a --rate set above Telegram's limit settles below
// the limit instead of meeting 429 after 429.
func TestRateAdaptation(t *testing.T) {
	p := newPace(330, 1)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.slowDown(now)
	if got := p.rate; got < 230 || got > 232 {
		t.Fatalf("after a 429 at 330/s: %.1f/s, want 231", got)
	}
	for i := 0; i < 5000; i++ {
		p.speedUp(now)
	}
	if got := p.rate; got < 296 || got > 298 {
		t.Errorf("after 5,000 deliveries: %.1f/s, want the ceiling 297 (90%% of 330)", got)
	}
	// An hour later without trouble, the configured rate is back.
	for i := 0; i < 1000; i++ {
		p.speedUp(now.Add(time.Hour))
	}
	if got := p.rate; got != 330 {
		t.Errorf("an hour on: %.1f/s, want 330", got)
	}
}
