package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
)

const planSeed = "../../plan/testdata/luohu-2017-reform-plan.txt"

// planRun runs reformbot with args and returns its exit code and output.
func planRun(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Getenv: func(string) string { return "" },
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Now:    func() time.Time { return time.Date(2017, 4, 1, 9, 0, 0, 0, time.UTC) },
	}
	err := run(context.Background(), args, env)
	if err != nil {
		errOut.WriteString("reformbot: " + err.Error() + "\n")
	}
	return exitCode(err), out.String(), errOut.String()
}

func TestPlanImportToFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "plan.yaml")
	code, stdout, stderr := planRun(t, "", "plan", "import", planSeed, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q, want nothing with -o", stdout)
	}
	if !strings.Contains(stderr, "luohu-2017-reform-plan.txt:19: warning: 已将乱码") {
		t.Errorf("warnings on stderr lack file and line:\n%s", stderr)
	}
	if !strings.Contains(stderr, "3 categories, 13 projects, 67 measures, 38 units") {
		t.Errorf("no summary on stderr:\n%s", stderr)
	}
	p, err := plan.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if problems := p.Validate(); len(problems) > 0 {
		t.Errorf("written plan has problems: %v", problems)
	}
	code, stdout, _ = planRun(t, "", "plan", "check", out)
	if code != 0 || !strings.HasPrefix(stdout, "ok: ") || !strings.Contains(stdout, "67 measures, 38 units") {
		t.Errorf("check of the imported file: exit %d, %q", code, stdout)
	}
}

func TestPlanImportYAMLToStdout(t *testing.T) {
	doc, err := os.ReadFile("../../plan/testdata/forms-keyword.txt")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := planRun(t, string(doc), "plan", "import", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := plan.Parse([]byte(stdout)); err != nil {
		t.Errorf("stdout is no plan file: %v", err)
	}
	if !strings.Contains(stderr, "stdin:1: warning: 通知未写明报送周期") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestPlanImportJSON(t *testing.T) {
	code, stdout, stderr := planRun(t, "", "plan", "import", planSeed, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "warning") {
		t.Errorf("warnings went to stderr with --json:\n%s", stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["title"] != "深圳市罗湖区2017年改革计划" {
		t.Errorf("title %v", doc["title"])
	}
	cats := doc["categories"].([]any)
	cat := cats[0].(map[string]any)
	if cat["number"] != 2.0 || cat["title"] != "新推重点改革项目" {
		t.Errorf("first category %v %v", cat["number"], cat["title"])
	}
	project := cat["projects"].([]any)[0].(map[string]any)
	measure := project["measures"].([]any)[0].(map[string]any)
	if project["number"] != 1.0 || project["title"] != "强区放权体制机制改革" || measure["id"] != "2.1.1" || measure["title"] != "强区放权“大职能”" {
		t.Errorf("first project %v %v, measure %v %v", project["number"], project["title"], measure["id"], measure["title"])
	}
	// Lists are arrays, never null, even when empty.
	for _, key := range []string{"lead_units", "co_units"} {
		if _, ok := measure[key].([]any); !ok {
			t.Errorf("measure %s is %#v, want an array", key, measure[key])
		}
	}
	unit := doc["units"].([]any)[0].(map[string]any)
	if unit["name"] != "区编办" || unit["group"] != false {
		t.Errorf("first unit %v", unit)
	}
	if _, ok := unit["aliases"].([]any); !ok {
		t.Errorf("unit aliases is %#v, want an array", unit["aliases"])
	}
	warnings, ok := doc["warnings"].([]any)
	if !ok || len(warnings) == 0 {
		t.Fatalf("warnings %#v", doc["warnings"])
	}
	first := warnings[0].(map[string]any)
	if first["line"] == nil || first["message"] == nil {
		t.Errorf("warning %v lacks line or message", first)
	}
}

func TestPlanImportJSONWithoutWarnings(t *testing.T) {
	doc := "区级任务清单\n进度每月报送。\n1.推进改革。（牵头单位：区编办）\n"
	code, stdout, stderr := planRun(t, doc, "plan", "import", "-", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `"warnings": []`) {
		t.Errorf("no empty warnings array:\n%s", stdout)
	}
}

func TestPlanImportBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	big := bytes.Repeat([]byte("1.推进改革。（牵头单位：区编办）\n"), (10<<20)/40)
	binary := make([]byte, 2048)
	for i := range binary {
		binary[i] = byte(i)
	}
	tests := []struct {
		name, doc, want string
	}{
		{"empty", write("empty.txt", nil), "document is empty"},
		{"binary", write("image.png", binary), "document is not text"},
		{"no plan", "../../plan/testdata/not-a-plan.txt", "document contains no plan"},
		{"10 MB", write("big.txt", big), "larger than 8 MiB"},
		{"missing", filepath.Join(dir, "missing.txt"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tt.name, " ", "")+".yaml")
			code, stdout, stderr := planRun(t, "", "plan", "import", tt.doc, "-o", out)
			if code != 1 || !strings.Contains(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, stdout, stderr, tt.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("left an output file: %v", err)
			}
		})
	}
	t.Run("existing file untouched", func(t *testing.T) {
		out := write("keep.yaml", []byte("title: keep me\n"))
		if code, _, _ := planRun(t, "", "plan", "import", filepath.Join(dir, "empty.txt"), "-o", out); code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		if data, _ := os.ReadFile(out); string(data) != "title: keep me\n" {
			t.Errorf("existing file changed to %q", data)
		}
	})
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left a temporary file %s", e.Name())
		}
	}
}

func TestPlanCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.yaml")
	broken := "title: ''\nreporting:\n  cadence: monthly\ncategories:\n  - number: 2\n    title: 新推\n    projects:\n      - number: 1\n        title: 项目\n        measures:\n          - id: 2.1.1\n            title: 措施\n            lead_units: [区编辦]\n            co_units: []\n            text: x\nunits:\n  - name: 区法制办\n"
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := planRun(t, "", "plan", "check", path)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{path + ":1: the plan has no title", path + `:13: measure 2.1.1 names unknown unit "区编辦"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "2 problem(s)") {
		t.Errorf("stderr %q", stderr)
	}

	if err := os.WriteFile(path, []byte("title: x\nlead: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = planRun(t, "", "plan", "check", path)
	if code != 1 || !strings.Contains(stdout, path+":2: not valid YAML") {
		t.Errorf("bad YAML: exit %d, %q", code, stdout)
	}

	code, stdout, _ = planRun(t, string(plan.DefaultYAML()), "plan", "check", "-")
	if code != 0 || !strings.HasPrefix(stdout, "ok: stdin: 3 categories") {
		t.Errorf("check of the default plan: exit %d, %q", code, stdout)
	}
}

func TestPlanShow(t *testing.T) {
	code, stdout, stderr := planRun(t, "", "plan", "show")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"深圳市罗湖区2017年改革计划", "二、新推重点改革项目", "（一）强区放权体制机制改革", "2.1.1 强区放权“大职能”", "牵头：区编办、区法制办"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("listing lacks %q", want)
		}
	}

	code, stdout, _ = planRun(t, "", "plan", "show", "--unit", "區住建局")
	if code != 0 || !strings.HasPrefix(stdout, "区住房建设局\n") {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	lead, co := strings.Index(stdout, "\n牵头\n"), strings.Index(stdout, "\n协办\n")
	if lead < 0 || co < lead || !strings.Contains(stdout[co:], "2.5.2") {
		t.Errorf("lead measures do not come first:\n%s", stdout)
	}

	code, _, stderr = planRun(t, "", "plan", "show", "--unit", "区编")
	if code != 1 || !strings.Contains(stderr, `unknown unit "区编"`) || !strings.Contains(stderr, "区编办") {
		t.Errorf("unknown unit: exit %d, %q", code, stderr)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "plan.yaml")
	if code, _, stderr := planRun(t, "", "plan", "import", "../../plan/testdata/forms-responsible.txt", "-o", path); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, _ = planRun(t, "", "plan", "show", "--plan", path, "--unit", "区司法局")
	if code != 0 || !strings.Contains(stdout, "1.2 推进“证照分离”改革全覆盖") {
		t.Errorf("show --plan: exit %d:\n%s", code, stdout)
	}

	// With a database, the plan in force there.
	own := plan.Default().Clone()
	own.Title, own.Year, own.Sample = "某区2017年改革计划", 2017, false
	ownFile, db := filepath.Join(dir, "own.yaml"), filepath.Join(dir, "r.db")
	if err := own.WriteFile(ownFile); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := planRun(t, "", "plan", "activate", "--db", db, ownFile); code != 0 {
		t.Fatalf("activate: %s", stderr)
	}
	if code, stdout, stderr := planRun(t, "", "plan", "show", "--db", db); code != 0 || !strings.HasPrefix(stdout, "某区2017年改革计划") {
		t.Errorf("show --db: exit %d %s:\n%.200s", code, stderr, stdout)
	}
	// Showing a plan never creates a database.
	missing := filepath.Join(dir, "none.db")
	if code, _, _ := planRun(t, "", "plan", "show", "--db", missing); code != 0 {
		t.Errorf("show --db of a missing file: exit %d", code)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("plan show created a database")
	}
}

func TestPlanUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no subcommand", []string{"plan"}, 2},
		{"unknown subcommand", []string{"plan", "export"}, 2},
		{"import without document", []string{"plan", "import"}, 2},
		{"import with two documents", []string{"plan", "import", "a", "b"}, 2},
		{"bad flag", []string{"plan", "import", "--yaml", "a"}, 2},
		{"check without file", []string{"plan", "check"}, 2},
		{"show with argument", []string{"plan", "show", "x"}, 2},
		{"help", []string{"plan", "help"}, 0},
		{"import -h", []string{"plan", "import", "-h"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := planRun(t, "", tt.args...); code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr)
			}
		})
	}
}

// A broken plan on standard input is reported, not a crash.
func TestPlanCheckBrokenStdin(t *testing.T) {
	env, _, errOut := testEnv(nil, april20)
	env.Stdin = strings.NewReader("title: x\nbogus: [\n")
	err := run(context.Background(), []string{"plan", "check", "-"}, env)
	if exitCode(err) != 1 || err == nil {
		t.Fatalf("exit %d, err %v, stderr %q", exitCode(err), err, errOut.String())
	}
}
