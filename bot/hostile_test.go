package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/store"
)

// The rest of the hostile input is tested where it is handled: invite
// guessing in start_test.go, forged buttons in authz_test.go, overlong
// texts, big files, groups and junk in manners_test.go, and anything at all
// in FuzzUpdate.

// A caption is a report's text too: one over the limit (Premium clients
// allow 4,096 characters) is refused like an overlong text, and neither the
// file nor the words are stored.
func TestOverlongCaptionIsRefused(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	startWriting(t, h, u.ID, "区编办", "2.1.1")
	since := len(h.sentTo(u.ID))
	h.api.SendPhoto(u, strings.Repeat("字", maxReportText+1))
	h.waitNew(u.ID, since, "最多 2000 字")
	h.settle()
	if hist, err := h.db.History(ctx, 2017, "2.1.1", "区编办", "2017-04"); err != nil || len(hist) != 0 {
		t.Fatalf("stored %d versions, %v; want none", len(hist), err)
	}
	// Still writing: a photo with a short caption is taken.
	h.api.SendPhoto(u, "精简后的进展。")
	h.waitText(u.ID, "已保存")
	rep, err := h.db.CurrentReport(ctx, 2017, "2.1.1", "区编办", "2017-04")
	if err != nil || rep.Text != "精简后的进展。" || len(rep.Attachments) != 1 {
		t.Fatalf("report = %+v, %v", rep, err)
	}
}

// Update kinds the bot never asks for, and membership changes outside a
// private chat, are recorded and answered with nothing: whoever sends them,
// the bot writes to nobody.
func TestUnaskedUpdatesAreIgnored(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := fakeapi.User{ID: 1001}
	h.bind(u, store.RoleContact, "区编办")
	h.settle()
	before, err := h.db.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, raw string }{
		{"channel post", `{"update_id":900001,"channel_post":{"message_id":1,"date":1,"chat":{"id":-1001,"type":"channel","title":"c"},"text":"/tasks"}}`},
		{"inline query", `{"update_id":900002,"inline_query":{"id":"1","from":{"id":1001,"is_bot":false,"first_name":"x"},"query":"棚改","offset":""}}`},
		{"poll", `{"update_id":900003,"poll":{"id":"p","question":"?","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}`},
		{"added to a group", `{"update_id":900004,"my_chat_member":{"chat":{"id":-100123,"type":"supergroup","title":"g"},"from":{"id":1001,"is_bot":false,"first_name":"x"},"date":1,
			"old_chat_member":{"status":"left","user":{"id":123456,"is_bot":true,"first_name":"b"}},"new_chat_member":{"status":"member","user":{"id":123456,"is_bot":true,"first_name":"b"}}}}`},
		{"a message from a bot", `{"update_id":900005,"message":{"message_id":2,"date":1,"chat":{"id":1001,"type":"private"},"from":{"id":1001,"is_bot":true,"first_name":"b"},"text":"/tasks"}}`},
		{"a service message in a group", `{"update_id":900006,"message":{"message_id":3,"date":1,"chat":{"id":-100123,"type":"supergroup","title":"g"},"from":{"id":1001,"is_bot":false,"first_name":"x"},"new_chat_title":"新群名"}}`},
		{"no kind at all", `{"update_id":900007}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := h.bot.Process(ctx, json.RawMessage(tt.raw))
			if err != nil || id == 0 {
				t.Fatalf("Process = %d, %v", id, err)
			}
			if last, err := h.db.LastUpdateID(ctx); err != nil || last < id {
				t.Errorf("not recorded: last update %d, %v", last, err)
			}
		})
	}
	after, err := h.db.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if total(after) != total(before) {
		t.Errorf("outbox %v → %v: the bot answered an update it should ignore", before, after)
	}
	counts, err := h.db.InboxCounts(ctx)
	if err != nil || counts[store.OutcomeFailed] != 0 {
		t.Errorf("inbox %v, %v; want nothing failed", counts, err)
	}
}

func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
