package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// demoPerson is someone the visitor can be in the demo: the office, or the
// contact of one unit.
type demoPerson struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Unit   string `json:"unit"` // empty for the office
	Office bool   `json:"office"`
}

// Demo user ids: the office first, then one contact per unit in plan order.
const (
	demoOfficeID    = 10001
	demoFirstUnitID = 20001
)

// demoPeople binds the office and one contact per unit (a group whose
// members are listed is reported by its members, so it gets none), unless
// a database given with --db has them already.
func demoPeople(ctx context.Context, db *store.DB, p *plan.Plan) ([]demoPerson, error) {
	people := []demoPerson{{ID: demoOfficeID, Name: "区委改革办", Office: true}}
	for i, u := range p.Units {
		if u.Group && len(u.Members) > 0 {
			continue
		}
		people = append(people, demoPerson{ID: demoFirstUnitID + int64(i), Name: u.Name + "联络人", Unit: u.Name})
	}
	for _, person := range people {
		_, err := db.Contact(ctx, person.ID)
		if err == nil {
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		role := store.RoleContact
		if person.Office {
			role = store.RoleOffice
		}
		code, _, err := db.CreateInvite(ctx, role, person.Unit, time.Hour)
		if err != nil {
			return nil, err
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: person.ID, ChatID: person.ID, Name: person.Name}, store.AttemptLimit{})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("demo: bind %s: %w", person.Name, err)
		}
	}
	return people, nil
}

// seedDemo fills a fresh database with the first quarter's reports, so the
// dashboard has a year to show: most units on track, some behind, a few in
// difficulty, some silent. It does nothing when there are reports already.
func seedDemo(ctx context.Context, dbPath string, p *plan.Plan, people []demoPerson, start time.Time) error {
	at := start
	db, err := store.Open(ctx, dbPath, store.Options{Now: func() time.Time { return at }})
	if err != nil {
		return err
	}
	defer db.Close()
	first := plan.PeriodOf(time.Date(start.Year(), 1, 15, 12, 0, 0, 0, start.Location()), p.Reporting.Cadence)
	existing, err := db.PeriodReports(ctx, p.Key(), first, first.Next(), first.Next().Next())
	if err != nil || len(existing) > 0 {
		return err
	}
	reporter := map[string]demoPerson{}
	for _, person := range people {
		reporter[person.Unit] = person
	}
	texts := map[plan.Status][]string{
		plan.OnTrack:   {"已召开专题会议，制定工作方案。", "正在开展调研，收集意见建议。", "方案已报区领导审定。"},
		plan.Done:      {"已按计划完成，相关文件已印发。"},
		plan.Behind:    {"受人员调整影响，进度有所滞后，下月补上。"},
		plan.NeedsHelp: {"涉及多个部门职责交叉，需区里统筹协调。"},
	}
	rng := rand.New(rand.NewPCG(2017, 4))
	done := map[[2]string]bool{}
	for period := first; period.Year() == first.Year() && period < plan.PeriodOf(start, p.Reporting.Cadence); period = period.Next() {
		at = period.End(start.Location()).Add(-3 * 24 * time.Hour)
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, a := range p.Assignments() {
				person, ok := reporter[a.Unit]
				key := [2]string{a.MeasureID, a.Unit}
				if !ok || rng.IntN(100) < 15 {
					continue
				}
				st := plan.OnTrack
				switch n := rng.IntN(100); {
				case done[key] || n < 8:
					st, done[key] = plan.Done, true
				case n < 18:
					st = plan.Behind
				case n < 22:
					st = plan.NeedsHelp
				}
				options := texts[st]
				_, err := tx.SaveReport(ctx, store.Report{PlanYear: p.Key(),
					MeasureID: a.MeasureID, Unit: a.Unit, Period: period, Status: st,
					Text: options[rng.IntN(len(options))], ReporterID: person.ID, ReporterName: person.Name,
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
