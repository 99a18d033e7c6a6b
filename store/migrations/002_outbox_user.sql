-- Whether a contact was asked to report for a period (Tx.Asked) is looked
-- up on every report. Without this index the lookup read every prompt of
-- the period: after a fan-out to 10,000 contacts, intake fell from about
-- 2,500 to 130 updates a second (bot.BenchmarkIntake, docs/PERFORMANCE.md).
CREATE INDEX outbox_user ON outbox (user_id, period);
