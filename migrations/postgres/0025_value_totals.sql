-- Leads with a value, not in the trash, per stage, status (0 open, 1 lost, 2 junk), source
-- (0: none) and value band, kept by a trigger in every writing transaction. A board or list
-- narrowed by a value range (`value_min=10000`) counted every matching lead of the pipeline
-- (585k index entries at a million leads: ~125 ms); it now adds up the bands inside the range
-- and counts only the leads of the (at most two) bands the range cuts.
--
-- A band is every value sharing the first two digits and the number of digits: 1,230,000 lies
-- in [1,200,000, 1,300,000); values under 10 (and below zero) are a band each. So a band is at
-- most a tenth wider than its start, whatever the currency or the spread of values.
-- `server::board::value_band` computes the same bands.
CREATE FUNCTION leadline_value_band(v BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v < 10 THEN v
           ELSE CAST(LEFT(CAST(v AS TEXT), 2) AS BIGINT) * CAST(10 ^ (LENGTH(CAST(v AS TEXT)) - 2) AS BIGINT)
           END
$$;
CREATE FUNCTION leadline_value_band_end(v BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v < 10 THEN v + 1
           ELSE (CAST(LEFT(CAST(v AS TEXT), 2) AS BIGINT) + 1) * CAST(10 ^ (LENGTH(CAST(v AS TEXT)) - 2) AS BIGINT)
           END
$$;

-- The leads of a band a range cuts are counted from the list's value-sort index, which now
-- carries what they are counted by (an index-only scan: a band can hold 5 % of the leads, whose
-- rows lie all over the table — 21k heap pages for 24k leads, 140 ms).
DROP INDEX leads_sort_value;
CREATE INDEX leads_sort_value ON leads(lead_value, id) INCLUDE (stage_id, lost, junk, source_id)
    WHERE deleted_at IS NULL;

CREATE TABLE value_totals (
    stage_id BIGINT NOT NULL,
    status SMALLINT NOT NULL,
    source_id BIGINT NOT NULL,
    band BIGINT NOT NULL,
    band_end BIGINT NOT NULL,
    leads BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (stage_id, status, source_id, band)
);

INSERT INTO value_totals (stage_id, status, source_id, band, band_end, leads, value)
SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
       leadline_value_band(lead_value), leadline_value_band_end(lead_value), COUNT(*), SUM(lead_value)
FROM leads WHERE deleted_at IS NULL AND lead_value IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

-- Once per statement, as the stage totals: leads leaving (-1) and entering (+1) the counted set,
-- added up by bucket, buckets written in key order. A reassignment changes no bucket and
-- writes nothing.
CREATE FUNCTION leadline_value_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO value_totals AS t (stage_id, status, source_id, band, band_end, leads, value)
        SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               leadline_value_band(lead_value), leadline_value_band_end(lead_value), COUNT(*), SUM(lead_value)
        FROM new_leads WHERE deleted_at IS NULL AND lead_value IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4
        ON CONFLICT (stage_id, status, source_id, band)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO value_totals AS t (stage_id, status, source_id, band, band_end, leads, value)
        SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               leadline_value_band(lead_value), leadline_value_band_end(lead_value), -COUNT(*), -SUM(lead_value)
        FROM old_leads WHERE deleted_at IS NULL AND lead_value IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4
        ON CONFLICT (stage_id, status, source_id, band)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    ELSE
        INSERT INTO value_totals AS t (stage_id, status, source_id, band, band_end, leads, value)
        SELECT stage_id, CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COALESCE(source_id, 0),
               leadline_value_band(lead_value), leadline_value_band_end(lead_value),
               SUM(sign), SUM(sign * lead_value)
        FROM (
            SELECT stage_id, lost, junk, source_id, lead_value, -1 AS sign FROM old_leads
            WHERE deleted_at IS NULL AND lead_value IS NOT NULL
            UNION ALL
            SELECT stage_id, lost, junk, source_id, lead_value, 1 AS sign FROM new_leads
            WHERE deleted_at IS NULL AND lead_value IS NOT NULL
        ) AS changed
        GROUP BY 1, 2, 3, 4, 5
        HAVING SUM(sign) <> 0 OR SUM(sign * lead_value) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (stage_id, status, source_id, band)
        DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER value_totals_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadline_value_totals();
CREATE TRIGGER value_totals_update AFTER UPDATE ON leads
    REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadline_value_totals();
CREATE TRIGGER value_totals_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadline_value_totals();
ANALYZE value_totals;
