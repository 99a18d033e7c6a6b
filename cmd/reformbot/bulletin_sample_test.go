package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// sampleTexts are progress reports as units write them, by status.
var sampleTexts = map[plan.Status][]string{
	plan.OnTrack: {
		"本月召开专题会议2次，印发实施细则，各项工作按计划推进。",
		"已完成方案起草并报区委常委会审议，正在组织各街道开展试点。下一步将总结试点经验，全面推开。",
		"完成第三方评估机构招标，评估工作已启动，预计下月形成初步报告。",
	},
	plan.Done:      {"已全面完成年度任务，形成制度文件3份，相关经验做法被市改革办简报刊发。"},
	plan.Behind:    {"已与市相关部门对接三次，完成系统需求调研。因涉及跨部门数据共享，接口改造进度慢于预期，计划下月完成联调。"},
	plan.NeedsHelp: {"项目用地指标尚未落实，需区领导协调市规划国土部门解决，否则将影响年底前完工。"},
}

// seedSampleMonth fills db with two months of reports for the default plan,
// about what a real office sees: most on track, a few done, behind or in
// difficulty, some units silent and four never bound.
func seedSampleMonth(t *testing.T, dbPath string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := plan.Default()
	for i, a := range p.Assignments() {
		if i%13 == 5 {
			continue // silent this month
		}
		for _, period := range []plan.Period{"2017-10", "2017-11"} {
			status := plan.OnTrack
			switch {
			case i%17 == 3:
				status = plan.NeedsHelp
			case i%9 == 2:
				status = plan.Behind
			case i%6 == 1 && period == "2017-11":
				status = plan.Done
			}
			texts := sampleTexts[status]
			text := texts[(i+len(period))%len(texts)]
			err := db.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.SaveReport(ctx, store.Report{MeasureID: a.MeasureID, Unit: a.Unit, Period: period,
					Status: status, Text: text, ReporterID: int64(1000 + i), ReporterName: "联络员"})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, u := range p.Units {
		if i%9 == 4 {
			continue // never bound
		}
		code, _, err := db.CreateInvite(ctx, store.RoleContact, u.Name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: int64(5000 + i), ChatID: int64(5000 + i)}, store.AttemptLimit{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestBulletinOfTheDefaultPlan drafts November's bulletin for the real
// plan (67 measures, 38 units) and keeps it short enough for leaders to
// read. With BULLETIN_SAMPLE=FILE.docx it also writes the document (the
// page image in docs/ comes from it).
func TestBulletinOfTheDefaultPlan(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "r.db")
	seedSampleMonth(t, dbPath)
	out := os.Getenv("BULLETIN_SAMPLE")
	if out == "" {
		out = filepath.Join(dir, "bulletin.docx")
	}
	// Drafted on Monday 4 December, when November's digest goes out.
	code, stdout, stderr := bulletinRunAt(t, time.Date(2017, 12, 4, 2, 0, 0, 0, time.UTC), nil, "bulletin", "--db", dbPath, "--period", "2017-11", "--number", "11", "-o", out, "--text")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{"《深圳市罗湖区2017年改革计划》实施进展情况通报", "（2017年第11期）", "区委改革办", "2017年12月4日", "一、总体情况", "二、各项目进展",
		"三、存在的困难和问题", "四、未按时报送单位", "予以点名", "五、下一步工作", "将于2017年12月25日发出2017年12月进展填报提醒"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("the bulletin lacks %q", s)
		}
	}
	// A page holds 22 lines of 28 characters; a paragraph starts a line.
	// The estimate runs about a page over what LibreOffice lays out (8).
	lines := 0
	for _, p := range strings.Split(stdout, "\n") {
		lines += (utf8.RuneCountInString(p) + 2 + 27) / 28
	}
	if pages := (lines + 21) / 22; pages > 10 {
		t.Errorf("the bulletin of a 67-measure plan runs to about %d pages: too long for leaders to read", pages)
	}
}
