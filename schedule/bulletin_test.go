package schedule

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// documentText is the WordprocessingML of a .docx, for looking for words.
func documentText(t *testing.T, data []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a docx: %v", err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			defer r.Close()
			b, _ := io.ReadAll(r)
			return string(b)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// bulletinRows are the bulletin documents of a period's digest by user.
func bulletinRows(t *testing.T, f *fixture, period plan.Period) map[int64][]store.Message {
	t.Helper()
	msgs, err := f.db.Messages(context.Background(), KindDigest, period)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64][]store.Message{}
	for _, m := range msgs {
		if strings.HasSuffix(m.Key, ":docx") {
			out[m.UserID] = append(out[m.UserID], m)
		}
	}
	return out
}

func TestDigestCarriesTheBulletin(t *testing.T) {
	cfg := DefaultConfig(plan.Monthly)
	cfg.Bulletin, cfg.Issuer = true, "某区委改革办"
	f := newFixture(t, cfg)
	ctx := context.Background()
	f.bind(t, 1, store.RoleContact, "区编办")
	f.bind(t, 9, store.RoleOffice, "")
	f.bind(t, 8, store.RoleOffice, "")
	f.clock.Set(at(2017, 5, 3, 9)) // April's digest: the day after the 1st's reminder, moved to 2 May
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	rows := bulletinRows(t, f, "2017-04")
	if len(rows) != 2 || rows[1] != nil {
		t.Fatalf("bulletin recipients: %v; want the two office contacts", rows)
	}
	for id, ms := range rows {
		m := ms[0]
		if len(ms) != 1 || m.Method != store.SendDocument || m.FileName != "改革进展通报-2017年第1期.docx" ||
			!strings.Contains(m.Payload.Caption, "2017年4月 改革进展情况通报（2017年第1期）") {
			t.Fatalf("office %d bulletin rows: %+v", id, ms)
		}
		doc := documentText(t, m.FileData)
		for _, s := range []string{"《测试计划》实施进展情况通报", "（2017年第1期）", "某区委改革办", "2017年5月3日",
			"将于2017年5月25日发出2017年5月进展填报提醒", "区财政局"} {
			if !strings.Contains(doc, s) {
				t.Errorf("the bulletin lacks %q", s)
			}
		}
	}

	// The operator sends April's digest again the next day: same number.
	f.clock.Set(at(2017, 5, 4, 10))
	if _, err := f.s.DigestNow(ctx, "2017-04"); err != nil {
		t.Fatal(err)
	}
	if again := bulletinRows(t, f, "2017-04"); len(again[9]) != 2 || again[9][1].FileName != "改革进展通报-2017年第1期.docx" {
		t.Errorf("April again: %+v", again[9])
	}
	// May's digest is the year's second bulletin.
	f.clock.Set(at(2017, 6, 2, 9))
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	if may := bulletinRows(t, f, "2017-05"); len(may[9]) != 1 || may[9][0].FileName != "改革进展通报-2017年第2期.docx" {
		t.Errorf("May: %+v", may[9])
	}
}

func TestDigestWithoutBulletin(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	f.bind(t, 9, store.RoleOffice, "")
	f.clock.Set(at(2017, 5, 3, 9)) // April's digest: the day after the 1st's reminder, moved to 2 May
	if err := f.s.Tick(ctx, TriggerCron); err != nil {
		t.Fatal(err)
	}
	if rows := bulletinRows(t, f, "2017-04"); len(rows) != 0 {
		t.Errorf("a bulletin went out without --bulletin: %v", rows)
	}
	// Asked for, it is the latest prompt's period's.
	f.clock.Set(at(2017, 5, 10, 9))
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		b, data, err := f.s.Bulletin(ctx, tx, "", 0)
		if err != nil {
			return err
		}
		if b.Period != "2017-04" || b.Number != 1 || len(data) == 0 {
			t.Errorf("bulletin of %s number %d, %d bytes; want 2017-04 number 1", b.Period, b.Number, len(data))
		}
		_, _, err = f.s.Bulletin(ctx, tx, "2017-Q2", 0)
		if err == nil {
			t.Error("a quarter was accepted for a monthly plan")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The next steps name the next period's prompt as it will go out: moved off
// a weekend, and a quarter's for a quarterly plan.
func TestPromptOf(t *testing.T) {
	monthly := newFixture(t, Config{})
	qp := testPlan()
	qp.Reporting.Cadence = plan.Quarterly
	qcfg := DefaultConfig(plan.Quarterly)
	qcfg.Location = shanghai
	quarterly, err := New(qcfg, nil, qp, texts{}, nil, monthly.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		s      *Scheduler
		period plan.Period
		want   time.Time
	}{
		{"a weekday", monthly.s, "2017-10", at(2017, 10, 25, 9)},
		{"25 November 2017 is a Saturday", monthly.s, "2017-11", at(2017, 11, 27, 9)},
		{"next year", monthly.s, "2018-01", at(2018, 1, 25, 9)},
		{"a quarter", quarterly, "2017-Q3", at(2017, 9, 25, 9)},
		{"a month of a quarterly plan has none", quarterly, "2017-08", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.promptOf(tt.period); !got.Equal(tt.want) {
				t.Errorf("promptOf(%s) = %v, want %v", tt.period, got, tt.want)
			}
		})
	}
}
