package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/luohu/reformbot/plan"
)

// Kinds of outbox message besides the campaigns' (campaigns.go) and
// notices (notices.go). A reply's row is dropped 7 days after it was sent
// (PruneBodies; its SQL names 'reply').
const (
	KindReply  = "reply"  // an answer to what a user just did
	KindAlert  = "alert"  // the office told of a difficulty raised or cleared
	KindReview = "review" // a report sent back to its unit (退回补充)
	KindUrge   = "urge"   // a unit pressed by the office (督办)
)

// Priorities: the sender serves lower numbers first, so a user waiting for
// an answer is never queued behind a fan-out of 3,000 prompts.
const (
	PriorityReply = 0 // answers to what a user just did
	PriorityAlert = 1 // difficulties raised, for the office at once
	PriorityBulk  = 2 // prompts, reminders, digests
)

// Outbox message states.
const (
	Pending = "pending"
	Sent    = "sent"
	Failed  = "failed"
)

// Bot API methods the outbox can carry.
const (
	SendMessage         = "sendMessage"
	SendDocument        = "sendDocument"
	SendPhoto           = "sendPhoto"
	EditMessageText     = "editMessageText"
	AnswerCallbackQuery = "answerCallbackQuery"
	// SetMyCommands sets the command menu of one chat (Payload.Commands).
	SetMyCommands = "setMyCommands"
)

// Payload holds the parameters of one Bot API call besides chat_id.
// ReplyMarkup is the markup's JSON exactly as it goes to Telegram.
type Payload struct {
	Text             string          `json:"text,omitempty"`
	ParseMode        string          `json:"parse_mode,omitempty"`
	ReplyMarkup      json.RawMessage `json:"reply_markup,omitempty"`
	Caption          string          `json:"caption,omitempty"`
	MessageID        int64           `json:"message_id,omitempty"` // editMessageText
	ReplyToMessageID int64           `json:"reply_to_message_id,omitempty"`
	CallbackQueryID  string          `json:"callback_query_id,omitempty"` // answerCallbackQuery
	ShowAlert        bool            `json:"show_alert,omitempty"`
	NoPreview        bool            `json:"no_preview,omitempty"`
	// FileID sends a file already on Telegram's servers (sendDocument,
	// sendPhoto) instead of uploading FileData.
	FileID string `json:"file_id,omitempty"`
	// Commands is setMyCommands' menu, a JSON array of BotCommand.
	Commands json.RawMessage `json:"commands,omitempty"`
}

// Message is one outbox row: a Bot API call to make once.
type Message struct {
	ID       int64
	Key      string // idempotency key, e.g. "prompt:2017-04:12345"
	Kind     string // reply, alert, prompt, remind, digest, acceptance
	Period   plan.Period
	ChatID   int64
	UserID   int64 // the contact it is for, when it is for one
	Priority int
	Method   string
	Payload  Payload
	FileName string // sendDocument/sendPhoto upload
	FileData []byte

	State     string
	Attempts  int
	NotBefore time.Time
	CreatedAt time.Time
	DoneAt    time.Time
	MessageID int64 // Telegram's message_id once sent
	Error     string
}

