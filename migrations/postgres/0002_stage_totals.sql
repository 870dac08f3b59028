-- Deleted stages stay (soft-deleted) so past stays in stage history keep their stage.
ALTER TABLE stages ADD COLUMN deleted_at BIGINT;

-- Leads not in the trash, per stage, visibility bucket and status (0 open, 1 lost, 2 junk):
-- board column totals and list totals without scanning the leads. Kept exact by the trigger
-- below, in the writing transaction. 0 stands for "nobody" in assigned and addedfrom.
CREATE TABLE stage_totals (
    stage_id BIGINT NOT NULL,
    assigned BIGINT NOT NULL,
    addedfrom BIGINT NOT NULL,
    is_public SMALLINT NOT NULL,
    status SMALLINT NOT NULL,
    leads BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (stage_id, assigned, addedfrom, is_public, status)
);

INSERT INTO stage_totals (stage_id, assigned, addedfrom, is_public, status, leads, value)
SELECT stage_id, COALESCE(assigned, 0), COALESCE(addedfrom, 0), is_public,
       CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END, COUNT(*), COALESCE(SUM(lead_value), 0)
FROM leads WHERE deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5;

-- Adds `p_leads` leads worth `p_amount` to a bucket (negative to take them out).
CREATE FUNCTION leadline_count_leads(p_stage BIGINT, p_owner BIGINT, p_creator BIGINT, p_public SMALLINT,
                                     p_status SMALLINT, p_leads BIGINT, p_amount BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO stage_totals AS t (stage_id, assigned, addedfrom, is_public, status, leads, value)
    VALUES (p_stage, COALESCE(p_owner, 0), COALESCE(p_creator, 0), p_public, p_status, p_leads, COALESCE(p_amount, 0))
    ON CONFLICT (stage_id, assigned, addedfrom, is_public, status)
    DO UPDATE SET leads = t.leads + excluded.leads, value = t.value + excluded.value
$$;

CREATE FUNCTION leadline_stage_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_counted boolean := false;
    is_counted boolean := false;
    old_status SMALLINT;
    new_status SMALLINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was_counted := OLD.deleted_at IS NULL;
        old_status := CASE WHEN OLD.lost = 1 THEN 1 WHEN OLD.junk = 1 THEN 2 ELSE 0 END;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        is_counted := NEW.deleted_at IS NULL;
        new_status := CASE WHEN NEW.lost = 1 THEN 1 WHEN NEW.junk = 1 THEN 2 ELSE 0 END;
    END IF;
    IF was_counted AND is_counted AND OLD.stage_id = NEW.stage_id
       AND OLD.assigned IS NOT DISTINCT FROM NEW.assigned
       AND OLD.addedfrom IS NOT DISTINCT FROM NEW.addedfrom
       AND OLD.is_public = NEW.is_public AND old_status = new_status THEN
        IF OLD.lead_value IS DISTINCT FROM NEW.lead_value THEN
            PERFORM leadline_count_leads(NEW.stage_id, NEW.assigned, NEW.addedfrom, NEW.is_public, new_status,
                0, COALESCE(NEW.lead_value, 0) - COALESCE(OLD.lead_value, 0));
        END IF;
        RETURN NULL;
    END IF;
    -- Two buckets are always locked in key order, so crossing moves cannot deadlock.
    IF was_counted AND is_counted
       AND ROW(NEW.stage_id, COALESCE(NEW.assigned, 0), COALESCE(NEW.addedfrom, 0), NEW.is_public, new_status)
         < ROW(OLD.stage_id, COALESCE(OLD.assigned, 0), COALESCE(OLD.addedfrom, 0), OLD.is_public, old_status) THEN
        PERFORM leadline_count_leads(NEW.stage_id, NEW.assigned, NEW.addedfrom, NEW.is_public, new_status, 1, NEW.lead_value);
        PERFORM leadline_count_leads(OLD.stage_id, OLD.assigned, OLD.addedfrom, OLD.is_public, old_status, -1, -OLD.lead_value);
        RETURN NULL;
    END IF;
    IF was_counted THEN
        PERFORM leadline_count_leads(OLD.stage_id, OLD.assigned, OLD.addedfrom, OLD.is_public, old_status, -1, -OLD.lead_value);
    END IF;
    IF is_counted THEN
        PERFORM leadline_count_leads(NEW.stage_id, NEW.assigned, NEW.addedfrom, NEW.is_public, new_status, 1, NEW.lead_value);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER leads_stage_totals
AFTER INSERT OR DELETE OR UPDATE OF stage_id, assigned, addedfrom, is_public, lead_value, lost, junk, deleted_at ON leads
FOR EACH ROW EXECUTE FUNCTION leadline_stage_totals();

-- Stalled counts: the open leads of a stage with recent activity are a short index range;
-- the stalled ones are the rest.
CREATE INDEX leads_stage_activity ON leads(stage_id, last_activity_at, assigned, addedfrom, is_public)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
