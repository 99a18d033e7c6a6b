-- Messages finished longer ago than the retention period (store.PruneBodies)
-- leave the outbox: a bulk message's record moves here, without its body;
-- a reply's row (an answer to an update the inbox already holds) is
-- deleted. Deleting rows from outbox frees whole pages, which new messages
-- reuse; shrinking rows in place (the bodies dropped) freed none.
--
-- key is kept so a campaign never sends a message twice (Tx.Enqueue looks
-- here too); user_id and period answer "was this user asked" (Tx.Asked).
CREATE TABLE outbox_sent (
	key        TEXT PRIMARY KEY,
	id         INTEGER NOT NULL, -- its id in outbox
	kind       TEXT NOT NULL,
	period     TEXT NOT NULL DEFAULT '',
	chat_id    INTEGER NOT NULL,
	user_id    INTEGER NOT NULL DEFAULT 0,
	state      TEXT NOT NULL CHECK (state IN ('sent', 'failed')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	done_at    TEXT NOT NULL,
	message_id INTEGER NOT NULL DEFAULT 0,
	error      TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX outbox_sent_user ON outbox_sent (user_id, period);
CREATE INDEX outbox_sent_failed ON outbox_sent (kind, period) WHERE state = 'failed';
