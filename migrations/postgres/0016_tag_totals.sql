-- Kept totals per tag: the leads of each stage_totals bucket that carry a tag, so a board or
-- list narrowed by one tag (and the API's `#tag` count) sums a few kept rows instead of
-- joining every tagged lead. A lead counts once per tag it carries; the trash counts nowhere
-- (only leads in the trash are ever deleted, so a DELETE on `leads` needs no trigger here).
--
-- They are appended to, never updated in place (SQLite's, with one writer, are upserted): a
-- transaction that changes a lead's tags and its bucket columns takes several statements (the
-- lead's UPDATE, then its tags; a bulk tag action, one lead after another), and upserts would
-- lock kept rows in the order of those statements, so two such transactions crossing could
-- deadlock. Appended rows of one key add up (every reader sums them);
-- `leadline_fold_tag_totals()` folds them into one row per key (the server every minute, the
-- demo load at its end).
CREATE TABLE tag_totals (
    tag_id BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    assigned BIGINT NOT NULL,
    addedfrom BIGINT NOT NULL,
    is_public SMALLINT NOT NULL,
    status SMALLINT NOT NULL,
    source_id BIGINT NOT NULL,
    leads BIGINT NOT NULL,
    value BIGINT NOT NULL
);

INSERT INTO tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
SELECT lt.tag_id, l.stage_id, COALESCE(l.assigned, 0), COALESCE(l.addedfrom, 0), l.is_public,
       CASE WHEN l.lost = 1 THEN 1 WHEN l.junk = 1 THEN 2 ELSE 0 END, COALESCE(l.source_id, 0),
       COUNT(*), COALESCE(SUM(l.lead_value), 0)
FROM lead_tags lt JOIN leads l ON l.id = lt.lead_id
WHERE l.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;
CREATE INDEX tag_totals_key ON tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id);

-- Once per statement, as the stage totals (0013): lead-tag pairs leaving (-1) and entering
-- (+1) the counted set, added up by bucket and appended. `pairs` names the changed pairs with
-- the lead rows they are counted with.
CREATE FUNCTION leadline_tag_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pairs text := CASE TG_TABLE_NAME
        WHEN 'leads' THEN
            'SELECT c.*, lt.tag_id FROM (SELECT *, -1 AS sign FROM old_leads UNION ALL '
            'SELECT *, 1 AS sign FROM new_leads) AS c JOIN lead_tags lt ON lt.lead_id = c.id'
        ELSE
            'SELECT l.*, c.tag_id, c.sign FROM (' || CASE TG_OP
                WHEN 'INSERT' THEN 'SELECT lead_id, tag_id, 1 AS sign FROM new_tags'
                ELSE 'SELECT lead_id, tag_id, -1 AS sign FROM old_tags'
            END || ') AS c JOIN leads l ON l.id = c.lead_id'
    END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
        SELECT tag_id, stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
               CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               SUM(sign), SUM(sign * COALESCE(lead_value, 0))
        FROM (%s) AS changed
        WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING SUM(sign) <> 0 OR SUM(sign * COALESCE(lead_value, 0)) <> 0
    $sql$, pairs);
    RETURN NULL;
END
$$;

CREATE TRIGGER leads_tag_totals_update AFTER UPDATE ON leads
REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
FOR EACH STATEMENT EXECUTE FUNCTION leadline_tag_totals();

CREATE TRIGGER lead_tags_totals_insert AFTER INSERT ON lead_tags
REFERENCING NEW TABLE AS new_tags
FOR EACH STATEMENT EXECUTE FUNCTION leadline_tag_totals();

CREATE TRIGGER lead_tags_totals_delete AFTER DELETE ON lead_tags
REFERENCING OLD TABLE AS old_tags
FOR EACH STATEMENT EXECUTE FUNCTION leadline_tag_totals();

-- One row per key again, for the keys that have more (the others are left alone, so a fold
-- rewrites only what changed since the last). Rows appended by transactions that commit
-- meanwhile are not in this statement's snapshot, so they stay and still count; a second fold
-- running at once waits for the first's deleted rows and then finds them gone.
CREATE FUNCTION leadline_fold_tag_totals() RETURNS void LANGUAGE sql AS $$
    WITH folded AS (
        DELETE FROM tag_totals
        WHERE (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id) IN (
            SELECT tag_id, stage_id, assigned, addedfrom, is_public, status, source_id
            FROM tag_totals
            GROUP BY 1, 2, 3, 4, 5, 6, 7
            HAVING COUNT(*) > 1 OR SUM(leads) = 0 AND SUM(value) = 0
        )
        RETURNING *
    )
    INSERT INTO tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
    SELECT tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, SUM(leads), SUM(value)
    FROM folded
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING SUM(leads) <> 0 OR SUM(value) <> 0
$$;

ANALYZE tag_totals;

-- Stalled counts narrowed by a tag test each recent lead's id against the tag's leads: with
-- the id in the index, that reads no table rows (SQLite's indexes carry the rowid anyway).
DROP INDEX leads_stage_activity;
CREATE INDEX leads_stage_activity
ON leads(stage_id, last_activity_at, assigned, addedfrom, is_public, source_id, lead_value) INCLUDE (id)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
