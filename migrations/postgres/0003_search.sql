-- Full-text search over the fields people look leads up by (the list's search box and
-- GET /api/leads/search): a GIN index over a tsvector of those fields. The text is folded
-- like SQLite's FTS5 `unicode61 remove_diacritics` tokenizer folds it — lower case, common
-- diacritics removed, split at anything not a letter or digit — so both databases find the
-- same leads for the same words. Tags are searched through their own index (`lead_tags_tag`).
CREATE FUNCTION leadline_search_vector(name TEXT, title TEXT, company TEXT, email TEXT, phonenumber TEXT,
                                       city TEXT, state TEXT, zip TEXT, address TEXT)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, regexp_replace(
        translate(lower(coalesce(name, '') || ' ' || coalesce(title, '') || ' ' || coalesce(company, '') || ' ' ||
                        coalesce(email, '') || ' ' || coalesce(phonenumber, '') || ' ' || coalesce(city, '') || ' ' ||
                        coalesce(state, '') || ' ' || coalesce(zip, '') || ' ' || coalesce(address, '')),
                  'ăâîșşțţáàäãåéèëêíìïóòöôõőúùüûűçñýÿ', 'aaissttaaaaaeeeeiiioooooouuuuucnyy'),
        '[^[:alnum:]]+', ' ', 'g'))
$$;

-- Stored, so an index hit is rechecked against the stored vector instead of recomputing it.
ALTER TABLE leads ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    leadline_search_vector(name, title, company, email, phonenumber, city, state, zip, address)
) STORED;

CREATE INDEX leads_search ON leads USING GIN (search_vector);
