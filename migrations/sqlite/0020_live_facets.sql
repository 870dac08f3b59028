-- What a count, a total or a column's order reads of each lead that a word search finds, keyed
-- by id: the search index yields ids, and looking each one up here reads a few numbers instead
-- of the lead's whole row (server/board.rs, `facets_cover`). For `popescu`'s 33k matches at
-- 1 M leads the list's counts read 61 -> 33 ms (BENCHMARKS.md). SQLite only: PostgreSQL reads
-- a search's matches from the table by the bitmap of its full-text index.
CREATE INDEX leads_live_facets
    ON leads(id, pipeline_id, stage_id, lost, junk, lead_value, last_activity_at, position)
    WHERE deleted_at IS NULL;
