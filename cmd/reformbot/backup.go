package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/luohu/reformbot/store"
)

func init() {
	commands["backup"] = command{summary: "write a consistent copy of the database while serve runs, or --list the backups", run: runBackup}
	commands["restore"] = command{summary: "replace the database with a backup (serve must be stopped; the current one is kept aside)", run: runRestore}
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "backup", "-o FILE | --list | --backup-dir DIR")
	c := addCommon(fs, env)
	out := fs.String("o", "", "where to write the copy (must not exist)")
	list := fs.Bool("list", false, "list the backups in --backup-dir and which rotation keeps")
	var dir string
	var keep store.Keep
	addBackupFlags(fs, env, &dir, &keep)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("backup takes no arguments besides flags")
	}
	loc, err := c.location()
	if err != nil {
		return err
	}
	if *list {
		return listBackups(env, dir, loc, keep)
	}
	if *out == "" && dir == "" {
		return usagef("backup needs -o FILE, or --backup-dir DIR for a rotated backup")
	}
	if _, err := os.Stat(c.db); err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *out == "" {
		f, err := db.BackupInto(ctx, dir, env.Now().In(loc), keep)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "backed up %s to %s (verified, %d bytes)\n", db.Path(), f.Path, f.Size)
		return nil
	}
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	if err := store.Verify(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s (verified)\n", db.Path(), *out)
	return nil
}

func listBackups(env *Env, dir string, loc *time.Location, keep store.Keep) error {
	if dir == "" {
		return usagef("backup --list needs --backup-dir DIR (or REFORMBOT_BACKUP_DIR)")
	}
	all, err := store.ListBackups(dir, loc)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		fmt.Fprintf(env.Stdout, "no backups in %s\n", dir)
		return nil
	}
	_, _, why := store.Retained(all, keep)
	for i := len(all) - 1; i >= 0; i-- {
		b := all[i]
		keptAs := why[b.Path]
		if keptAs == "" {
			keptAs = "pruned at the next backup"
		}
		fmt.Fprintf(env.Stdout, "%s  %8s  %-15s %s\n", b.Time.Format("2006-01-02 15:04:05"), humanBytes(b.Size), keptAs, b.Path)
	}
	fmt.Fprintf(env.Stdout, "%d backups; keeping the newest of the last %d days and %d months\n", len(all), keep.Daily, keep.Monthly)
	return nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "restore", "FILE")
	c := addCommon(fs, env)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("restore needs the backup FILE, e.g. 'reformbot restore backups/reformbot-20261128-030000.db'")
	}
	from := rest[0]
	if abs, err := filepath.Abs(from); err == nil {
		if dbAbs, err := filepath.Abs(c.db); err == nil && abs == dbAbs {
			return usagef("%s is the database itself", from)
		}
	}
	loc, err := c.location()
	if err != nil {
		return err
	}
	lock, err := store.LockSender(c.db, env.Now())
	if errors.Is(err, store.ErrSenderLocked) {
		return fmt.Errorf("reformbot serve is running on %s: stop it first (systemctl stop reformbot), then restore", c.db)
	}
	if err != nil {
		return err
	}
	defer lock.Release()
	// The name kept aside is in office time, as the backups' names are.
	aside, err := store.Restore(ctx, from, c.db, env.Now().In(loc))
	if err != nil {
		return err
	}
	// Open once: migrations run forward now, so a problem shows here and
	// not when serve starts.
	db, err := c.open(ctx)
	if err != nil {
		return fmt.Errorf("restored, but the database does not open: %w (the previous one is %s)", err, aside)
	}
	db.Close()
	fmt.Fprintf(env.Stdout, "restored %s from %s\n", c.db, from)
	if aside != "" {
		fmt.Fprintf(env.Stdout, "the previous database is kept as %s\n", aside)
	}
	fmt.Fprintln(env.Stdout, "start serve again (systemctl start reformbot)")
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return strings.TrimSpace(fmt.Sprintf("%d B", n))
}
