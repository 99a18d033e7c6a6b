package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

func TestZZSample(t *testing.T) {
	out := os.Getenv("SAMPLE_OUT")
	if out == "" {
		t.Skip()
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "r.db")
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Default()
	texts := []string{
		"已完成方案起草并报区委常委会审议，正在组织各街道开展试点。下一步将总结试点经验，全面推开。",
		"已与市相关部门对接三次，完成系统需求调研。因涉及跨部门数据共享，接口改造进度慢于预期。",
		"本月召开专题会议2次，印发实施细则，各项工作按计划推进。",
		"项目用地指标尚未落实，需区领导协调市规划国土部门解决。",
		"已全面完成年度任务，形成制度文件3份。",
	}
	statuses := []plan.Status{plan.OnTrack, plan.Behind, plan.OnTrack, plan.NeedsHelp, plan.Done}
	unbound := map[string]bool{}
	i := 0
	for _, a := range p.Assignments() {
		i++
		if i%11 == 0 {
			continue // not reported
		}
		for _, per := range []plan.Period{"2017-10", "2017-11"} {
			k := (i + len(per)) % len(texts)
			if per == "2017-10" {
				k = (i + 1) % len(texts)
			}
			err := db.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.SaveReport(ctx, store.Report{MeasureID: a.MeasureID, Unit: a.Unit, Period: per, Status: statuses[k], Text: texts[k], ReporterID: int64(i), ReporterName: "联络员"})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for j, u := range p.Units {
		if j%9 == 4 {
			unbound[u.Name] = true
			continue
		}
		code, _, err := db.CreateInvite(ctx, store.RoleContact, u.Name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: int64(5000 + j), ChatID: int64(5000 + j)}, store.AttemptLimit{})
			return err
		})
	}
	db.Close()
	env := &Env{Getenv: func(string) string { return "" }, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Now: func() time.Time { return time.Date(2017, 12, 4, 2, 0, 0, 0, time.UTC) }}
	if err := run(ctx, []string{"bulletin", "--db", dbPath, "--period", "2017-11", "--number", "11", "-o", out}, env); err != nil {
		t.Fatal(err)
	}
	fmt.Println("unbound", len(unbound))
}
