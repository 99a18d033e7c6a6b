package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// The office's loop on the dashboard: the fixture's April report of
// 区法制办 on 2.1.1 (存在困难需协调) is sent back, 区编办's April report is
// read, and 区法制办 is urged in May.
const returnComment = "请补充编制测算依据"

func (f *fixture) loop() {
	f.t.Helper()
	f.review("2.1.1", otherUnit, "2017-04", store.ReviewRead, "")
	f.review("2.1.1", unitName, "2017-04", store.ReviewRead, "")
	f.review("2.1.1", otherUnit, "2017-04", store.ReviewReturned, returnComment)
	ctx := context.Background()
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.AddUrge(ctx, store.Urge{PlanYear: f.plan.Key(), MeasureID: "2.1.1", Unit: otherUnit, Period: "2017-05",
			Text: "请于本周五前补报", ByID: officeUser, ByName: "王"})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// review records the office's review of a pair's current report.
func (f *fixture) review(measure, unit string, period plan.Period, kind store.ReviewKind, comment string) {
	f.t.Helper()
	ctx := context.Background()
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.CurrentReport(ctx, f.plan.Key(), measure, unit, period)
		if err != nil {
			return err
		}
		_, err = tx.AddReview(ctx, store.Review{ReportID: r.ID, Kind: kind, Comment: comment, ByID: officeUser, ByName: "王"})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	f.advance(30 * time.Second)
}

// article is the report card of unit and period on a measure page.
func article(t *testing.T, body, unit string, period plan.Period) string {
	t.Helper()
	start := strings.Index(body, `id="p-`+string(period)+`" data-unit="`+unit+`"`)
	if start < 0 {
		t.Fatalf("no card of %s %s", unit, period)
	}
	card := body[start:]
	return card[:strings.Index(card, "</article>")]
}

func TestMeasurePageShowsTheReviews(t *testing.T) {
	f := newFixture(t)
	f.loop()
	c := f.client()
	f.signIn(c, officeUser)
	status, body := f.get(c, "/measure/2.1.1")
	if status != http.StatusOK {
		t.Fatalf("measure: %d", status)
	}
	returned := article(t, body, otherUnit, "2017-04")
	if !contains(returned, "🔁 需补充", "改革办退回补充 5月10日："+returnComment, "本期按未填报计", "原报：存在困难需协调") {
		t.Errorf("the returned card lacks 需补充, the comment or its date:\n%s", returned)
	}
	if strings.Contains(returned, `class="status s-hard"`) {
		t.Error("the returned card is still a red 存在困难需协调 card")
	}
	if read := article(t, body, unitName, "2017-04"); !strings.Contains(read, "改革办已阅 5月10日") {
		t.Errorf("the read card lacks 已阅:\n%s", read)
	}
	if may := article(t, body, unitName, "2017-05"); strings.Contains(may, "改革办") {
		t.Errorf("a report nobody reviewed shows a review:\n%s", may)
	}
	// The history, newest last: the two reads, the return, the 督办.
	at := strings.Index(body, "审阅与督办记录")
	if at < 0 {
		t.Fatal("no 审阅与督办记录")
	}
	history := body[at:]
	order := []string{"<b>已阅</b> " + otherUnit + " 2017年4月", "<b>已阅</b> " + unitName + " 2017年4月",
		"<b>退回补充</b> " + otherUnit + " 2017年4月：" + returnComment, "<b>督办</b> " + otherUnit + "：请于本周五前补报"}
	last := -1
	for _, line := range order {
		i := strings.Index(history, line)
		if i <= last {
			t.Fatalf("history lacks %q or has it out of order:\n%s", line, history)
		}
		last = i
	}

	// 区法制办's contact sees its card sent back, with the comment, as the
	// bot tells it; the history is the office's, as in the bot.
	other := f.client()
	f.signIn(other, otherUser)
	_, body = f.get(other, "/measure/2.1.1")
	if own := article(t, body, otherUnit, "2017-04"); !contains(own, "🔁 需补充", returnComment) {
		t.Errorf("the unit's own returned card:\n%s", own)
	}
	if strings.Contains(body, "审阅与督办记录") || strings.Contains(body, unitName+"</h3>") {
		t.Error("a unit contact sees the office's history or another unit's report")
	}
}

func TestOverviewListsTheReturns(t *testing.T) {
	f := newFixture(t)
	f.loop()
	c := f.client()
	f.signIn(c, officeUser)
	var d struct {
		Returned []struct {
			ID, Unit, Comment string
		} `json:"returned"`
		Urged []struct {
			Unit  string
			Count int
		} `json:"urged"`
		Totals struct{ Pairs, Reported int } `json:"totals"`
	}
	_, raw := f.get(c, "/api/digest?period=2017-04")
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Returned) != 1 {
		t.Fatalf("the digest lists %d returns: the test proves nothing", len(d.Returned))
	}
	_, body := f.get(c, "/?period=2017-04")
	for _, r := range d.Returned {
		want := `<a href="/measure/` + r.ID + `">` + r.ID + `</a> <a href="/unit/` + url.PathEscape(r.Unit) + `">` + r.Unit + `</a>：` + r.Comment
		if !contains(body, "🔁 退回补充（1 项）", want) {
			t.Errorf("the overview does not list the digest's return %q", want)
		}
	}
	// Returned counts as not reported: the overview's totals are the
	// digest's (2 of the 3 April reports).
	if d.Totals.Reported != 2 || !strings.Contains(body, "<b>"+itoa(d.Totals.Reported)+"/"+itoa(d.Totals.Pairs)+"</b>") {
		t.Errorf("the overview's 已报/应报 is not the digest's %d/%d", d.Totals.Reported, d.Totals.Pairs)
	}
	_, raw = f.get(c, "/api/digest?period=2017-05")
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	_, body = f.get(c, "/?period=2017-05")
	if len(d.Urged) != 1 || !contains(body, "📣 督办（1 个单位）", url.PathEscape(d.Urged[0].Unit)+`">`+d.Urged[0].Unit+`</a> 1 次`) {
		t.Errorf("the overview does not show the digest's 督办 %+v", d.Urged)
	}
	if strings.Contains(body, "退回补充（") {
		t.Error("May lists April's return")
	}
}

