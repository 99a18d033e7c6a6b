package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// KindNotice is the outbox kind of a notice (通知) to a unit contact. Its
// rows are keyed notice:<notice id>:<user id>, written with the notice and
// its recipients in one transaction, so a notice reaches each recipient
// once.
const KindNotice = "notice"

// Notice is a message from the office to unit contacts, with a 收到 button.
type Notice struct {
	ID         int64
	Text       string
	Audience   string   // who it is for, in the office's words
	Units      []string // the units named; nil for all units
	Draft      bool     // written in the bot, not yet confirmed with 发送
	Dropped    bool     // a draft the office cancelled
	CreatedBy  int64    // office user id; 0 for the CLI
	CreatedAt  time.Time
	Recipients []NoticeRecipient // by unit, then name
}

// ErrNoticeSent is SendDraft's answer for a notice already sent.
var ErrNoticeSent = errors.New("store: notice already sent")

// NoticeRecipient is a contact a notice was sent to.
type NoticeRecipient struct {
	UserID  int64
	Unit    string
	Name    string
	AckedAt time.Time // zero until they pressed 收到
}

// Acked counts the recipients who pressed 收到.
func (n Notice) Acked() int {
	k := 0
	for _, r := range n.Recipients {
		if !r.AckedAt.IsZero() {
			k++
		}
	}
	return k
}

// CreateNotice records a notice for recipients and returns it with its id.
// The caller enqueues each recipient's message (KindNotice) in the same
// transaction.
func (tx *Tx) CreateNotice(ctx context.Context, text, audience string, units []string, by int64, recipients []Contact) (Notice, error) {
	if len(recipients) == 0 {
		return Notice{}, errors.New("store: create notice: no recipients")
	}
	n, err := tx.insertNotice(ctx, text, audience, units, by, "sent")
	if err != nil {
		return Notice{}, err
	}
	return tx.addRecipients(ctx, n, recipients)
}

// DraftNotice records a notice the office has written but not yet
// confirmed; SendDraft sends it.
func (tx *Tx) DraftNotice(ctx context.Context, text, audience string, units []string, by int64) (Notice, error) {
	return tx.insertNotice(ctx, text, audience, units, by, "draft")
}

// SendDraft marks a draft notice sent, now, to recipients, and returns
// it. A notice sent before gives ErrNoticeSent; an unknown one ErrNotFound.
// The caller enqueues the messages in the same transaction.
func (tx *Tx) SendDraft(ctx context.Context, id int64, recipients []Contact) (Notice, error) {
	n, err := notice(ctx, tx.tx, id)
	if err != nil {
		return Notice{}, err
	}
	if n.Dropped {
		return n, ErrNotFound
	}
	if !n.Draft {
		return n, ErrNoticeSent
	}
	if len(recipients) == 0 {
		return Notice{}, errors.New("store: send notice: no recipients")
	}
	if _, err := tx.tx.ExecContext(ctx, `
		UPDATE notices SET
			state = 'sent',
			created_at = ?
		WHERE id = ?`, formatTime(tx.now), id); err != nil {
		return Notice{}, fmt.Errorf("store: send notice: %w", err)
	}
	n.Draft, n.CreatedAt = false, tx.now
	return tx.addRecipients(ctx, n, recipients)
}

