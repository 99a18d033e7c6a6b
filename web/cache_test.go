package web

import (
	"context"
	"reflect"
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

// TestYearReuseIsAFullBuild: a view built on the last one (older periods
// kept, the current and previous read again) is the view a full read
// builds, after reports and a return came in for both hot periods.
func TestYearReuseIsAFullBuild(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pl := f.srv.inForce()
	// 区法制办 in difficulty since February: April, rebuilt, is stalled
	// only if its input still holds the kept February and March.
	f.report("2.1.1", otherUnit, "2017-02", plan.NeedsHelp, "需要编制支持。", nil)
	f.report("2.1.1", otherUnit, "2017-03", plan.NeedsHelp, "需要编制支持。", nil)
	first, err := f.srv.loadYear(ctx, 2017, pl, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.report("2.1.2", unitName, "2017-05", plan.NeedsHelp, "五月困难。", nil)
	f.report("2.1.3", unitName, "2017-04", plan.Done, "四月补报。", nil)
	err = f.db.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.CurrentReport(ctx, pl.Key(), "2.1.1", unitName, "2017-05")
		if err != nil {
			return err
		}
		_, err = tx.AddReview(ctx, store.Review{ReportID: r.ID, Kind: store.ReviewReturned, Comment: "请补充", ByID: officeUser})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	reused, err := f.srv.loadYear(ctx, 2017, pl, first)
	if err != nil {
		t.Fatal(err)
	}
	full, err := f.srv.loadYear(ctx, 2017, pl, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(reused.Digests) != 5 || len(full.Digests) != 5 {
		t.Fatalf("%d and %d digests for January to May", len(reused.Digests), len(full.Digests))
	}
	for i := range full.Digests {
		// The kept digests were made earlier; when is no part of a rule
		// for a period that has ended.
		kept := *reused.Digests[i]
		kept.GeneratedAt = full.Digests[i].GeneratedAt
		if !reflect.DeepEqual(&kept, full.Digests[i]) {
			t.Errorf("%s: the reused view differs from a full build", full.Digests[i].Period)
		}
	}
	if reflect.DeepEqual(first.Digests[4], full.Digests[4]) || reused.Digests[0] != first.Digests[0] || len(full.Digests[3].Stalled) == 0 {
		t.Fatal("nothing changed, or the older periods were built again: the test proves nothing")
	}
}
