-- The list sorted by any column: each sort walks one of these in one direction and stops
-- after the page (server/list.rs, `Run`), instead of sorting every selected lead. Ties are
-- by id, so the id ends every index. Leads in the trash are never listed.
CREATE INDEX leads_sort_name ON leads(name, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_company ON leads(company, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_value ON leads(lead_value, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_lastcontact ON leads(lastcontact, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_next_action ON leads(next_action_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_in_stage ON leads((COALESCE(last_status_change, dateadded)), id) WHERE deleted_at IS NULL;
-- One stage, assignee or source after another (a run each), newest first inside it.
CREATE INDEX leads_sort_stage ON leads(stage_id, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_assigned ON leads(assigned, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_source ON leads(source_id, id) WHERE deleted_at IS NULL;
PRAGMA analysis_limit = 1000;
ANALYZE;
