-- Leads not in the trash per stage, status (0 open, 1 lost, 2 junk), source (0: none) and day
-- of creation (its midnight, UTC, in ms), with their value, kept by a trigger in every writing
-- transaction. A board or list narrowed by a created range (`created_from`, `created_to`,
-- `created_today`) counted every lead the range selects (a year's leads at a million: ~220 ms);
-- the range's bounds are midnights, so its totals are the sum of its days' rows.
-- No lead is written between counting the days and the trigger taking over (another instance).
LOCK TABLE leads IN SHARE ROW EXCLUSIVE MODE;

CREATE FUNCTION leadline_day(ms BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ms - ((ms % 86400000) + 86400000) % 86400000
$$;

CREATE TABLE day_totals (
    stage_id BIGINT NOT NULL,
    status SMALLINT NOT NULL,
    source_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    leads BIGINT NOT NULL,
    value BIGINT NOT NULL,
    -- A range's days lie together for each stage and status, whatever the source.
    PRIMARY KEY (stage_id, status, day, source_id)
);

INSERT INTO day_totals (stage_id, status, source_id, day, leads, value)
SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
       leadline_day(dateadded), COUNT(*), COALESCE(SUM(lead_value), 0)
FROM leads WHERE deleted_at IS NULL
GROUP BY 1, 2, 3, 4;

-- Once per statement, as the value bands: leads leaving (-1) and entering (+1) the counted set,
-- added up by bucket, buckets written in key order. A reassignment changes no bucket and
-- writes nothing.
CREATE FUNCTION leadline_day_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO day_totals AS t (stage_id, status, source_id, day, leads, value)
        SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               leadline_day(dateadded), COUNT(*), COALESCE(SUM(lead_value), 0)
        FROM new_leads WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 4, 3
        ON CONFLICT (stage_id, status, day, source_id)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO day_totals AS t (stage_id, status, source_id, day, leads, value)
        SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               leadline_day(dateadded), -COUNT(*), -COALESCE(SUM(lead_value), 0)
        FROM old_leads WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 4, 3
        ON CONFLICT (stage_id, status, day, source_id)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    ELSE
        INSERT INTO day_totals AS t (stage_id, status, source_id, day, leads, value)
        SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               leadline_day(dateadded), SUM(sign), COALESCE(SUM(sign * lead_value), 0)
        FROM (
            SELECT stage_id, lost, junk, source_id, dateadded, lead_value, -1 AS sign FROM old_leads
            WHERE deleted_at IS NULL
            UNION ALL
            SELECT stage_id, lost, junk, source_id, dateadded, lead_value, 1 AS sign FROM new_leads
            WHERE deleted_at IS NULL
        ) AS changed
        GROUP BY 1, 2, 3, 4
        HAVING SUM(sign) <> 0 OR COALESCE(SUM(sign * lead_value), 0) <> 0
        ORDER BY 1, 2, 4, 3
        ON CONFLICT (stage_id, status, day, source_id)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER day_totals_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadline_day_totals();
CREATE TRIGGER day_totals_update AFTER UPDATE ON leads
    REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadline_day_totals();
CREATE TRIGGER day_totals_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadline_day_totals();

-- The stalled counts of a created range walk each stage's recent leads as before; the index
-- range now carries their creation time too, so they still never read the table.
DROP INDEX leads_stage_activity;
CREATE INDEX leads_stage_activity
ON leads(stage_id, last_activity_at, assigned, addedfrom, is_public, source_id, lead_value) INCLUDE (id, dateadded)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
ANALYZE day_totals;
