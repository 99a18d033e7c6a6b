-- The plan in force: the whole plan as JSON (what the bot and the CLI load),
-- and its measures, units and assignments as tables for queries.
CREATE TABLE plan_in_force (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	title     TEXT NOT NULL,
	body      TEXT NOT NULL,
	hash      TEXT NOT NULL,
	loaded_at TEXT NOT NULL
);

CREATE TABLE measures (
	id             TEXT PRIMARY KEY,
	position       INTEGER NOT NULL,
	project_id     TEXT NOT NULL,
	project_title  TEXT NOT NULL,
	category_title TEXT NOT NULL,
	title          TEXT NOT NULL,
	text           TEXT NOT NULL
);

CREATE TABLE units (
	name     TEXT PRIMARY KEY,
	is_group INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE assignments (
	measure_id TEXT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
	unit       TEXT NOT NULL REFERENCES units (name) ON DELETE CASCADE,
	role       TEXT NOT NULL CHECK (role IN ('lead', 'co')),
	PRIMARY KEY (measure_id, unit)
);

-- Contacts are Telegram users bound to a unit (role contact) or to the
-- reform office (role office, unit empty). unit is plain text, not a foreign
-- key: a plan edit must never delete people.
CREATE TABLE contacts (
	user_id    INTEGER PRIMARY KEY,
	chat_id    INTEGER NOT NULL,
	unit       TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL CHECK (role IN ('contact', 'office')),
	status     TEXT NOT NULL CHECK (status IN ('active', 'blocked', 'revoked')),
	name       TEXT NOT NULL DEFAULT '',
	username   TEXT NOT NULL DEFAULT '',
	bound_at   TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX contacts_unit ON contacts (unit, status);

-- Invites are stored as the SHA-256 of the code; the code itself is shown
-- once, to the operator who made it.
CREATE TABLE invites (
	id         INTEGER PRIMARY KEY,
	code_hash  BLOB NOT NULL UNIQUE,
	unit       TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL CHECK (role IN ('contact', 'office')),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT,
	used_by    INTEGER
);

-- Failed /start attempts, for rate limiting guessers.
CREATE TABLE auth_failures (
	user_id INTEGER NOT NULL,
	at      TEXT NOT NULL
);
CREATE INDEX auth_failures_user ON auth_failures (user_id, at);

-- Reports: one current version per (measure, unit, period); earlier versions
-- are kept with superseded_at set.
CREATE TABLE reports (
	id            INTEGER PRIMARY KEY,
	measure_id    TEXT NOT NULL,
	unit          TEXT NOT NULL,
	period        TEXT NOT NULL,
	status        TEXT NOT NULL,
	text          TEXT NOT NULL,
	reporter_id   INTEGER NOT NULL,
	reporter_name TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	superseded_at TEXT
);
CREATE UNIQUE INDEX reports_current ON reports (measure_id, unit, period) WHERE superseded_at IS NULL;
CREATE INDEX reports_period ON reports (period, measure_id);

CREATE TABLE attachments (
	id             INTEGER PRIMARY KEY,
	report_id      INTEGER NOT NULL REFERENCES reports (id),
	kind           TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
	file_id        TEXT NOT NULL,
	file_unique_id TEXT NOT NULL DEFAULT '',
	file_name      TEXT NOT NULL DEFAULT '',
	mime_type      TEXT NOT NULL DEFAULT '',
	size           INTEGER NOT NULL DEFAULT 0,
	caption        TEXT NOT NULL DEFAULT '',
	added_at       TEXT NOT NULL
);
CREATE INDEX attachments_report ON attachments (report_id);

-- A conversation in progress: the contact is choosing a status or writing
-- the text for a measure in a period. One per user; kept across restarts.
CREATE TABLE conversations (
	user_id    INTEGER PRIMARY KEY,
	state      TEXT NOT NULL,
	measure_id TEXT NOT NULL,
	unit       TEXT NOT NULL,
	period     TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT '',
	report_id  INTEGER,
	updated_at TEXT NOT NULL
);

-- Every update received from Telegram, by update_id, recorded in the same
-- transaction as its effects: a re-delivered update is seen and skipped.
CREATE TABLE inbox (
	update_id   INTEGER PRIMARY KEY,
	received_at TEXT NOT NULL,
	user_id     INTEGER NOT NULL DEFAULT 0,
	kind        TEXT NOT NULL,
	outcome     TEXT NOT NULL CHECK (outcome IN ('done', 'failed')),
	error       TEXT NOT NULL DEFAULT ''
);

-- Messages to send. key makes each one idempotent: the same key is never
-- enqueued twice, whatever the number of triggers.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL,
	period     TEXT NOT NULL DEFAULT '',
	chat_id    INTEGER NOT NULL,
	user_id    INTEGER NOT NULL DEFAULT 0,
	priority   INTEGER NOT NULL,
	method     TEXT NOT NULL,
	payload    TEXT NOT NULL,
	file_name  TEXT NOT NULL DEFAULT '',
	file_data  BLOB,
	state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	not_before TEXT NOT NULL,
	created_at TEXT NOT NULL,
	done_at    TEXT,
	message_id INTEGER NOT NULL DEFAULT 0,
	error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (priority, id) WHERE state = 'pending';
CREATE INDEX outbox_period ON outbox (kind, period);

-- A campaign is one scheduled action for one period (the prompts of
-- 2017-04, the reminder of 2017-04-28, ...). Its row is written in the same
-- transaction as its outbox rows: it exists if and only if they do.
CREATE TABLE campaigns (
	kind       TEXT NOT NULL,
	period     TEXT NOT NULL,
	slot       TEXT NOT NULL DEFAULT '',
	trigger    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	messages   INTEGER NOT NULL,
	PRIMARY KEY (kind, period, slot)
);

CREATE TABLE audit (
	id      INTEGER PRIMARY KEY,
	at      TEXT NOT NULL,
	actor   INTEGER NOT NULL DEFAULT 0,
	action  TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	detail  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
