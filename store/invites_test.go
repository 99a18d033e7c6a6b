package store

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"testing"
	"time"
)

var limit = AttemptLimit{Failures: 5, Window: time.Hour}

// redeem redeems code for userID as the bot does: a refused attempt is still
// committed, so that it counts towards the limit.
func redeem(t *testing.T, db *DB, code string, userID int64) (Contact, error) {
	t.Helper()
	var c Contact
	var redeemErr error
	err := db.Update(context.Background(), func(tx *Tx) error {
		c, redeemErr = tx.RedeemInvite(context.Background(), code, Contact{UserID: userID, ChatID: userID, Name: "张三"}, limit)
		if errors.Is(redeemErr, ErrInviteInvalid) || errors.Is(redeemErr, ErrTooManyAttempts) {
			return nil
		}
		return redeemErr
	})
	if err != nil {
		return Contact{}, err
	}
	return c, redeemErr
}

func TestInviteCodes(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, nil)
	code, inv, err := db.CreateInvite(ctx, RoleContact, "区编办", 14*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{32}$`).MatchString(code) {
		t.Errorf("code %q is not 32 characters of base64url (192 bits)", code)
	}
	if inv.Unit != "区编办" || inv.Role != RoleContact {
		t.Errorf("invite = %+v", inv)
	}
	// The code itself is nowhere in the database.
	var hash []byte
	if err := db.db.QueryRowContext(ctx, `SELECT code_hash FROM invites WHERE id = ?`, inv.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(hash, []byte(code)) || len(hash) != 32 {
		t.Errorf("stored %d bytes; want a 32-byte hash, not the code", len(hash))
	}
	other, _, err := db.CreateInvite(ctx, RoleContact, "区编办", time.Hour)
	if err != nil || other == code {
		t.Fatalf("second code %q equals the first or failed: %v", other, err)
	}
	bad := []struct {
		name string
		role Role
		unit string
		ttl  time.Duration
	}{
		{"office with a unit", RoleOffice, "区编办", time.Hour},
		{"contact without a unit", RoleContact, "", time.Hour},
		{"zero validity", RoleContact, "区编办", 0},
		{"unknown role", Role("admin"), "", time.Hour},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := db.CreateInvite(ctx, tt.role, tt.unit, tt.ttl); err == nil {
				t.Error("CreateInvite succeeded")
			}
		})
	}
}

func TestRedeemInvite(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	code, _, err := db.CreateInvite(ctx, RoleContact, "区编办", 14*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, err := redeem(t, db, code, 1001)
	if err != nil {
		t.Fatalf("redeem: %v", err)
	}
	if c.Unit != "区编办" || c.Role != RoleContact || c.Status != Active || c.ChatID != 1001 {
		t.Errorf("bound contact = %+v", c)
	}
	if _, err := redeem(t, db, code, 1002); !errors.Is(err, ErrInviteInvalid) {
		t.Error("a used code bound a second user")
	}

	// Expiry: valid just before, refused at the expiry instant.
	short, _, _ := db.CreateInvite(ctx, RoleOffice, "", time.Hour)
	clk.Add(time.Hour)
	if _, err := redeem(t, db, short, 1003); !errors.Is(err, ErrInviteInvalid) {
		t.Error("an expired code was accepted")
	}

	// A new invite moves a contact.
	office, _, _ := db.CreateInvite(ctx, RoleOffice, "", time.Hour)
	c, err = redeem(t, db, office, 1001)
	if err != nil || c.Role != RoleOffice || c.Unit != "" {
		t.Fatalf("move to office: %+v, %v", c, err)
	}
	all, err := db.Contacts(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("contacts = %v, %v; want the one moved contact", all, err)
	}
}

func TestRedeemRateLimit(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	good, _, _ := db.CreateInvite(ctx, RoleContact, "区财政局", 24*time.Hour)
	for i := 0; i < limit.Failures; i++ {
		if _, err := redeem(t, db, "wrong-code", 2001); !errors.Is(err, ErrInviteInvalid) {
			t.Fatalf("wrong code: %v, want ErrInviteInvalid", err)
		}
	}
	// Over the limit, even the right code is not looked at.
	if _, err := redeem(t, db, good, 2001); !errors.Is(err, ErrTooManyAttempts) {
		t.Fatalf("redeem over the limit: %v, want ErrTooManyAttempts", err)
	}
	// Another user is not affected.
	if _, err := redeem(t, db, good, 2002); err != nil {
		t.Fatalf("another user: %v", err)
	}
	// After the window the user may try again.
	good2, _, _ := db.CreateInvite(ctx, RoleContact, "区财政局", 24*time.Hour)
	clk.Add(limit.Window + time.Second)
	if _, err := redeem(t, db, good2, 2001); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestRevokeAndBlock(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, nil)
	code, _, _ := db.CreateInvite(ctx, RoleContact, "区编办", time.Hour)
	if _, err := redeem(t, db, code, 3001); err != nil {
		t.Fatal(err)
	}
	err := db.Update(ctx, func(tx *Tx) error {
		return tx.SetConversation(ctx, Conversation{UserID: 3001, State: WritingText, MeasureID: "2.1.1", Unit: "区编办", Period: "2017-04"})
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.Revoke(ctx, 3001)
	if err != nil || c.Status != Revoked {
		t.Fatalf("revoke: %+v, %v", c, err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.Conversation(ctx, 3001)
		return err
	})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("conversation after revoke: %v, want ErrNotFound", err)
	}
	if _, err := db.Revoke(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke unknown: %v, want ErrNotFound", err)
	}
	active, err := db.ActiveContacts(ctx, RoleContact)
	if err != nil || len(active) != 0 {
		t.Errorf("active contacts after revoke: %v, %v", active, err)
	}
}
