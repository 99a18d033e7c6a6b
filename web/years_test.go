package web

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// TestLastYearsPages: with last year's plan in the store, 总览 and 全年进度
// switch to it with ?year=, its pages link within it, its attachments
// open, and the roles are the same; a year without a plan is a 404.
func TestLastYearsPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	last := plan.Default()
	last.Year, last.Title = 2016, "深圳市罗湖区2016年改革计划"
	if _, err := f.db.Activate(ctx, last); err != nil {
		t.Fatal(err)
	}
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.SaveReport(ctx, store.Report{PlanYear: 2016, MeasureID: "2.1.1", Unit: unitName, Period: "2016-11",
			Status: plan.NeedsHelp, Text: "去年十一月的困难。", ReporterID: unitUser, ReporterName: "张三"})
		if err != nil {
			return err
		}
		_, err = tx.AddAttachment(ctx, r.ID, store.Attachment{Kind: store.Document, FileID: f.fileID, FileUniqueID: "u9", FileName: "去年纪要.pdf"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	c := f.client()
	f.signIn(c, officeUser)
	status, grid := f.get(c, "/grid")
	if status != http.StatusOK || !contains(grid, "2017年 全年进度", `id="year-picker"`, `<option value="2016"`, `<option value="2017" selected`) {
		t.Fatalf("this year's grid: %d, no year picker", status)
	}
	status, grid = f.get(c, "/grid?year=2016")
	if status != http.StatusOK || !contains(grid, "2016年 全年进度", `<option value="2016" selected`,
		`href="/measure/2.1.1?year=2016#p-2016-11"><i class="s-hard">`) {
		t.Fatalf("last year's grid: %d %s", status, grid)
	}
	status, overview := f.get(c, "/overview?year=2016")
	// December is shown by default; November's difficulty is not December's.
	if status != http.StatusOK || !contains(overview, "深圳市罗湖区2016年改革计划", `value="2016-12" selected`) || strings.Contains(overview, "去年十一月的困难") {
		t.Fatalf("last year's overview: %d", status)
	}
	status, overview = f.get(c, "/overview?period=2016-11")
	if status != http.StatusOK || !contains(overview, "去年十一月的困难", `href="/measure/2.1.1?year=2016"`) {
		t.Fatalf("last November's overview: %d", status)
	}
	status, measure := f.get(c, "/measure/2.1.1?year=2016")
	m := fileHref.FindStringSubmatch(measure)
	if status != http.StatusOK || m == nil || !contains(measure, "去年十一月的困难", `href="`+unitURL(unitName)+`?year=2016"`) {
		t.Fatalf("last year's measure: %d %v", status, m)
	}
	if status, body := f.get(c, html.UnescapeString(m[1])); status != http.StatusOK || body != "%PDF-1.4 会议纪要" {
		t.Errorf("last year's attachment: %d %q", status, body)
	}
	if status, _ := f.get(c, "/grid?year=2015"); status != http.StatusNotFound {
		t.Errorf("a year without a plan: %d, want 404", status)
	}
	// This year's pages are still this year's.
	if _, overview := f.get(c, "/overview"); !contains(overview, f.plan.Title, `value="2017-05" selected`) {
		t.Error("this year's overview after last year's")
	}

	u := f.client()
	f.signIn(u, unitUser)
	for path, want := range map[string]int{
		"/grid?year=2016":                   http.StatusForbidden,
		"/overview?year=2016":               http.StatusSeeOther,
		"/unit/" + unitName + "?year=2016":  http.StatusOK,
		"/unit/" + otherUnit + "?year=2016": http.StatusForbidden,
		"/measure/2.1.1?year=2016":          http.StatusOK,
	} {
		if status, _ := f.get(u, path); status != want {
			t.Errorf("unit contact, %s: %d, want %d", path, status, want)
		}
	}
	if _, page := f.get(u, "/unit/"+unitName+"?year=2016"); !contains(page, "2016年", "去年十一月的困难") {
		t.Error("the unit's page of last year misses its report")
	}
}

// A path that is no page answers in Chinese, like every other page.
func TestUnknownPathIsAChinesePage(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, officeUser)
	for _, path := range []string{"/nosuch", "/export"} {
		status, body := f.get(c, path)
		if status != http.StatusNotFound || !strings.Contains(body, "没有这个页面") || strings.Contains(body, "page not found") {
			t.Errorf("%s: %d %.200s", path, status, body)
		}
	}
	if status, body := f.get(c, "/grid?year=1999"); status != http.StatusBadRequest || !strings.Contains(body, "2000 至 2100") {
		t.Errorf("?year=1999: %d %.200s", status, body)
	}
}
