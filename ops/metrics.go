package ops

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/sender"
)

// The metrics. Labels carry only kinds and result classes: never a user,
// a chat or a unit.
var (
	descUpdates       = prometheus.NewDesc("reformbot_updates_received_total", "Telegram updates processed.", nil, nil)
	descUpdatesFailed = prometheus.NewDesc("reformbot_updates_failed_total", "Updates whose handler failed; each user got an apology.", nil, nil)
	descLatency       = prometheus.NewDesc("reformbot_handler_duration_seconds", "Time from receiving an update to committing its effects.", nil, nil)
	descOutbox        = prometheus.NewDesc("reformbot_outbox_pending", "Messages waiting in the outbox, by kind.", []string{"kind"}, nil)
	descOutboxFailed  = prometheus.NewDesc("reformbot_outbox_failed", "Messages that could not be delivered.", nil, nil)
	descSends         = prometheus.NewDesc("reformbot_sends_total", "Bot API send calls, by result (ok, 429, 403, 400, 5xx).", []string{"result"}, nil)
	descSendRate      = prometheus.NewDesc("reformbot_send_rate", "The sender's current overall rate, messages per second.", nil, nil)
	descCampaigns     = prometheus.NewDesc("reformbot_campaigns_total", "Scheduled runs done (prompts, reminders, digests, acceptance requests), by kind.", []string{"kind"}, nil)
	descLastPoll      = prometheus.NewDesc("reformbot_last_poll_success_timestamp_seconds", "When getUpdates last succeeded (0: not yet, or webhook mode).", nil, nil)
	descDBSize        = prometheus.NewDesc("reformbot_database_bytes", "Size of the database file and its WAL.", []string{"file"}, nil)
)

// collector reads the counters at each scrape.
type collector struct{ cfg Config }

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUpdates, descUpdatesFailed, descLatency, descOutbox, descOutboxFailed,
		descSends, descSendRate, descCampaigns, descLastPoll, descDBSize} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	st := c.cfg.Bot.Stats()
	ch <- prometheus.MustNewConstMetric(descUpdates, prometheus.CounterValue, float64(st.Updates))
	ch <- prometheus.MustNewConstMetric(descUpdatesFailed, prometheus.CounterValue, float64(st.UpdatesFailed))
	buckets := map[float64]uint64{}
	var cum uint64
	for i, le := range bot.LatencyBuckets {
		cum += st.LatencyCounts[i]
		buckets[le] = cum
	}
	count := cum + st.LatencyCounts[len(bot.LatencyBuckets)]
	ch <- prometheus.MustNewConstHistogram(descLatency, count, st.LatencySum.Seconds(), buckets)
	for r := range sender.Result(sender.NumResults) {
		ch <- prometheus.MustNewConstMetric(descSends, prometheus.CounterValue, float64(st.Sends[r]), r.String())
	}
	ch <- prometheus.MustNewConstMetric(descSendRate, prometheus.GaugeValue, st.SendRate)
	last := 0.0
	if !st.LastPoll.IsZero() {
		last = float64(st.LastPoll.UnixNano()) / 1e9
	}
	ch <- prometheus.MustNewConstMetric(descLastPoll, prometheus.GaugeValue, last)
	main, wal := c.cfg.DB.FileSizes()
	ch <- prometheus.MustNewConstMetric(descDBSize, prometheus.GaugeValue, float64(main), "db")
	ch <- prometheus.MustNewConstMetric(descDBSize, prometheus.GaugeValue, float64(wal), "wal")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if out, err := c.cfg.DB.OutboxHealth(ctx, c.cfg.Now()); err != nil {
		ch <- prometheus.NewInvalidMetric(descOutbox, err)
	} else {
		for _, kind := range []string{"reply", "alert", "prompt", "remind", "digest", "acceptance"} {
			if _, ok := out.PendingByKind[kind]; !ok {
				out.PendingByKind[kind] = 0 // a series that exists at zero, not one that vanishes
			}
		}
		for kind, n := range out.PendingByKind {
			ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(n), kind)
		}
		ch <- prometheus.MustNewConstMetric(descOutboxFailed, prometheus.GaugeValue, float64(out.Failed))
	}
	if camp, err := c.cfg.DB.CampaignCounts(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(descCampaigns, err)
	} else {
		for kind, n := range camp {
			ch <- prometheus.MustNewConstMetric(descCampaigns, prometheus.CounterValue, float64(n), kind)
		}
	}
}
