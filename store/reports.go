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

// Report is one version of a unit's report on a measure for a period.
type Report struct {
	ID int64
	// PlanYear is the plan the report answers (plan.Plan.Key): with the
	// period and the measure ID it names what was reported on.
	PlanYear     int
	MeasureID    string
	Unit         string
	Period       plan.Period
	Status       plan.Status
	Text         string
	ReporterID   int64
	ReporterName string
	CreatedAt    time.Time
	SupersededAt time.Time // zero for the current version
	Attachments  []Attachment
	// CarryFrom, when saving, names the version whose attachments the new
	// one keeps: SaveReport carries them only when it is the version being
	// replaced. Not stored.
	CarryFrom int64
}

// Current reports whether r is the current version.
func (r Report) Current() bool { return r.SupersededAt.IsZero() }

// Attachment kinds.
const (
	Photo    = "photo"
	Document = "document"
)

// Attachment is a photo or document sent with a report. The file stays on
// Telegram's servers; we keep what is needed to send it again.
type Attachment struct {
	ID           int64
	ReportID     int64
	Kind         string // Photo or Document
	FileID       string
	FileUniqueID string
	FileName     string
	MimeType     string
	Size         int64
	Caption      string
	AddedAt      time.Time
}

const reportColumns = `
	id,
	plan_year,
	measure_id,
	unit,
	period,
	status,
	text,
	reporter_id,
	reporter_name,
	created_at,
	superseded_at`

func scanReport(row interface{ Scan(...any) error }) (Report, error) {
	var r Report
	var period, status, created string
	var superseded sql.NullString
	err := row.Scan(&r.ID, &r.PlanYear, &r.MeasureID, &r.Unit, &period, &status, &r.Text, &r.ReporterID, &r.ReporterName, &created, &superseded)
	if errors.Is(err, sql.ErrNoRows) {
		return Report{}, ErrNotFound
	}
	if err != nil {
		return Report{}, err
	}
	r.Period, r.Status = plan.Period(period), plan.Status(status)
	r.CreatedAt, r.SupersededAt = parseTime(created), parseNullTime(superseded)
	return r, nil
}

