package bot

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// keyboardLabels reads a reply keyboard's button labels.
func keyboardLabels(t *testing.T, markup json.RawMessage) []string {
	t.Helper()
	var kb replyKeyboard
	if err := json.Unmarshal(markup, &kb); err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, row := range kb.Keyboard {
		for _, k := range row {
			labels = append(labels, k.Text)
		}
	}
	return labels
}

// TestRouteTableComplete: a route cannot be half-added. Every command is
// in the menu and in the help of its role and dispatches to its own
// route; every button is on its role's keyboard and every keyboard button
// dispatches.
func TestRouteTableComplete(t *testing.T) {
	h := newHarness(t)
	w := h.bot.handlers.words(h.clock.Now())
	unitMenu, officeMenu := menuCommands(w, true, false), menuCommands(w, true, true)
	office := store.Contact{Role: store.RoleOffice, Status: store.Active}
	contact := store.Contact{Role: store.RoleContact, Status: store.Active, Unit: h.plan.Units[0].Name}
	officeHelp, contactHelp := helpText(office, w, true), helpText(contact, w, true)
	if !office.IsOffice() || !contact.CanReport() {
		t.Fatal("test contacts have the wrong roles")
	}
	for i := range routes {
		rt := &routes[i]
		name := rt.command
		if name == "" {
			name = rt.label
		}
		if rt.handler == nil {
			t.Errorf("%s: no handler", name)
		}
		if rt.command == "" && rt.label == "" {
			t.Errorf("route %d: neither command nor button", i)
		}
		for _, c := range append([]string{rt.command}, rt.aliases...) {
			if c != "" && commandRoute(c) != rt {
				t.Errorf("/%s does not dispatch to its route", c)
			}
		}
		for _, text := range append([]string{rt.label}, rt.words...) {
			if text != "" && routeByText[text] != rt {
				t.Errorf("%q does not dispatch to its route", text)
			}
		}
		if rt.command != "" && rt.command != "start" {
			has := func(menu []models.BotCommand) bool {
				return slices.ContainsFunc(menu, func(c models.BotCommand) bool { return c.Command == rt.command })
			}
			forUnits, forOffice := rt.role.contact() || rt.role == roleAnyone, rt.role.office() || rt.role == roleAnyone
			if forUnits != has(unitMenu) || forOffice != has(officeMenu) {
				t.Errorf("/%s: in the units' menu %v, the office's %v; for units %v, the office %v",
					rt.command, has(unitMenu), has(officeMenu), forUnits, forOffice)
			}
		}
		mention := "/" + rt.command
		switch {
		case rt.helpName != "":
			mention = rt.helpName
		case rt.command == "":
			mention = rt.label
		}
		// A webApp button (工作台) is on the keyboard only when the
		// dashboard is published; the static help does not name it.
		if rt.role.office() && !rt.webApp && !strings.Contains(officeHelp, mention) {
			t.Errorf("%s: office help does not mention %q", name, mention)
		}
		if rt.role.contact() && !strings.Contains(contactHelp, mention) {
			t.Errorf("%s: contact help does not mention %q", name, mention)
		}
		if rt.label != "" && rt.contactKey.row == 0 && rt.officeKey.row == 0 {
			t.Errorf("%s: a button on no keyboard", name)
		}
		if (rt.contactKey.row != 0 && !(rt.role.contact() || rt.role == roleAnyone)) ||
			(rt.officeKey.row != 0 && !(rt.role.office() || rt.role == roleAnyone)) {
			t.Errorf("%s: on the keyboard of a role it is not for", name)
		}
	}
	for _, kb := range []struct {
		name   string
		markup json.RawMessage
	}{
		{"contact", contactKeyboard()},
		{"office", officeKeyboard()},
		{"office with 工作台", replyKeyboardOf(true, true)},
	} {
		labels := keyboardLabels(t, kb.markup)
		if len(labels) == 0 {
			t.Errorf("%s keyboard is empty", kb.name)
		}
		for _, l := range labels {
			if routeByText[l] == nil {
				t.Errorf("%s keyboard: %q dispatches nowhere", kb.name, l)
			}
		}
	}
	// The menu Telegram shows is the table's: published before polling, so
	// once a message is answered it is there.
	h.say(fakeapi.User{ID: 603, FirstName: "李"}, "/help", "邀请链接")
	bulletins := h.bot.handlers.bulletins != nil // as configured
	sameMenu(t, "the default", h.api.Commands(), menuCommands(w, bulletins, false))
	// An office contact bound while serving gets the office's menu in its
	// chat with its welcome.
	boss := fakeapi.User{ID: 9001}
	h.bind(boss, store.RoleOffice, "")
	h.settle()
	sameMenu(t, "the office chat's", h.api.CommandsFor("chat:9001", ""), menuCommands(w, bulletins, true))
}

