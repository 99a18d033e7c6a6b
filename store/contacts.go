package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Role is what a contact may do.
type Role string

// Contact roles.
const (
	RoleContact Role = "contact" // reports for one unit
	RoleOffice  Role = "office"  // the reform office: queries, digests, alerts
)

// Status of a contact.
type Status string

// Contact statuses.
const (
	Active  Status = "active"
	Blocked Status = "blocked" // Telegram answered 403: blocked the bot or never started it
	Revoked Status = "revoked" // an operator removed the binding
)

// Contact is a Telegram user bound to a unit or to the office.
type Contact struct {
	UserID    int64
	ChatID    int64
	Unit      string // empty for the office
	Role      Role
	Status    Status
	Name      string // the Telegram display name when bound
	Username  string
	BoundAt   time.Time
	UpdatedAt time.Time
}

// IsOffice reports whether the contact is an active reform office contact.
func (c Contact) IsOffice() bool { return c.Role == RoleOffice && c.Status == Active }

// CanReport reports whether the contact is an active unit contact.
func (c Contact) CanReport() bool { return c.Role == RoleContact && c.Status == Active }

const contactColumns = `
	user_id,
	chat_id,
	unit,
	role,
	status,
	name,
	username,
	bound_at,
	updated_at`

func scanContact(row rowScanner) (Contact, error) {
	var c Contact
	var role, status, bound, updated string
	err := row.Scan(&c.UserID, &c.ChatID, &c.Unit, &role, &status, &c.Name, &c.Username, &bound, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, ErrNotFound
	}
	if err != nil {
		return Contact{}, err
	}
	c.Role, c.Status = Role(role), Status(status)
	c.BoundAt, c.UpdatedAt = parseTime(bound), parseTime(updated)
	return c, nil
}

func contactByUser(ctx context.Context, q querier, userID int64) (Contact, error) {
	c, err := scanContact(q.QueryRowContext(ctx, `SELECT`+contactColumns+` FROM contacts WHERE user_id = ?`, userID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Contact{}, fmt.Errorf("store: contact %d: %w", userID, err)
	}
	return c, err
}

func queryContacts(ctx context.Context, q querier, where string, args ...any) ([]Contact, error) {
	return queryAll(ctx, q, "contacts", `SELECT`+contactColumns+` FROM contacts `+where, args, scanContact)
}

// Contact returns the contact bound to a Telegram user, whatever its status.
func (db *DB) Contact(ctx context.Context, userID int64) (Contact, error) {
	return contactByUser(ctx, db.db, userID)
}

// Contact returns the contact bound to a Telegram user, whatever its status.
func (tx *Tx) Contact(ctx context.Context, userID int64) (Contact, error) {
	return contactByUser(ctx, tx.tx, userID)
}

// Contacts returns every contact, office first, then by unit and binding time.
func (db *DB) Contacts(ctx context.Context) ([]Contact, error) {
	return queryContacts(ctx, db.db, `ORDER BY role = 'contact', unit, bound_at, user_id`)
}

// Contacts returns every contact, as DB.Contacts does, in the transaction.
func (tx *Tx) Contacts(ctx context.Context) ([]Contact, error) {
	return queryContacts(ctx, tx.tx, `ORDER BY role = 'contact', unit, bound_at, user_id`)
}

// ActiveContacts returns active contacts of a role, by unit and binding time.
func (db *DB) ActiveContacts(ctx context.Context, role Role) ([]Contact, error) {
	return queryContacts(ctx, db.db, `WHERE role = ? AND status = 'active' ORDER BY unit, bound_at, user_id`, string(role))
}

// ActiveContacts returns active contacts of a role, by unit and binding time.
func (tx *Tx) ActiveContacts(ctx context.Context, role Role) ([]Contact, error) {
	return queryContacts(ctx, tx.tx, `WHERE role = ? AND status = 'active' ORDER BY unit, bound_at, user_id`, string(role))
}

// UnitContacts returns the active contacts of a unit.
func (db *DB) UnitContacts(ctx context.Context, unit string) ([]Contact, error) {
	return queryContacts(ctx, db.db, `WHERE unit = ? AND role = 'contact' AND status = 'active' ORDER BY bound_at, user_id`, unit)
}

// UnitContacts returns the active contacts of a unit.
func (tx *Tx) UnitContacts(ctx context.Context, unit string) ([]Contact, error) {
	return queryContacts(ctx, tx.tx, `WHERE unit = ? AND role = 'contact' AND status = 'active' ORDER BY bound_at, user_id`, unit)
}

// bind makes user a contact of unit (or of the office), whatever it was
// before: a new invite moves a contact.
func bind(ctx context.Context, tx *Tx, c Contact) (Contact, error) {
	c.Status = Active
	c.BoundAt, c.UpdatedAt = tx.now, tx.now
	_, err := tx.tx.ExecContext(ctx, `
		INSERT INTO contacts (`+contactColumns+`
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET
			chat_id = excluded.chat_id,
			unit = excluded.unit,
			role = excluded.role,
			status = excluded.status,
			name = excluded.name,
			username = excluded.username,
			bound_at = excluded.bound_at,
			updated_at = excluded.updated_at`,
		c.UserID, c.ChatID, c.Unit, string(c.Role), string(c.Status), c.Name, c.Username,
		formatTime(c.BoundAt), formatTime(c.UpdatedAt))
	if err != nil {
		return Contact{}, fmt.Errorf("store: bind %d: %w", c.UserID, err)
	}
	return c, nil
}

// SetContactStatus changes a contact's status. Revoking also ends any
// conversation in progress. It returns ErrNotFound for an unknown user.
func (tx *Tx) SetContactStatus(ctx context.Context, userID int64, status Status, actor int64) error {
	res, err := tx.tx.ExecContext(ctx, `
		UPDATE contacts SET
			status = ?,
			updated_at = ?
		WHERE user_id = ?`, string(status), formatTime(tx.now), userID)
	if err != nil {
		return fmt.Errorf("store: set contact status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	if status != Active {
		if err := tx.EndConversation(ctx, userID); err != nil {
			return err
		}
	}
	return audit(ctx, tx, actor, "contact."+string(status), fmt.Sprint(userID), "")
}

// ErrAlreadyRevoked is Revoke's answer for a contact revoked before; the
// contact is returned with it.
var ErrAlreadyRevoked = errors.New("store: contact already revoked")

// Revoke removes a contact's binding. The contact row stays, marked revoked,
// so the history of who reported what keeps its names.
func (db *DB) Revoke(ctx context.Context, userID int64) (Contact, error) {
	var c Contact
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.Contact(ctx, userID); err != nil {
			return err
		}
		if c.Status == Revoked {
			return ErrAlreadyRevoked
		}
		c.Status = Revoked
		return tx.SetContactStatus(ctx, userID, Revoked, 0)
	})
	return c, err
}

// ReachedAgain marks a blocked contact active again: the user wrote to the
// bot, so Telegram will deliver to them. It does nothing for other statuses.
func (tx *Tx) ReachedAgain(ctx context.Context, userID int64) error {
	_, err := tx.tx.ExecContext(ctx, `
		UPDATE contacts SET
			status = 'active',
			updated_at = ?
		WHERE user_id = ? AND status = 'blocked'`, formatTime(tx.now), userID)
	if err != nil {
		return fmt.Errorf("store: contact reached: %w", err)
	}
	return nil
}
