-- The kept totals gain the lead's source as a dimension (0 stands for "no source"): a board,
-- a list or the sources page narrowed by source reads a few kept rows instead of every lead.
ALTER TABLE stage_totals ADD COLUMN source_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stage_totals DROP CONSTRAINT stage_totals_pkey;
DELETE FROM stage_totals;
INSERT INTO stage_totals (stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
       CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
       COUNT(*), COALESCE(SUM(lead_value), 0)
FROM leads WHERE deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6;
ALTER TABLE stage_totals ADD PRIMARY KEY (stage_id, assigned, addedfrom, is_public, status, source_id);
ALTER TABLE stage_totals ALTER COLUMN source_id DROP DEFAULT;

-- As in 0013, with the source: leads leaving (-1) and entering (+1) the counted set, added
-- up by bucket, buckets written in key order.
CREATE OR REPLACE FUNCTION leadline_stage_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_leads'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_leads'
        ELSE 'SELECT *, -1 AS sign FROM old_leads UNION ALL SELECT *, 1 AS sign FROM new_leads'
    END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO stage_totals AS t (stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
        SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
               CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               SUM(sign), SUM(sign * COALESCE(lead_value, 0))
        FROM (%s) AS changed
        WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING SUM(sign) <> 0 OR SUM(sign * COALESCE(lead_value, 0)) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (stage_id, assigned, addedfrom, is_public, status, source_id)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value
    $sql$, changed);
    RETURN NULL;
END
$$;

-- Recent open leads per stage, for stalled counts and the stalled filter: the index range
-- carries every column those totals narrow by or add up, so they never read the table.
DROP INDEX leads_stage_activity;
CREATE INDEX leads_stage_activity
ON leads(stage_id, last_activity_at, assigned, addedfrom, is_public, source_id, lead_value)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
ANALYZE stage_totals;
