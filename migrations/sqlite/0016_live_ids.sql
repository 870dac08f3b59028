-- The ids of the leads not in the trash, alone: the REST API pages newest first by id, and a
-- deep page (`OFFSET` 500,000) skips that many entries of this index without reading the
-- table (a covering index: the table itself, keyed by id, holds every column of every lead,
-- and a walk over it reads them all).
CREATE INDEX leads_live_id ON leads(id) WHERE deleted_at IS NULL;
