package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// DueHeads returns the pending messages whose time has come, for the
// sender: at most perLane of each chat's messages and at most perLane of
// its callback answers, most urgent first and, within a priority, in the
// order they were enqueued, up to limit in all.
//
// Taking only the head of each chat keeps one chat from hiding the others:
// 400 rows for a user who floods the bot are 3 rows here, and the rows of
// every other chat that is due still come after them. Uploads come without
// their file (FileData is nil): the sender loads it with FileData when it
// sends one, so looking at the outbox many times a second stays cheap.
func (db *DB) DueHeads(ctx context.Context, now time.Time, perLane, limit int) ([]Message, error) {
	// The lanes are numbered over a few small columns; only the rows
	// chosen are read whole.
	cols := strings.Replace(messageColumns, "file_data,", "NULL AS file_data,", 1)
	return queryMessagesFrom(ctx, db.db, `
		SELECT`+cols+`
		FROM outbox
		WHERE id IN (
			SELECT id FROM (
				SELECT
					id,
					priority,
					row_number() OVER (
						PARTITION BY chat_id, method = ?
						ORDER BY priority, id
					) AS lane_position
				FROM outbox
				WHERE state = 'pending' AND not_before <= ?
			)
			WHERE lane_position <= ?
			ORDER BY priority, id
			LIMIT ?
		)
		ORDER BY priority, id`, AnswerCallbackQuery, formatTime(now), perLane, limit)
}

// FileData returns the upload of message id (nil when it has none).
func (db *DB) FileData(ctx context.Context, id int64) ([]byte, error) {
	var data []byte
	err := db.db.QueryRowContext(ctx, `SELECT file_data FROM outbox WHERE id = ?`, id).Scan(&data)
	if err != nil && err != sql.ErrNoRows {
		return nil, fmt.Errorf("store: outbox %d file: %w", id, err)
	}
	return data, nil
}
