package schedule

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// bigPlan is testPlan with n projects of one measure each.
func bigPlan(n int) *plan.Plan {
	p := testPlan()
	projects := make([]plan.Project, n)
	for i := range projects {
		projects[i] = plan.Project{Number: i + 1, Title: "改革项目", Measures: []plan.Measure{{
			ID: fmt.Sprintf("2.%d.1", i+1), Title: "任务", Text: "任务。", LeadUnits: []string{"区编办"}, CoUnits: []string{},
		}}}
	}
	p.Categories[0].Projects = projects
	return p
}

// The chart of a big plan is too tall for a photo (Telegram would shrink
// it past reading, or refuse it): it goes as a document named for the
// period, under the same key, still after the workbook; a small plan's
// chart stays a photo.
func TestDigestChartOfABigPlanIsADocument(t *testing.T) {
	for _, tt := range []struct {
		projects int
		method   string
	}{{5, store.SendPhoto}, {60, store.SendDocument}} {
		t.Run(fmt.Sprint(tt.projects), func(t *testing.T) {
			f := newFixtureFor(t, Config{}, bigPlan(tt.projects))
			ctx := context.Background()
			f.bind(t, 9, store.RoleOffice, "")
			f.clock.Set(at(2017, 5, 3, 9))
			if _, err := f.s.DigestNow(ctx, "2017-04"); err != nil {
				t.Fatal(err)
			}
			msgs, err := f.db.Messages(ctx, KindDigest, "2017-04")
			if err != nil {
				t.Fatal(err)
			}
			var methods []string
			for _, m := range msgs {
				methods = append(methods, m.Method)
			}
			last := msgs[len(msgs)-1]
			if msgs[len(msgs)-2].Method != store.SendDocument || !strings.HasSuffix(msgs[len(msgs)-2].FileName, ".xlsx") {
				t.Errorf("methods %v: the workbook is not just before the chart", methods)
			}
			if last.Method != tt.method || last.FileName != "2017年4月进展图.png" || !strings.HasSuffix(last.Key, ":png") {
				t.Errorf("chart row: %s %q key %q; want %s 2017年4月进展图.png", last.Method, last.FileName, last.Key, tt.method)
			}
		})
	}
}

// The chart row of a 76-project plan, posted as the sender posts a row,
// reaches the office through a Bot API as strict as Telegram's; posted as
// a photo (as before) it is refused, since its sides add up past 10000 px.
func TestDigestChartOfABigPlanReachesTheOffice(t *testing.T) {
	f := newFixtureFor(t, Config{}, bigPlan(76))
	ctx := context.Background()
	f.bind(t, 9, store.RoleOffice, "")
	f.clock.Set(at(2017, 5, 3, 9))
	if _, err := f.s.DigestNow(ctx, "2017-04"); err != nil {
		t.Fatal(err)
	}
	msgs, err := f.db.Messages(ctx, KindDigest, "2017-04")
	if err != nil {
		t.Fatal(err)
	}
	chart := msgs[len(msgs)-1]
	api := fakeapi.NewServer(t)
	b, err := tgbot.New(api.Token(), tgbot.WithServerURL(api.URL()))
	if err != nil {
		t.Fatal(err)
	}
	upload := func() models.InputFile {
		return &models.InputFileUpload{Filename: chart.FileName, Data: bytes.NewReader(chart.FileData)}
	}
	if chart.Method != store.SendDocument {
		t.Fatalf("chart row %s, want %s", chart.Method, store.SendDocument)
	}
	if _, err := b.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: chart.ChatID, Document: upload(), Caption: chart.Payload.Caption}); err != nil {
		t.Errorf("the chart as a document: %v", err)
	}
	if _, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: chart.ChatID, Photo: upload()}); err == nil || !strings.Contains(err.Error(), "PHOTO_INVALID_DIMENSIONS") {
		t.Errorf("the chart as a photo: err = %v, want PHOTO_INVALID_DIMENSIONS (else this test proves nothing)", err)
	}
	if sent := api.Sent(); len(sent) != 1 || sent[0].Document == nil || sent[0].Document.Name != "2017年4月进展图.png" {
		t.Errorf("sent %+v", sent)
	}
}
