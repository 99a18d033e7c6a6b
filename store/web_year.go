package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/luohu/reformbot/plan"
)

// The dashboard's whole-year read (package web): the current reports of a
// year's periods and the returns among them, each in one query. It answers
// what PeriodReports and ReturnedReports answer, at a cost a page can wait
// for. For a city's year (17,700 current reports) PeriodReports took 130 ms
// of CPU: sorting, reading columns the digest does not need, growing the
// slice report by report, and an attachment query naming every report.

// YearReports returns the current versions of every report on a plan
// year's measures for the given periods, as PeriodReports does, ordered by
// period (the order the reports_period index gives, so no sort); within a
// period the order is the table's. Attachments are filled in; ReporterID
// is not (the digest does not use it).
func (db *DB) YearReports(ctx context.Context, planYear int, periods ...plan.Period) ([]Report, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	marks, args := periodArgs(planYear, periods)
	// Counted first: growing a slice of 17,000 reports by doubling cost
	// more than the count.
	var n int
	if err := db.db.QueryRowContext(ctx, `
		SELECT count(*)
		FROM reports
		WHERE plan_year = ? AND period IN (`+marks+`) AND superseded_at IS NULL`, args...).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: year reports: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, `
		SELECT
			id,
			measure_id,
			unit,
			period,
			status,
			text,
			reporter_name,
			created_at
		FROM reports
		WHERE plan_year = ? AND period IN (`+marks+`) AND superseded_at IS NULL
		ORDER BY period`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: year reports: %w", err)
	}
	out := make([]Report, 0, n)
	// Scanned into variables made once: Scan's pointers make them escape,
	// and a Report made per row was 17,000 allocations more.
	var r Report
	var period, status, created string
	dest := []any{&r.ID, &r.MeasureID, &r.Unit, &period, &status, &r.Text, &r.ReporterName, &created}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: year reports: %w", err)
		}
		r.PlanYear, r.Period, r.Status, r.CreatedAt = planYear, plan.Period(period), plan.Status(status), parseTime(created)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: year reports: %w", err)
	}
	if err := yearAttachments(ctx, db, marks, args, out); err != nil {
		return nil, err
	}
	return out, nil
}

// yearAttachments fills in the attachments of reports, the current
// reports of the periods marks and args name. Reports rarely have any, so
// the query starts from the attachments.
func yearAttachments(ctx context.Context, db *DB, marks string, args []any, reports []Report) error {
	rows, err := db.db.QueryContext(ctx, `
		SELECT
			a.id,
			a.report_id,
			a.kind,
			a.file_id,
			a.file_unique_id,
			a.file_name,
			a.mime_type,
			a.size,
			a.caption,
			a.added_at
		FROM attachments a CROSS JOIN reports r ON r.id = a.report_id
		WHERE r.plan_year = ? AND r.period IN (`+marks+`) AND r.superseded_at IS NULL
		ORDER BY a.id`, args...)
	if err != nil {
		return fmt.Errorf("store: year attachments: %w", err)
	}
	defer rows.Close()
	var atts []Attachment
	for rows.Next() {
		var a Attachment
		var added string
		if err := rows.Scan(&a.ID, &a.ReportID, &a.Kind, &a.FileID, &a.FileUniqueID, &a.FileName, &a.MimeType, &a.Size, &a.Caption, &added); err != nil {
			return fmt.Errorf("store: year attachments: %w", err)
		}
		a.AddedAt = parseTime(added)
		atts = append(atts, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: year attachments: %w", err)
	}
	if len(atts) == 0 {
		return nil
	}
	byID := make(map[int64]int, len(reports))
	for i, r := range reports {
		byID[r.ID] = i
	}
	for _, a := range atts {
		if i, ok := byID[a.ReportID]; ok {
			reports[i].Attachments = append(reports[i].Attachments, a)
		}
	}
	return nil
}

// YearReturns is ReturnedReports for several periods in one query: for the
// current report versions of the periods whose latest review is a return,
// that review. Returns are few, so the query starts from the reviews.
func (db *DB) YearReturns(ctx context.Context, planYear int, periods ...plan.Period) ([]Review, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	marks, args := periodArgs(planYear, periods)
	// The unary + keeps SQLite from starting at the reports' period index.
	return queryReviews(ctx, db.db, `
		WHERE v.kind = 'returned' AND +r.plan_year = ? AND +r.period IN (`+marks+`) AND r.superseded_at IS NULL
		AND v.id = (SELECT max(id) FROM reviews WHERE report_id = r.id)
		ORDER BY r.period, r.measure_id, r.unit`, args...)
}

// periodArgs are the placeholders and arguments of "plan_year = ? AND
// period IN (…)".
func periodArgs(planYear int, periods []plan.Period) (string, []any) {
	args := make([]any, 0, len(periods)+1)
	args = append(args, planYear)
	marks := make([]string, len(periods))
	for i, p := range periods {
		args, marks[i] = append(args, string(p)), "?"
	}
	return strings.Join(marks, ","), args
}
