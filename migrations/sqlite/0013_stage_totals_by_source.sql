-- The kept totals gain the lead's source as a dimension (0 stands for "no source"): a board,
-- a list or the sources page narrowed by source reads a few kept rows instead of every lead.
DROP TRIGGER stage_totals_insert;
DROP TRIGGER stage_totals_delete;
DROP TRIGGER stage_totals_update_leave;
DROP TRIGGER stage_totals_update_enter;
DROP TABLE stage_totals;

CREATE TABLE stage_totals (
    stage_id INTEGER NOT NULL,
    assigned INTEGER NOT NULL,
    addedfrom INTEGER NOT NULL,
    is_public INTEGER NOT NULL,
    status INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (stage_id, assigned, addedfrom, is_public, status, source_id)
);

INSERT INTO stage_totals (stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
       CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
       COUNT(*), COALESCE(SUM(lead_value), 0)
FROM leads WHERE deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER stage_totals_insert AFTER INSERT ON leads
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO stage_totals (stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
    VALUES (NEW.stage_id, COALESCE(NEW.assigned, 0), COALESCE(NEW.addedfrom, 0), NEW.is_public,
            CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END, COALESCE(NEW.source_id, 0),
            1, COALESCE(NEW.lead_value, 0))
    ON CONFLICT (stage_id, assigned, addedfrom, is_public, status, source_id)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

CREATE TRIGGER stage_totals_delete AFTER DELETE ON leads
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE stage_totals SET leads = leads - 1, value = value - COALESCE(OLD.lead_value, 0)
    WHERE stage_id = OLD.stage_id AND assigned = COALESCE(OLD.assigned, 0)
      AND addedfrom = COALESCE(OLD.addedfrom, 0) AND is_public = OLD.is_public
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END
      AND source_id = COALESCE(OLD.source_id, 0);
END;

-- An update leaves the old bucket and enters the new one (the same bucket nets out).
CREATE TRIGGER stage_totals_update_leave
AFTER UPDATE OF stage_id, assigned, addedfrom, is_public, lead_value, lost, junk, deleted_at, source_id ON leads
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE stage_totals SET leads = leads - 1, value = value - COALESCE(OLD.lead_value, 0)
    WHERE stage_id = OLD.stage_id AND assigned = COALESCE(OLD.assigned, 0)
      AND addedfrom = COALESCE(OLD.addedfrom, 0) AND is_public = OLD.is_public
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END
      AND source_id = COALESCE(OLD.source_id, 0);
END;

CREATE TRIGGER stage_totals_update_enter
AFTER UPDATE OF stage_id, assigned, addedfrom, is_public, lead_value, lost, junk, deleted_at, source_id ON leads
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO stage_totals (stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
    VALUES (NEW.stage_id, COALESCE(NEW.assigned, 0), COALESCE(NEW.addedfrom, 0), NEW.is_public,
            CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END, COALESCE(NEW.source_id, 0),
            1, COALESCE(NEW.lead_value, 0))
    ON CONFLICT (stage_id, assigned, addedfrom, is_public, status, source_id)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

-- Recent open leads per stage, for stalled counts and the stalled filter: the index range
-- carries every column those totals narrow by or add up, so they never read the table.
DROP INDEX leads_stage_activity;
CREATE INDEX leads_stage_activity
ON leads(stage_id, last_activity_at, assigned, addedfrom, is_public, source_id, lead_value)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
ANALYZE stage_totals;
ANALYZE leads_stage_activity;
