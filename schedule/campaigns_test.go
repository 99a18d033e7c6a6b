package schedule

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Downtime across the 25th: the prompt is sent on start, once.
func TestCatchUpAfterDowntime(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.clock.Set(at(2017, 4, 24, 18)) // last tick before going down
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := f.db.Messages(ctx, KindPrompt, "2017-04"); len(msgs) != 0 {
		t.Fatalf("prompted before the 25th: %d", len(msgs))
	}
	f.clock.Set(at(2017, 4, 27, 15)) // back up two days late
	for i := 0; i < 3; i++ {
		if err := f.s.Tick(ctx, TriggerCatchUp); err != nil {
			t.Fatal(err)
		}
	}
	msgs, _ := f.db.Messages(ctx, KindPrompt, "2017-04")
	if len(msgs) != 1 {
		t.Fatalf("%d April prompts after catch-up, want 1", len(msgs))
	}
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Campaign(ctx, KindPrompt, "2017-04", "")
		if err == nil && c.Trigger != TriggerCatchUp {
			t.Errorf("campaign trigger %q, want catch-up", c.Trigger)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A run missed for longer than the catch-up window is left alone.
func TestNoCatchUpBeyondTheWindow(t *testing.T) {
	f := newFixture(t, Config{CatchUp: 48 * time.Hour})
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.clock.Set(at(2017, 4, 28, 10)) // the prompt was due three days ago
	if err := f.s.Tick(ctx, TriggerCatchUp); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := f.db.Messages(ctx, KindPrompt, "2017-04"); len(msgs) != 0 {
		t.Errorf("a prompt three days late was sent with a two-day window")
	}
	if msgs, _ := f.db.Messages(ctx, KindRemind, "2017-04"); len(msgs) != 1 {
		t.Errorf("the reminder due this morning was not sent: %d", len(msgs))
	}
}

func TestOperatorPromptNeverDoubles(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.bind(t, 2, store.RoleContact, "区财政局")
	f.bind(t, 9, store.RoleOffice, "")
	f.clock.Set(at(2017, 4, 20, 10))
	n, err := f.s.PromptNow(ctx, "2017-04")
	if err != nil || n != 2 {
		t.Fatalf("first prompt: %d, %v; want 2 (the office gets none)", n, err)
	}
	if n, err := f.s.PromptNow(ctx, "2017-04"); err != nil || n != 0 {
		t.Fatalf("second prompt: %d, %v; want 0", n, err)
	}
	// A contact bound since gets theirs; nobody else is prompted again.
	f.bind(t, 3, store.RoleContact, "区编办")
	if n, err := f.s.PromptNow(ctx, "2017-04"); err != nil || n != 1 {
		t.Fatalf("after a new contact: %d, %v; want 1", n, err)
	}
	// The scheduled prompt on the 25th finds the work done.
	f.clock.Set(at(2017, 4, 25, 9))
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := f.db.Messages(ctx, KindPrompt, "2017-04"); len(msgs) != 3 {
		t.Errorf("%d prompts, want 3", len(msgs))
	}
}

func TestRemindersNameOnlyWhatIsMissing(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.bind(t, 2, store.RoleContact, "区财政局")
	f.clock.Set(at(2017, 4, 28, 9))
	// 区编办 has reported its one measure; 区财政局 one of its two.
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		for _, r := range []store.Report{
			{PlanYear: 2017, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04", Status: plan.OnTrack, Text: "x", ReporterID: 1},
			{PlanYear: 2017, MeasureID: "2.1.2", Unit: "区财政局", Period: "2017-04", Status: plan.OnTrack, Text: "y", ReporterID: 2},
		} {
			if _, err := tx.SaveReport(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.s.RemindNow(ctx, "2017-04")
	if err != nil || n != 1 {
		t.Fatalf("reminders: %d, %v; want 1", n, err)
	}
	msgs, _ := f.db.Messages(ctx, KindRemind, "2017-04")
	if len(msgs) != 1 || msgs[0].UserID != 2 || msgs[0].Payload.Text != "remind 区财政局 2017-04 2.1.1" {
		t.Fatalf("reminder = %+v", msgs)
	}
	// Twice in one day sends nothing more; the scheduled one that day neither.
	if n, _ := f.s.RemindNow(ctx, "2017-04"); n != 0 {
		t.Errorf("second reminder the same day: %d", n)
	}
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := f.db.Messages(ctx, KindRemind, "2017-04"); len(msgs) != 1 {
		t.Errorf("%d reminders after the cron tick, want 1", len(msgs))
	}
}

func TestDigestGoesToTheOffice(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.bind(t, 9, store.RoleOffice, "")
	f.bind(t, 8, store.RoleOffice, "")
	f.clock.Set(at(2017, 5, 3, 9)) // April's digest: the day after the 1st's reminder, moved to 2 May
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	msgs, err := f.db.Messages(ctx, KindDigest, "2017-04")
	if err != nil {
		t.Fatal(err)
	}
	per := map[int64][]string{}
	for _, m := range msgs {
		per[m.UserID] = append(per[m.UserID], m.Method)
		if m.Method == store.SendDocument && (!strings.HasSuffix(m.FileName, ".xlsx") || len(m.FileData) == 0) {
			t.Errorf("workbook row: %q, %d bytes", m.FileName, len(m.FileData))
		}
	}
	if len(per) != 2 || per[1] != nil {
		t.Fatalf("digest recipients: %v; want the two office contacts only", per)
	}
	for id, methods := range per {
		joined := strings.Join(methods, ",")
		if !strings.HasPrefix(joined, store.SendMessage) || !strings.HasSuffix(joined, store.SendDocument+","+store.SendPhoto) {
			t.Errorf("office %d got %s; want text, then the workbook and the chart", id, joined)
		}
	}
	// Another tick the same day does not send it again.
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	again, _ := f.db.Messages(ctx, KindDigest, "2017-04")
	if len(again) != len(msgs) {
		t.Errorf("digest rows grew from %d to %d", len(msgs), len(again))
	}
}

func TestAcceptanceGoesToLeadUnits(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.bind(t, 2, store.RoleContact, "区财政局")
	f.clock.Set(at(2017, 12, 1, 9))
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	msgs, _ := f.db.Messages(ctx, KindAcceptance, "2017")
	if len(msgs) != 2 {
		t.Fatalf("%d acceptance requests, want 2", len(msgs))
	}
	for _, m := range msgs {
		if !strings.HasSuffix(m.Payload.Text, " 2017 1") {
			t.Errorf("request %q should list the unit's one lead measure", m.Payload.Text)
		}
	}
}

func TestQuarterlyCadence(t *testing.T) {
	f := newFixture(t, Config{})
	p := testPlan()
	p.Reporting.Cadence = plan.Quarterly
	cfg := DefaultConfig(plan.Quarterly)
	cfg.Location = shanghai
	s, err := New(cfg, f.db, p, texts{}, nil, f.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range s.Occurrences(at(2017, 1, 1, 0), at(2018, 1, 1, 0)) {
		if o.Kind == KindPrompt || o.Kind == KindDigest {
			got = append(got, o.Kind+" "+string(o.Period)+" "+o.Due.Format("01-02"))
		}
	}
	want := "digest 2016-Q4 01-04,prompt 2017-Q1 03-27,digest 2017-Q1 04-05,prompt 2017-Q2 06-26,digest 2017-Q2 07-04,prompt 2017-Q3 09-25,digest 2017-Q3 10-10,prompt 2017-Q4 12-25"
	if strings.Join(got, ",") != want {
		t.Errorf("quarterly year:\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
	if err := s.CheckPeriod("2017-04"); err == nil {
		t.Error("a month was accepted for a quarterly plan")
	}
	if err := f.s.CheckPeriod("2017-Q2"); err == nil {
		t.Error("a quarter was accepted for a monthly plan")
	}
	if err := f.s.CheckPeriod("2017"); err == nil {
		t.Error("a year was accepted as a reporting period")
	}
}
