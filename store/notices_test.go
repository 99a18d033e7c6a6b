package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestNoticeDraftSendAck(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2017, 4, 20, 2, 0, 0, 0, time.UTC)
	db := MustOpen(t, func() time.Time { return now })
	to := []Contact{{UserID: 1, Unit: "区编办", Name: "张三"}, {UserID: 2, Unit: "区法制办", Name: "李四"}}
	var draft, dropped Notice
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		if draft, err = tx.DraftNotice(ctx, "开会", "全部单位", nil, 9); err != nil {
			return err
		}
		if dropped, err = tx.DraftNotice(ctx, "停电", "区编办", []string{"区编办"}, 9); err != nil {
			return err
		}
		_, err = tx.DropDraft(ctx, dropped.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if ns, _ := db.Notices(ctx, 10); len(ns) != 0 {
		t.Errorf("drafts are listed as notices: %+v", ns)
	}
	now = now.Add(time.Minute)
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.SendDraft(ctx, draft.ID, to); err != nil {
			return err
		}
		if _, err := tx.SendDraft(ctx, draft.ID, to); !errors.Is(err, ErrNoticeSent) {
			t.Errorf("second send: %v, want ErrNoticeSent", err)
		}
		if _, err := tx.SendDraft(ctx, dropped.ID, to); !errors.Is(err, ErrNotFound) {
			t.Errorf("sending a dropped draft: %v, want ErrNotFound", err)
		}
		if _, _, first, err := tx.AckNotice(ctx, draft.ID, 1); err != nil || !first {
			t.Errorf("first 收到: first=%v, %v", first, err)
		}
		if _, _, _, err := tx.AckNotice(ctx, draft.ID, 3); !errors.Is(err, ErrNotFound) {
			t.Errorf("ack by a non-recipient: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	err = db.Update(ctx, func(tx *Tx) error {
		_, at, first, err := tx.AckNotice(ctx, draft.ID, 1)
		if first || !at.Equal(time.Date(2017, 4, 20, 2, 1, 0, 0, time.UTC)) {
			t.Errorf("a second 收到 moved the time to %v (first=%v)", at, first)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := db.Notices(ctx, 10)
	if err != nil || len(ns) != 1 {
		t.Fatalf("notices: %d, %v", len(ns), err)
	}
	if n := ns[0]; n.Acked() != 1 || len(n.Recipients) != 2 || n.Units != nil || !n.CreatedAt.Equal(now.Add(-time.Hour)) {
		t.Errorf("sent notice: %+v", n)
	}
}
