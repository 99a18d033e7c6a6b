package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
)

// The Bot API (or a proxy before it) echoes the request URL, token and all,
// in every error answer. Serve meets such errors on getMe, getUpdates,
// setMyCommands and sends that fail for good (400), fail for a blocked chat
// (403) and fail for a while (502); then the token must appear in no log
// line, no byte of the database (WAL included) and no rendering of the
// digest whose 无法送达 section lists those errors.
func TestTheTokenNeverLeaves(t *testing.T) {
	const token = "987654:AAEhBOweik9ai2o4TrUeSecretPart_xyz-0123"
	api := fakeapi.NewServer(t, fakeapi.WithToken(token), fakeapi.WithEchoedURLs(fakeapi.EchoProxyPage))
	dir := t.TempDir()
	db := filepath.Join(dir, "reformbot.db")
	vars := map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api.URL(), "REFORMBOT_DB": db}
	// The token whole, escaped, and the start of its secret half (the
	// digest's text cuts a long error short).
	secrets := []string{token, url.PathEscape(token), "AAEhBOweik9ai2o4"}
	var logs []string // every output of every command
	leaks := func(what string, data []byte) {
		t.Helper()
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("the token (%q) appears in %s", s, what)
			}
		}
	}
	cmd := func(args ...string) string {
		t.Helper()
		out, stderr, code := runCmd(t, vars, time.Now(), args...)
		logs = append(logs, out, stderr)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		return out
	}

	api.FailNext("getMe", 1, 502)
	api.FailNext("deleteWebhook", 1, 502)
	api.FailNext("setMyCommands", 1, 500)
	api.FailNext("getUpdates", 2, 502)
	env, _, serveLog := testEnv(vars, time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- run(ctx, []string{"serve", "--poll-timeout", "1s", "--rate", "1000"}, env) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30s of cancellation")
		}
	}
	t.Cleanup(stop)

	// Serve meets the getMe failure itself (invite asks getMe too).
	api.WaitFor(t, 30*time.Second, func([]fakeapi.Message) bool { return api.RequestCount("getUpdates") > 0 })
	link := regexp.MustCompile(`start[= ]([A-Za-z0-9_-]{32})`)
	zhang := fakeapi.User{ID: 1001, FirstName: "张三"}
	li := fakeapi.User{ID: 1002, FirstName: "李四"}
	boss := fakeapi.User{ID: 9001, FirstName: "主任"}
	for _, b := range []struct {
		u    fakeapi.User
		args []string
	}{{zhang, []string{"invite", "区编办"}}, {li, []string{"invite", "区财政局"}}, {boss, []string{"invite", "--office"}}} {
		m := link.FindStringSubmatch(cmd(b.args...))
		if m == nil {
			t.Fatalf("%v printed no link", b.args)
		}
		api.SendText(b.u, "/start "+m[1])
		waitFor(t, api, b.u.ID, "绑定成功")
	}

	// Both prompts fail for good, li's chat is blocked besides, and the
	// digest to the office meets a 502 proxy page first.
	api.Block(li.ID)
	api.FailNext("sendMessage", 2, 400)
	cmd("prompt", "--period", "2017-04")
	api.WaitFor(t, 30*time.Second, func([]fakeapi.Message) bool {
		n := 0
		for _, r := range api.Requests() {
			if r.Method == "sendMessage" && r.Status >= 400 {
				n++
			}
		}
		return n >= 2
	})
	api.FailNext("sendMessage", 1, 502)
	cmd("digest", "--period", "2017-04", "--send")
	api.WaitFor(t, 60*time.Second, func(sent []fakeapi.Message) bool {
		for _, s := range sent {
			if s.ChatID == boss.ID && s.Document != nil {
				return true
			}
		}
		return false
	})

	for _, r := range api.Requests() {
		if strings.Contains(r.Description, "parse entities") {
			t.Errorf("Telegram refused the HTML of a message with a redacted error: %s", r.Description)
		}
	}
	text := cmd("digest", "--period", "2017-04")
	jsonOut := cmd("digest", "--period", "2017-04", "--format", "json")
	xlsx := filepath.Join(dir, "april.xlsx")
	cmd("export", "--period", "2017-04", "-o", xlsx)

	// Proved nothing unless the echoed errors reached the digest, redacted.
	// The text digest and the workbook name only the failure's class in
	// Chinese (digest/reasons.go); the JSON keeps Telegram's words.
	for what, out := range map[string]string{"JSON": jsonOut} {
		if !strings.Contains(out, "injected failure (POST /bot") {
			t.Fatalf("proved nothing: the %s digest shows no echoed error:\n%s", what, out)
		}
	}
	for _, want := range []string{"getMe", "getUpdates", "setMyCommands", "sender"} {
		if !strings.Contains(serveLog.String(), want) {
			t.Errorf("proved nothing: serve's log shows no %s failure:\n%s", want, serveLog.String())
		}
	}

	leaks("the text digest", []byte(text))
	leaks("the JSON digest", []byte(jsonOut))
	leaks("the XLSX digest", unzipAll(t, xlsx))
	for _, s := range api.Sent() {
		if s.Document != nil {
			leaks("a document sent to "+s.Document.Name, []byte(s.Document.Name))
		}
		leaks("a message sent", []byte(s.Text))
	}
	// While serve runs, what was written is in the WAL; after, in the file.
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(db + suffix)
		if err != nil {
			t.Fatal(err)
		}
		leaks("reformbot.db"+suffix, data)
	}
	stop()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if data, err := os.ReadFile(db + suffix); err == nil {
			leaks("reformbot.db"+suffix+" after serve stopped", data)
		}
	}
	leaks("serve's log", []byte(serveLog.String()))
	leaks("the commands' output", []byte(strings.Join(logs, "\n")))
}

// unzipAll returns the uncompressed bytes of every part of a workbook.
func unzipAll(t *testing.T, path string) []byte {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var all bytes.Buffer
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&all, rc)
		rc.Close()
	}
	if all.Len() == 0 {
		t.Fatal("proved nothing: the workbook is empty")
	}
	return all.Bytes()
}
