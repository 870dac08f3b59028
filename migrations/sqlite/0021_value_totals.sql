-- Leads with a value, not in the trash, per stage, status (0 open, 1 lost, 2 junk), source
-- (0: none) and value band, kept by triggers in every writing transaction, as on PostgreSQL
-- (its migration 0025): a board or list narrowed by a value range adds up the bands inside the
-- range and counts only the leads of the (at most two) bands it cuts.
--
-- A band is every value sharing the first two digits and the number of digits: 1,230,000 lies
-- in [1,200,000, 1,300,000); values under 10 (and below zero) are a band each.
-- `server::board::value_band` computes the same bands. (SQLite has no functions of its own
-- here: the power of ten is spelled as text.)
CREATE TABLE value_totals (
    stage_id INTEGER NOT NULL,
    status INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    band INTEGER NOT NULL,
    band_end INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (stage_id, status, source_id, band)
);

INSERT INTO value_totals (stage_id, status, source_id, band, band_end, leads, value)
SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
       CASE WHEN lead_value < 10 THEN lead_value
            ELSE CAST(substr(CAST(lead_value AS TEXT), 1, 2) AS INTEGER)
                 * CAST('1' || substr('000000000000000000', 1, length(CAST(lead_value AS TEXT)) - 2) AS INTEGER) END,
       CASE WHEN lead_value < 10 THEN lead_value + 1
            ELSE (CAST(substr(CAST(lead_value AS TEXT), 1, 2) AS INTEGER) + 1)
                 * CAST('1' || substr('000000000000000000', 1, length(CAST(lead_value AS TEXT)) - 2) AS INTEGER) END,
       COUNT(*), SUM(lead_value)
FROM leads WHERE deleted_at IS NULL AND lead_value IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER value_totals_insert AFTER INSERT ON leads
WHEN NEW.deleted_at IS NULL AND NEW.lead_value IS NOT NULL
BEGIN
    INSERT INTO value_totals (stage_id, status, source_id, band, band_end, leads, value)
    VALUES (NEW.stage_id, CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END,
            COALESCE(NEW.source_id, 0),
            CASE WHEN NEW.lead_value < 10 THEN NEW.lead_value
                 ELSE CAST(substr(CAST(NEW.lead_value AS TEXT), 1, 2) AS INTEGER)
                      * CAST('1' || substr('000000000000000000', 1, length(CAST(NEW.lead_value AS TEXT)) - 2) AS INTEGER) END,
            CASE WHEN NEW.lead_value < 10 THEN NEW.lead_value + 1
                 ELSE (CAST(substr(CAST(NEW.lead_value AS TEXT), 1, 2) AS INTEGER) + 1)
                      * CAST('1' || substr('000000000000000000', 1, length(CAST(NEW.lead_value AS TEXT)) - 2) AS INTEGER) END,
            1, NEW.lead_value)
    ON CONFLICT (stage_id, status, source_id, band)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

CREATE TRIGGER value_totals_delete AFTER DELETE ON leads
WHEN OLD.deleted_at IS NULL AND OLD.lead_value IS NOT NULL
BEGIN
    UPDATE value_totals SET leads = leads - 1, value = value - OLD.lead_value
    WHERE stage_id = OLD.stage_id
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END
      AND source_id = COALESCE(OLD.source_id, 0)
      AND band = CASE WHEN OLD.lead_value < 10 THEN OLD.lead_value
                 ELSE CAST(substr(CAST(OLD.lead_value AS TEXT), 1, 2) AS INTEGER)
                      * CAST('1' || substr('000000000000000000', 1, length(CAST(OLD.lead_value AS TEXT)) - 2) AS INTEGER) END;
END;

-- An update leaves the old bucket and enters the new one (the same bucket nets out); a
-- reassignment changes none of these columns and fires neither.
CREATE TRIGGER value_totals_update_leave
AFTER UPDATE OF stage_id, lead_value, lost, junk, deleted_at, source_id ON leads
WHEN OLD.deleted_at IS NULL AND OLD.lead_value IS NOT NULL
BEGIN
    UPDATE value_totals SET leads = leads - 1, value = value - OLD.lead_value
    WHERE stage_id = OLD.stage_id
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END
      AND source_id = COALESCE(OLD.source_id, 0)
      AND band = CASE WHEN OLD.lead_value < 10 THEN OLD.lead_value
                 ELSE CAST(substr(CAST(OLD.lead_value AS TEXT), 1, 2) AS INTEGER)
                      * CAST('1' || substr('000000000000000000', 1, length(CAST(OLD.lead_value AS TEXT)) - 2) AS INTEGER) END;
END;

CREATE TRIGGER value_totals_update_enter
AFTER UPDATE OF stage_id, lead_value, lost, junk, deleted_at, source_id ON leads
WHEN NEW.deleted_at IS NULL AND NEW.lead_value IS NOT NULL
BEGIN
    INSERT INTO value_totals (stage_id, status, source_id, band, band_end, leads, value)
    VALUES (NEW.stage_id, CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END,
            COALESCE(NEW.source_id, 0),
            CASE WHEN NEW.lead_value < 10 THEN NEW.lead_value
                 ELSE CAST(substr(CAST(NEW.lead_value AS TEXT), 1, 2) AS INTEGER)
                      * CAST('1' || substr('000000000000000000', 1, length(CAST(NEW.lead_value AS TEXT)) - 2) AS INTEGER) END,
            CASE WHEN NEW.lead_value < 10 THEN NEW.lead_value + 1
                 ELSE (CAST(substr(CAST(NEW.lead_value AS TEXT), 1, 2) AS INTEGER) + 1)
                      * CAST('1' || substr('000000000000000000', 1, length(CAST(NEW.lead_value AS TEXT)) - 2) AS INTEGER) END,
            1, NEW.lead_value)
    ON CONFLICT (stage_id, status, source_id, band)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

-- The leads of a band a range cuts are counted from the list's value-sort index, which now
-- carries what they are counted by (it still sorts by value, then id).
DROP INDEX leads_sort_value;
CREATE INDEX leads_sort_value ON leads(lead_value, id, stage_id, lost, junk, source_id)
    WHERE deleted_at IS NULL;
ANALYZE value_totals;
ANALYZE leads_sort_value;
