package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/luohu/reformbot/store"
)

func init() {
	commands["invite"] = command{summary: "make a single-use invite link for a unit contact (or --office, or --all units as a printable workbook)", run: runInvite}
	commands["contacts"] = command{summary: "list bound contacts", run: runContacts}
	commands["revoke"] = command{summary: "remove a contact's binding by Telegram user id", run: runRevoke}
}

func runInvite(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "invite", "[--office] [--days N] [UNIT]  |  --all [--unbound] -o invites.xlsx [--qr DIR]")
	c := addCommon(fs, env)
	office := fs.Bool("office", false, "invite a reform office contact instead of a unit contact")
	days := fs.Int("days", 14, "days the invite stays valid")
	all := fs.Bool("all", false, "one fresh invite per unit that reports, as a workbook with QR codes (needs -o)")
	output := fs.String("o", "", "with --all: the workbook to write (.xlsx)")
	qrDir := fs.String("qr", "", "with --all: also write each unit's QR code as a PNG file in this directory")
	unbound := fs.Bool("unbound", false, "with --all: only the units that have no active contact yet")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(strings.Join(rest, " "))
	switch {
	case *days <= 0 || *days > 365:
		return usagef("--days must be between 1 and 365")
	case *all && (*office || name != ""):
		return usagef("--all invites every unit: name no unit and no --office")
	case *all && (*output == "" || *output == "-"):
		return usagef("--all needs -o FILE.xlsx for the workbook")
	case *all && !strings.HasSuffix(strings.ToLower(*output), ".xlsx"):
		return usagef("--all writes an Excel workbook: -o must name a .xlsx file, not %q", *output)
	case !*all && (*output != "" || *qrDir != "" || *unbound):
		return usagef("-o, --qr and --unbound go with --all")
	case *all:
		return inviteAll(ctx, env, c, time.Duration(*days)*24*time.Hour, *output, *qrDir, *unbound)
	case *office && name != "":
		return usagef("an office invite names no unit: use either --office or a unit name")
	case !*office && name == "":
		return usagef("name the unit, e.g. reformbot invite 区编办 (or --office for the reform office)")
	}
	db, loc, err := c.openIn(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	role, unit := store.RoleOffice, ""
	if !*office {
		p, err := c.loadPlan(ctx, db)
		if err != nil {
			return err
		}
		u, ok := p.Unit(name)
		if !ok {
			msg := fmt.Sprintf("unknown unit %q", name)
			if s := p.SuggestUnits(name, 5); len(s) > 0 {
				msg += "; close matches: " + strings.Join(s, ", ")
			}
			return errors.New(msg)
		}
		if u.Group && len(u.Members) > 0 {
			// Its measures are its members' now: a contact of the group
			// itself would have nothing to report.
			return fmt.Errorf("%s is a group whose members are listed in the plan; invite a member: %s",
				u.Name, strings.Join(u.Members, ", "))
		}
		role, unit = store.RoleContact, u.Name
	}
	code, inv, err := db.CreateInvite(ctx, role, unit, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	who := "the reform office"
	if unit != "" {
		who = unit
	}
	username := botUsername(ctx, env, db)
	if username == "" {
		fmt.Fprintf(env.Stdout, "/start %s\n%s\n", code, code)
		fmt.Fprintf(env.Stderr, "note: the bot's username is not known yet (run serve once, or set TELEGRAM_BOT_TOKEN);\n"+
			"      the contact can send the first line to the bot instead of opening a link.\n")
	} else {
		fmt.Fprintf(env.Stdout, "https://t.me/%s?start=%s\n%s\n", username, code, code)
	}
	fmt.Fprintf(env.Stderr, "single-use invite for %s, valid until %s\n", who, inv.ExpiresAt.In(loc).Format("2006-01-02 15:04 MST"))
	return nil
}

// botUsername is the bot's @username: as serve last saw it, or asked of
// Telegram when a token is set.
func botUsername(ctx context.Context, env *Env, db *store.DB) string {
	if name, err := db.Meta(ctx, "bot_username"); err == nil && name != "" {
		return name
	}
	token := strings.TrimSpace(env.Getenv("TELEGRAM_BOT_TOKEN"))
	if token == "" {
		return ""
	}
	opts := []tgbot.Option{tgbot.WithSkipGetMe(), tgbot.WithErrorsHandler(func(error) {})}
	if url := env.Getenv("TELEGRAM_API_URL"); url != "" {
		opts = append(opts, tgbot.WithServerURL(url))
	}
	api, err := tgbot.New(token, opts...)
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	me, err := api.GetMe(ctx)
	if err != nil || me.Username == "" {
		return ""
	}
	db.SetMeta(ctx, "bot_username", me.Username)
	return me.Username
}

func runContacts(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "contacts", "[flags]")
	c := addCommon(fs, env)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("contacts takes no arguments")
	}
	db, loc, err := c.openIn(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	contacts, err := db.Contacts(ctx)
	if err != nil {
		return err
	}
	if len(contacts) == 0 {
		fmt.Fprintln(env.Stdout, "no contacts yet: make an invite with 'reformbot invite UNIT' or 'reformbot invite --office'")
		return nil
	}
	p, err := c.loadPlan(ctx, db)
	if err != nil {
		return err
	}
	tasks := p.TasksByUnit()
	// The office first, then the units in the plan's order (as the office
	// reads its own plan), units no longer in it last; the store's order
	// within a unit (bound first).
	place := map[string]int{}
	for i, u := range p.Units {
		place[u.Name] = i + 1
	}
	rank := func(ct store.Contact) int {
		switch {
		case ct.Role == store.RoleOffice:
			return 0
		case place[ct.Unit] > 0:
			return place[ct.Unit]
		default:
			return len(p.Units) + 1
		}
	}
	slices.SortStableFunc(contacts, func(a, b store.Contact) int { return cmp.Compare(rank(a), rank(b)) })
	var tab table
	tab.row("USER ID", "ROLE", "UNIT", "STATUS", "NAME", "USERNAME", "BOUND", "TASKS")
	for _, ct := range contacts {
		unit := unitName(ct)
		n := fmt.Sprint(len(tasks[ct.Unit]))
		if ct.Role == store.RoleOffice {
			n = "-"
		} else if n == "0" {
			n = "none in the plan in force"
		}
		username := ""
		if ct.Username != "" {
			username = "@" + ct.Username
		}
		tab.row(strconv.FormatInt(ct.UserID, 10), string(ct.Role), unit, string(ct.Status), oneLine(ct.Name), username,
			ct.BoundAt.In(loc).Format("2006-01-02 15:04"), n)
	}
	return tab.write(env.Stdout)
}

func runRevoke(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "revoke", "USER_ID")
	c := addCommon(fs, env)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("revoke takes one Telegram user id (see 'reformbot contacts')")
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || id <= 0 {
		return usagef("bad user id %q: want the number shown by 'reformbot contacts'", rest[0])
	}
	db, loc, err := c.openIn(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ct, err := db.Revoke(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no contact with user id %d", id)
	}
	if errors.Is(err, store.ErrAlreadyRevoked) {
		// Nothing to do, and saying "revoked" would hide that someone
		// did it before: name when.
		fmt.Fprintf(env.Stdout, "%d (%s, %s) was already revoked on %s; nothing changed\n", id, unitName(ct), ct.Name,
			ct.UpdatedAt.In(loc).Format("2006-01-02 15:04"))
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "revoked %d (%s, %s)\n", id, unitName(ct), ct.Name)
	return nil
}

// unitName is the contact's unit, or the office's name for an office contact.
func unitName(ct store.Contact) string {
	if ct.Role == store.RoleOffice {
		return "区委改革办"
	}
	return ct.Unit
}

// oneLine keeps a table row on one line whatever a Telegram name holds.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
