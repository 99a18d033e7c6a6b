package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/luohu/reformbot/plan"
)

// Conversation states.
const (
	// ChoosingStatus: the contact opened 填报进展 and is picking a status.
	ChoosingStatus = "choosing_status"
	// WritingText: the contact picked a status; the next text (or photo with
	// caption) is the report.
	WritingText = "writing_text"
	// Attaching: the report is saved; photos and documents sent now are added
	// to it.
	Attaching = "attaching"
)

// Conversation is what a contact is in the middle of. It lives in the
// database, keyed by user, so a restart resumes it.
type Conversation struct {
	UserID    int64
	State     string
	MeasureID string
	Unit      string
	Period    plan.Period
	Status    plan.Status
	ReportID  int64 // when Attaching
	UpdatedAt time.Time
}

// Conversation returns the user's conversation, or ErrNotFound.
func (tx *Tx) Conversation(ctx context.Context, userID int64) (Conversation, error) {
	var c Conversation
	var period, status, updated string
	var reportID sql.NullInt64
	err := tx.tx.QueryRowContext(ctx, `
		SELECT
			user_id,
			state,
			measure_id,
			unit,
			period,
			status,
			report_id,
			updated_at
		FROM conversations WHERE user_id = ?`, userID).Scan(
		&c.UserID, &c.State, &c.MeasureID, &c.Unit, &period, &status, &reportID, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, ErrNotFound
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("store: conversation: %w", err)
	}
	c.Period, c.Status = plan.Period(period), plan.Status(status)
	c.ReportID, c.UpdatedAt = reportID.Int64, parseTime(updated)
	return c, nil
}

// SetConversation starts or moves on the user's conversation.
func (tx *Tx) SetConversation(ctx context.Context, c Conversation) error {
	var reportID any
	if c.ReportID != 0 {
		reportID = c.ReportID
	}
	_, err := tx.tx.ExecContext(ctx, `
		INSERT INTO conversations (
			user_id,
			state,
			measure_id,
			unit,
			period,
			status,
			report_id,
			updated_at
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET
			state = excluded.state,
			measure_id = excluded.measure_id,
			unit = excluded.unit,
			period = excluded.period,
			status = excluded.status,
			report_id = excluded.report_id,
			updated_at = excluded.updated_at`,
		c.UserID, c.State, c.MeasureID, c.Unit, string(c.Period), string(c.Status), reportID, formatTime(tx.now))
	if err != nil {
		return fmt.Errorf("store: set conversation: %w", err)
	}
	return nil
}

// EndConversation forgets the user's conversation, if any.
func (tx *Tx) EndConversation(ctx context.Context, userID int64) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM conversations WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: end conversation: %w", err)
	}
	return nil
}
