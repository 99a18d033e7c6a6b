package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A draft is the version a contact's file saved before any words (the bot
// keeps the photo rather than make the contact send it again). Until the
// words come it is only half a report: 取消 must put things back as they
// were, and what the office is told about a change waits for the words.

// PreviousVersion returns the version saved before id for the same plan
// year, measure, unit and period: the one id replaced. ErrNotFound when id
// was the first.
func (tx *Tx) PreviousVersion(ctx context.Context, id int64) (Report, error) {
	rs, err := queryReports(ctx, tx.tx, `
		WHERE id = (
			SELECT p.id FROM reports p, reports d
			WHERE d.id = ? AND p.plan_year = d.plan_year AND p.measure_id = d.measure_id
				AND p.unit = d.unit AND p.period = d.period AND p.id < d.id
			ORDER BY p.id DESC LIMIT 1)`, id)
	if err != nil {
		return Report{}, err
	}
	if len(rs) == 0 {
		return Report{}, ErrNotFound
	}
	return rs[0], nil
}

// DiscardDraft removes the draft version id, with its attachments, and
// makes the version it replaced current again, which it returns (zero when
// there was none). Only a current version that reporterID saved and the
// office has not reviewed is removed; for any other, nothing changes and
// the error is ErrNotFound. The bot calls it only for the version the
// contact's conversation started.
func (tx *Tx) DiscardDraft(ctx context.Context, id, reporterID int64) (restored Report, err error) {
	rs, err := queryReports(ctx, tx.tx, `
		WHERE id = ? AND reporter_id = ? AND superseded_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM reviews WHERE report_id = reports.id)`, id, reporterID)
	if err != nil {
		return Report{}, err
	}
	if len(rs) == 0 {
		return Report{}, ErrNotFound
	}
	draft := rs[0]
	restored, err = tx.PreviousVersion(ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Report{}, err
	}
	for _, q := range []string{
		`DELETE FROM attachments WHERE report_id = ?`,
		`DELETE FROM attachment_keeps WHERE report_id = ?`,
		`DELETE FROM reports WHERE id = ?`,
	} {
		if _, err := tx.tx.ExecContext(ctx, q, id); err != nil {
			return Report{}, fmt.Errorf("store: discard draft: %w", err)
		}
	}
	detail := fmt.Sprintf("removed %d (%d attachments)", id, len(draft.Attachments))
	if restored.ID != 0 {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE reports SET superseded_at = NULL WHERE id = ?`, restored.ID); err != nil {
			return Report{}, fmt.Errorf("store: discard draft: %w", err)
		}
		restored.SupersededAt = time.Time{}
		detail += fmt.Sprintf(", restored %d", restored.ID)
	}
	subject := draft.MeasureID + " " + draft.Unit + " " + string(draft.Period)
	return restored, audit(ctx, tx, reporterID, "report.discard", subject, detail)
}

// FinishDraft gives the draft version id its words: the same version,
// now with text, saved at this time, so a report begun with a photo is one
// version, not an empty one and another. Like DiscardDraft, only a current
// version that reporterID saved and the office has not reviewed; for any
// other, nothing changes and the error is ErrNotFound.
func (tx *Tx) FinishDraft(ctx context.Context, id, reporterID int64, text, reporterName string) (Report, error) {
	res, err := tx.tx.ExecContext(ctx, `
		UPDATE reports SET text = ?, reporter_name = ?, created_at = ?
		WHERE id = ? AND reporter_id = ? AND superseded_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM reviews WHERE report_id = reports.id)`,
		text, reporterName, formatTime(tx.now), id, reporterID)
	if err != nil {
		return Report{}, fmt.Errorf("store: finish draft: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Report{}, ErrNotFound
	}
	r, err := tx.Report(ctx, id)
	if err != nil {
		return Report{}, err
	}
	return r, audit(ctx, tx, reporterID, "report.save", r.MeasureID+" "+r.Unit+" "+string(r.Period), string(r.Status))
}
