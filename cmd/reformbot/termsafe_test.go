package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luohu/reformbot/store"
)

// A Telegram name made of escape sequences is shown escaped by contacts and
// revoke, not sent to the operator's terminal.
func TestCLIOutputCannotDriveTheTerminal(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	evil := "\x1b]0;pwned\x07\x1b[2J\x1b[31m张\u202e三\u009b1m\r"
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := db.CreateInvite(ctx, store.RoleContact, "区编办", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: 4242, ChatID: 4242, Name: evil, Username: "x\x1b[1m"}, store.AttemptLimit{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := db.Contact(ctx, 4242); err != nil || c.Name != evil {
		t.Fatalf("proved nothing: the name stored is %q (%v)", c.Name, err)
	}
	db.Close()
	vars := map[string]string{"REFORMBOT_DB": path}
	for _, args := range [][]string{{"contacts"}, {"revoke", "4242"}} {
		stdout, stderr, code := runCmd(t, vars, april20, args...)
		out := stdout + stderr
		if code != 0 || !strings.Contains(out, "张") {
			t.Fatalf("proved nothing: %v printed no name: exit %d %q", args, code, out)
		}
		for _, raw := range []string{"\x1b", "\x07", "\r", "\u202e", "\u009b"} {
			if strings.Contains(out, raw) {
				t.Errorf("%v printed %q raw:\n%q", args, raw, out)
			}
		}
		if !strings.Contains(out, `\x1b]0;pwned\x07`) {
			t.Errorf("%v does not show the escapes for what they are:\n%q", args, out)
		}
	}
}

func TestSafeWriter(t *testing.T) {
	var b bytes.Buffer
	w := &safeWriter{w: &b}
	in := "ok\t改革\n\x1b[0m\xff\x7f\u2066x"
	// A character cut between two writes is kept whole.
	raw := []byte(in)
	cut := strings.Index(in, "革") + 1
	w.Write(raw[:cut])
	w.Write(raw[cut:])
	want := `ok` + "\t" + `改革` + "\n" + `\x1b[0m\xff\x7f\u2066x`
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// A database others may read is pointed out by every command that opens it.
func TestAnExposedDatabaseIsPointedOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	vars := map[string]string{"REFORMBOT_DB": path}
	if _, stderr, code := runCmd(t, vars, april20, "contacts"); code != 0 || strings.Contains(stderr, "warning") {
		t.Fatalf("a new database: exit %d, %q", code, stderr)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCmd(t, vars, april20, "contacts")
	if code != 0 || !strings.Contains(stderr, "readable by other users") || !strings.Contains(stderr, "chmod 600") {
		t.Errorf("a 0644 database: exit %d, stderr %q; want a warning", code, stderr)
	}
}