func (tx *Tx) insertNotice(ctx context.Context, text, audience string, units []string, by int64, state string) (Notice, error) {
	n := Notice{Text: text, Audience: audience, Units: units, Draft: state == "draft", CreatedBy: by, CreatedAt: tx.now}
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO notices (
			text,
			audience,
			units,
			state,
			created_by,
			created_at
		) VALUES (?, ?, ?, ?, ?, ?)`, text, audience, strings.Join(units, "\n"), state, by, formatTime(tx.now))
	if err != nil {
		return Notice{}, fmt.Errorf("store: create notice: %w", err)
	}
	if n.ID, err = res.LastInsertId(); err != nil {
		return Notice{}, fmt.Errorf("store: create notice: %w", err)
	}
	return n, nil
}

func (tx *Tx) addRecipients(ctx context.Context, n Notice, recipients []Contact) (Notice, error) {
	for _, c := range recipients {
		_, err := tx.tx.ExecContext(ctx, `
			INSERT INTO notice_recipients (
				notice_id,
				user_id,
				unit,
				name
			) VALUES (?, ?, ?, ?)
			ON CONFLICT (notice_id, user_id) DO NOTHING`, n.ID, c.UserID, c.Unit, c.Name)
		if err != nil {
			return Notice{}, fmt.Errorf("store: create notice: %w", err)
		}
		n.Recipients = append(n.Recipients, NoticeRecipient{UserID: c.UserID, Unit: c.Unit, Name: c.Name})
	}
	if err := audit(ctx, tx, n.CreatedBy, "notice.send", n.Audience, fmt.Sprintf("notice %d to %d contacts", n.ID, len(recipients))); err != nil {
		return Notice{}, err
	}
	return n, nil
}

// AckNotice records that userID pressed 收到 on notice id; a second press
// keeps the first time. It returns the notice, when the user acknowledged
// it and whether this press was the first, or ErrNotFound when the notice
// was not sent to them.
func (tx *Tx) AckNotice(ctx context.Context, id, userID int64) (n Notice, at time.Time, first bool, err error) {
	res, err := tx.tx.ExecContext(ctx, `
		UPDATE notice_recipients SET
			acked_at = ?
		WHERE notice_id = ? AND user_id = ? AND acked_at IS NULL`, formatTime(tx.now), id, userID)
	if err != nil {
		return Notice{}, time.Time{}, false, fmt.Errorf("store: ack notice: %w", err)
	}
	changed, _ := res.RowsAffected()
	if n, err = notice(ctx, tx.tx, id); err != nil {
		return Notice{}, time.Time{}, false, err
	}
	for _, r := range n.Recipients {
		if r.UserID == userID {
			return n, r.AckedAt, changed == 1, nil
		}
	}
	return Notice{}, time.Time{}, false, ErrNotFound
}

// Notice returns a notice with its recipients, or ErrNotFound.
func (db *DB) Notice(ctx context.Context, id int64) (Notice, error) { return notice(ctx, db.db, id) }

// Notices returns the latest limit notices sent, with their recipients,
// newest first.
func (db *DB) Notices(ctx context.Context, limit int) ([]Notice, error) {
	return notices(ctx, db.db, limit)
}

// Notices is DB.Notices inside a transaction.
func (tx *Tx) Notices(ctx context.Context, limit int) ([]Notice, error) {
	return notices(ctx, tx.tx, limit)
}

func notices(ctx context.Context, q querier, limit int) ([]Notice, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM notices WHERE state = 'sent' ORDER BY created_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: notices: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: notices: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notices: %w", err)
	}
	out := make([]Notice, 0, len(ids))
	for _, id := range ids {
		n, err := notice(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func notice(ctx context.Context, q querier, id int64) (Notice, error) {
	n := Notice{ID: id}
	var created, units, state string
	err := q.QueryRowContext(ctx, `
		SELECT
			text,
			audience,
			units,
			state,
			created_by,
			created_at
		FROM notices WHERE id = ?`, id).Scan(&n.Text, &n.Audience, &units, &state, &n.CreatedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Notice{}, ErrNotFound
	}
	if err != nil {
		return Notice{}, fmt.Errorf("store: notice %d: %w", id, err)
	}
	n.CreatedAt, n.Draft, n.Dropped = parseTime(created), state == "draft", state == "dropped"
	if units != "" {
		n.Units = strings.Split(units, "\n")
	}
	rows, err := q.QueryContext(ctx, `
		SELECT
			user_id,
			unit,
			name,
			acked_at
		FROM notice_recipients WHERE notice_id = ? ORDER BY unit, name, user_id`, id)
	if err != nil {
		return Notice{}, fmt.Errorf("store: notice %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r NoticeRecipient
		var acked sql.NullString
		if err := rows.Scan(&r.UserID, &r.Unit, &r.Name, &acked); err != nil {
			return Notice{}, fmt.Errorf("store: notice %d: %w", id, err)
		}
		r.AckedAt = parseNullTime(acked)
		n.Recipients = append(n.Recipients, r)
	}
	return n, rows.Err()
}

// Notice is DB.Notice inside a transaction.
func (tx *Tx) Notice(ctx context.Context, id int64) (Notice, error) { return notice(ctx, tx.tx, id) }

// DropDraft marks a draft notice dropped (kept, so its id is never given
// to another notice); it reports whether there was a draft.
func (tx *Tx) DropDraft(ctx context.Context, id int64) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE notices SET state = 'dropped' WHERE id = ? AND state = 'draft'`, id)
	if err != nil {
		return false, fmt.Errorf("store: drop draft notice: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
