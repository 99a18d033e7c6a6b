package bot

import (
	"sync/atomic"
	"time"

	"github.com/luohu/reformbot/sender"
)

// Stats are the counters the intake keeps for the operator's /metrics and
// /healthz (the sender keeps its own: sender.Sends). They are atomics, so keeping them costs a few
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
}

// LatencyBuckets are the upper bounds, in seconds, of the handler latency
// histogram: one update from receipt to commit.
var LatencyBuckets = [...]float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

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

// StatsSnapshot is a reading of the counters.
type StatsSnapshot struct {
	Updates, UpdatesFailed int64
	// LatencyCounts[i] counts updates within LatencyBuckets[i] (the last,
	// those above every bucket); not cumulative.
	LatencyCounts [len(LatencyBuckets) + 1]uint64
	LatencySum    time.Duration
	Sends         [sender.NumResults]int64 // Bot API calls by sender.Result
	SendRate      float64                  // the sender's current overall rate, messages a second
	LastPoll      time.Time                // zero before the first successful getUpdates
	PollFailures  int64                    // getUpdates failures in a row
	Webhook       bool                     // updates come by webhook, and it is being served
}

// Stats reads the bot's counters.
func (b *Bot) Stats() StatsSnapshot {
	var snap StatsSnapshot
	in := &b.stats
	snap.Updates, snap.UpdatesFailed = in.updates.Load(), in.updatesFailed.Load()
	for i := range in.latency {
		snap.LatencyCounts[i] = uint64(in.latency[i].Load())
	}
	snap.LatencySum = time.Duration(in.latencySum.Load())
	snap.Sends = b.sender.Sends()
	snap.SendRate = b.sender.Rate()
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
