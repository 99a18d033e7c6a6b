package sender

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/luohu/reformbot/store"
)

// When the sender's list already holds a look's worth of replies, a look at
// the urgent rows returns exactly that list, whatever was enqueued since:
// newer rows rank after it. So the sender may skip the look (settled), and
// must look again once a row has left the list or while it holds alerts.
func TestASettledListIsWhatALookReturns(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2017, 4, 25, 9, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "x.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	enqueue := func(chat int64, prio int, kind string) {
		t.Helper()
		n++
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Enqueue(ctx, store.Message{Key: fmt.Sprint("m", n), Kind: kind, ChatID: chat, Priority: prio,
				Method: store.SendMessage, Payload: store.Payload{Text: "x"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	look := func() []store.Message {
		t.Helper()
		rows, err := db.DueUrgent(ctx, now, dueLane, dueLimit)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	for i := range 90 { // 30 chats, 3 replies each, and more behind
		enqueue(int64(i%30+1), store.PriorityReply, store.KindReply)
	}
	var d dueList
	d.load(look(), nil, now)
	if !d.settled(dueLimit) {
		t.Fatalf("a list of %d replies is not settled", len(d.rows))
	}
	for i := range 40 { // replies to chats old and new, and alerts
		enqueue(int64(i%60+1), store.PriorityReply, store.KindReply)
		enqueue(int64(100+i), store.PriorityAlert, store.KindAlert)
	}
	if got, want := ids(look()), ids(d.rows); got != want {
		t.Fatalf("a settled list %s, but a look returns %s", want, got)
	}
	if err := db.MarkSent(ctx, d.rows[0].ID, 1); err != nil {
		t.Fatal(err)
	}
	d.remove(d.rows[:1])
	if d.settled(dueLimit) {
		t.Error("a row left the list, and it is still settled")
	}
	alerts := look()[:0]
	for i := range dueLimit {
		alerts = append(alerts, row(int64(1000+i), int64(i+1), store.PriorityAlert, store.SendMessage))
	}
	d.load(alerts, nil, now)
	if d.settled(dueLimit) {
		t.Error("a list of alerts is settled: a new reply would rank before them")
	}
}
