package store

import (
	"context"
	"errors"
	"testing"

	"github.com/luohu/reformbot/plan"
)

func TestPlansAreKeptByYearAndVersion(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	if _, err := db.Plan(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Plan before any activation: %v, want ErrNotFound", err)
	}
	sample := plan.Default()
	sample.Sample = true
	a, err := db.Activate(ctx, sample)
	if err != nil || !a.NewYear || a.Year != plan.SampleYear || a.Version != 1 {
		t.Fatalf("sample: %+v, %v", a, err)
	}

	p := testPlan() // 2017
	a, err = db.Activate(ctx, p)
	if err != nil || !a.NewYear || !a.Changed || a.Year != 2017 || a.Version != 1 {
		t.Fatalf("first activation: %+v, %v", a, err)
	}
	if a, err = db.Activate(ctx, p); err != nil || a.Changed || a.Version != 1 {
		t.Fatalf("same plan again: %+v, %v; want no change", a, err)
	}

	amended := p.Clone()
	pr := &amended.Categories[0].Projects[0]
	pr.Measures = pr.Measures[:1]                   // 1.1.2 removed
	pr.Measures[0].LeadUnits = []string{"B"}        // 1.1.1 reassigned
	pr.Measures = append(pr.Measures, plan.Measure{ // 1.1.3 added
		ID: "1.1.3", Title: "措施四", Text: "措施四。", LeadUnits: []string{"A"}, CoUnits: []string{},
	})
	a, err = db.Activate(ctx, amended)
	if err != nil || a.NewYear || !a.Changed || a.Version != 2 {
		t.Fatalf("amendment: %+v, %v", a, err)
	}
	if got := a.Diff; len(got.Added) != 1 || got.Added[0] != "1.1.3" || len(got.Removed) != 1 || got.Removed[0] != "1.1.2" ||
		len(got.Reassigned) != 1 || got.Reassigned[0].ID != "1.1.1" {
		t.Errorf("diff = %+v", got)
	}

	next := testPlan()
	next.Year, next.Title = 2018, "测试计划2018"
	if a, err = db.Activate(ctx, next); err != nil || !a.NewYear || a.Year != 2018 {
		t.Fatalf("next year: %+v, %v", a, err)
	}

	years, err := db.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := years.List(); len(got) != 2 || got[0] != 2017 || got[1] != 2018 {
		t.Errorf("plan years = %v, want [2017 2018]", got)
	}
	if p17, ok := years.Year(2017); !ok || len(p17.Measures()) != 3 || p17.Sample {
		t.Errorf("2017 in force: %v", p17)
	}
	if _, ok := years.Sample(); ok {
		t.Error("the sample is in force beside real plans")
	}
	if s, ok := years.Year(plan.SampleYear); !ok || !s.Sample {
		t.Error("the sample was not kept")
	}

	versions, err := db.PlanVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// sample v1, 2017 v1, 2017 v2, 2018 v1: nothing deleted.
	if len(versions) != 4 {
		t.Fatalf("%d versions, want 4: %+v", len(versions), versions)
	}
	if v := versions[1]; v.Year != 2017 || v.Version != 1 || v.InForce || v.Measures != 3 {
		t.Errorf("2017 v1 = %+v", v)
	}
	if v := versions[2]; v.Version != 2 || !v.InForce || v.Diff.Removed[0] != "1.1.2" {
		t.Errorf("2017 v2 = %+v", v)
	}
}

func TestPlansStampMovesOnActivation(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, nil)
	before, err := db.PlansStamp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Activate(ctx, testPlan()); err != nil {
		t.Fatal(err)
	}
	after, _ := db.PlansStamp(ctx)
	if after == before {
		t.Error("stamp unchanged by an activation")
	}
	if _, err := db.Activate(ctx, testPlan()); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.PlansStamp(ctx); again != after {
		t.Error("stamp changed by activating the same plan")
	}
}
