-- Plans by year. Every plan the office activates is kept: one row per
-- (year, version), and the newest version of a year is the plan in force
-- for that year. diff is what changed from the version before (plan.Diff as
-- JSON; empty for a year's first version). year 0 is the embedded sample
-- plan, whose periods follow the calendar.
CREATE TABLE plans (
	year         INTEGER NOT NULL,
	version      INTEGER NOT NULL,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	hash         TEXT NOT NULL,
	diff         TEXT NOT NULL DEFAULT '',
	activated_at TEXT NOT NULL,
	PRIMARY KEY (year, version)
);

-- The first release kept one plan. It becomes version 1 of its year; the
-- embedded 2017 plan, which that release installed whenever serve had no
-- --plan, becomes the sample.
INSERT INTO plans (
	year,
	version,
	title,
	body,
	hash,
	activated_at
)
SELECT
	CASE
		WHEN title = '深圳市罗湖区2017年改革计划' THEN 0
		ELSE coalesce(json_extract(body, '$.year'), 0)
	END,
	1,
	title,
	body,
	hash,
	loaded_at
FROM plan_in_force;

-- Reports belong to a plan year as well as a period, so 2.1.1 of the
-- sample, of 2025 and of 2026 are never confused. Reports made before are
-- the plan's that was in force.
ALTER TABLE reports ADD COLUMN plan_year INTEGER NOT NULL DEFAULT 0;
UPDATE reports SET plan_year = coalesce((SELECT year FROM plans), 0);
DROP INDEX reports_current;
DROP INDEX reports_period;
CREATE UNIQUE INDEX reports_current ON reports (plan_year, measure_id, unit, period) WHERE superseded_at IS NULL;
CREATE INDEX reports_period ON reports (plan_year, period, measure_id);

-- The plan's tables were written and never read: the plans' bodies are
-- what every reader loads.
DROP TABLE assignments;
DROP TABLE measures;
DROP TABLE units;
DROP TABLE plan_in_force;
