package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// bindContacts binds one Telegram user per unit (user ids from 101) in the
// database at path, as if each had opened an invite link.
func bindContacts(t *testing.T, path string, now time.Time, units ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, unit := range units {
		role := store.RoleContact
		if unit == "" {
			role = store.RoleOffice
		}
		code, _, err := db.CreateInvite(ctx, role, unit, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		id := int64(101 + i)
		err = db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.RedeemInvite(ctx, code, store.Contact{UserID: id, ChatID: id, Name: "联系人" + strings.Repeat("甲", i)}, store.AttemptLimit{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestContactsTableAlignsChineseNames(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	bindContacts(t, db, april20, "区编办", "区国资局", "")
	out, stderr, code := runCmd(t, nil, april20, "contacts", "--db", db)
	if code != 0 {
		t.Fatalf("contacts: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want a header and 3 rows:\n%s", out)
	}
	// Every column starts at the same display column on every line: the
	// STATUS column is found by its header.
	col := strings.Index(lines[0], "STATUS")
	for _, l := range lines[1:] {
		i := strings.Index(l, "active")
		if i < 0 {
			t.Fatalf("no status in %q", l)
		}
		if w := runewidth.StringWidth(l[:i]); w != col {
			t.Errorf("status at display column %d, header at %d:\n%s", w, col, out)
		}
	}
}

func TestRevokeTwiceSaysSo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	bindContacts(t, db, april20, "区编办")
	out, stderr, code := runCmd(t, nil, april20, "revoke", "--db", db, "101")
	if code != 0 || !strings.HasPrefix(out, "revoked 101 (区编办") {
		t.Fatalf("first revoke: exit %d, %q %q", code, out, stderr)
	}
	out, stderr, code = runCmd(t, nil, april20.Add(time.Hour), "revoke", "--db", db, "101")
	if code != 0 || !strings.Contains(out, "already revoked on 2017-04-20 10:00") || strings.HasPrefix(out, "revoked") {
		t.Errorf("second revoke: exit %d, %q %q", code, out, stderr)
	}
}

// contacts lists the office first, then units in the plan's order, not in
// the order of their names' code points.
func TestContactsFollowThePlan(t *testing.T) {
	units := plan.Default().Units
	later := -1
	for i := 1; i < len(units); i++ {
		if !units[i].Group && units[i].Name < units[0].Name {
			later = i
			break
		}
	}
	if later < 0 {
		t.Fatal("no unit sorts before the plan's first by name: the test proves nothing")
	}
	db := filepath.Join(t.TempDir(), "r.db")
	bindContacts(t, db, april20, units[later].Name, "", units[0].Name)
	out, stderr, code := runCmd(t, nil, april20, "contacts", "--db", db)
	if code != 0 {
		t.Fatalf("contacts: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "office") || !strings.Contains(lines[2], units[0].Name) || !strings.Contains(lines[3], units[later].Name) {
		t.Errorf("want the office, %s, %s in that order:\n%s", units[0].Name, units[later].Name, out)
	}
}
