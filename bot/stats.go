package bot

import (
	"errors"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// Stats are the counters intake and the sender keep for the operator's
// /metrics and /healthz. They are atomics, so keeping them costs a few
// nanoseconds and reading them takes no lock. Nothing personal is kept:
// no user, chat or text.
type Stats struct {
	updates       atomic.Int64 // updates processed (applied or recorded as failed)
	updatesFailed atomic.Int64 // updates recorded as failed
	latency       [len(LatencyBuckets) + 1]atomic.Int64
	latencySum    atomic.Int64 // nanoseconds

	lastPoll     atomic.Int64 // unix nanoseconds of the last getUpdates that succeeded
	pollFailures atomic.Int64 // getUpdates failures since the last success
	webhook      atomic.Bool  // the webhook is registered and served

	sends [numSendResults]atomic.Int64
}

// LatencyBuckets are the upper bounds, in seconds, of the handler latency
// histogram: one update from receipt to commit.
var LatencyBuckets = [...]float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// SendResult classes a Bot API call's outcome.
type SendResult int

// Send results, as the metric labels them.
const (
	SentOK          SendResult = iota // accepted
	SentThrottled                     // 429
	SentForbidden                     // 403 or the chat is gone
	SentRefused                       // another 400: our bug
	SentServerError                   // 5xx or network: retried
	numSendResults
)

// String is the result's label.
func (r SendResult) String() string {
	return [...]string{"ok", "429", "403", "400", "5xx"}[r]
}

// handled counts one update whose processing began at start.
func (s *Stats) handled(start time.Time) {
	d := time.Since(start)
	s.updates.Add(1)
	s.latencySum.Add(int64(d))
	i := 0
	for i < len(LatencyBuckets) && d.Seconds() > LatencyBuckets[i] {
		i++
	}
	s.latency[i].Add(1)
}

func (s *Stats) updateFailed() { s.updatesFailed.Add(1) }

// polled records a getUpdates call's outcome.
func (s *Stats) polled(err error) {
	if err != nil {
		s.pollFailures.Add(1)
		return
	}
	s.pollFailures.Store(0)
	s.lastPoll.Store(time.Now().UnixNano())
}

// sent counts a Bot API call's outcome.
func (s *Stats) sent(err error) {
	var tooMany *tgbot.TooManyRequestsError
	r := SentServerError
	switch {
	case err == nil:
		r = SentOK
	case errors.As(err, &tooMany):
		r = SentThrottled
	case errors.Is(err, tgbot.ErrorForbidden) || isChatGone(err):
		r = SentForbidden
	case errors.Is(err, tgbot.ErrorBadRequest):
		r = SentRefused
	}
	s.sends[r].Add(1)
}

// StatsSnapshot is a reading of the counters.
type StatsSnapshot struct {
	Updates, UpdatesFailed int64
	// LatencyCounts[i] counts updates within LatencyBuckets[i] (the last,
	// those above every bucket); not cumulative.
	LatencyCounts [len(LatencyBuckets) + 1]uint64
	LatencySum    time.Duration
	Sends         [numSendResults]int64
	SendRate      float64   // the sender's current overall rate, messages a second
	LastPoll      time.Time // zero before the first successful getUpdates
	PollFailures  int64     // getUpdates failures in a row
	Webhook       bool      // updates come by webhook, and it is being served
}

// Stats reads the bot's counters.
func (b *Bot) Stats() StatsSnapshot {
	st := &b.sender.stats
	var snap StatsSnapshot
	in := &b.stats
	snap.Updates, snap.UpdatesFailed = in.updates.Load(), in.updatesFailed.Load()
	for i := range in.latency {
		snap.LatencyCounts[i] = uint64(in.latency[i].Load())
	}
	snap.LatencySum = time.Duration(in.latencySum.Load())
	for i := range st.sends {
		snap.Sends[i] = st.sends[i].Load()
	}
	snap.SendRate = b.sender.rateNow()
	if ns := in.lastPoll.Load(); ns != 0 {
		snap.LastPoll = time.Unix(0, ns)
	}
	snap.PollFailures = in.pollFailures.Load()
	snap.Webhook = in.webhook.Load()
	return snap
}

// Polling reports whether the bot takes updates by long polling (rather
// than by webhook).
func (b *Bot) Polling() bool { return b.cfg.Webhook.URL == "" }

// PollTimeout is getUpdates' long-polling timeout.
func (b *Bot) PollTimeout() time.Duration { return b.cfg.PollTimeout }
