// Package ops is what an operator watches reformbot by: /healthz and
// /metrics in one http.Handler (served by `serve --metrics ADDR`, and
// mountable on any other listener), and the backups serve takes by itself.
//
// ops reads what the other packages keep (bot.Stats, the store's outbox and
// campaigns) and changes nothing but the backup directory. Only cmd imports
// it.
package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/store"
)

// Bot is what ops reads of the running bot.
type Bot interface {
	Stats() bot.StatsSnapshot
	Polling() bool
	PollTimeout() time.Duration
}

// Config is what the handler watches.
type Config struct {
	Bot Bot
	DB  *store.DB
	Log *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// StuckAfter is how long a due message may wait before the sender
	// counts as stuck (default 10 minutes).
	StuckAfter time.Duration
	// PollFailures is how many getUpdates failures in a row make intake
	// unhealthy (default 3: one failed call is a passing hiccup).
	PollFailures int64
}

func (c *Config) setDefaults() {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.StuckAfter <= 0 {
		c.StuckAfter = 10 * time.Minute
	}
	if c.PollFailures <= 0 {
		c.PollFailures = 3
	}
}

// Handler serves /healthz and /metrics.
func Handler(cfg Config) http.Handler {
	cfg.setDefaults()
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&collector{cfg: cfg},
	)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slogPrinter{cfg.Log}}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		problems := Check(ctx, cfg)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		status := http.StatusOK
		if len(problems) > 0 {
			status = http.StatusServiceUnavailable
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(struct {
			OK       bool     `json:"ok"`
			Problems []string `json:"problems,omitempty"`
		}{len(problems) == 0, problems})
	})
	return mux
}

// Check lists what makes the running bot unhealthy: intake not taking
// updates, the database not taking writes, or the sender stuck. None means
// healthy.
func Check(ctx context.Context, cfg Config) []string {
	cfg.setDefaults()
	var problems []string
	st := cfg.Bot.Stats()
	now := cfg.Now()
	if cfg.Bot.Polling() {
		// A long poll returns within PollTimeout (plus the client's 15 s
		// of slack), so a success older than that and a minute is a hang.
		stale := 2*cfg.Bot.PollTimeout() + time.Minute
		switch {
		case st.LastPoll.IsZero():
			problems = append(problems, "intake: no successful getUpdates yet")
		case st.PollFailures >= cfg.PollFailures:
			problems = append(problems, fmt.Sprintf("intake: getUpdates failed %d times in a row: the Bot API or the proxy is unreachable", st.PollFailures))
		case now.Sub(st.LastPoll) > stale:
			problems = append(problems, fmt.Sprintf("intake: last successful getUpdates %s ago", now.Sub(st.LastPoll).Round(time.Second)))
		}
	} else if !st.Webhook {
		problems = append(problems, "intake: the webhook is not registered or not served")
	}
	if err := cfg.DB.CheckWritable(ctx); err != nil {
		problems = append(problems, "database: not writable: "+err.Error())
	}
	out, err := cfg.DB.OutboxHealth(ctx, now)
	if err != nil {
		problems = append(problems, "database: "+err.Error())
	} else if !out.OldestDue.IsZero() && now.Sub(out.OldestDue) > cfg.StuckAfter {
		problems = append(problems, fmt.Sprintf("sender: %d messages due, the oldest for %s", out.Due, now.Sub(out.OldestDue).Round(time.Second)))
	}
	return problems
}

// slogPrinter routes promhttp's errors into slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Error("metrics: " + fmt.Sprint(v...)) }
