-- Kept totals per tag: the leads of each stage_totals bucket that carry a tag, so a board or
-- list narrowed by one tag (and the API's `#tag` count) sums a few kept rows instead of
-- joining every tagged lead. A lead counts once per tag it carries; the trash counts nowhere
-- (only leads in the trash are ever deleted, so a DELETE on `leads` needs no trigger here).
CREATE TABLE tag_totals (
    tag_id BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    assigned BIGINT NOT NULL,
    addedfrom BIGINT NOT NULL,
    is_public SMALLINT NOT NULL,
    status SMALLINT NOT NULL,
    source_id BIGINT NOT NULL,
    leads BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id)
);

INSERT INTO tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
SELECT lt.tag_id, l.stage_id, COALESCE(l.assigned, 0), COALESCE(l.addedfrom, 0), l.is_public,
       CASE WHEN l.lost = 1 THEN 1 WHEN l.junk = 1 THEN 2 ELSE 0 END, COALESCE(l.source_id, 0),
       COUNT(*), COALESCE(SUM(l.lead_value), 0)
FROM lead_tags lt JOIN leads l ON l.id = lt.lead_id
WHERE l.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Once per statement, as the stage totals (0013): lead-tag pairs leaving (-1) and entering
-- (+1) the counted set, added up by bucket, buckets written in key order. `pairs` names
-- (lead_id, tag_id, sign) rows; `leads` the lead rows they are counted with.
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
        INSERT INTO tag_totals AS t (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
        SELECT tag_id, stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
               CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               SUM(sign), SUM(sign * COALESCE(lead_value, 0))
        FROM (%s) AS changed
        WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING SUM(sign) <> 0 OR SUM(sign * COALESCE(lead_value, 0)) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value
    $sql$, pairs);
    RETURN NULL;
END
$$;

-- Fires after leads_stage_totals_update (triggers run in name order): every statement locks
-- stage buckets before tag buckets.
CREATE TRIGGER leads_tag_totals_update AFTER UPDATE ON leads
REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
FOR EACH STATEMENT EXECUTE FUNCTION leadline_tag_totals();

CREATE TRIGGER lead_tags_totals_insert AFTER INSERT ON lead_tags
REFERENCING NEW TABLE AS new_tags
FOR EACH STATEMENT EXECUTE FUNCTION leadline_tag_totals();

CREATE TRIGGER lead_tags_totals_delete AFTER DELETE ON lead_tags
REFERENCING OLD TABLE AS old_tags
FOR EACH STATEMENT EXECUTE FUNCTION leadline_tag_totals();

ANALYZE tag_totals;

-- Stalled counts narrowed by a tag test each recent lead's id against the tag's leads: with
-- the id in the index, that reads no table rows (SQLite's indexes carry the rowid anyway).
DROP INDEX leads_stage_activity;
CREATE INDEX leads_stage_activity
ON leads(stage_id, last_activity_at, assigned, addedfrom, is_public, source_id, lead_value) INCLUDE (id)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