// Enqueue adds m to the outbox unless a message with its key is already
// there or was sent and archived (outbox_sent). It reports whether m was
// added.
func (tx *Tx) Enqueue(ctx context.Context, m Message) (bool, error) {
	if m.Key == "" || m.Method == "" {
		return false, errors.New("store: enqueue: key and method are required")
	}
	body, err := encodeBody(m.Payload, m.Kind != KindReply)
	if err != nil {
		return false, fmt.Errorf("store: enqueue %s: %w", m.Key, err)
	}
	var payload any = body
	if body[0] == '{' {
		payload = string(body) // plain JSON stays text, readable with sqlite3
	}
	if m.NotBefore.IsZero() {
		m.NotBefore = tx.now
	}
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO outbox (
			key,
			kind,
			period,
			chat_id,
			user_id,
			priority,
			method,
			payload,
			file_name,
			file_data,
			not_before,
			created_at
		)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM outbox_sent WHERE key = ?)
		ON CONFLICT (key) DO NOTHING`,
		m.Key, m.Kind, string(m.Period), m.ChatID, m.UserID, m.Priority, m.Method, payload,
		m.FileName, m.FileData, formatTime(m.NotBefore), formatTime(tx.now), m.Key)
	if err != nil {
		return false, fmt.Errorf("store: enqueue %s: %w", m.Key, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

const messageColumns = `
	id,
	key,
	kind,
	period,
	chat_id,
	user_id,
	priority,
	method,
	payload,
	file_name,
	file_data,
	state,
	attempts,
	not_before,
	created_at,
	done_at,
	message_id,
	error`

func queryMessages(ctx context.Context, q querier, where string, args ...any) ([]Message, error) {
	return queryMessagesFrom(ctx, q, `SELECT`+messageColumns+` FROM outbox `+where, args...)
}

// queryMessagesFrom runs a query whose columns are messageColumns.
func queryMessagesFrom(ctx context.Context, q querier, query string, args ...any) ([]Message, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		var period, notBefore, created string
		var payload []byte
		var done sql.NullString
		if err := rows.Scan(&m.ID, &m.Key, &m.Kind, &period, &m.ChatID, &m.UserID, &m.Priority, &m.Method,
			&payload, &m.FileName, &m.FileData, &m.State, &m.Attempts, &notBefore, &created, &done,
			&m.MessageID, &m.Error); err != nil {
			return nil, fmt.Errorf("store: outbox: %w", err)
		}
		if err := decodeBody(payload, &m.Payload); err != nil {
			return nil, fmt.Errorf("store: outbox message %d: %w", m.ID, err)
		}
		m.Period = plan.Period(period)
		m.NotBefore, m.CreatedAt, m.DoneAt = parseTime(notBefore), parseTime(created), parseNullTime(done)
		out = append(out, m)
	}
	return out, rows.Err()
}

// DueMessages returns up to limit pending messages whose time has come,
// most urgent first and, within a priority, in the order they were enqueued.
func (db *DB) DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error) {
	return queryMessages(ctx, db.db, `
		WHERE state = 'pending' AND not_before <= ?
		ORDER BY priority, id LIMIT ?`, formatTime(now), limit)
}

// NextDue returns when the earliest pending message becomes due, and false
// when nothing is pending.
func (db *DB) NextDue(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullString
	if err := db.db.QueryRowContext(ctx, `SELECT min(not_before) FROM outbox WHERE state = 'pending'`).Scan(&at); err != nil {
		return time.Time{}, false, fmt.Errorf("store: next due: %w", err)
	}
	if !at.Valid {
		return time.Time{}, false, nil
	}
	return parseTime(at.String), true, nil
}

// MarkSent records that Telegram accepted message id with its message_id.
func (db *DB) MarkSent(ctx context.Context, id, telegramMessageID int64) error {
	return db.finish(ctx, id, Sent, telegramMessageID, "")
}

// MarkFailed records that message id will never be sent, and why.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string) error {
	return db.finish(ctx, id, Failed, 0, reason)
}

func (db *DB) finish(ctx context.Context, id int64, state string, telegramMessageID int64, reason string) error {
	_, err := db.exec(ctx, `
		UPDATE outbox SET
			state = ?,
			attempts = attempts + 1,
			done_at = ?,
			message_id = ?,
			error = ?,
			file_data = NULL
		WHERE id = ?`, state, formatTime(db.now()), telegramMessageID, reason, id)
	if err != nil {
		return fmt.Errorf("store: outbox %d %s: %w", id, state, err)
	}
	return nil
}

// Retry puts message id back to wait until notBefore. countAttempt is false
// when Telegram only asked us to slow down (429), which is no fault of the
// message.
func (db *DB) Retry(ctx context.Context, id int64, notBefore time.Time, reason string, countAttempt bool) error {
	inc := 0
	if countAttempt {
		inc = 1
	}
	_, err := db.exec(ctx, `
		UPDATE outbox SET
			attempts = attempts + ?,
			not_before = ?,
			error = ?
		WHERE id = ? AND state = 'pending'`, inc, formatTime(notBefore), reason, id)
	if err != nil {
		return fmt.Errorf("store: outbox %d retry: %w", id, err)
	}
	return nil
}

// ReleaseRetries makes every pending message that is waiting out an error
// backoff due now; the sender calls it when Telegram answers again after an
// outage. Messages held back by a 429 keep their time.
func (db *DB) ReleaseRetries(ctx context.Context, at time.Time) error {
	now := formatTime(at)
	_, err := db.exec(ctx, `
		UPDATE outbox SET
			not_before = ?
		WHERE state = 'pending' AND attempts > 0 AND not_before > ? AND error NOT LIKE '429%'`, now, now)
	if err != nil {
		return fmt.Errorf("store: release retries: %w", err)
	}
	return nil
}

// Messages returns the outbox rows of a kind and period, in enqueue order,
// archived ones (outbox_sent: no body) included. An empty period matches
// every period.
func (db *DB) Messages(ctx context.Context, kind string, period plan.Period) ([]Message, error) {
	where, args := `WHERE kind = ? AND (? = '' OR period = ?)`, []any{kind, string(period), string(period)}
	return queryMessagesFrom(ctx, db.db, `SELECT`+messageColumns+` FROM outbox `+where+`
		UNION ALL SELECT`+archivedColumns+` FROM outbox_sent `+where+`
		ORDER BY id`, append(args, args...)...)
}

// FailedMessages returns the bulk messages of a kind and period that ended
// failed, archived ones included, in enqueue order. (Replies are not looked
// up this way: the index it reads leaves them out, see migration 010.)
func (db *DB) FailedMessages(ctx context.Context, kind string, period plan.Period) ([]Message, error) {
	return queryMessagesFrom(ctx, db.db, `SELECT`+messageColumns+` FROM outbox
		WHERE kind = ? AND kind != 'reply' AND period = ? AND state = 'failed'
		UNION ALL SELECT`+archivedColumns+` FROM outbox_sent
		WHERE kind = ? AND period = ? AND state = 'failed'
		ORDER BY id`, kind, string(period), kind, string(period))
}

// archivedColumns reads an outbox_sent row as messageColumns: no body.
const archivedColumns = `
	id,
	key,
	kind,
	period,
	chat_id,
	user_id,
	0 AS priority,
	'' AS method,
	'{}' AS payload,
	'' AS file_name,
	NULL AS file_data,
	state,
	attempts,
	done_at AS not_before,
	done_at AS created_at,
	done_at,
	message_id,
	error`

// OutboxCounts returns how many messages are in each state, archived
// ones included.
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT state, count(*) FROM (
			SELECT state FROM outbox
			UNION ALL SELECT state FROM outbox_sent
		) GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: outbox counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: outbox counts: %w", err)
		}
		out[state] = n
	}
	return out, rows.Err()
}

// MarkUnreachable records that Telegram refused message id with 403 (the
// user blocked the bot or never started it): the message fails and every
// contact in that chat becomes blocked, in one transaction. Blocked contacts
// get no more prompts and are listed in the digest; writing to the bot again
// makes them active.
func (db *DB) MarkUnreachable(ctx context.Context, id, chatID int64, reason string) error {
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, `
			UPDATE outbox SET
				state = 'failed',
				attempts = attempts + 1,
				done_at = ?,
				error = ?,
				file_data = NULL
			WHERE id = ?`, formatTime(tx.now), reason, id); err != nil {
			return fmt.Errorf("store: outbox %d unreachable: %w", id, err)
		}
		contacts, err := queryContacts(ctx, tx.tx, `WHERE chat_id = ? AND status = 'active'`, chatID)
		if err != nil {
			return err
		}
		for _, c := range contacts {
			if err := tx.SetContactStatus(ctx, c.UserID, Blocked, 0); err != nil {
				return err
			}
		}
		return nil
	})
}

// Asked reports whether the user was sent a scheduled request for period
// (a prompt, reminder or acceptance request), whatever became of it. A
// report for an old period is accepted only from someone who was asked.
func (tx *Tx) Asked(ctx context.Context, userID int64, period plan.Period) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `
		SELECT EXISTS (
			SELECT 1 FROM outbox
			WHERE user_id = ? AND period = ? AND kind IN ('prompt', 'remind', 'acceptance') AND kind != 'reply'
		) OR EXISTS (
			SELECT 1 FROM outbox_sent
			WHERE user_id = ? AND period = ? AND kind IN ('prompt', 'remind', 'acceptance')
		)`,
		userID, string(period), userID, string(period)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: asked: %w", err)
	}
	return n > 0, nil
}
