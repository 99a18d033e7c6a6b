package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Every button for any id plan.CheckMeasureID accepts fits Telegram's 64
// bytes and reads back as it was written.
func TestTheLongestMeasureIDFitsEveryButton(t *testing.T) {
	id := "1." + strings.Repeat("9", plan.MaxMeasureIDLen-2)
	if !plan.IsMeasureID(id) {
		t.Fatalf("proved nothing: %q is no valid id", id)
	}
	last := len(plan.Statuses) - 1
	for _, c := range []callback{
		{kind: cbMeasure, measureID: id},
		{kind: cbReport, measureID: id, period: "2017-12"},
		{kind: cbReport, measureID: id, period: "2017-Q4"},
		{kind: cbStatus, measureID: id, period: "2017-Q4", status: plan.Statuses[last]},
		{kind: cbAcceptance, measureID: id, period: "2017"},
	} {
		data := c.String()
		if len(data) > 64 {
			t.Errorf("%q is %d bytes; Telegram takes 64", data, len(data))
		}
		got, err := parseCallback(data)
		if err != nil || got != c {
			t.Errorf("parseCallback(%q) = %+v, %v; want %+v", data, got, err, c)
		}
	}
	// The office's loop (review.go): the longest id beside a unit's tag or
	// a period.
	for _, data := range []string{urgePrefix + ":" + id + ":" + unitTag("深圳市罗湖区城市更新和土地整备局"),
		updatePrefix + ":" + id + ":2017-Q4", keepPrefix + ":" + id + ":2017-12"} {
		if len(data) > 64 {
			t.Errorf("%q is %d bytes; Telegram takes 64", data, len(data))
		}
		if c, ok := parseReviewCallback(data); !ok || c.measureID != id {
			t.Errorf("parseReviewCallback(%q) = %+v, %v", data, c, ok)
		}
		if _, err := parseCallback(data); err == nil {
			t.Errorf("parseCallback takes %q too", data)
		}
	}
	if _, err := parseCallback("m:2.1.2.1.1"); err == nil {
		t.Error("a five-level id was taken from a button")
	}
}

// A four-level measure and one numbered past 999 go the whole way: listed,
// pressed, reported, and counted in the digest under their project.
func TestDeepMeasureIDsWorkEndToEnd(t *testing.T) {
	p := testPlan()
	pr := &p.Categories[0].Projects[0] // 2.1
	for _, id := range []string{"2.1.2.1", "2.1.2000"} {
		pr.Measures = append(pr.Measures, plan.Measure{ID: id, Title: "细化措施" + id, Text: "细化措施。",
			LeadUnits: []string{"区编办"}, CoUnits: []string{}})
	}
	if problems := p.Validate(); len(problems) > 0 {
		t.Fatalf("proved nothing: the plan is invalid: %v", problems)
	}
	h := newHarness(t, withPlan(p))
	u := fakeapi.User{ID: 1001, FirstName: "张三"}
	h.bind(u, store.RoleContact, "区编办")
	for _, id := range []string{"2.1.2.1", "2.1.2000"} {
		ok := report(t, h, u, id, "按计划推进", "细化措施"+id+"已落实。")
		if !strings.Contains(ok.PlainText, id) {
			t.Errorf("the confirmation does not name %s:\n%s", id, ok.PlainText)
		}
	}
	ctx := context.Background()
	reports, err := h.db.PeriodReports(ctx, p.Key(), "2017-04")
	if err != nil {
		t.Fatal(err)
	}
	d := digest.Build(digest.Input{Plan: p, Period: "2017-04", Reports: reports})
	raw, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Measures []struct {
			ID      string `json:"id"`
			Project string `json:"project"`
			Units   []struct {
				Status *string `json:"status"`
			} `json:"units"`
		} `json:"measures"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, m := range out.Measures {
		if m.ID != "2.1.2.1" && m.ID != "2.1.2000" {
			continue
		}
		found++
		if len(m.Units) == 0 || m.Units[0].Status == nil {
			t.Errorf("the digest shows %s unreported: %+v", m.ID, m)
		}
	}
	if found != 2 {
		t.Errorf("the digest lists %d of the 2 deep measures:\n%s", found, raw)
	}
	text := d.PlainText()
	if !strings.Contains(text, "2.1 强区放权体制机制改革 2/5") {
		t.Errorf("project 2.1 does not count its deep measures:\n%s", text)
	}
}
