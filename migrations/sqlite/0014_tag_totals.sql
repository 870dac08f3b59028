-- Kept totals per tag: the leads of each stage_totals bucket that carry a tag, so a board or
-- list narrowed by one tag (and the API's `#tag` count) sums a few kept rows instead of
-- joining every tagged lead. A lead counts once per tag it carries; the trash counts nowhere
-- (only leads in the trash are ever deleted, so a DELETE on `leads` needs no trigger here).
CREATE TABLE tag_totals (
    tag_id INTEGER NOT NULL,
    stage_id INTEGER NOT NULL,
    assigned INTEGER NOT NULL,
    addedfrom INTEGER NOT NULL,
    is_public INTEGER NOT NULL,
    status INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id)
);

INSERT INTO tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
SELECT lt.tag_id, l.stage_id, COALESCE(l.assigned, 0), COALESCE(l.addedfrom, 0), l.is_public,
       CASE WHEN l.lost = 1 THEN 1 WHEN l.junk = 1 THEN 2 ELSE 0 END, COALESCE(l.source_id, 0),
       COUNT(*), COALESCE(SUM(l.lead_value), 0)
FROM lead_tags lt JOIN leads l ON l.id = lt.lead_id
WHERE l.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- A tag given to a lead adds the lead to that tag's bucket.
CREATE TRIGGER tag_totals_tag_insert AFTER INSERT ON lead_tags
BEGIN
    INSERT INTO tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
    SELECT NEW.tag_id, l.stage_id, COALESCE(l.assigned, 0), COALESCE(l.addedfrom, 0), l.is_public,
           CASE WHEN l.lost = 1 THEN 1 WHEN l.junk = 1 THEN 2 ELSE 0 END, COALESCE(l.source_id, 0),
           1, COALESCE(l.lead_value, 0)
    FROM leads l WHERE l.id = NEW.lead_id AND l.deleted_at IS NULL
    ON CONFLICT (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

-- A tag taken off a lead takes the lead out of that tag's bucket.
CREATE TRIGGER tag_totals_tag_delete AFTER DELETE ON lead_tags
BEGIN
    UPDATE tag_totals
    SET leads = leads - 1,
        value = value - COALESCE((SELECT lead_value FROM leads WHERE id = OLD.lead_id), 0)
    WHERE (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id) =
          (SELECT OLD.tag_id, l.stage_id, COALESCE(l.assigned, 0), COALESCE(l.addedfrom, 0), l.is_public,
                  CASE WHEN l.lost = 1 THEN 1 WHEN l.junk = 1 THEN 2 ELSE 0 END, COALESCE(l.source_id, 0)
           FROM leads l WHERE l.id = OLD.lead_id AND l.deleted_at IS NULL);
END;

-- A lead changing bucket moves in every tag it carries (the same bucket nets out).
CREATE TRIGGER tag_totals_update_leave
AFTER UPDATE OF stage_id, assigned, addedfrom, is_public, lead_value, lost, junk, deleted_at, source_id ON leads
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE tag_totals SET leads = leads - 1, value = value - COALESCE(OLD.lead_value, 0)
    WHERE tag_id IN (SELECT tag_id FROM lead_tags WHERE lead_id = OLD.id)
      AND stage_id = OLD.stage_id AND assigned = COALESCE(OLD.assigned, 0)
      AND addedfrom = COALESCE(OLD.addedfrom, 0) AND is_public = OLD.is_public
      AND status = CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END
      AND source_id = COALESCE(OLD.source_id, 0);
END;

CREATE TRIGGER tag_totals_update_enter
AFTER UPDATE OF stage_id, assigned, addedfrom, is_public, lead_value, lost, junk, deleted_at, source_id ON leads
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
    SELECT lt.tag_id, NEW.stage_id, COALESCE(NEW.assigned, 0), COALESCE(NEW.addedfrom, 0), NEW.is_public,
           CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END, COALESCE(NEW.source_id, 0),
           1, COALESCE(NEW.lead_value, 0)
    FROM lead_tags lt WHERE lt.lead_id = NEW.id
    ON CONFLICT (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id)
    DO UPDATE SET leads = leads + 1, value = value + excluded.value;
END;

ANALYZE tag_totals;
