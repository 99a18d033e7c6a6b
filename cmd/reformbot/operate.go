package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/ops"
	"github.com/luohu/reformbot/store"
)

// opsFlags are serve's operator settings: the /healthz and /metrics
// listener and the backups.
type opsFlags struct {
	metrics   string
	backupDir string
	hour      int
	keep      store.Keep
}

func addOpsFlags(fs *flag.FlagSet, env *Env) *opsFlags {
	f := &opsFlags{}
	fs.StringVar(&f.metrics, "metrics", env.Getenv("REFORMBOT_METRICS"), "address to serve /healthz and /metrics on, e.g. 127.0.0.1:9090 (env REFORMBOT_METRICS; off by default)")
	addBackupFlags(fs, env, &f.backupDir, &f.keep)
	fs.IntVar(&f.hour, "backup-hour", envIntOr(env, "REFORMBOT_BACKUP_HOUR", 3), "the quiet hour (0-23, office time) of the daily backup")
	return f
}

// addBackupFlags are the flags serve and `backup --list` share.
func addBackupFlags(fs *flag.FlagSet, env *Env, dir *string, keep *store.Keep) {
	fs.StringVar(dir, "backup-dir", env.Getenv("REFORMBOT_BACKUP_DIR"), "directory for automatic backups: daily and after each campaign, verified and rotated (env REFORMBOT_BACKUP_DIR)")
	fs.IntVar(&keep.Daily, "backup-keep-daily", envIntOr(env, "REFORMBOT_BACKUP_KEEP_DAILY", 7), "daily backups to keep")
	fs.IntVar(&keep.Monthly, "backup-keep-monthly", envIntOr(env, "REFORMBOT_BACKUP_KEEP_MONTHLY", 12), "monthly backups to keep")
}

func envIntOr(env *Env, key string, fallback int) int {
	if v, err := strconv.Atoi(env.Getenv(key)); err == nil {
		return v
	}
	return fallback
}

func (f *opsFlags) check() error {
	if f.hour < 0 || f.hour > 23 {
		return usagef("--backup-hour must be 0-23")
	}
	if f.keep.Daily < 1 || f.keep.Monthly < 0 {
		return usagef("--backup-keep-daily must be at least 1 and --backup-keep-monthly at least 0")
	}
	return nil
}

// start runs the metrics listener and the backups until ctx is done; wg
// tracks them. It returns the function to call after each campaign.
func (f *opsFlags) start(ctx context.Context, wg *sync.WaitGroup, env *Env, db *store.DB, b *bot.Bot, loc *time.Location, log *slog.Logger) (afterCampaign func(), err error) {
	if f.metrics != "" {
		ln, err := net.Listen("tcp", f.metrics)
		if err != nil {
			return nil, fmt.Errorf("--metrics: %w", err)
		}
		srv := &http.Server{Handler: ops.Handler(ops.Config{Bot: b, DB: db, Log: log, Now: env.Now}), ReadHeaderTimeout: 10 * time.Second}
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-ctx.Done()
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Shutdown(shutdown)
		}()
		go func() {
			defer wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("metrics listener stopped", "err", err)
			}
		}()
		log.Info("serving /healthz and /metrics", "addr", ln.Addr().String())
	}
	afterCampaign = func() {}
	if f.backupDir != "" {
		backups := ops.NewBackups(ops.Backups{DB: db, Dir: f.backupDir, Keep: f.keep, Hour: f.hour, Location: loc, Log: log, Now: env.Now})
		afterCampaign = backups.Soon
		wg.Add(1)
		go func() {
			defer wg.Done()
			backups.Run(ctx)
		}()
		log.Info("backups on", "dir", f.backupDir, "daily_at", fmt.Sprintf("%02d:00", f.hour), "keep_daily", f.keep.Daily, "keep_monthly", f.keep.Monthly)
	} else {
		log.Warn("no --backup-dir: serve takes no backups by itself")
	}
	return afterCampaign, nil
}