func sameMenu(t *testing.T, which string, got []fakeapi.Command, menu []models.BotCommand) {
	t.Helper()
	if len(got) != len(menu) {
		t.Fatalf("%s published menu %v, table %v", which, got, menu)
	}
	for i := range got {
		if got[i].Command != menu[i].Command || got[i].Description != menu[i].Description {
			t.Errorf("%s published menu[%d] = %v, table %v", which, i, got[i], menu[i])
		}
	}
}

// TestRoutesAnswer sends every command and every keyboard button, as the
// role it is for, through the real client and the fake Bot API: each gets
// an answer from its handler, never 无法识别该命令 or a search.
func TestRoutesAnswer(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.WebAppURL = "https://office.example.org/" }))
	office := fakeapi.User{ID: 601, FirstName: "王"}
	contact := fakeapi.User{ID: 602, FirstName: "张"}
	h.bind(office, store.RoleOffice, "")
	h.bind(contact, store.RoleContact, h.plan.Units[0].Name)
	asks := func(u fakeapi.User, text string) {
		t.Helper()
		m := h.say(u, text, "")
		h.settle()
		for _, m := range append([]fakeapi.Message{m}, h.sentTo(u.ID)...) {
			if strings.Contains(m.PlainText, "无法识别该命令") || strings.Contains(m.PlainText, "未找到与") {
				t.Errorf("%q answered %q", text, m.PlainText)
			}
		}
	}
	for _, rt := range routes {
		users := []fakeapi.User{}
		if rt.role.office() || rt.role == roleAnyone {
			users = append(users, office)
		}
		if rt.role.contact() || rt.role == roleAnyone {
			users = append(users, contact)
		}
		for _, u := range users {
			if rt.command != "" && rt.command != "start" {
				asks(u, "/"+rt.command)
			}
			if rt.label != "" {
				asks(u, rt.label)
			}
		}
	}
}

// Without bulletins (Config.Bulletins unset, as in a bot with no digest
// to number) /bulletin is in neither the help nor the menu.
func TestBulletinHiddenWhenOff(t *testing.T) {
	h := newHarness(t)
	w := h.bot.handlers.words(h.clock.Now())
	office := store.Contact{Role: store.RoleOffice, Status: store.Active}
	if help := helpText(office, w, false); strings.Contains(help, "/bulletin") {
		t.Errorf("help without bulletins:\n%s", help)
	}
	for _, c := range menuCommands(w, false, true) {
		if c.Command == "bulletin" {
			t.Error("the menu without bulletins has /bulletin")
		}
	}
	if help := helpText(office, w, true); !strings.Contains(help, "/bulletin") {
		t.Errorf("help with bulletins lacks /bulletin:\n%s", help)
	}
}

// Serve sets the office's menu in the chat of each office contact bound
// before it started (RefreshCommands does what identify does).
func TestOfficeMenuForContactsBoundBefore(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	code, _, err := h.db.CreateInvite(ctx, store.RoleOffice, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	err = h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: 9002, ChatID: 9002, Name: "李处"}, store.AttemptLimit{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.api.CommandsFor("chat:9002", ""); len(got) != 0 {
		t.Fatalf("a menu before serve set one: %v", got)
	}
	if err := h.bot.RefreshCommands(ctx); err != nil {
		t.Fatal(err)
	}
	w := h.bot.handlers.words(h.clock.Now())
	sameMenu(t, "the office chat's", h.api.CommandsFor("chat:9002", ""), menuCommands(w, h.bot.handlers.bulletins != nil, true))
}
