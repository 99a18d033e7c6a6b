package bot

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

func TestWorkbenchButton(t *testing.T) {
	office := fakeapi.User{ID: 501, FirstName: "王"}
	contact := fakeapi.User{ID: 502, FirstName: "张"}
	hasWorkbench := func(m fakeapi.Message) bool {
		return m.Markup != nil && slices.ContainsFunc(m.Markup.Keyboard, func(row []string) bool { return slices.Contains(row, labelWorkbench) })
	}

	t.Run("published", func(t *testing.T) {
		h := newHarness(t, withConfig(func(c *Config) { c.WebAppURL = "https://office.example.org/" }))
		h.bind(office, store.RoleOffice, "")
		h.bind(contact, store.RoleContact, h.plan.Units[0].Name)
		if m := h.say(office, "/help", "本期总览"); !hasWorkbench(m) {
			t.Fatalf("office keyboard without 工作台: %+v", m.Markup)
		}
		m := h.say(office, labelWorkbench, "工作台：")
		buttons := m.Markup.Buttons()
		if len(buttons) != 1 || buttons[0].Action != "web_app" {
			t.Fatalf("工作台 answer buttons: %+v", buttons)
		}
		var app struct{ URL string }
		if err := json.Unmarshal(buttons[0].Value, &app); err != nil || app.URL != "https://office.example.org/overview" {
			t.Fatalf("web_app %s: %v", buttons[0].Value, err)
		}
		// A unit contact's keyboard has no 工作台, and the word is a search.
		if m := h.say(contact, "/help", "我的任务"); hasWorkbench(m) {
			t.Fatal("a unit contact got the 工作台 button")
		}
	})

	t.Run("not published", func(t *testing.T) {
		h := newHarness(t)
		h.bind(office, store.RoleOffice, "")
		if m := h.say(office, "/help", "本期总览"); hasWorkbench(m) {
			t.Fatal("工作台 without a public URL")
		}
	})
}
