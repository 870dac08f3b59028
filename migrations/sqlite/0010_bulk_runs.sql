-- A bulk action on many leads (or the undo of one): what it does, how far it got, and one row
-- per selected lead with its outcome and, for a changed lead, its values before the change
-- (so an undo can put them back) and its version after it (so an undo never overwrites a
-- later edit).
CREATE TABLE bulk_runs (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- the action as JSON (models::BulkAction)
    action TEXT NOT NULL,
    undo_of INTEGER REFERENCES bulk_runs(id) ON DELETE CASCADE,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    finished_at INTEGER,
    -- when a process last made progress on it (a run nobody works on for a while is resumed)
    worked_at INTEGER NOT NULL,
    -- the run that undid this one
    undone_by INTEGER
);
CREATE INDEX bulk_runs_user ON bulk_runs(user_id, created_at);
CREATE INDEX bulk_runs_unfinished ON bulk_runs(worked_at) WHERE finished_at IS NULL;

CREATE TABLE bulk_run_leads (
    run_id INTEGER NOT NULL REFERENCES bulk_runs(id) ON DELETE CASCADE,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    -- changed, unchanged (it already was so) or skipped (reason says why)
    outcome TEXT NOT NULL,
    reason TEXT,
    before TEXT,
    version INTEGER,
    PRIMARY KEY (run_id, lead_id)
);
