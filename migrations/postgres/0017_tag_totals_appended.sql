-- On PostgreSQL the tag totals are appended to, never updated in place. A transaction that
-- changes a lead's tags and its bucket columns takes several statements (the lead's UPDATE,
-- then its tags; a bulk tag action, one lead after another), and upserts would lock kept rows
-- in the order of those statements: two such transactions crossing could deadlock. Appended
-- rows of one key add up (every reader sums them); `leadline_fold_tag_totals()` folds them
-- into one row per key (the server does every minute, the demo load at its end).
ALTER TABLE tag_totals DROP CONSTRAINT tag_totals_pkey;
CREATE INDEX tag_totals_key ON tag_totals (tag_id, stage_id, assigned, addedfrom, is_public, status, source_id);

CREATE OR REPLACE FUNCTION leadline_tag_totals() RETURNS trigger LANGUAGE plpgsql AS $$
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