func TestUnitPageAndGridMarkTheReturn(t *testing.T) {
	f := newFixture(t)
	f.loop()
	c := f.client()
	f.signIn(c, officeUser)
	status, body := f.get(c, "/unit/"+otherUnit)
	if status != http.StatusOK {
		t.Fatalf("unit: %d", status)
	}
	card := body[strings.Index(body, `<a href="/measure/2.1.1">`):]
	card = card[:strings.Index(card, "</article>")]
	if !contains(card, "🔁 需补充", "2017年4月", "需要编制支持", returnComment) || strings.Contains(card, "本年尚未填报") {
		t.Errorf("the unit page does not show the returned report as the measure page does:\n%s", card)
	}
	cellOf := func(body string) string {
		anchor := `href="/measure/2.1.1#p-2017-04">`
		i := strings.Index(body, anchor)
		if i < 0 {
			t.Fatal("no 2.1.1 April cell")
		}
		cell := body[i+len(anchor):]
		return cell[:strings.Index(cell, "</a>")]
	}
	if got := cellOf(body); got != `<i class="s-returned"></i>` {
		t.Errorf("the unit grid's cell: %s", got)
	}

	// The grid is the digest's, a return marked 需补充 and not reported.
	var d struct {
		Measures []struct {
			ID    string `json:"id"`
			Units []struct {
				Unit   string  `json:"unit"`
				Status *string `json:"status_code"`
			} `json:"units"`
		} `json:"measures"`
		Returned []struct{ ID, Unit string } `json:"returned"`
	}
	_, raw := f.get(c, "/api/digest?period=2017-04")
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	_, grid := f.get(c, "/grid")
	var want strings.Builder
	for _, m := range d.Measures {
		if m.ID != "2.1.1" {
			continue
		}
		for _, u := range m.Units {
			s := plan.Status("")
			if u.Status != nil {
				s = plan.Status(*u.Status)
			}
			for _, r := range d.Returned {
				if r.ID == m.ID && r.Unit == u.Unit {
					if u.Status != nil {
						t.Fatalf("the digest counts %s's returned report as reported", u.Unit)
					}
					s = plan.Returned
				}
			}
			want.WriteString(`<i class="` + statusClass(s) + `"></i>`)
		}
	}
	if got := cellOf(grid); got != want.String() || !strings.Contains(got, "s-returned") {
		t.Errorf("the grid's 2.1.1 April cell:\n got %s\nwant %s", got, want.String())
	}
}

// TestYearReuseKeepsTheLoop: a view built on the last one shows the 督办
// and returns a full read shows: the older periods' in their kept
// digests, the current ones read again.
func TestYearReuseKeepsTheLoop(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pl := f.srv.inForce()
	urge := func(period plan.Period) {
		err := f.db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.AddUrge(ctx, store.Urge{PlanYear: pl.Key(), MeasureID: "2.1.1", Unit: otherUnit, Period: period, Text: "请补报", ByID: officeUser})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	urge("2017-03") // an older period's, kept from the last view
	first, err := f.srv.loadYear(ctx, 2017, pl, nil)
	if err != nil {
		t.Fatal(err)
	}
	urge("2017-05")
	f.review("2.1.1", unitName, "2017-05", store.ReviewReturned, "请补充")
	reused, err := f.srv.loadYear(ctx, 2017, pl, first)
	if err != nil {
		t.Fatal(err)
	}
	full, err := f.srv.loadYear(ctx, 2017, pl, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{2, 4} { // March, May
		r, w := reused.Digests[i], full.Digests[i]
		if len(w.Urged) != 1 || !reflect.DeepEqual(r.Urged, w.Urged) || !reflect.DeepEqual(r.Returned, w.Returned) {
			t.Errorf("%s: reused %+v %+v, full %+v %+v", w.Period, r.Urged, r.Returned, w.Urged, w.Returned)
		}
	}
	if len(full.Digests[4].Returned) != 1 || reused.Digests[2] != first.Digests[2] {
		t.Fatal("no return in May, or March was built again: the test proves nothing")
	}
}
