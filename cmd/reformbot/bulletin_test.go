package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// bulletinRun runs reformbot at 10:00 on 2 May 2017 in Shanghai, with
// REFORMBOT_ISSUER set.
func bulletinRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return bulletinRunAt(t, time.Date(2017, 5, 2, 2, 0, 0, 0, time.UTC), map[string]string{"REFORMBOT_ISSUER": "测试区委改革办"}, args...)
}

// bulletinRunAt runs reformbot at now with the environment env.
func bulletinRunAt(t *testing.T, now time.Time, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &Env{
		Getenv: func(k string) string { return env[k] },
		Stdin:  strings.NewReader(""),
		Stdout: &out,
		Stderr: &errOut,
		Now:    func() time.Time { return now },
	}
	err := run(context.Background(), args, e)
	if err != nil {
		errOut.WriteString("reformbot: " + err.Error() + "\n")
	}
	return exitCode(err), out.String(), errOut.String()
}

func docxDocument(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s is not a docx: %v", path, err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			defer r.Close()
			b, _ := io.ReadAll(r)
			return string(b)
		}
	}
	t.Fatalf("%s has no word/document.xml", path)
	return ""
}

func TestBulletinCommand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	dbPath := filepath.Join(dir, "r.db")
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	task := plan.Default().Measures()[0]
	err = db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveReport(ctx, store.Report{MeasureID: task.Measure.ID, Unit: task.Measure.LeadUnits[0], Period: "2017-04",
			Status: plan.NeedsHelp, Text: "方案待区领导协调。", ReporterID: 1, ReporterName: "张三"})
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "april.docx")
	code, stdout, stderr := bulletinRun(t, "bulletin", "--db", dbPath, "--period", "2017-04", "-o", out, "--text")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "wrote "+out+": 2017-04, 2017年第1期") {
		t.Errorf("stderr = %q", stderr)
	}
	doc := docxDocument(t, out)
	for _, s := range []string{"（2017年第1期）", "测试区委改革办", "2017年5月2日", task.Measure.LeadUnits[0] + "）：“方案待区领导协调。”", "将于2017年5月25日发出2017年5月进展填报提醒"} {
		if !strings.Contains(doc, s) || !strings.Contains(stdout, s) {
			t.Errorf("the bulletin (document and --text) lacks %q", s)
		}
	}

	// The next month counts up; the default file name says the number.
	if code, _, stderr := bulletinRun(t, "bulletin", "--db", dbPath, "--period", "2017-05"); code != 0 {
		t.Fatalf("May: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "改革进展通报-2017年第2期.docx")); err != nil {
		t.Errorf("May's default file: %v", err)
	}
	// A period to come is refused, and takes no number.
	if code, _, stderr := bulletinRun(t, "bulletin", "--db", dbPath, "--period", "2099-04"); code != 2 || !strings.Contains(stderr, "has not begun") {
		t.Errorf("a period to come: exit %d, %s", code, stderr)
	}
	// April again keeps its number.
	if _, _, stderr := bulletinRun(t, "bulletin", "--db", dbPath, "--period", "2017-04", "-o", out); !strings.Contains(stderr, "2017年第1期") {
		t.Errorf("April again: %s", stderr)
	}
	// A number another period holds is a usage error that names it.
	if code, _, stderr := bulletinRun(t, "bulletin", "--db", dbPath, "--period", "2017-05", "--number", "1", "-o", out); code != 2 || !strings.Contains(stderr, "2017-04") {
		t.Errorf("taken number: exit %d, %s", code, stderr)
	}
	for _, args := range [][]string{
		{"--period", "2017-Q2"}, {"--period", "april"}, {}, {"--period", "2017-04", "-o", "-"}, {"--period", "2017-04", "--number", "-3"},
	} {
		if code, _, stderr := bulletinRun(t, append([]string{"bulletin", "--db", dbPath}, args...)...); code != 2 || strings.Count(stderr, "\n") > 3 {
			t.Errorf("bulletin %v: exit %d, %q; want a usage error", args, code, stderr)
		}
	}
}
