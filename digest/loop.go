package digest

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/luohu/reformbot/store"
)

// The office's loop in the digest.
//
// Returned (退回补充): a pair whose current report of the period the office
// sent back (Input.Returned: the returns whose report is still current). It
// counts as not reported — missing, in no light's favour — until the unit
// reports again, and is listed with the office's comment.
//
// Urged (督办): how many times the office pressed each unit in the period
// (Input.Urges), in plan unit order, then first appearance.

// Sheet names of the loop's sheets in the workbook.
const (
	SheetReturned = "退回补充"
	SheetUrged    = "督办"
)

// Returned is a report the office sent back for more.
type Returned struct {
	MeasureID    string
	MeasureTitle string
	Unit         string
	Comment      string
	At           time.Time // when it was returned, in the digest's Location
}

// Urged counts a unit's 督办 in the period.
type Urged struct {
	Unit  string
	Count int
}

// returnedIDs are the report IDs of in.Returned, which Build treats as not
// reported.
func returnedIDs(in Input) map[int64]bool {
	ids := map[int64]bool{}
	for _, rv := range in.Returned {
		if rv.Kind == store.ReviewReturned && rv.Period == in.Period {
			ids[rv.ReportID] = true
		}
	}
	return ids
}

// loopLists fills d.Returned and d.Urged.
func (b *builder) loopLists(d *Digest) {
	titles := map[string]string{}
	for _, t := range b.tasks {
		titles[t.Measure.ID] = t.Measure.Title
	}
	current := map[int64]bool{}
	for _, r := range b.in.Reports {
		if r.Current() && r.Period == b.in.Period {
			current[r.ID] = true
		}
	}
	for _, rv := range b.in.Returned {
		if rv.Kind != store.ReviewReturned || rv.Period != b.in.Period || !current[rv.ReportID] {
			continue
		}
		d.Returned = append(d.Returned, Returned{MeasureID: rv.MeasureID, MeasureTitle: titles[rv.MeasureID],
			Unit: rv.Unit, Comment: rv.Comment, At: rv.At.In(b.loc)})
	}
	count := map[string]int{}
	var order []string
	for _, u := range b.in.Urges {
		if u.Period != b.in.Period {
			continue
		}
		if count[u.Unit] == 0 {
			order = append(order, u.Unit)
		}
		count[u.Unit]++
	}
	rank := map[string]int{}
	for i, u := range b.in.Plan.Units {
		rank[u.Name] = i + 1
	}
	sort.SliceStable(order, func(i, j int) bool {
		ri, rj := rank[order[i]], rank[order[j]]
		return ri != 0 && (rj == 0 || ri < rj)
	})
	for _, u := range order {
		d.Urged = append(d.Urged, Urged{Unit: u, Count: count[u]})
	}
}

// urgedCount is how many times unit was urged in the period.
func (d *Digest) urgedCount(unit string) int {
	for _, u := range d.Urged {
		if u.Unit == unit {
			return u.Count
		}
	}
	return 0
}

func (d *Digest) returnedSection() []string {
	lines := []string{fmt.Sprintf("<b>🔁 退回补充（%d 项）</b>", len(d.Returned))}
	for _, r := range d.Returned {
		lines = append(lines, fmt.Sprintf("• %s %s｜%s：%s（%s）", esc(r.MeasureID), esc(clip(r.MeasureTitle, clipTitle)),
			esc(r.Unit), esc(clip(r.Comment, clipText)), r.At.Format("1月2日")))
	}
	return lines
}

func (d *Digest) urgedSection() []string {
	var parts []string
	for _, u := range d.Urged {
		parts = append(parts, fmt.Sprintf("%s %d 次", u.Unit, u.Count))
	}
	return []string{fmt.Sprintf("<b>📣 督办（%d 个单位）</b>", len(d.Urged)), esc(strings.Join(parts, "、"))}
}

// loopSections are the loop's text sections, those that have anything.
func (d *Digest) loopSections() [][]string {
	var out [][]string
	if len(d.Returned) > 0 {
		out = append(out, d.returnedSection())
	}
	if len(d.Urged) > 0 {
		out = append(out, d.urgedSection())
	}
	return out
}

func (d *Digest) returnedTable() table {
	tb := table{
		name:   SheetReturned,
		widths: []float64{8, 30, 16, 40, 21},
		header: []string{"编号", "任务", "单位", "改革办意见", "退回时间"},
		wrap:   map[int]bool{1: true, 3: true},
	}
	for _, r := range d.Returned {
		tb.rows = append(tb.rows, []any{r.MeasureID, r.MeasureTitle, r.Unit, r.Comment, d.cellTime(r.At)})
	}
	return tb
}

func (d *Digest) urgedTable() table {
	tb := table{
		name:   SheetUrged,
		widths: []float64{16, 10},
		header: []string{"单位", "督办次数"},
	}
	for _, u := range d.Urged {
		tb.rows = append(tb.rows, []any{u.Unit, u.Count})
	}
	return tb
}

type jsonReturned struct {
	ID      string `json:"id"`
	Unit    string `json:"unit"`
	Comment string `json:"comment"`
	At      string `json:"at"`
}

type jsonUrged struct {
	Unit  string `json:"unit"`
	Count int    `json:"count"`
}

func (d *Digest) jsonLoop() ([]jsonReturned, []jsonUrged) {
	returned, urged := []jsonReturned{}, []jsonUrged{}
	for _, r := range d.Returned {
		returned = append(returned, jsonReturned{ID: r.MeasureID, Unit: r.Unit, Comment: r.Comment, At: d.stamp(r.At)})
	}
	for _, u := range d.Urged {
		urged = append(urged, jsonUrged(u))
	}
	return returned, urged
}
