package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// TestYearCacheSeesChanges: a page shown again after a report, or after a
// file added to one (which writes no audit row but comes as an update),
// shows the change.
func TestYearCacheSeesChanges(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, officeUser)
	if _, body := f.get(c, "/unit/"+otherUnit); strings.Contains(body, "五月已报") {
		t.Fatal("report there before it is made")
	}
	f.report("2.1.1", otherUnit, "2017-05", plan.OnTrack, "五月已报", nil)
	if _, body := f.get(c, "/unit/"+otherUnit); !strings.Contains(body, "五月已报") {
		t.Fatal("a new report is not shown: stale cache")
	}

	ctx := context.Background()
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		cur, err := tx.CurrentReport(ctx, f.plan.Key(), "2.1.1", otherUnit, "2017-05")
		if err != nil {
			return err
		}
		if _, err := tx.AddAttachment(ctx, cur.ID, store.Attachment{Kind: store.Photo, FileID: "x", FileUniqueID: "y"}); err != nil {
			return err
		}
		return tx.RecordUpdate(ctx, store.InboxEntry{UpdateID: 77, UserID: otherUser, Kind: "message", Outcome: store.OutcomeDone})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, body := f.get(c, "/unit/"+otherUnit); !strings.Contains(body, "附件1个") {
		t.Fatal("a file added to a report is not shown: stale cache")
	}
}

// TestYearCacheOlderPeriods: a late report on a period before last shows
// once coldTTL has passed (the older periods are kept that long, then read
// again in the background).
func TestYearCacheOlderPeriods(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, officeUser)
	f.get(c, "/grid")
	f.report("2.1.2", unitName, "2017-02", plan.Behind, "二月补报", nil)
	f.advance(coldTTL)
	f.get(c, "/grid") // starts the background read
	want := `href="/measure/2.1.2#p-2017-02"><i class="s-behind">`
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		f.srv.years.mu.Lock()
		refreshing := f.srv.years.refreshing
		f.srv.years.mu.Unlock()
		if !refreshing {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the background read never ended")
		}
	}
	if _, body := f.get(c, "/grid"); !strings.Contains(body, want) {
		t.Fatal("the grid misses a late report on an older period after coldTTL")
	}
}
