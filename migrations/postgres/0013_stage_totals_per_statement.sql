-- The stage totals are kept once per statement instead of once per row: a statement that
-- changes many leads (a bulk batch's one UPDATE, the demo's multi-row INSERTs) adds up its
-- changes per bucket and writes each bucket once. (Per row, a batch of 200 reassigned leads
-- wrote 400 bucket updates, half the cost of the UPDATE itself at a million leads.)
DROP TRIGGER leads_stage_totals ON leads;
DROP FUNCTION leadline_stage_totals();
DROP FUNCTION leadline_count_leads(BIGINT, BIGINT, BIGINT, SMALLINT, SMALLINT, BIGINT, BIGINT);

-- Leads leaving (-1) and entering (+1) the counted set, added up by bucket; buckets are
-- written in key order, so two statements never lock them in a circle.
CREATE FUNCTION leadline_stage_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_leads'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_leads'
        ELSE 'SELECT *, -1 AS sign FROM old_leads UNION ALL SELECT *, 1 AS sign FROM new_leads'
    END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO stage_totals AS t (stage_id, assigned, addedfrom, is_public, status, leads, value)
        SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
               CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END,
               SUM(sign), SUM(sign * COALESCE(lead_value, 0))
        FROM (%s) AS changed
        WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5
        HAVING SUM(sign) <> 0 OR SUM(sign * COALESCE(lead_value, 0)) <> 0
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (stage_id, assigned, addedfrom, is_public, status)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value
    $sql$, changed);
    RETURN NULL;
END
$$;

CREATE TRIGGER leads_stage_totals_insert AFTER INSERT ON leads
REFERENCING NEW TABLE AS new_leads
FOR EACH STATEMENT EXECUTE FUNCTION leadline_stage_totals();

CREATE TRIGGER leads_stage_totals_update AFTER UPDATE ON leads
REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
FOR EACH STATEMENT EXECUTE FUNCTION leadline_stage_totals();

CREATE TRIGGER leads_stage_totals_delete AFTER DELETE ON leads
REFERENCING OLD TABLE AS old_leads
FOR EACH STATEMENT EXECUTE FUNCTION leadline_stage_totals();
