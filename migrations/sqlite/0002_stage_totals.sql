-- Deleted stages stay (soft-deleted) so past stays in stage history keep their stage.
ALTER TABLE stages ADD COLUMN deleted_at INTEGER;

-- Leads not in the trash, per stage, visibility bucket and status (0 open, 1 lost, 2 junk):
-- board column totals and list totals without scanning the leads. Kept exact by the triggers
-- below, in the writing transaction. 0 stands for "nobody" in assigned and addedfrom.
CREATE TABLE stage_totals (
    stage_id INTEGER NOT NULL,
    assigned INTEGER NOT NULL,
    addedfrom INTEGER NOT NULL,
    is_public INTEGER NOT NULL,
    status INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (stage_id, assigned, addedfrom, is_public, status)
);

INSERT INTO stage_totals (stage_id, assigned, addedfrom, is_public, status, leads, value)
SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
       CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COUNT(*), COALESCE(SUM(lead_value), 0)
FROM leads WHERE deleted_at IS NULL
GROUP BY stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
         CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END;

CREATE TRIGGER stage_totals_insert AFTER INSERT ON leads
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO stage_totals (stage_id, assigned, addedfrom, is_public, status, leads, value)
    VALUES (NEW.stage_id, COALESCE(NEW.assigned, 0), COALESCE(NEW.addedfrom, 0), NEW.is_public,
            CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END, 1, COALESCE(NEW.lead_value, 0))
    ON CONFLICT (stage_id, assigned, addedfrom, is_public, status)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

CREATE TRIGGER stage_totals_delete AFTER DELETE ON leads
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE stage_totals SET leads = leads - 1, value = value - COALESCE(OLD.lead_value, 0)
    WHERE stage_id = OLD.stage_id AND assigned = COALESCE(OLD.assigned, 0)
      AND addedfrom = COALESCE(OLD.addedfrom, 0) AND is_public = OLD.is_public
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END;
END;

-- An update leaves the old bucket and enters the new one (the same bucket nets out).
CREATE TRIGGER stage_totals_update_leave
AFTER UPDATE OF stage_id, assigned, addedfrom, is_public, lead_value, lost, junk, deleted_at ON leads
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE stage_totals SET leads = leads - 1, value = value - COALESCE(OLD.lead_value, 0)
    WHERE stage_id = OLD.stage_id AND assigned = COALESCE(OLD.assigned, 0)
      AND addedfrom = COALESCE(OLD.addedfrom, 0) AND is_public = OLD.is_public
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END;
END;

CREATE TRIGGER stage_totals_update_enter
AFTER UPDATE OF stage_id, assigned, addedfrom, is_public, lead_value, lost, junk, deleted_at ON leads
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO stage_totals (stage_id, assigned, addedfrom, is_public, status, leads, value)
    VALUES (NEW.stage_id, COALESCE(NEW.assigned, 0), COALESCE(NEW.addedfrom, 0), NEW.is_public,
            CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END, 1, COALESCE(NEW.lead_value, 0))
    ON CONFLICT (stage_id, assigned, addedfrom, is_public, status)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

-- Stalled counts: the open leads of a stage with recent activity are a short index range;
-- the stalled ones are the rest.
CREATE INDEX leads_stage_activity ON leads(stage_id, last_activity_at, assigned, addedfrom, is_public)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
