-- The list sorted by phone ends with the leads without one: a run that walks this index's
-- empty entries (server/list.rs, `Run::valued`). The index it replaces held only leads with a
-- phone, so that run read every lead to find none; the duplicate check uses this one as it did.
DROP INDEX leads_phone;
CREATE INDEX leads_phone ON leads(phonenumber, id) WHERE deleted_at IS NULL;
