-- The office's side of the 督查督办 loop. A review is the office's verdict
-- on one report version: read (已阅) or returned for more (退回补充) with a
-- comment. A version whose latest review is a return is 需补充 until the
-- unit reports again (a new version has no reviews).
CREATE TABLE reviews (
	id         INTEGER PRIMARY KEY,
	report_id  INTEGER NOT NULL REFERENCES reports (id),
	kind       TEXT NOT NULL CHECK (kind IN ('read', 'returned')),
	comment    TEXT NOT NULL DEFAULT '',
	by_id      INTEGER NOT NULL,
	by_name    TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL
);
CREATE INDEX reviews_report ON reviews (report_id, id);

-- 督办: the office pressed a unit on a measure (or, with measure_id '', on
-- all its tasks), in a period, with its words.
CREATE TABLE urges (
	id         INTEGER PRIMARY KEY,
	plan_year  INTEGER NOT NULL,
	measure_id TEXT NOT NULL,
	unit       TEXT NOT NULL,
	period     TEXT NOT NULL,
	text       TEXT NOT NULL,
	by_id      INTEGER NOT NULL,
	by_name    TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL
);
CREATE INDEX urges_measure ON urges (plan_year, measure_id, id);
CREATE INDEX urges_period ON urges (plan_year, period, unit);

-- A contact who chose to keep the current version's attachments when
-- replacing it (更新并保留附件): the next version they save from that
-- version carries them. One row per user, replaced by each choice.
CREATE TABLE attachment_keeps (
	user_id   INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL
);
