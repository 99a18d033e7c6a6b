package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Guessing from many accounts meets a budget for all of them together, and
// the failures table keeps only what a window still counts.
func TestInviteGuessingBudgetAndPruning(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, clk.Now)
	good, _, err := db.CreateInvite(ctx, RoleContact, "区编办", 14*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	lim := AttemptLimit{Failures: 5, Window: time.Hour, Global: 20}
	try := func(code string, user int64) error {
		var redeemErr error
		err := db.Update(ctx, func(tx *Tx) error {
			_, redeemErr = tx.RedeemInvite(ctx, code, Contact{UserID: user, ChatID: user, Name: "x"}, lim)
			if errors.Is(redeemErr, ErrInviteInvalid) || errors.Is(redeemErr, ErrTooManyAttempts) {
				return nil
			}
			return redeemErr
		})
		if err != nil {
			t.Fatal(err)
		}
		return redeemErr
	}
	rows := func() int {
		var n int
		if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM auth_failures`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// 300 accounts, 5 guesses each: within any account's own limit.
	invalid, budget := 0, 0
	for user := int64(1); user <= 300; user++ {
		for i := 0; i < 5; i++ {
			switch err := try("wrong-guess", 10000+user); {
			case errors.Is(err, ErrInviteInvalid):
				invalid++
			case errors.Is(err, ErrGuessingBudget):
				budget++
			default:
				t.Fatalf("guess: %v", err)
			}
		}
	}
	if invalid != 20 || budget != 1480 {
		t.Errorf("%d guesses looked at, %d refused by the budget; want 20 and 1480", invalid, budget)
	}
	if err := try(good, 1); !errors.Is(err, ErrTooManyAttempts) {
		t.Errorf("the right code during a guessing spree: %v, want refused", err)
	}
	if n := rows(); n > lim.Global {
		t.Errorf("%d failures stored, want at most the budget (%d)", n, lim.Global)
	}
	// An hour on, the budget is back and the old failures are gone.
	clk.Add(time.Hour + time.Second)
	if err := try("another-wrong", 2); !errors.Is(err, ErrInviteInvalid) {
		t.Fatalf("a guess after the window: %v, want ErrInviteInvalid", err)
	}
	if n := rows(); n != 1 {
		t.Errorf("%d failures stored after the window, want 1 (the old ones pruned)", n)
	}
	if err := try(good, 1); err != nil {
		t.Errorf("the right code after the window: %v", err)
	}
}
