-- Every index on `leads` costs each write of a lead an entry to change, as on PostgreSQL (its
-- migration 0028, which says why each of these goes): `leads_stage` and
-- `leads_assigned_stage` go, `leads_source` and `leads_sort_source` become one (source, id)
-- of every lead, and `leads_lost_reason` keeps only leads with a reason.
DROP INDEX leads_stage;
DROP INDEX leads_assigned_stage;
DROP INDEX leads_source;
DROP INDEX leads_sort_source;
CREATE INDEX leads_sort_source ON leads(source_id, id);
DROP INDEX leads_lost_reason;
CREATE INDEX leads_lost_reason ON leads(lost_reason_id, deleted_at) WHERE lost_reason_id IS NOT NULL;
ANALYZE leads_sort_source;
ANALYZE leads_lost_reason;
