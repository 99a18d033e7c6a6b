package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
)

// syncBuffer is a bytes.Buffer safe for a command writing from goroutines
// while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEnv is an Env with the given variables and a fixed clock.
func testEnv(vars map[string]string, now time.Time) (*Env, *syncBuffer, *syncBuffer) {
	var out, errOut syncBuffer
	return &Env{
		Getenv: func(k string) string { return vars[k] },
		Stdin:  strings.NewReader(""),
		Stdout: &out,
		Stderr: &errOut,
		Now:    func() time.Time { return now },
	}, &out, &errOut
}

// runCmd runs one command line and returns its output and exit status.
func runCmd(t *testing.T, vars map[string]string, now time.Time, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	env, out, errOut := testEnv(vars, now)
	err := run(context.Background(), args, env)
	if err != nil {
		errOut.Write([]byte(err.Error()))
	}
	return out.String(), errOut.String(), exitCode(err)
}

var april20 = time.Date(2017, 4, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestServeNeedsAToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	_, stderr, code := runCmd(t, map[string]string{}, april20, "serve", "--db", db)
	if code == 0 || !strings.Contains(stderr, "TELEGRAM_BOT_TOKEN") {
		t.Errorf("serve without a token: exit %d, %q", code, stderr)
	}
	if strings.Contains(stderr, "panic") {
		t.Errorf("serve without a token panicked: %s", stderr)
	}
}

func TestServeRefusesBadSchedules(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	vars := map[string]string{"TELEGRAM_BOT_TOKEN": fakeapi.DefaultToken, "TELEGRAM_API_URL": "http://127.0.0.1:1"}
	for _, spec := range []string{"TZ=UTC", "0 9 31 2 *", "soon"} {
		_, stderr, code := runCmd(t, vars, april20, "serve", "--db", db, "--prompt-cron", spec)
		if code != 2 || !strings.Contains(stderr, "prompt") {
			t.Errorf("--prompt-cron %q: exit %d, %q; want a usage error naming it", spec, code, stderr)
		}
	}
}

