package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Invite errors. Both mean "no binding"; the bot tells the user the same
// polite sentence for an unknown, used or expired code, so that nothing is
// revealed to a guesser.
var (
	ErrInviteInvalid   = errors.New("store: invite code unknown, used or expired")
	ErrTooManyAttempts = errors.New("store: too many failed invite attempts")
	// ErrGuessingBudget is ErrTooManyAttempts because the failures of all
	// users together reached AttemptLimit.Global: guessing from many
	// accounts at once.
	ErrGuessingBudget = fmt.Errorf("%w from all users together", ErrTooManyAttempts)
)

// codeBytes is the invite code's randomness: 24 bytes is 192 bits, written
// as 32 characters of base64url, which Telegram's /start payload accepts
// (at most 64 of A-Z a-z 0-9 _ -).
const codeBytes = 24

// InviteCodeLen is how long a code is: codeBytes in base64url.
const InviteCodeLen = codeBytes * 4 / 3

// Invite is a single-use binding code as stored (without the code).
type Invite struct {
	ID        int64
	Unit      string // empty for an office invite
	Role      Role
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AttemptLimit bounds failed invite attempts per Telegram user, and of
// all users together.
type AttemptLimit struct {
	Failures int           // failures allowed per user within Window
	Window   time.Duration // sliding window
	// Global is the failures allowed from all users together within
	// Window (0: no such limit). Past it every code is refused unread
	// until the window moves on: one account's limit does not stop
	// guessing from three hundred.
	Global int
}

// failureRetention is how long failures are kept when no window says.
const failureRetention = 24 * time.Hour

func hashCode(code string) []byte {
	sum := sha256.Sum256([]byte(code))
	return sum[:]
}

// CreateInvite makes a single-use invite for a unit (role contact) or the
// office (role office, unit empty), valid for ttl. It returns the code,
// which is stored only as a hash and cannot be shown again.
func (db *DB) CreateInvite(ctx context.Context, role Role, unit string, ttl time.Duration) (string, Invite, error) {
	if role != RoleContact && role != RoleOffice {
		return "", Invite{}, fmt.Errorf("store: create invite: bad role %q", role)
	}
	if (role == RoleContact) == (unit == "") {
		return "", Invite{}, errors.New("store: create invite: a contact invite names a unit, an office invite none")
	}
	if ttl <= 0 {
		return "", Invite{}, errors.New("store: create invite: validity must be positive")
	}
	raw := make([]byte, codeBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", Invite{}, fmt.Errorf("store: create invite: %w", err)
	}
	code := base64.RawURLEncoding.EncodeToString(raw)
	inv := Invite{Unit: unit, Role: role}
	err := db.Update(ctx, func(tx *Tx) error {
		inv.CreatedAt, inv.ExpiresAt = tx.now, tx.now.Add(ttl)
		res, err := tx.tx.ExecContext(ctx, `
			INSERT INTO invites (
				code_hash,
				unit,
				role,
				created_at,
				expires_at
			) VALUES (?, ?, ?, ?, ?)`,
			hashCode(code), unit, string(role), formatTime(inv.CreatedAt), formatTime(inv.ExpiresAt))
		if err != nil {
			return err
		}
		inv.ID, _ = res.LastInsertId()
		return audit(ctx, tx, 0, "invite.create", unitOrOffice(unit), fmt.Sprintf("invite %d, expires %s", inv.ID, formatTime(inv.ExpiresAt)))
	})
	if err != nil {
		return "", Invite{}, fmt.Errorf("store: create invite: %w", err)
	}
	return code, inv, nil
}

func unitOrOffice(unit string) string {
	if unit == "" {
		return "office"
	}
	return unit
}

// RedeemInvite binds the Telegram user in c (UserID, ChatID, Name,
// Username) with an invite code, marks the invite used and returns the
// bound contact. A user over the attempt limit gets ErrTooManyAttempts
// without the code being looked at, so guessing cannot go on; a code that
// is unknown, used or expired gets ErrInviteInvalid and counts as a failure.
func (tx *Tx) RedeemInvite(ctx context.Context, code string, c Contact, limit AttemptLimit) (Contact, error) {
	if limit.Failures > 0 {
		var failures int
		err := tx.tx.QueryRowContext(ctx, `
			SELECT count(*) FROM auth_failures
			WHERE user_id = ? AND at > ?`,
			c.UserID, formatTime(tx.now.Add(-limit.Window))).Scan(&failures)
		if err != nil {
			return Contact{}, fmt.Errorf("store: redeem invite: %w", err)
		}
		if failures >= limit.Failures {
			return Contact{}, ErrTooManyAttempts
		}
	}
	if limit.Global > 0 {
		// The table holds at most about Global rows of the window (failures
		// past the budget are not recorded, older ones are pruned), so
		// counting them all is cheap.
		var failures int
		err := tx.tx.QueryRowContext(ctx, `
			SELECT count(*) FROM auth_failures
			WHERE at > ?`,
			formatTime(tx.now.Add(-limit.Window))).Scan(&failures)
		if err != nil {
			return Contact{}, fmt.Errorf("store: redeem invite: %w", err)
		}
		if failures >= limit.Global {
			return Contact{}, ErrGuessingBudget
		}
	}
	var (
		id              int64
		unit, role, exp string
		used            sql.NullString
	)
	err := tx.tx.QueryRowContext(ctx, `
		SELECT
			id,
			unit,
			role,
			expires_at,
			used_at
		FROM invites WHERE code_hash = ?`, hashCode(code)).Scan(&id, &unit, &role, &exp, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || !tx.now.Before(parseTime(exp)))):
		if err := tx.recordFailure(ctx, c.UserID, limit.Window); err != nil {
			return Contact{}, err
		}
		return Contact{}, ErrInviteInvalid
	case err != nil:
		return Contact{}, fmt.Errorf("store: redeem invite: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `
		UPDATE invites SET
			used_at = ?,
			used_by = ?
		WHERE id = ?`, formatTime(tx.now), c.UserID, id); err != nil {
		return Contact{}, fmt.Errorf("store: redeem invite: %w", err)
	}
	c.Unit, c.Role = unit, Role(role)
	bound, err := bind(ctx, tx, c)
	if err != nil {
		return Contact{}, err
	}
	// A contact moved to another unit must not finish a report it began for
	// the old one.
	if err := tx.EndConversation(ctx, c.UserID); err != nil {
		return Contact{}, err
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM auth_failures WHERE user_id = ?`, c.UserID); err != nil {
		return Contact{}, fmt.Errorf("store: redeem invite: %w", err)
	}
	return bound, audit(ctx, tx, c.UserID, "invite.redeem", unitOrOffice(unit), fmt.Sprintf("invite %d", id))
}

// recordFailure records a failed attempt and forgets those no window
// counts any more, so the table does not grow with every guess ever made.
func (tx *Tx) recordFailure(ctx context.Context, userID int64, window time.Duration) error {
	if window <= 0 {
		window = failureRetention
	}
	if _, err := tx.tx.ExecContext(ctx, `
		DELETE FROM auth_failures
		WHERE at <= ?`, formatTime(tx.now.Add(-window))); err != nil {
		return fmt.Errorf("store: prune failed attempts: %w", err)
	}
	_, err := tx.tx.ExecContext(ctx, `
		INSERT INTO auth_failures (
			user_id,
			at
		) VALUES (?, ?)`, userID, formatTime(tx.now))
	if err != nil {
		return fmt.Errorf("store: record failed attempt: %w", err)
	}
	return nil
}
