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
// 400 replies to a user who floods the bot are 3 rows here, and the rows of
// every other chat that is due still come after them. Replies and alerts
// are all considered; bulk messages only the bulkWindow oldest due ones,
// so that a look stays cheap with a fan-out of thousands pending (a bulk
// message is one a chat, a digest a few). Uploads come without their file
// (FileData is nil): the sender loads it with FileData when it sends one.
func (db *DB) DueHeads(ctx context.Context, now time.Time, perLane, limit int) ([]Message, error) {
	return db.dueHeads(ctx, now, perLane, limit, bulkWindow)
}

// DueUrgent is DueHeads without bulk messages: the due replies and alerts
// only. It reads just those rows (the pending index is ordered by
// priority), so the sender can look for a new reply after every commit
// without reading a pending fan-out each time.
func (db *DB) DueUrgent(ctx context.Context, now time.Time, perLane, limit int) ([]Message, error) {
	return db.dueHeads(ctx, now, perLane, limit, 0)
}

func (db *DB) dueHeads(ctx context.Context, now time.Time, perLane, limit, bulk int) ([]Message, error) {
	at := formatTime(now)
	cols := strings.Replace(messageColumns, "file_data,", "NULL AS file_data,", 1)
	return queryMessagesFrom(ctx, keptReads{db}, `
		WITH candidates AS (
			SELECT id, chat_id, method, priority
			FROM outbox
			WHERE state = 'pending' AND priority < ? AND not_before <= ?
			UNION ALL
			SELECT * FROM (
				SELECT id, chat_id, method, priority
				FROM outbox
				WHERE state = 'pending' AND priority >= ? AND not_before <= ?
				ORDER BY priority, id
				LIMIT ?
			)
		)
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
				FROM candidates
			)
			WHERE lane_position <= ?
			ORDER BY priority, id
			LIMIT ?
		)
		ORDER BY priority, id`,
		PriorityBulk, at, PriorityBulk, at, bulk, AnswerCallbackQuery, perLane, limit)
}

// bulkWindow is how many of the oldest due bulk messages a look considers.
const bulkWindow = 200

// FileData returns the upload of message id (nil when it has none).
func (db *DB) FileData(ctx context.Context, id int64) ([]byte, error) {
	var data []byte
	err := db.db.QueryRowContext(ctx, `SELECT file_data FROM outbox WHERE id = ?`, id).Scan(&data)
	if err != nil && err != sql.ErrNoRows {
		return nil, fmt.Errorf("store: outbox %d file: %w", id, err)
	}
	return data, nil
}
