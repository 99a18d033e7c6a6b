-- Notices (通知) the office sends to unit contacts, and who pressed 收到.
-- A recipient row is written with the notice's outbox row in one
-- transaction, so "who has not acknowledged" is exactly who was sent it.
CREATE TABLE notices (
	id         INTEGER PRIMARY KEY,
	text       TEXT NOT NULL,
	audience   TEXT NOT NULL, -- who it is for, as the office said it: 全部单位, a unit list, a group
	units      TEXT NOT NULL, -- the units named, one per line; empty for all units
	state      TEXT NOT NULL, -- draft (the office has not pressed 发送 yet), sent, or dropped (取消)
	created_by INTEGER NOT NULL, -- the office contact's user id; 0 for the operator's CLI
	created_at TEXT NOT NULL, -- when drafted, then when sent
	CHECK (state IN ('draft', 'sent', 'dropped'))
);

CREATE TABLE notice_recipients (
	notice_id INTEGER NOT NULL REFERENCES notices (id),
	user_id   INTEGER NOT NULL,
	unit      TEXT NOT NULL,
	name      TEXT NOT NULL,
	acked_at  TEXT,
	PRIMARY KEY (notice_id, user_id)
);
