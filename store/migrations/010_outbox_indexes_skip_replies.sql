-- Replies are most of the outbox's rows and nothing looks them up by kind
-- and period or by user: those two indexes now leave them out, two index
-- writes fewer on every answer the intake enqueues. Queries that want the
-- indexes say kind != 'reply' (SQLite uses a partial index only when the
-- query repeats its condition).
DROP INDEX outbox_period;
DROP INDEX outbox_user;
CREATE INDEX outbox_period ON outbox (kind, period) WHERE kind != 'reply';
CREATE INDEX outbox_user ON outbox (user_id, period) WHERE kind != 'reply';
