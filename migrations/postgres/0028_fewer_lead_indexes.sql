-- Every update of a lead that changes an indexed column (a reassignment: `assigned`) writes an
-- entry into every index on `leads` whose condition the lead meets: ~30 for an open lead, a
-- random page of each, which is most of a bulk reassignment's time (a 200-lead batch: ~100 ms
-- at a million leads). Indexes no read needs go, and two that skip most leads skip them:
-- - `leads_stage` (stage, owner) and `leads_assigned_stage` (owner, stage): the counts they
--   served come from the kept totals; stage ranges are `leads_board` and `leads_sort_stage`,
--   owner and stage `leads_board_owner`;
-- - `leads_source` (source, trash) and `leads_sort_source` (source, id; live leads) become one
--   (source, id) of every lead: the source sort's runs, the source filter, the count of a source's
--   leads before it is deleted and the foreign key's check all read it;
-- - `leads_lost_reason` keeps only leads with a reason (lost ones): its foreign key's check and
--   the settings' counts look for reasons;
-- - the UNIQUE constraint on `hash`: nothing looks a lead up by it, and it is 32 random hex digits
--   (128 bits of `auth::random_token`), never chosen by a client.
DROP INDEX leads_stage;
DROP INDEX leads_assigned_stage;
DROP INDEX leads_source;
DROP INDEX leads_sort_source;
CREATE INDEX leads_sort_source ON leads(source_id, id);
DROP INDEX leads_lost_reason;
CREATE INDEX leads_lost_reason ON leads(lost_reason_id, deleted_at) WHERE lost_reason_id IS NOT NULL;
ALTER TABLE leads DROP CONSTRAINT leads_hash_key;
