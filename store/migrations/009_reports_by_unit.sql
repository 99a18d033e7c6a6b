-- A unit's current reports for a period (我的任务, 下一项, the re-report
-- guard) were found by scanning the whole period's reports: at a city's
-- scale that was most of a report's time. Index them by unit.
CREATE INDEX reports_unit ON reports (plan_year, unit, period, measure_id) WHERE superseded_at IS NULL;
