package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/luohu/reformbot/bot"
	"github.com/luohu/reformbot/store"
)

func init() {
	commands["notify"] = command{summary: "send units a notice (通知) with a 收到 button, or --status to see who pressed it", run: runNotify}
}

// unitList is a repeatable --unit flag; each value may also list several
// units separated by commas or 、.
type unitList []string

func (l *unitList) String() string { return strings.Join(*l, ",") }

func (l *unitList) Set(v string) error {
	for _, name := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if name = strings.TrimSpace(name); name != "" {
			*l = append(*l, name)
		}
	}
	return nil
}

func runNotify(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "notify", "(--all | --unit NAME... | --group NAME) TEXT  |  --status [NOTICE_ID]")
	c := addCommon(fs, env)
	all := fs.Bool("all", false, "send to every unit's contacts")
	var units unitList
	fs.Var(&units, "unit", "send to this unit's contacts (repeat, or separate names with commas)")
	group := fs.String("group", "", "send to the contacts of a group's member units")
	status := fs.Bool("status", false, "show the latest notices (or one) and who pressed 收到")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *status {
		if *all || len(units) > 0 || *group != "" || len(rest) > 1 {
			return usagef("--status takes at most a notice id")
		}
		return noticeStatus(ctx, env, c, rest)
	}
	targets := 0
	for _, set := range []bool{*all, len(units) > 0, *group != ""} {
		if set {
			targets++
		}
	}
	text := strings.TrimSpace(strings.Join(rest, " "))
	switch {
	case targets != 1:
		return usagef("say who the notice is for: exactly one of --all, --unit NAME, --group NAME")
	case text == "":
		return usagef("give the notice's text, e.g. reformbot notify --all '请于周五前完成本月填报'")
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := c.loadPlan(ctx, db)
	if err != nil {
		return err
	}
	var n store.Notice
	var a bot.Audience
	err = db.Update(ctx, func(tx *store.Tx) error {
		contacts, err := tx.ActiveContacts(ctx, store.RoleContact)
		if err != nil {
			return err
		}
		if a, err = bot.NoticeAudience(p, contacts, *all, units, strings.TrimSpace(*group)); err != nil {
			return err
		}
		n, err = bot.EnqueueNotice(ctx, tx, text, a, 0)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "notice #%d queued for %d contacts (%s); serve sends it, paced like prompts\n", n.ID, len(a.Recipients), a.Label)
	if len(a.Unbound) > 0 {
		fmt.Fprintf(env.Stderr, "note: no bound contact, not notified: %s\n", strings.Join(a.Unbound, ", "))
	}
	return nil
}

// noticeStatus prints the latest notices, or the one given, with every
// recipient and when they pressed 收到.
func noticeStatus(ctx context.Context, env *Env, c *common, rest []string) error {
	db, loc, err := c.openIn(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var ns []store.Notice
	if len(rest) == 1 {
		id, err := strconv.ParseInt(strings.TrimPrefix(rest[0], "#"), 10, 64)
		if err != nil || id <= 0 {
			return usagef("bad notice id %q", rest[0])
		}
		n, err := db.Notice(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no notice #%d", id)
		}
		if err != nil {
			return err
		}
		switch {
		case n.Draft:
			fmt.Fprintf(env.Stdout, "notice #%d is a draft in the bot, not sent: %s\n", n.ID, oneLine(n.Text))
			return nil
		case n.Dropped:
			fmt.Fprintf(env.Stdout, "notice #%d was cancelled in the bot, not sent: %s\n", n.ID, oneLine(n.Text))
			return nil
		}
		ns = []store.Notice{n}
	} else if ns, err = db.Notices(ctx, 10); err != nil {
		return err
	}
	if len(ns) == 0 {
		fmt.Fprintln(env.Stdout, "no notices yet: send one with 'reformbot notify --all TEXT'")
		return nil
	}
	for i, n := range ns {
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		fmt.Fprintf(env.Stdout, "notice #%d  %s  to %s  acknowledged %d/%d\n  %s\n", n.ID,
			n.CreatedAt.In(loc).Format("2006-01-02 15:04"), n.Audience, n.Acked(), len(n.Recipients), oneLine(n.Text))
		tab := table{}
		tab.row("  UNIT", "NAME", "USER ID", "收到")
		for _, r := range n.Recipients {
			acked := "-"
			if !r.AckedAt.IsZero() {
				acked = r.AckedAt.In(loc).Format("2006-01-02 15:04")
			}
			tab.row("  "+r.Unit, oneLine(r.Name), strconv.FormatInt(r.UserID, 10), acked)
		}
		if err := tab.write(env.Stdout); err != nil {
			return err
		}
	}
	return nil
}
