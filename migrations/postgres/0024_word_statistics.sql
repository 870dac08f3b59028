-- A finer sample of the words for the planner. With the default (100 most common values of
-- 14 M rows at a million leads), a common surname's prefix range was estimated at 54 rows for
-- its 33,178, and a two-word search (`ana pop`) probed the other word once per row of that
-- range (nested loop: 63–77 ms) instead of hashing the smaller side (20 ms).
ALTER TABLE lead_words ALTER COLUMN word SET STATISTICS 1000;
ANALYZE lead_words;
