package store

import (
	"context"
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
