-- The stage totals trigger (0015) built its statement as text and ran it with EXECUTE, so
-- PostgreSQL parsed and planned it again for every statement that changed leads. It reads the
-- changed rows alone: written out per operation, as the value and day totals are (0025, 0027),
-- each statement is planned once per connection. What it adds up is unchanged.

CREATE OR REPLACE FUNCTION leadline_stage_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO stage_totals AS t (stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
        SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
               CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               COUNT(*), COALESCE(SUM(lead_value), 0)
        FROM new_leads
        WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (stage_id, assigned, addedfrom, is_public, status, source_id)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO stage_totals AS t (stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
        SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
               CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               -COUNT(*), -COALESCE(SUM(lead_value), 0)
        FROM old_leads
        WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (stage_id, assigned, addedfrom, is_public, status, source_id)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    ELSE
        INSERT INTO stage_totals AS t (stage_id, assigned, addedfrom, is_public, status, source_id, leads, value)
        SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
               CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               SUM(sign), SUM(sign * COALESCE(lead_value, 0))
        FROM (
            SELECT stage_id, assigned, addedfrom, is_public, lost, junk, source_id, lead_value, -1 AS sign
            FROM old_leads WHERE deleted_at IS NULL
            UNION ALL
            SELECT stage_id, assigned, addedfrom, is_public, lost, junk, source_id, lead_value, 1 AS sign
            FROM new_leads WHERE deleted_at IS NULL
        ) AS changed
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING SUM(sign) <> 0 OR SUM(sign * COALESCE(lead_value, 0)) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (stage_id, assigned, addedfrom, is_public, status, source_id)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    END IF;
    RETURN NULL;
END
$$;

-- Tag totals stay built per statement: they join the changed rows with `lead_tags` or `leads`,
-- and a plan kept from a first statement of 50,000 imported leads (a hash of a whole table)
-- would then serve every one-lead edit of the connection. On `leads`, only the leads whose
-- counted bucket changed are joined to their tags now (a new name or last contact changes
-- none).
CREATE OR REPLACE FUNCTION leadline_tag_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pairs text := CASE TG_TABLE_NAME
        WHEN 'leads' THEN
            'SELECT c.*, lt.tag_id FROM old_leads o JOIN new_leads n ON n.id = o.id '
            'CROSS JOIN LATERAL (SELECT o.*, -1 AS sign UNION ALL SELECT n.*, 1 AS sign) AS c '
            'JOIN lead_tags lt ON lt.lead_id = c.id '
            'WHERE (o.stage_id, o.assigned, o.addedfrom, o.is_public, o.lost, o.junk, o.source_id, '
            'o.lead_value, o.deleted_at) IS DISTINCT FROM (n.stage_id, n.assigned, n.addedfrom, '
            'n.is_public, n.lost, n.junk, n.source_id, n.lead_value, n.deleted_at)'
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