// The whole loop through the documented commands: serve runs; the operator
// invites the office and a unit; the unit contact binds and answers the
// prompt the operator enqueued; the digest shows the report.
func TestServeEndToEnd(t *testing.T) {
	api := fakeapi.NewServer(t, fakeapi.WithOneActionPerButton())
	dir := t.TempDir()
	db := filepath.Join(dir, "reformbot.db")
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN": api.Token(),
		"TELEGRAM_API_URL":   api.URL(),
		"REFORMBOT_DB":       db,
	}
	env, _, serveLog := testEnv(vars, time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- run(ctx, []string{"serve", "--poll-timeout", "1s"}, env) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop within 10s of cancellation")
		}
	})
	// Wait until serve is up (it records the bot's username).
	deadline := time.Now().Add(10 * time.Second)
	for api.RequestCount("getUpdates") == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", serveLog.String())
		}
		time.Sleep(10 * time.Millisecond)
	}

	link := regexp.MustCompile(`^https://t\.me/` + fakeapi.DefaultBotUsername + `\?start=([A-Za-z0-9_-]{32})\n([A-Za-z0-9_-]{32})\n$`)
	out, stderr, code := runCmd(t, vars, time.Now(), "invite", "区编办")
	m := link.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != m[2] {
		t.Fatalf("invite: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	unitCode := m[1]
	out, _, _ = runCmd(t, vars, time.Now(), "invite", "--office")
	officeCode := link.FindStringSubmatch(out)[1]

	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	boss := fakeapi.User{ID: 9001, FirstName: "主任"}
	api.SendText(zhang, "/start "+unitCode)
	api.SendText(boss, "/start "+officeCode)
	api.WaitFor(t, 10*time.Second, func(sent []fakeapi.Message) bool {
		n := 0
		for _, s := range sent {
			if strings.Contains(s.PlainText, "绑定成功") {
				n++
			}
		}
		return n == 2
	})
	out, _, code = runCmd(t, vars, time.Now(), "contacts")
	if code != 0 || !strings.Contains(out, "1001") || !strings.Contains(out, "区编办") || !strings.Contains(out, "区委改革办") {
		t.Errorf("contacts:\n%s", out)
	}

	out, stderr, code = runCmd(t, vars, time.Now(), "prompt", "--period", "2017-04")
	if code != 0 || !strings.Contains(out, "1 prompts enqueued") {
		t.Fatalf("prompt: exit %d, %q %q", code, out, stderr)
	}
	out, _, _ = runCmd(t, vars, time.Now(), "prompt", "--period", "2017-04")
	if !strings.Contains(out, "0 prompts enqueued") {
		t.Errorf("second prompt: %q", out)
	}
	var prompt fakeapi.Message
	api.WaitFor(t, 10*time.Second, func(sent []fakeapi.Message) bool {
		for _, s := range sent {
			if s.ChatID == zhang.ID && strings.Contains(s.PlainText, "2017年4月 改革任务进展填报") {
				prompt = s
				return true
			}
		}
		return false
	})
	buttons := prompt.Markup.Buttons()
	if len(buttons) == 0 || !strings.HasPrefix(buttons[0].CallbackData, "r:") {
		t.Fatalf("prompt buttons: %+v", buttons)
	}
	if _, err := api.PressButton(zhang, prompt.MessageID, buttons[0].Text); err != nil {
		t.Fatal(err)
	}
	choose := waitFor(t, api, zhang.ID, "请选择本期进展状态")
	if _, err := api.PressButton(zhang, choose.MessageID, "按计划推进"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, api, zhang.ID, "状态：按计划推进")
	api.SendText(zhang, "已出台权责清单管理办法。")
	waitFor(t, api, zhang.ID, "已保存")

	out, stderr, code = runCmd(t, vars, time.Now(), "digest", "--period", "2017-04", "--format", "json")
	if code != 0 {
		t.Fatalf("digest: exit %d, %s", code, stderr)
	}
	var d struct {
		Period   string `json:"period"`
		Measures []struct {
			ID    string `json:"id"`
			Units []struct {
				Unit   string  `json:"unit"`
				Status *string `json:"status"`
				Text   *string `json:"text"`
			} `json:"units"`
		} `json:"measures"`
		Missing []struct {
			Unit     string   `json:"unit"`
			Measures []string `json:"measures"`
		} `json:"missing"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("digest JSON: %v\n%s", err, out)
	}
	if d.Period != "2017-04" || len(d.Measures) != 67 {
		t.Errorf("digest covers %q with %d measures, want 2017-04 with 67", d.Period, len(d.Measures))
	}
	first := d.Measures[0]
	if first.ID != "2.1.1" || first.Units[0].Unit != "区编办" || first.Units[0].Status == nil || *first.Units[0].Status != "按计划推进" {
		t.Errorf("2.1.1 in the digest: %+v", first)
	}
	if first.Units[1].Status != nil {
		t.Errorf("an unreported unit has status %v, want null", *first.Units[1].Status)
	}

	xlsx := filepath.Join(dir, "april.xlsx")
	if _, stderr, code := runCmd(t, vars, time.Now(), "export", "--period", "2017-04", "-o", xlsx); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatalf("export wrote no workbook: %v", err)
	}
	f.Close()

	out, stderr, code = runCmd(t, vars, time.Now(), "digest", "--period", "2017-04", "--send")
	if code != 0 || !strings.Contains(out, "2017年4月") {
		t.Fatalf("digest --send: exit %d %q %q", code, out, stderr)
	}
	api.WaitFor(t, 10*time.Second, func(sent []fakeapi.Message) bool {
		for _, s := range sent {
			if s.ChatID == boss.ID && s.Document != nil && strings.HasSuffix(s.Document.Name, ".xlsx") {
				return true
			}
		}
		return false
	})

	backup := filepath.Join(dir, "copy.db")
	if _, stderr, code := runCmd(t, vars, time.Now(), "backup", "-o", backup); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	out, _, _ = runCmd(t, map[string]string{"REFORMBOT_DB": backup}, time.Now(), "contacts")
	if !strings.Contains(out, "1001") {
		t.Errorf("the backup lacks the contacts:\n%s", out)
	}

	if strings.Contains(serveLog.String(), api.Token()) {
		t.Error("the token appears in serve's log")
	}
}

// waitFor waits for a message to chatID containing want.
func waitFor(t *testing.T, api *fakeapi.Server, chatID int64, want string) fakeapi.Message {
	t.Helper()
	var found fakeapi.Message
	api.WaitFor(t, 10*time.Second, func([]fakeapi.Message) bool {
		msgs := api.SentTo(chatID)
		for i := len(msgs) - 1; i >= 0; i-- {
			if strings.Contains(msgs[i].PlainText, want) {
				found = msgs[i]
				return true
			}
		}
		return false
	})
	return found
}

func TestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(dir, "r.db")}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"unknown unit", []string{"invite", "区编制办"}, 1, "区编办"},
		{"invite without a unit", []string{"invite"}, 2, "name the unit"},
		{"office invite with a unit", []string{"invite", "--office", "区编办"}, 2, "either --office or a unit"},
		{"bad days", []string{"invite", "区编办", "--days", "0"}, 2, "--days"},
		{"revoke nobody", []string{"revoke", "42"}, 1, "no contact with user id 42"},
		{"revoke garbage", []string{"revoke", "abc"}, 2, "bad user id"},
		{"prompt without period", []string{"prompt"}, 2, "--period is required"},
		{"prompt bad period", []string{"prompt", "--period", "2017-13"}, 2, "bad period"},
		{"prompt quarter on a monthly plan", []string{"prompt", "--period", "2017-Q2"}, 2, "monthly"},
		{"remind bad period", []string{"remind", "--period", "April"}, 2, "bad period"},
		{"digest bad format", []string{"digest", "--period", "2017-04", "--format", "pdf"}, 2, "bad --format"},
		{"digest xlsx to stdout", []string{"digest", "--period", "2017-04", "--format", "xlsx"}, 2, "-o FILE"},
		{"export without -o", []string{"export", "--period", "2017-04"}, 2, "-o FILE"},
		{"backup without -o", []string{"backup"}, 2, "-o FILE"},
		{"bad time zone", []string{"contacts", "--tz", "Mars/Olympus"}, 2, "bad --tz"},
		{"unknown flag", []string{"contacts", "--colour"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, vars, april20, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, stderr, tt.code, tt.want)
			}
			if tt.name == "unknown command" && strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("an unknown command is not one line: %q", stderr)
			}
		})
	}
}

// reformbot --help lists the commands, as reformbot help does (not serve's
// flags).
func TestHelpListsTheCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		stdout, _, code := runCmd(t, nil, april20, args...)
		if code != 0 || !strings.Contains(stdout, "commands:") || !strings.Contains(stdout, "digest") {
			t.Errorf("reformbot %s: exit %d\n%s", args[0], code, stdout)
		}
	}
}

func TestBackupRefusesToOverwriteOrInvent(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(dir, "missing.db")}
	if _, stderr, code := runCmd(t, vars, april20, "backup", "-o", filepath.Join(dir, "b.db")); code != 1 || !strings.Contains(stderr, "no database") {
		t.Errorf("backup of a missing database: exit %d %q", code, stderr)
	}
	vars["REFORMBOT_DB"] = filepath.Join(dir, "r.db")
	runCmd(t, vars, april20, "contacts") // creates it
	existing := filepath.Join(dir, "exists.db")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	if _, _, code := runCmd(t, vars, april20, "backup", "-o", existing); code != 1 {
		t.Errorf("backup over an existing file: exit %d", code)
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Error("backup overwrote an existing file")
	}
}

func TestHelpListsCommands(t *testing.T) {
	out, _, code := runCmd(t, nil, april20, "help")
	for _, c := range []string{"serve", "invite", "contacts", "revoke", "prompt", "remind", "digest", "export", "backup", "plan", "schedule"} {
		if !strings.Contains(out, c) {
			t.Errorf("help does not list %s", c)
		}
	}
	if code != 0 {
		t.Errorf("help exit %d", code)
	}
}

// A group whose members the office listed cannot be invited as such: its
// measures belong to the members.
func TestInviteAGroupWithMembers(t *testing.T) {
	dir := t.TempDir()
	p := plan.Default()
	for i := range p.Units {
		if p.Units[i].Name == "各街道办" {
			p.Units[i].Members = []string{"东门街道办", "南湖街道办"}
		}
	}
	p.Units = append(p.Units, plan.Unit{Name: "东门街道办", Aliases: []string{}}, plan.Unit{Name: "南湖街道办", Aliases: []string{}})
	file := filepath.Join(dir, "plan.yaml")
	if err := p.WriteFile(file); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(dir, "r.db"), "REFORMBOT_PLAN": file}
	_, stderr, code := runCmd(t, vars, april20, "invite", "各街道办")
	if code != 1 || !strings.Contains(stderr, "东门街道办") {
		t.Errorf("invite of a group with members: exit %d, %q", code, stderr)
	}
	out, stderr, code := runCmd(t, vars, april20, "invite", "东门街道办")
	if code != 0 || !strings.Contains(out, "/start ") {
		t.Errorf("invite of a member: exit %d, %q %q", code, out, stderr)
	}
}

func TestServeRefusesBadFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	vars := map[string]string{"TELEGRAM_BOT_TOKEN": fakeapi.DefaultToken, "TELEGRAM_API_URL": "http://127.0.0.1:1"}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--catch-up", "-1h"}, "--catch-up"},
		{[]string{"--catch-up", "0s"}, "--catch-up"},
		{[]string{"--webhook", "ftp://x"}, "--webhook"},
		{[]string{"--webhook", "bot.example.org/hook"}, "--webhook"},
		{[]string{"--public-url", "notaurl"}, "--public-url"},
		{[]string{"--chat-rate", "100"}, "--chat-rate 100 is above --rate 30"},
		{[]string{"--rate", "0"}, "must be positive"},
	} {
		_, stderr, code := runCmd(t, vars, april20, append([]string{"serve", "--db", db}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want one usage line naming %s", tt.args, code, stderr, tt.want)
		}
	}
}

// --rate 0.5 alone lowers the default per-chat rate with it instead of
// refusing a flag the operator did not give.
func TestServeCapsTheDefaultChatRate(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  string
		want float64
	}{
		{[]string{"--rate", "0.5"}, "", 0.5},
		{[]string{"--rate", "0.5", "--chat-rate", "1"}, "", 1},
		{[]string{"--rate", "0.5"}, "1", 1},
		{nil, "", 1},
	} {
		env, _, _ := testEnv(map[string]string{"REFORMBOT_CHAT_RATE": tt.env}, april20)
		fs := newFlagSet(env, "serve", "")
		rate := fs.Float64("rate", 30, "")
		chatRate := fs.Float64("chat-rate", 1, "")
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		capChatRate(fs, env, *rate, chatRate)
		if *chatRate != tt.want {
			t.Errorf("%v env %q: chat rate %g, want %g", tt.args, tt.env, *chatRate, tt.want)
		}
	}
}
