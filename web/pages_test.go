package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/luohu/reformbot/plan"
)

func TestOverviewShowsTheDigestsLights(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, officeUser)
	status, body := f.get(c, "/?period=2017-04")
	if status != http.StatusOK {
		t.Fatalf("overview: %d", status)
	}
	// 2.1 has a unit in difficulty in April: red, by the digest's rules.
	if !strings.Contains(body, `data-project="2.1" data-light="red"`) {
		t.Errorf("project 2.1 is not red in April")
	}
	// No pair of 2.1 reported in January and February, few in March:
	// red since January, by the digest's rules.
	if !strings.Contains(body, "连续4期") {
		t.Errorf("April does not say 2.1 has been red for 4 periods")
	}
	if !contains(body, "需要编制支持", "全年走势", "导出 Excel") {
		t.Errorf("overview lacks the difficulty, the trend or the export")
	}
	if _, body := f.get(c, "/?period=2017-05"); !strings.Contains(body, "连续5期") {
		t.Errorf("May does not say 2.1 has been red for 5 periods")
	}
	if status, _ := f.get(c, "/?period=2017-Q2"); status != http.StatusBadRequest {
		t.Errorf("a quarter for a monthly plan: %d, want 400", status)
	}
}

func TestGridMatchesTheDigest(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, officeUser)
	_, raw := f.get(c, "/api/digest?period=2017-04")
	var d struct {
		Measures []struct {
			ID    string `json:"id"`
			Units []struct {
				Status *string `json:"status_code"`
			} `json:"units"`
		} `json:"measures"`
	}
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	status, body := f.get(c, "/grid")
	if status != http.StatusOK {
		t.Fatalf("grid: %d", status)
	}
	reported := 0
	for _, m := range d.Measures {
		var want strings.Builder
		for _, u := range m.Units {
			s := ""
			if u.Status != nil {
				s = *u.Status
				reported++
			}
			want.WriteString(`<i class="` + statusClass(plan.Status(s)) + `"></i>`)
		}
		anchor := `href="/measure/` + m.ID + `#p-2017-04">`
		cellStart := strings.Index(body, anchor)
		if cellStart < 0 {
			t.Fatalf("no April cell for %s", m.ID)
		}
		cell := body[cellStart+len(anchor):]
		cell = cell[:strings.Index(cell, "</a>")]
		if cell != want.String() {
			t.Errorf("cell %s 2017-04:\n got %s\nwant %s", m.ID, cell, want.String())
		}
	}
	if reported != 3 {
		t.Errorf("the digest has %d reported pairs in April, want 3: the test proves nothing", reported)
	}
	if strings.Contains(body, `#p-2017-06"`) {
		t.Error("the grid shows a period after the current one")
	}
}

func TestMeasurePageStreamsTheAttachment(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	f.signIn(c, officeUser)
	status, body := f.get(c, "/measure/2.1.1")
	if status != http.StatusOK {
		t.Fatalf("measure: %d", status)
	}
	// Every version, newest first, with the attachment on the current one.
	if !contains(body, "初稿退回修改", "初稿完成", "已被替换", "会议纪要.pdf", "需要编制支持") {
		t.Errorf("measure page lacks a version, the history or the file")
	}
	if strings.Contains(body, f.api.Token()) || strings.Contains(body, f.fileID) {
		t.Error("the page exposes the bot token or a file_id")
	}
	path := "/file/" + itoa(int(f.attID)) + "?m=2.1.1&u=" + unitName + "&p=2017-04"
	status, file := f.get(c, path)
	if status != http.StatusOK || file != "%PDF-1.4 会议纪要" {
		t.Fatalf("attachment: %d %q", status, file)
	}
	// Another unit's contact may not fetch it.
	other := f.client()
	f.signIn(other, otherUser)
	if status, _ := f.get(other, path); status != http.StatusForbidden {
		t.Errorf("other unit's contact fetched the file: %d", status)
	}
	// Telegram down: an error, still no token.
	f.api.SetDown(true)
	status, body = f.get(c, path)
	if status != http.StatusBadGateway || strings.Contains(body, f.api.Token()) {
		t.Errorf("Telegram down: %d %q", status, body)
	}
}
