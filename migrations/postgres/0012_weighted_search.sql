-- Search results ranked by where the words were found (the list's "best match" order):
-- the search vector now weighs the name A, company, email and phone B, the rest D, so that
-- `ts_rank` alone ranks a lead, without recomputing any text per match. What matches is
-- unchanged: the same words, folded as before (see 0003).
DROP INDEX leads_search;
ALTER TABLE leads DROP COLUMN search_vector;

CREATE FUNCTION leadline_words(text TEXT) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, regexp_replace(
        translate(lower(coalesce(text, '')),
                  'ăâîșşțţáàäãåéèëêíìïóòöôõőúùüûűçñýÿ', 'aaissttaaaaaeeeeiiioooooouuuuucnyy'),
        '[^[:alnum:]]+', ' ', 'g'))
$$;

CREATE OR REPLACE FUNCTION leadline_search_vector(name TEXT, title TEXT, company TEXT, email TEXT, phonenumber TEXT,
                                                  city TEXT, state TEXT, zip TEXT, address TEXT)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(leadline_words(name), 'A')
        || setweight(leadline_words(coalesce(company, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phonenumber, '')), 'B')
        || setweight(leadline_words(coalesce(title, '') || ' ' || coalesce(city, '') || ' ' || coalesce(state, '') || ' ' ||
                                    coalesce(zip, '') || ' ' || coalesce(address, '')), 'D')
$$;

ALTER TABLE leads ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    leadline_search_vector(name, title, company, email, phonenumber, city, state, zip, address)
) STORED;

CREATE INDEX leads_search ON leads USING GIN (search_vector);
ANALYZE leads;