// queryReports runs a report query and fills in each report's attachments.
func queryReports(ctx context.Context, q querier, where string, args ...any) ([]Report, error) {
	rows, err := q.QueryContext(ctx, `SELECT`+reportColumns+` FROM reports `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	var out []Report
	byID := map[int64]int{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: reports: %w", err)
		}
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// One query for all attachments; reports rarely have any. The ids go
	// as one JSON array, so the statement's text is always the same and is
	// prepared once (stmts.go), not parsed for every list of ids.
	ids := make([]int64, 0, len(out))
	for _, r := range out {
		ids = append(ids, r.ID)
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	atts, err := queryAttachments(ctx, q, `WHERE report_id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(list))
	if err != nil {
		return nil, err
	}
	for _, a := range atts {
		i := byID[a.ReportID]
		out[i].Attachments = append(out[i].Attachments, a)
	}
	return out, nil
}

const attachmentColumns = `
	id,
	report_id,
	kind,
	file_id,
	file_unique_id,
	file_name,
	mime_type,
	size,
	caption,
	added_at`

func queryAttachments(ctx context.Context, q querier, where string, args ...any) ([]Attachment, error) {
	return queryAll(ctx, q, "attachments", `SELECT`+attachmentColumns+` FROM attachments `+where, args, func(row rowScanner) (Attachment, error) {
		var a Attachment
		var added string
		err := row.Scan(&a.ID, &a.ReportID, &a.Kind, &a.FileID, &a.FileUniqueID, &a.FileName, &a.MimeType, &a.Size, &a.Caption, &added)
		a.AddedAt = parseTime(added)
		return a, err
	})
}

// SaveReport stores r as the current version for its (plan year, measure,
// unit, period). An earlier current version is kept, marked superseded; its
// attachments carry over to the new version only when r.CarryFrom names it
// (a report being written, or a contact who chose to keep them): a new
// version never silently shows another's photos. The returned report has
// its ID, time and attachments.
func (tx *Tx) SaveReport(ctx context.Context, r Report) (Report, error) {
	saved, _, err := tx.ReplaceReport(ctx, r)
	return saved, err
}

// ReplaceReport is SaveReport that also returns the version it replaced
// (without its attachments; zero when there was none). Reading that
// version and superseding it are one statement: this is on every report's
// path, and the bot tells the office about what was replaced.
func (tx *Tx) ReplaceReport(ctx context.Context, r Report) (saved, replaced Report, err error) {
	if r.MeasureID == "" || r.Unit == "" || r.Period == "" || r.Status == "" {
		return Report{}, Report{}, errors.New("store: save report: measure, unit, period and status are required")
	}
	replaced, err = scanReport(tx.tx.QueryRowContext(ctx, `
		UPDATE reports SET superseded_at = ?
		WHERE plan_year = ? AND measure_id = ? AND unit = ? AND period = ? AND superseded_at IS NULL
		RETURNING`+reportColumns,
		formatTime(tx.now), r.PlanYear, r.MeasureID, r.Unit, string(r.Period)))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Report{}, Report{}, fmt.Errorf("store: save report: %w", err)
	}
	prevID := replaced.ID
	r.CreatedAt, r.SupersededAt = tx.now, time.Time{}
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO reports (
			plan_year,
			measure_id,
			unit,
			period,
			status,
			text,
			reporter_id,
			reporter_name,
			created_at
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.PlanYear, r.MeasureID, r.Unit, string(r.Period), string(r.Status), r.Text, r.ReporterID, r.ReporterName, formatTime(r.CreatedAt))
	if err != nil {
		return Report{}, Report{}, fmt.Errorf("store: save report: %w", err)
	}
	r.ID, _ = res.LastInsertId()
	r.Attachments = nil
	if prevID != 0 && r.CarryFrom == prevID {
		carried, err := queryAttachments(ctx, tx.tx, `WHERE report_id = ? ORDER BY id`, prevID)
		if err != nil {
			return Report{}, Report{}, err
		}
		for _, a := range carried {
			if a, err = tx.AddAttachment(ctx, r.ID, a); err != nil {
				return Report{}, Report{}, err
			}
			r.Attachments = append(r.Attachments, a)
		}
	}
	return r, replaced, audit(ctx, tx, r.ReporterID, "report.save", r.MeasureID+" "+r.Unit+" "+string(r.Period), string(r.Status))
}

// AddAttachment adds a file to a report version.
func (tx *Tx) AddAttachment(ctx context.Context, reportID int64, a Attachment) (Attachment, error) {
	a.ReportID = reportID
	if a.AddedAt.IsZero() {
		a.AddedAt = tx.now
	}
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO attachments (
			report_id,
			kind,
			file_id,
			file_unique_id,
			file_name,
			mime_type,
			size,
			caption,
			added_at
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		reportID, a.Kind, a.FileID, a.FileUniqueID, a.FileName, a.MimeType, a.Size, a.Caption, formatTime(a.AddedAt))
	if err != nil {
		return Attachment{}, fmt.Errorf("store: add attachment: %w", err)
	}
	a.ID, _ = res.LastInsertId()
	return a, nil
}

// CurrentReport returns the current version for (plan year, measure, unit,
// period).
func (tx *Tx) CurrentReport(ctx context.Context, planYear int, measureID, unit string, period plan.Period) (Report, error) {
	return currentReport(ctx, tx.tx, planYear, measureID, unit, period)
}

// CurrentReport returns the current version for (plan year, measure, unit,
// period).
func (db *DB) CurrentReport(ctx context.Context, planYear int, measureID, unit string, period plan.Period) (Report, error) {
	return currentReport(ctx, db.db, planYear, measureID, unit, period)
}

func currentReport(ctx context.Context, q querier, planYear int, measureID, unit string, period plan.Period) (Report, error) {
	rs, err := queryReports(ctx, q, `
		WHERE plan_year = ? AND measure_id = ? AND unit = ? AND period = ? AND superseded_at IS NULL`,
		planYear, measureID, unit, string(period))
	if err != nil {
		return Report{}, err
	}
	if len(rs) == 0 {
		return Report{}, ErrNotFound
	}
	return rs[0], nil
}

// Report returns one report version by ID.
func (tx *Tx) Report(ctx context.Context, id int64) (Report, error) {
	rs, err := queryReports(ctx, tx.tx, `WHERE id = ?`, id)
	if err != nil {
		return Report{}, err
	}
	if len(rs) == 0 {
		return Report{}, ErrNotFound
	}
	return rs[0], nil
}

// PeriodReports returns the current versions of every report on a plan
// year's measures for the given periods, by period, measure and unit.
func (db *DB) PeriodReports(ctx context.Context, planYear int, periods ...plan.Period) ([]Report, error) {
	return periodReports(ctx, db.db, planYear, periods)
}

// PeriodReports returns the current versions of every report on a plan
// year's measures for the given periods, by period, measure and unit.
func (tx *Tx) PeriodReports(ctx context.Context, planYear int, periods ...plan.Period) ([]Report, error) {
	return periodReports(ctx, tx.tx, planYear, periods)
}

func periodReports(ctx context.Context, q querier, planYear int, periods []plan.Period) ([]Report, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	args := []any{planYear}
	marks := make([]string, len(periods))
	for i, p := range periods {
		args, marks[i] = append(args, string(p)), "?"
	}
	return queryReports(ctx, q, `
		WHERE plan_year = ? AND period IN (`+strings.Join(marks, ",")+`) AND superseded_at IS NULL
		ORDER BY period, measure_id, unit`, args...)
}

// MeasureReports returns the current versions of every unit's reports on a
// plan year's measure, newest period first, at most limit of them.
func (db *DB) MeasureReports(ctx context.Context, planYear int, measureID string, limit int) ([]Report, error) {
	return measureReports(ctx, db.db, planYear, measureID, limit)
}

// MeasureReports returns the current versions of every unit's reports on a
// plan year's measure, newest period first, at most limit of them.
func (tx *Tx) MeasureReports(ctx context.Context, planYear int, measureID string, limit int) ([]Report, error) {
	return measureReports(ctx, tx.tx, planYear, measureID, limit)
}

func measureReports(ctx context.Context, q querier, planYear int, measureID string, limit int) ([]Report, error) {
	// Without INDEXED BY, SQLite took reports_period for its order and read
	// every report of the year: 160 µs a measure view with 3,000 reports,
	// the slowest tap there was.
	return queryReports(ctx, q, `INDEXED BY reports_current
		WHERE plan_year = ? AND measure_id = ? AND superseded_at IS NULL
		ORDER BY period DESC, created_at DESC LIMIT ?`, planYear, measureID, limit)
}

// UnitReports returns a unit's current reports on a plan year's measures
// for a period.
func (tx *Tx) UnitReports(ctx context.Context, planYear int, unit string, period plan.Period) ([]Report, error) {
	return queryReports(ctx, tx.tx, `
		WHERE plan_year = ? AND unit = ? AND period = ? AND superseded_at IS NULL ORDER BY measure_id`,
		planYear, unit, string(period))
}

// ReportedMeasures returns the measures a unit has a current report on for
// a plan year's period, in measure order. It reads only the unit's index,
// not the reports: it is on every saved report's path (下一项).
func (tx *Tx) ReportedMeasures(ctx context.Context, planYear int, unit string, period plan.Period) ([]string, error) {
	return queryAll(ctx, tx.tx, "reported measures", `
		SELECT measure_id FROM reports
		WHERE plan_year = ? AND unit = ? AND period = ? AND superseded_at IS NULL
		ORDER BY measure_id`, []any{planYear, unit, string(period)}, func(row rowScanner) (id string, err error) {
		return id, row.Scan(&id)
	})
}

// History returns every version for (plan year, measure, unit, period),
// oldest first.
func (db *DB) History(ctx context.Context, planYear int, measureID, unit string, period plan.Period) ([]Report, error) {
	return queryReports(ctx, db.db, `
		WHERE plan_year = ? AND measure_id = ? AND unit = ? AND period = ? ORDER BY id`,
		planYear, measureID, unit, string(period))
}
