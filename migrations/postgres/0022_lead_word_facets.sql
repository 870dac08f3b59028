-- Each word row also holds what a searched list or board narrows, counts and orders its
-- matches by — the lead's pipeline, stage, status, value, last activity and board position, the
-- columns of SQLite's `leads_live_facets` (migration 0020 there) — so that a word search's
-- counts, column totals and first cards are one range of this table's index (an index-only
-- scan) instead of a visit to every match's page of the wide `leads` table (27k pages for a
-- surname on 33k of a million leads: ~140 ms). A word row is rewritten when one of these
-- changes (a move, a status, a value, an activity); a reassignment writes none.
--
-- The table is built again with them, in one go (its index then packs tight).
DROP TRIGGER lead_words_insert ON leads;
DROP TRIGGER lead_words_update ON leads;
DROP FUNCTION leadline_lead_words_insert();
DROP FUNCTION leadline_lead_words_update();
DROP FUNCTION leadline_lead_words(BIGINT, tsvector);
DROP TABLE lead_words;

CREATE TABLE lead_words (
    word TEXT COLLATE "C" NOT NULL,
    lead_id BIGINT NOT NULL,
    tier SMALLINT NOT NULL,
    pipeline_id BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    lost SMALLINT NOT NULL,
    junk SMALLINT NOT NULL,
    lead_value BIGINT,
    last_activity_at BIGINT NOT NULL,
    position DOUBLE PRECISION NOT NULL
);

-- A lead's words with their tiers (3 the name, weight A; 2 the company, email or phone, B;
-- 1 elsewhere), from its search vector, each with the lead's facts.
CREATE FUNCTION leadline_lead_words(l leads)
RETURNS SETOF lead_words LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT w.lexeme, l.id,
           CAST(CASE WHEN 'A' = ANY(w.weights) THEN 3 WHEN 'B' = ANY(w.weights) THEN 2 ELSE 1 END AS SMALLINT),
           l.pipeline_id, l.stage_id, l.lost, l.junk, l.lead_value, l.last_activity_at, l.position
    FROM unnest(l.search_vector) AS w
$$;

INSERT INTO lead_words
SELECT w.* FROM leads l, leadline_lead_words(l) AS w WHERE l.deleted_at IS NULL;
CREATE INDEX lead_words_word ON lead_words (word, lead_id, tier)
    INCLUDE (pipeline_id, stage_id, lost, junk, lead_value, last_activity_at, position);

-- New leads: once per statement (an import or the demo load inserts many at once).
CREATE FUNCTION leadline_lead_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_words
    SELECT w.* FROM leads l, leadline_lead_words(l) AS w
    WHERE l.id IN (SELECT n.id FROM new_leads n) AND l.deleted_at IS NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER lead_words_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadline_lead_words_insert();

-- A lead whose searched text changes, or that goes to the trash or comes back: its old words
-- leave (each found by its own entry), its new ones come. A lead whose facts change keeps its
-- words with the new facts. Leads are only ever deleted from the trash, whose leads have no
-- words here, so a DELETE needs no trigger.
CREATE FUNCTION leadline_lead_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.search_vector IS NOT DISTINCT FROM NEW.search_vector
       AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NULL THEN
        UPDATE lead_words w
        SET pipeline_id = NEW.pipeline_id, stage_id = NEW.stage_id, lost = NEW.lost,
            junk = NEW.junk, lead_value = NEW.lead_value,
            last_activity_at = NEW.last_activity_at, position = NEW.position
        WHERE w.word = ANY(tsvector_to_array(NEW.search_vector)) AND w.lead_id = NEW.id;
        RETURN NULL;
    END IF;
    IF OLD.deleted_at IS NULL THEN
        DELETE FROM lead_words w
        WHERE w.word = ANY(tsvector_to_array(OLD.search_vector)) AND w.lead_id = OLD.id;
    END IF;
    IF NEW.deleted_at IS NULL THEN
        INSERT INTO lead_words SELECT * FROM leadline_lead_words(NEW);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER lead_words_update
    AFTER UPDATE OF name, title, company, email, phonenumber, city, state, zip, address, deleted_at,
        pipeline_id, stage_id, lost, junk, lead_value, last_activity_at, position ON leads
    FOR EACH ROW
    WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector
          OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
          OR (NEW.deleted_at IS NULL
              AND (OLD.pipeline_id, OLD.stage_id, OLD.lost, OLD.junk, OLD.lead_value,
                   OLD.last_activity_at, OLD.position)
                  IS DISTINCT FROM (NEW.pipeline_id, NEW.stage_id, NEW.lost, NEW.junk,
                   NEW.lead_value, NEW.last_activity_at, NEW.position)))
    EXECUTE FUNCTION leadline_lead_words_update();

ANALYZE lead_words;
