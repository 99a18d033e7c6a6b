package digest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
	"github.com/xuri/excelize/v2"
)

// yearInput is a full year of a plan shaped like Luohu's 2017 plan: 67
// measures in 4 categories and 20 projects, each measure with a lead unit
// and up to two co units out of 30 units and a group of 10 streets; a
// report from most pairs in each of the 12 months (all of them passed, as a
// careless caller might); contacts for every unit, some blocked; failed
// messages; and year-end submissions. The digest is December's.
func yearInput(tb testing.TB) Input {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2017, 12))
	var units []plan.Unit
	var names []string
	for i := range 30 {
		names = append(names, fmt.Sprintf("区第%02d局", i+1))
		units = append(units, plan.Unit{Name: names[i]})
	}
	streets := strings.Split("东门街道 桂园街道 黄贝街道 翠竹街道 东晓街道 东湖街道 莲塘街道 笋岗街道 清水河街道 南湖街道", " ")
	units = append(units, plan.Unit{Name: "各街道办", Group: true, Members: streets})
	for _, s := range streets {
		units = append(units, plan.Unit{Name: s})
	}
	words := []rune("推进深化改革完善机制建立健全制度加快落实试点创新服务体系监管统筹协调优化营商环境城市更新棚户区医疗教育")
	phrase := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = words[rng.IntN(len(words))]
		}
		return string(r)
	}
	p := &plan.Plan{Title: "深圳市罗湖区2017年改革计划", Year: 2017, Units: units,
		Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true}}
	projects := [][]int{{4, 3, 3}, {4, 4, 3, 3, 3, 3}, {4, 3, 3, 3, 3, 3}, {4, 4, 3, 3, 4}} // 67 measures
	for ci, sizes := range projects {
		c := plan.Category{Number: ci + 1, Title: fmt.Sprintf("第%d类 %s", ci+1, phrase(8))}
		for pi, n := range sizes {
			pr := plan.Project{Number: pi + 1, Title: phrase(10)}
			for mi := range n {
				m := plan.Measure{ID: fmt.Sprintf("%d.%d.%d", ci+1, pi+1, mi+1), Title: phrase(12), Text: phrase(80)}
				m.LeadUnits = []string{names[rng.IntN(len(names))]}
				for range rng.IntN(3) {
					if co := names[rng.IntN(len(names))]; co != m.LeadUnits[0] {
						m.CoUnits = append(m.CoUnits, co)
					}
				}
				if rng.IntN(10) == 0 {
					m.CoUnits = append(m.CoUnits, "各街道办")
				}
				pr.Measures = append(pr.Measures, m)
			}
			c.Projects = append(c.Projects, pr)
		}
		p.Categories = append(p.Categories, c)
	}
	if n := len(p.Measures()); n != 67 {
		tb.Fatalf("plan has %d measures, want 67", n)
	}

	in := Input{Plan: p, Period: "2017-12", Location: officeZone(), GeneratedAt: time.Date(2018, 1, 3, 1, 0, 0, 0, time.UTC)}
	statuses := []plan.Status{plan.OnTrack, plan.OnTrack, plan.OnTrack, plan.OnTrack, plan.Done, plan.Behind, plan.Behind, plan.NeedsHelp}
	id := int64(0)
	report := func(a plan.Assignment, period plan.Period, s plan.Status, day int) store.Report {
		id++
		r := store.Report{ID: id, MeasureID: a.MeasureID, Unit: a.Unit, Period: period, Status: s,
			Text: phrase(60 + rng.IntN(120)), ReporterID: id, ReporterName: a.Unit + "联络员",
			CreatedAt: period.Start(time.UTC).AddDate(0, 0, day)}
		if rng.IntN(10) == 0 {
			r.Attachments = []store.Attachment{{Kind: store.Photo}, {Kind: store.Document}}
		}
		return r
	}
	for month := 1; month <= 12; month++ {
		period := plan.Period(fmt.Sprintf("2017-%02d", month))
		for _, a := range p.Assignments() {
			if rng.IntN(100) < 88 {
				in.Reports = append(in.Reports, report(a, period, statuses[rng.IntN(len(statuses))], 19+rng.IntN(8)))
			}
		}
	}
	for _, a := range p.Assignments() {
		if a.Role == plan.Lead && rng.IntN(10) < 7 {
			in.Acceptance = append(in.Acceptance, report(a, "2017", plan.Submitted, 370+rng.IntN(5)))
		}
	}
	for i, u := range units {
		status := store.Active
		if i%9 == 4 {
			status = store.Blocked
		}
		in.Contacts = append(in.Contacts, store.Contact{UserID: int64(5000 + i), Unit: u.Name, Role: store.RoleContact, Status: status, Name: "联络人"})
		if i%7 == 0 {
			in.Failed = append(in.Failed, store.Message{UserID: int64(5000 + i), Period: in.Period, State: store.Failed, Error: "Bad Request: chat not found"})
		}
	}
	in.Contacts = append(in.Contacts, store.Contact{UserID: 1, Role: store.RoleOffice, Status: store.Active, Name: "改革办"})
	return in
}

func TestFullYear(t *testing.T) {
	d := Build(yearInput(t))
	if d.Totals.Pairs < 67 || d.Totals.Reported == 0 || len(d.Stalled) == 0 || d.Acceptance == nil {
		t.Fatalf("unrealistic input: %+v, %d stalled", d.Totals, len(d.Stalled))
	}
	msgs := d.Messages()
	for i, m := range msgs {
		if size(m) > MessageLimit {
			t.Errorf("message %d: %d UTF-16 units", i, size(m))
		}
		if err := checkHTML(m); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	}
	b, err := d.JSON()
	if err != nil || !json.Valid(b) {
		t.Fatalf("json: %v", err)
	}
	x, err := d.XLSX()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(SheetDetail)
	if len(rows) != d.Totals.Pairs+1 {
		t.Errorf("明细 has %d rows, want %d", len(rows), d.Totals.Pairs+1)
	}
	t.Logf("%d pairs, %d reported, %d difficulties, %d stalled, %d messages, json %d B, xlsx %d B",
		d.Totals.Pairs, d.Totals.Reported, d.Totals.Difficulties, d.Totals.Stalled, len(msgs), len(b), len(x))
}

func BenchmarkBuild(b *testing.B) {
	in := yearInput(b)
	for b.Loop() {
		Build(in)
	}
}

func BenchmarkJSON(b *testing.B) {
	d := Build(yearInput(b))
	for b.Loop() {
		if _, err := d.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMessages(b *testing.B) {
	d := Build(yearInput(b))
	for b.Loop() {
		d.Messages()
	}
}

func BenchmarkXLSX(b *testing.B) {
	d := Build(yearInput(b))
	for b.Loop() {
		if _, err := d.XLSX(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPNG(b *testing.B) {
	d := Build(yearInput(b))
	for b.Loop() {
		if _, err := d.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}
