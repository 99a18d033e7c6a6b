package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/store"
)

func TestNotifyAndStatus(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	bindContacts(t, db, april20, "区编办", "区住房建设局", "")
	out, stderr, code := runCmd(t, nil, april20, "notify", "--db", db, "--unit", "区编办,区住建局", "--unit", "区法制办", "明天", "上午开会")
	if code != 0 || !strings.Contains(out, "notice #1 queued for 2 contacts (区编办、区住房建设局、区法制办)") {
		t.Fatalf("notify: exit %d, %q %q", code, out, stderr)
	}
	if !strings.Contains(stderr, "not notified: 区法制办") {
		t.Errorf("the unit without a contact is not named: %q", stderr)
	}

	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{Now: func() time.Time { return april20.Add(5 * time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Messages(ctx, store.KindNotice, "")
	if err != nil || len(msgs) != 2 || !strings.Contains(msgs[0].Payload.Text, "明天 上午开会") {
		t.Fatalf("outbox notice rows: %d, %v", len(msgs), err)
	}
	err = s.Update(ctx, func(tx *store.Tx) error { _, _, _, err := tx.AckNotice(ctx, 1, 101); return err })
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	out, _, code = runCmd(t, nil, april20, "notify", "--status", "--db", db)
	for _, want := range []string{"notice #1", "acknowledged 1/2", "2017-04-20 10:05", "区住房建设局"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("status lacks %q (exit %d):\n%s", want, code, out)
		}
	}
	lines := strings.Split(out, "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "  区住房建设局") && !strings.HasSuffix(l, "-") {
			t.Errorf("区住房建设局 did not press 收到, but: %q", l)
		}
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"notify", "--db", db, "开会"}, "exactly one of"},
		{[]string{"notify", "--db", db, "--all", "--group", "各街道办", "开会"}, "exactly one of"},
		{[]string{"notify", "--db", db, "--all"}, "give the notice's text"},
		{[]string{"notify", "--db", db, "--unit", "区编制办", "开会"}, "close matches"},
		{[]string{"notify", "--db", db, "--group", "区编办", "开会"}, "not a group"},
		{[]string{"notify", "--db", db, "--status", "9"}, "no notice #9"},
		// Counted as Telegram counts (an emoji is 2): 5980, which no
		// unit could receive in one message.
		{[]string{"notify", "--db", db, "--unit", "区编办", strings.Repeat("😀", 2990)}, "this one has 5980: cut at least 2980"},
	} {
		_, stderr, code := runCmd(t, nil, april20, tc.args...)
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args[2:], code, stderr, tc.want)
		}
	}
}
