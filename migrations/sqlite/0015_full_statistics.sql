-- Exact planner statistics once more: earlier versions ran `PRAGMA optimize` with an analysis
-- limit at every start, which replaced them by samples that put ~1,000 leads in every stage
-- (the list then sorted every open lead for its first page). From now on they are taken again
-- in full whenever a table has doubled or halved (`Db::migrate`).
ANALYZE;
