package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// sendWorkers is the sender's bound on Bot API calls in flight (bot.Config
// default): a kill can leave at most that many messages sent but not yet
// recorded, each to a different chat.
const sendWorkers = 8

// kill -9 at random points of a fan-out against a fake that enforces
// Telegram's per-chat limit: after the restarts every contact has the
// prompt, and the kills repeat at most the messages in flight (sendWorkers
// each), never one to a contact twice.
func TestDrillKillDuringFanOut(t *testing.T) {
	contacts, kills := 3000, 10
	if testing.Short() {
		contacts, kills = 500, 4
	}
	const rate = 600
	d := newDrill(t, fakeapi.WithLimits(rate, 1))
	ws := d.writers(contacts)
	out := d.run("prompt", "--period", "2017-04")
	if !strings.Contains(out, fmt.Sprintf("%d prompts enqueued", contacts)) {
		t.Fatalf("prompt: %s", out)
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 2))
	t.Logf("seed %d", seed)

	// The window for a kill: the fan-out takes contacts/rate seconds; the
	// kills are spread over it, each after the restarted process has sent
	// something.
	span := time.Duration(contacts) * time.Second / rate
	var atKill []int // prompts delivered at each kill
	var dupAt []int  // duplicates so far at each kill
	for k := 0; k < kills; k++ {
		if reached(d.api) == contacts {
			t.Fatalf("the fan-out finished after %d kills; make it longer", k)
		}
		sent := len(d.api.Sent())
		p := d.serve("--rate", fmt.Sprint(rate))
		d.waitFor(30*time.Second, "the restarted serve sent nothing", func() bool {
			return len(d.api.Sent()) > sent || !p.alive()
		})
		time.Sleep(jitter(rng, span/time.Duration(kills)))
		p.kill()
		atKill = append(atKill, len(d.api.Sent()))
		dupAt = append(dupAt, duplicates(d.api))
	}
	p := d.serve("--rate", fmt.Sprint(rate))
	db := d.open()
	d.waitFor(2*time.Minute, "the fan-out did not finish", func() bool {
		c, err := db.OutboxCounts(context.Background())
		return err == nil && c[store.Pending] == 0 && c[store.Sent] == contacts
	})
	p.stop(t)

	got := map[int64]int{}
	for _, m := range d.api.Sent() {
		got[m.ChatID]++
	}
	lost, worst := 0, 0
	for _, w := range ws {
		if got[w.user.ID] == 0 {
			lost++
		}
		worst = max(worst, got[w.user.ID])
	}
	total := duplicates(d.api)
	perKill := make([]int, kills)
	for k := range kills {
		// What kill k left in doubt is sent again right after the restart,
		// before kill k+1.
		next := total
		if k+1 < kills {
			next = dupAt[k+1]
		}
		perKill[k] = next - dupAt[k]
	}
	if lost > 0 {
		t.Errorf("%d of %d contacts never got the prompt", lost, contacts)
	}
	if worst > 1+kills {
		t.Errorf("a contact got the prompt %d times in %d kills", worst, kills)
	}
	// Each kill leaves at most sendWorkers messages in doubt, and they are
	// sent again after some later restart: usually the next, but a restarted
	// serve killed again soon (on a loaded machine) may not have resent them
	// all yet. So the duplicates seen by kill k can be at most sendWorkers
	// per kill so far, and the total at most sendWorkers per kill.
	sum := 0
	for k, n := range perKill {
		sum += n
		if sum > sendWorkers*(k+1) {
			t.Errorf("after kill %d, %d prompts repeated; at most %d can have been in flight in %d kills", k+1, sum, sendWorkers*(k+1), k+1)
		}
	}
	if d.api.RateLimited() > 0 {
		t.Logf("%d 429s met", d.api.RateLimited())
	}
	t.Logf("%d contacts, %d kills: %d lost, %d duplicates (per kill %v), at most %d prompts to one contact; delivered at each kill %v",
		contacts, kills, lost, total, perKill, worst, atKill)
}

// reached counts the chats that got at least one message.
func reached(api *fakeapi.Server) int {
	chats := map[int64]bool{}
	for _, m := range api.Sent() {
		chats[m.ChatID] = true
	}
	return len(chats)
}

// duplicates counts the messages a chat got more than once.
func duplicates(api *fakeapi.Server) int {
	n := 0
	for _, c := range api.Duplicates(func(m fakeapi.Message) string { return fmt.Sprint(m.ChatID, m.PlainText) }) {
		n += c - 1
	}
	return n
}

// The Bot API is unreachable for a while (3 s here, a minute with
// REFORMBOT_DRILL_OUTAGE=60s) while reports arrive and prompts are
// enqueued: once it is back, intake and sends resume by themselves, in the
// same process, and nothing is lost or sent twice.
func TestDrillBotAPIDown(t *testing.T) {
	outage := envDuration("REFORMBOT_DRILL_OUTAGE", 3*time.Second)
	ctx := context.Background()
	d := newDrill(t)
	ws := d.writers(100)
	p := d.serve("--rate", "200")
	d.waitPolling(p, 1)

	d.api.SetDown(true)
	down := time.Now()
	texts := map[string]int{}
	var last int64
	for i, w := range ws[:50] {
		text := fmt.Sprintf("断网期间的第%d条进展。", i)
		last = d.api.SendText(w.user, text) // Telegram keeps them until the bot can fetch them
		texts[text] = 0
	}
	if out := d.run("prompt", "--period", "2017-04"); !strings.Contains(out, "100 prompts enqueued") {
		t.Fatalf("prompt: %s", out)
	}
	time.Sleep(outage - time.Since(down))
	failed := 0
	for _, r := range d.api.Requests() {
		if !r.Time.Before(down) && r.Status == 0 {
			failed++
		}
	}
	d.api.SetDown(false)
	back := time.Now()
	t.Logf("the Bot API was down for %v; %d calls failed meanwhile", back.Sub(down).Round(time.Millisecond), failed)
	if failed == 0 {
		t.Fatal("serve made no call while the Bot API was down; the drill proved nothing")
	}

	for i, w := range ws[50:] {
		text := fmt.Sprintf("恢复后的第%d条进展。", i)
		last = d.api.SendText(w.user, text)
		texts[text] = 1
	}
	// Generous: after a long outage the sender's backoff may hold a message
	// for minutes; what matters is that it goes without a restart.
	wait := 2*time.Minute + 2*outage
	d.api.WaitConfirmed(t, wait, last)
	intake := time.Since(back)
	db := d.open()
	d.waitFor(wait, "the outbox did not drain after the outage", func() bool {
		c, err := db.OutboxCounts(ctx)
		return err == nil && c[store.Pending] == 0
	})
	sends := time.Since(back)
	if !p.alive() {
		t.Fatalf("serve exited: %v\n%s", p.err, p.log.String())
	}
	p.stop(t)
	d.checkReports(db, ws, texts)
	counts, err := db.OutboxCounts(ctx)
	if err != nil || counts[store.Failed] != 0 {
		t.Errorf("outbox %v, %v; want nothing failed", counts, err)
	}
	prompts := map[int64]int{}
	for _, m := range d.api.Sent() {
		if strings.Contains(m.PlainText, "改革任务进展填报") {
			prompts[m.ChatID]++
		}
	}
	for _, w := range ws {
		if prompts[w.user.ID] != 1 {
			t.Errorf("contact %d got %d prompts, want 1", w.user.ID, prompts[w.user.ID])
			break
		}
	}
	t.Logf("after the outage: every update confirmed in %v, every message sent in %v",
		intake.Round(time.Millisecond), sends.Round(time.Millisecond))
}
