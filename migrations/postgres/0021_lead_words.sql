-- The words of each lead not in the trash, one row per word, for the search box. The GIN index
-- on `search_vector` finds a word's leads, but counting them (the list's total, the board's
-- column totals, the API's X-Total-Count) read every matching lead's heap page: ~150 ms for a
-- surname on 33k of a million leads, as PostgreSQL 15 fetches every page of a bitmap scan. This
-- table's index answers a word or a prefix as a range of entries, in order, with the lead's id
-- and how well the word ranks there beside it: an index-only scan.
--
-- `tier` is where the word is, as the search ranks it: 3 the name (weight A), 2 the company,
-- email or phone (B), 1 elsewhere. `word` sorts bytewise ("C"), so that a prefix is a range of
-- the index for any bound value.
CREATE TABLE lead_words (
    word TEXT COLLATE "C" NOT NULL,
    lead_id BIGINT NOT NULL,
    tier SMALLINT NOT NULL
);

-- A lead's words with their tiers, from its search vector.
CREATE FUNCTION leadline_lead_words(id BIGINT, words tsvector)
RETURNS TABLE (word TEXT, lead_id BIGINT, tier SMALLINT) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT w.lexeme, id,
           CAST(CASE WHEN 'A' = ANY(w.weights) THEN 3 WHEN 'B' = ANY(w.weights) THEN 2 ELSE 1 END AS SMALLINT)
    FROM unnest(words) AS w
$$;

INSERT INTO lead_words (word, lead_id, tier)
SELECT w.word, w.lead_id, w.tier
FROM leads l, leadline_lead_words(l.id, l.search_vector) AS w
WHERE l.deleted_at IS NULL;
CREATE INDEX lead_words_word ON lead_words (word, lead_id, tier);

-- New leads: once per statement (an import or the demo load inserts many at once).
CREATE FUNCTION leadline_lead_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_words (word, lead_id, tier)
    SELECT w.word, w.lead_id, w.tier
    FROM new_leads l, leadline_lead_words(l.id, l.search_vector) AS w
    WHERE l.deleted_at IS NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER lead_words_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadline_lead_words_insert();

-- A lead whose searched text changes, or that goes to the trash or comes back: its old words
-- leave (each found by its own entry), its new ones come. Only such updates fire it — a bulk
-- reassignment writes no word. Leads are only ever deleted from the trash, whose leads have
-- no words here, so a DELETE needs no trigger.
CREATE FUNCTION leadline_lead_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.deleted_at IS NULL THEN
        DELETE FROM lead_words w
        USING unnest(tsvector_to_array(OLD.search_vector)) AS gone(word)
        WHERE w.word = gone.word AND w.lead_id = OLD.id;
    END IF;
    IF NEW.deleted_at IS NULL THEN
        INSERT INTO lead_words (word, lead_id, tier)
        SELECT w.word, w.lead_id, w.tier FROM leadline_lead_words(NEW.id, NEW.search_vector) AS w;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER lead_words_update
    AFTER UPDATE OF name, title, company, email, phonenumber, city, state, zip, address, deleted_at ON leads
    FOR EACH ROW
    WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector
          OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION leadline_lead_words_update();

ANALYZE lead_words;
