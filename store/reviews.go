package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
)

// ReviewKind is the office's verdict on a report version, as stored.
type ReviewKind string

// Review kinds.
const (
	// ReviewRead is 已阅: the office read the report.
	ReviewRead ReviewKind = "read"
	// ReviewReturned is 退回补充: the office wants more; the version is
	// 需补充 (plan.Returned) until the unit reports again.
	ReviewReturned ReviewKind = "returned"
)

// Review is the office's verdict on one report version.
type Review struct {
	ID       int64
	ReportID int64
	Kind     ReviewKind
	Comment  string
	ByID     int64
	ByName   string
	At       time.Time
	// The report reviewed, filled by the queries that join it.
	MeasureID string
	Unit      string
	Period    plan.Period
}

// AddReview records a review of a report version and audits it.
func (tx *Tx) AddReview(ctx context.Context, rv Review) (Review, error) {
	if rv.Kind != ReviewRead && rv.Kind != ReviewReturned {
		return Review{}, fmt.Errorf("store: add review: unknown kind %q", rv.Kind)
	}
	rv.At = tx.now
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO reviews (
			report_id,
			kind,
			comment,
			by_id,
			by_name,
			at
		) VALUES (?, ?, ?, ?, ?, ?)`,
		rv.ReportID, string(rv.Kind), rv.Comment, rv.ByID, rv.ByName, formatTime(rv.At))
	if err != nil {
		return Review{}, fmt.Errorf("store: add review: %w", err)
	}
	rv.ID, _ = res.LastInsertId()
	return rv, audit(ctx, tx, rv.ByID, "review."+string(rv.Kind), fmt.Sprint(rv.ReportID), rv.Comment)
}

const reviewColumns = `
	v.id,
	v.report_id,
	v.kind,
	v.comment,
	v.by_id,
	v.by_name,
	v.at,
	r.measure_id,
	r.unit,
	r.period`

func queryReviews(ctx context.Context, q querier, where string, args ...any) ([]Review, error) {
	return queryAll(ctx, q, "reviews", `SELECT`+reviewColumns+` FROM reviews v JOIN reports r ON r.id = v.report_id `+where, args,
		func(row rowScanner) (Review, error) {
			var rv Review
			var kind, at, period string
			err := row.Scan(&rv.ID, &rv.ReportID, &kind, &rv.Comment, &rv.ByID, &rv.ByName, &at, &rv.MeasureID, &rv.Unit, &period)
			rv.Kind, rv.At, rv.Period = ReviewKind(kind), parseTime(at), plan.Period(period)
			return rv, err
		})
}

// LatestReviews returns the newest review of each of the given report
// versions that has one, by report ID.
func (tx *Tx) LatestReviews(ctx context.Context, reportIDs ...int64) (map[int64]Review, error) {
	return latestReviews(ctx, tx.tx, reportIDs)
}

func latestReviews(ctx context.Context, q querier, reportIDs []int64) (map[int64]Review, error) {
	out := map[int64]Review{}
	if len(reportIDs) == 0 {
		return out, nil
	}
	if len(reportIDs) == 1 {
		// One version: on every re-report's path (was it sent back?).
		rvs, err := queryReviews(ctx, q, `WHERE v.report_id = ? ORDER BY v.id DESC LIMIT 1`, reportIDs[0])
		for _, rv := range rvs {
			out[rv.ReportID] = rv
		}
		return out, err
	}
	// One JSON array, so that the statement's text is always the same
	// (kept once, stmts.go).
	list, err := json.Marshal(reportIDs)
	if err != nil {
		return nil, fmt.Errorf("store: reviews: %w", err)
	}
	rvs, err := queryReviews(ctx, q, `WHERE v.report_id IN (SELECT value FROM json_each(?)) ORDER BY v.id`, string(list))
	if err != nil {
		return nil, err
	}
	for _, rv := range rvs {
		out[rv.ReportID] = rv // later rows win
	}
	return out, nil
}

// MeasureReviews returns every review of a plan year's measure, on any
// version of any unit's report, oldest first: the measure's history.
func (tx *Tx) MeasureReviews(ctx context.Context, planYear int, measureID string) ([]Review, error) {
	return measureReviews(ctx, tx.tx, planYear, measureID)
}

func measureReviews(ctx context.Context, q querier, planYear int, measureID string) ([]Review, error) {
	return queryReviews(ctx, q, `WHERE r.plan_year = ? AND r.measure_id = ? ORDER BY v.id`, planYear, measureID)
}

// ReturnedReports returns, for the current report versions of a plan
// year's period whose latest review is a return, that review: the reports
// that count as 需补充, by measure and unit.
func (db *DB) ReturnedReports(ctx context.Context, planYear int, period plan.Period) ([]Review, error) {
	return returnedReports(ctx, db.db, planYear, period)
}

// ReturnedReports is DB.ReturnedReports in a transaction.
func (tx *Tx) ReturnedReports(ctx context.Context, planYear int, period plan.Period) ([]Review, error) {
	return returnedReports(ctx, tx.tx, planYear, period)
}

func returnedReports(ctx context.Context, q querier, planYear int, period plan.Period) ([]Review, error) {
	return queryReviews(ctx, q, `
		WHERE r.plan_year = ? AND r.period = ? AND r.superseded_at IS NULL AND v.kind = 'returned'
		AND v.id = (SELECT max(id) FROM reviews WHERE report_id = r.id)
		ORDER BY r.measure_id, r.unit`, planYear, string(period))
}

// Urge is a 督办: the office pressed a unit on a measure ("" for all its
// tasks) in a period.
type Urge struct {
	ID        int64
	PlanYear  int
	MeasureID string
	Unit      string
	Period    plan.Period
	Text      string
	ByID      int64
	ByName    string
	At        time.Time
}

// AddUrge records a 督办 and audits it. The caller enqueues its messages
// in the same transaction.
func (tx *Tx) AddUrge(ctx context.Context, u Urge) (Urge, error) {
	if u.Unit == "" || u.Period == "" || strings.TrimSpace(u.Text) == "" {
		return Urge{}, fmt.Errorf("store: add urge: unit, period and text are required")
	}
	u.At = tx.now
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO urges (
			plan_year,
			measure_id,
			unit,
			period,
			text,
			by_id,
			by_name,
			at
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.PlanYear, u.MeasureID, u.Unit, string(u.Period), u.Text, u.ByID, u.ByName, formatTime(u.At))
	if err != nil {
		return Urge{}, fmt.Errorf("store: add urge: %w", err)
	}
	u.ID, _ = res.LastInsertId()
	return u, audit(ctx, tx, u.ByID, "urge", u.MeasureID+" "+u.Unit+" "+string(u.Period), u.Text)
}

const urgeColumns = `
	id,
	plan_year,
	measure_id,
	unit,
	period,
	text,
	by_id,
	by_name,
	at`

func queryUrges(ctx context.Context, q querier, where string, args ...any) ([]Urge, error) {
	return queryAll(ctx, q, "urges", `SELECT`+urgeColumns+` FROM urges `+where, args, func(row rowScanner) (Urge, error) {
		var u Urge
		var period, at string
		err := row.Scan(&u.ID, &u.PlanYear, &u.MeasureID, &u.Unit, &period, &u.Text, &u.ByID, &u.ByName, &at)
		u.Period, u.At = plan.Period(period), parseTime(at)
		return u, err
	})
}

// MeasureUrges returns the 督办 of a plan year's measure, oldest first.
func (tx *Tx) MeasureUrges(ctx context.Context, planYear int, measureID string) ([]Urge, error) {
	return measureUrges(ctx, tx.tx, planYear, measureID)
}

func measureUrges(ctx context.Context, q querier, planYear int, measureID string) ([]Urge, error) {
	return queryUrges(ctx, q, `WHERE plan_year = ? AND measure_id = ? ORDER BY id`, planYear, measureID)
}

// PeriodUrges returns the 督办 of a plan year's period, oldest first.
func (db *DB) PeriodUrges(ctx context.Context, planYear int, period plan.Period) ([]Urge, error) {
	return queryUrges(ctx, db.db, `WHERE plan_year = ? AND period = ? ORDER BY id`, planYear, string(period))
}

// PeriodUrges is DB.PeriodUrges in a transaction.
func (tx *Tx) PeriodUrges(ctx context.Context, planYear int, period plan.Period) ([]Urge, error) {
	return queryUrges(ctx, tx.tx, `WHERE plan_year = ? AND period = ? ORDER BY id`, planYear, string(period))
}

// KeepAttachments records the user's choice, when replacing report version
// reportID, to carry its attachments into the new version (0: not to).
func (tx *Tx) KeepAttachments(ctx context.Context, userID, reportID int64) error {
	var err error
	if reportID == 0 {
		_, err = tx.tx.ExecContext(ctx, `DELETE FROM attachment_keeps WHERE user_id = ?`, userID)
	} else {
		_, err = tx.tx.ExecContext(ctx, `
			INSERT INTO attachment_keeps (user_id, report_id) VALUES (?, ?)
			ON CONFLICT (user_id) DO UPDATE SET report_id = excluded.report_id`, userID, reportID)
	}
	if err != nil {
		return fmt.Errorf("store: keep attachments: %w", err)
	}
	return nil
}

// KeptAttachments returns the report version whose attachments the user
// chose to keep, or 0.
func (tx *Tx) KeptAttachments(ctx context.Context, userID int64) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(ctx, `SELECT report_id FROM attachment_keeps WHERE user_id = ?`, userID).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: kept attachments: %w", err)
	}
	return id, nil
}
