-- Bulletins (通报) issued, one per period: the number (期号) a period's
-- bulletin got is kept, so the CLI, the digest and the bot give it the same
-- number every time, and numbers count up per year.
CREATE TABLE bulletins (
	period    TEXT PRIMARY KEY,
	year      INTEGER NOT NULL,
	number    INTEGER NOT NULL CHECK (number > 0),
	issued_at TEXT NOT NULL,
	UNIQUE (year, number)
);
