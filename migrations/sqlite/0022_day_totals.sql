-- Leads not in the trash per stage, status (0 open, 1 lost, 2 junk), source (0: none) and day
-- of creation (its midnight, UTC, in ms), with their value, kept by triggers in every writing
-- transaction, as on PostgreSQL (its migration 0027): a board or list narrowed by a created
-- range adds up the range's days instead of counting its leads (the range's bounds are
-- midnights). A day is the creation time less its remainder of a day, taken towards minus
-- infinity (SQLite's % keeps the sign of the time).
CREATE TABLE day_totals (
    stage_id INTEGER NOT NULL,
    status INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    day INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    value INTEGER NOT NULL,
    -- A range's days lie together for each stage and status, whatever the source.
    PRIMARY KEY (stage_id, status, day, source_id)
);

INSERT INTO day_totals (stage_id, status, source_id, day, leads, value)
SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
       dateadded - ((dateadded % 86400000) + 86400000) % 86400000, COUNT(*), COALESCE(SUM(lead_value), 0)
FROM leads WHERE deleted_at IS NULL
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER day_totals_insert AFTER INSERT ON leads
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO day_totals (stage_id, status, source_id, day, leads, value)
    VALUES (NEW.stage_id, CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END,
            COALESCE(NEW.source_id, 0), (NEW.dateadded - ((NEW.dateadded % 86400000) + 86400000) % 86400000), 1, COALESCE(NEW.lead_value, 0))
    ON CONFLICT (stage_id, status, day, source_id)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

CREATE TRIGGER day_totals_delete AFTER DELETE ON leads
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE day_totals SET leads = leads - 1, value = value - COALESCE(OLD.lead_value, 0)
    WHERE stage_id = OLD.stage_id
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END
      AND day = (OLD.dateadded - ((OLD.dateadded % 86400000) + 86400000) % 86400000)
      AND source_id = COALESCE(OLD.source_id, 0);
END;

-- An update leaves the old bucket and enters the new one (the same bucket nets out); a
-- reassignment changes none of these columns and fires neither.
CREATE TRIGGER day_totals_update_leave
AFTER UPDATE OF stage_id, lead_value, lost, junk, deleted_at, source_id, dateadded ON leads
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE day_totals SET leads = leads - 1, value = value - COALESCE(OLD.lead_value, 0)
    WHERE stage_id = OLD.stage_id
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END
      AND day = (OLD.dateadded - ((OLD.dateadded % 86400000) + 86400000) % 86400000)
      AND source_id = COALESCE(OLD.source_id, 0);
END;

CREATE TRIGGER day_totals_update_enter
AFTER UPDATE OF stage_id, lead_value, lost, junk, deleted_at, source_id, dateadded ON leads
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO day_totals (stage_id, status, source_id, day, leads, value)
    VALUES (NEW.stage_id, CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END,
            COALESCE(NEW.source_id, 0), (NEW.dateadded - ((NEW.dateadded % 86400000) + 86400000) % 86400000), 1, COALESCE(NEW.lead_value, 0))
    ON CONFLICT (stage_id, status, day, source_id)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

-- The stalled counts of a created range walk each stage's recent leads as before; the index
-- range now carries their creation time too, so they still never read the table.
DROP INDEX leads_stage_activity;
CREATE INDEX leads_stage_activity
ON leads(stage_id, last_activity_at, assigned, addedfrom, is_public, source_id, lead_value, dateadded)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
ANALYZE day_totals;
ANALYZE leads_stage_activity;
