package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
)

// Bodies of sent messages go after the retention period, their records
// stay; a failed message keeps its body until a digest has reported it.
func TestPruneBodiesKeepsRecordsAndUnreportedFailures(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	day := 24 * time.Hour
	msg := func(key string) Message {
		return Message{Key: key, Kind: "prompt", Period: "2017-04", ChatID: 1, UserID: 1, Priority: PriorityBulk,
			Method: SendDocument, Payload: Payload{Caption: "正文 " + key}, FileName: "a.xlsx", FileData: []byte("PK")}
	}
	enqueue(t, db, msg("old-sent"), msg("old-failed"), msg("new-sent"))
	due, err := db.DueMessages(ctx, clk.Now(), 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("due %d, %v", len(due), err)
	}
	if err := db.MarkSent(ctx, due[0].ID, 10); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, due[1].ID, "403 blocked"); err != nil {
		t.Fatal(err)
	}
	clk.Add(35 * day)
	if err := db.MarkSent(ctx, due[2].ID, 11); err != nil {
		t.Fatal(err)
	}
	bodies := func() map[string]string {
		ms, err := db.Messages(ctx, "prompt", "")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, m := range ms {
			out[m.Key] = m.Payload.Caption
			if m.State == Pending || m.DoneAt.IsZero() {
				t.Errorf("%s lost its record: %+v", m.Key, m)
			}
		}
		return out
	}
	n, err := db.PruneBodies(ctx, DefaultKeepBodies)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want the old sent one", n, err)
	}
	if b := bodies(); b["old-sent"] != "" || b["old-failed"] == "" || b["new-sent"] == "" {
		t.Fatalf("bodies after pruning: %q", b)
	}
	// A digest reports the failure: now its body may go too.
	err = db.Update(ctx, func(tx *Tx) error {
		return tx.RecordCampaign(ctx, Campaign{Kind: "digest", Period: "2017-05", Trigger: "cron"})
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	if n, err := db.PruneBodies(ctx, DefaultKeepBodies); err != nil || n != 1 {
		t.Fatalf("after the digest pruned %d, %v; want the failed one", n, err)
	}
	if b := bodies(); b["old-failed"] != "" || b["new-sent"] == "" {
		t.Fatalf("bodies after the digest: %q", b)
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
}

// After the retention period a sent prompt leaves the outbox for
// outbox_sent, and its key still stops it from being enqueued again; the
// user still counts as asked. A reply is deleted after DefaultKeepReplies.
// Deleting the rows shrinks the file (auto_vacuum on a new database).
func TestPrunedMessagesKeepTheirKeys(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	day := 24 * time.Hour
	rng := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for range 800 { // random text: compression must not be what shrinks the file
		sb.WriteRune(rune(0x4e00 + rng.IntN(2000)))
	}
	body := sb.String()
	var msgs []Message
	for i := range 3000 {
		kind, key := "prompt", fmt.Sprintf("prompt:2017-04:%d", i)
		if i%2 == 1 {
			kind, key = "reply", fmt.Sprintf("reply:%d:0", i)
		}
		msgs = append(msgs, Message{Key: key, Kind: kind, Period: "2017-04", ChatID: int64(i), UserID: int64(i),
			Priority: PriorityBulk, Method: SendMessage, Payload: Payload{Text: body}})
	}
	enqueue(t, db, msgs...)
	for {
		due, err := db.DueMessages(ctx, clk.Now(), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			break
		}
		for _, m := range due {
			if err := db.MarkSent(ctx, m.ID, m.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	before := fileSize(t, db.Path())

	clk.Add(8 * day) // replies go, prompts stay
	if n, err := db.PruneBodies(ctx, DefaultKeepBodies); err != nil || n != 1500 {
		t.Fatalf("pruned %d, %v; want the 1500 replies", n, err)
	}
	clk.Add(30 * day)
	if n, err := db.PruneBodies(ctx, DefaultKeepBodies); err != nil || n != 1500 {
		t.Fatalf("pruned %d, %v; want the 1500 prompts", n, err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if after := fileSize(t, db.Path()); after*4 > before {
		t.Errorf("database %d bytes after pruning, %d before: pages not given back", after, before)
	}
	counts, err := db.OutboxCounts(ctx)
	if err != nil || counts[Sent] != 1500 {
		t.Fatalf("counts %v, %v; want 1500 sent records", counts, err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		added, err := tx.Enqueue(ctx, msgs[0])
		if err != nil || added {
			t.Errorf("an archived prompt was enqueued again: %v, %v", added, err)
		}
		asked, err := tx.Asked(ctx, msgs[0].UserID, "2017-04")
		if err != nil || !asked {
			t.Errorf("asked %v, %v; want true from the archived prompt", asked, err)
		}
		asked, err = tx.Asked(ctx, msgs[1].UserID, "2017-04")
		if err != nil || asked {
			t.Errorf("asked %v, %v for a user only replied to", asked, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Messages(ctx, "prompt", "2017-04")
	if err != nil || len(ms) != 1500 || ms[0].Key != msgs[0].Key || ms[0].State != Sent || ms[0].DoneAt.IsZero() {
		t.Fatalf("archived prompts read back: %d, %v", len(ms), err)
	}
	if ms, err := db.Messages(ctx, "reply", ""); err != nil || len(ms) != 0 {
		t.Fatalf("replies left: %d, %v", len(ms), err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// Inbox rows older than the keep go, except the newest, which is where
// getUpdates resumes.
func TestPruneInboxKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	record := func(from, to int64) {
		err := db.Update(ctx, func(tx *Tx) error {
			for id := from; id <= to; id++ {
				if err := tx.RecordUpdate(ctx, InboxEntry{UpdateID: id, Kind: "message", Outcome: OutcomeDone}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	record(1, 10)
	clk.Add(20 * 24 * time.Hour)
	record(11, 12)
	clk.Add(20 * 24 * time.Hour) // 1–10 are 40 days old, 11–12 20 days
	if n, err := db.PruneInbox(ctx, DefaultKeepInbox); err != nil || n != 10 {
		t.Fatalf("pruned %d, %v; want 10", n, err)
	}
	clk.Add(20 * 24 * time.Hour) // now all are old
	if n, err := db.PruneInbox(ctx, DefaultKeepInbox); err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want 1 (the newest stays)", n, err)
	}
	if id, err := db.LastUpdateID(ctx); err != nil || id != 12 {
		t.Fatalf("last update %d, %v; want 12", id, err)
	}
	err := db.Update(ctx, func(tx *Tx) error {
		seen, err := tx.Seen(ctx, 12)
		if err != nil || !seen {
			t.Errorf("update 12 not seen: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
