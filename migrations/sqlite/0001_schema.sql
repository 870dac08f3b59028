-- Leadline schema. One source, two dialects: `gen.sh` expands the markers
--   INTEGER PRIMARY KEY      integer primary key        INTEGER  0/1 flag (no BOOLEAN: sqlx's Any driver reads
--   INTEGER     64-bit integer                      SQLite BOOLEAN as an unsupported type)
--   REAL    8-byte float               Timestamps are INTEGER milliseconds since the Unix epoch (UTC).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'sales')),
    language TEXT NOT NULL DEFAULT 'en',
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE stages (
    id INTEGER PRIMARY KEY,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    color TEXT NOT NULL DEFAULT '#64748b',
    probability INTEGER NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
    stalled_after_days INTEGER,
    -- comma-separated lead field names that must be filled before a lead enters the stage
    required_fields TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stages_pipeline ON stages(pipeline_id, position);

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    is_default INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE lost_reasons (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    company TEXT NOT NULL,
    phonenumber TEXT,
    website TEXT,
    address TEXT,
    city TEXT,
    state TEXT,
    zip TEXT,
    country TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL DEFAULT '',
    email TEXT,
    phonenumber TEXT,
    title TEXT,
    is_primary INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX contacts_client ON contacts(client_id);
CREATE INDEX contacts_email ON contacts(email);

CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    title TEXT,
    company TEXT,
    description TEXT,
    country TEXT,
    zip TEXT,
    city TEXT,
    state TEXT,
    address TEXT,
    email TEXT,
    website TEXT,
    phonenumber TEXT,
    lead_value INTEGER,
    default_language TEXT,
    is_public INTEGER NOT NULL DEFAULT 0,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id INTEGER NOT NULL REFERENCES stages(id),
    position REAL NOT NULL DEFAULT 0,
    source_id INTEGER REFERENCES sources(id),
    assigned INTEGER REFERENCES users(id),
    addedfrom INTEGER REFERENCES users(id),
    dateadded INTEGER NOT NULL,
    dateassigned INTEGER,
    lastcontact INTEGER,
    last_status_change INTEGER,
    last_activity_at INTEGER NOT NULL,
    next_action TEXT,
    next_action_at INTEGER,
    lost INTEGER NOT NULL DEFAULT 0,
    lost_reason_id INTEGER REFERENCES lost_reasons(id),
    lost_note TEXT,
    junk INTEGER NOT NULL DEFAULT 0,
    -- the stage a lost/junk lead left, so reopening returns it there (Perfex: last_lead_status)
    last_stage_id INTEGER REFERENCES stages(id),
    date_converted INTEGER,
    client_id INTEGER REFERENCES clients(id),
    from_form_id INTEGER,
    is_imported_from_email_integration INTEGER NOT NULL DEFAULT 0,
    email_integration_uid TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
-- board: cards of one stage in order, open leads only
CREATE INDEX leads_board ON leads(stage_id, position, id) WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
-- a sales rep's own leads per stage (board and counts under the "own" scope)
CREATE INDEX leads_assigned_stage ON leads(assigned, stage_id) WHERE deleted_at IS NULL;
CREATE INDEX leads_addedfrom ON leads(addedfrom) WHERE deleted_at IS NULL;
CREATE INDEX leads_public ON leads(is_public) WHERE deleted_at IS NULL AND is_public = 1;
-- list default order and created-range filters
CREATE INDEX leads_dateadded ON leads(dateadded, id) WHERE deleted_at IS NULL;
-- counts per stage (settings, board headers) and per stage and owner
CREATE INDEX leads_stage ON leads(stage_id, assigned) WHERE deleted_at IS NULL;
-- per-source and per-reason counts, with and without the trash (settings, reports)
CREATE INDEX leads_source ON leads(source_id, deleted_at);
CREATE INDEX leads_lost_reason ON leads(lost_reason_id, deleted_at);
CREATE INDEX leads_email ON leads(email);
CREATE INDEX leads_deleted ON leads(deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE lead_tags (
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (lead_id, tag_id)
);
CREATE INDEX lead_tags_tag ON lead_tags(tag_id, lead_id);

-- One row per stay of a lead in a stage; left_at is NULL for the current stay.
CREATE TABLE lead_stage_history (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    from_stage_id INTEGER REFERENCES stages(id),
    to_stage_id INTEGER NOT NULL REFERENCES stages(id),
    entered_at INTEGER NOT NULL,
    left_at INTEGER,
    by_user_id INTEGER REFERENCES users(id),
    via TEXT NOT NULL
);
CREATE INDEX stage_history_lead ON lead_stage_history(lead_id, entered_at);
CREATE INDEX stage_history_stage ON lead_stage_history(to_stage_id, entered_at);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('note', 'call', 'email', 'meeting', 'system')),
    event TEXT,
    body TEXT,
    outcome TEXT,
    duration_minutes INTEGER,
    -- JSON array of {"field","old","new"} for system events that changed fields
    changes TEXT,
    user_id INTEGER REFERENCES users(id),
    via TEXT NOT NULL DEFAULT 'ui',
    created_at INTEGER NOT NULL
);
CREATE INDEX activities_lead ON activities(lead_id, created_at);

CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_by INTEGER REFERENCES users(id),
    remind_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    done_at INTEGER,
    fired_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX reminders_due ON reminders(remind_at) WHERE fired_at IS NULL AND done_at IS NULL;
CREATE INDEX reminders_user ON reminders(user_id, remind_at) WHERE done_at IS NULL;

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    lead_id INTEGER REFERENCES leads(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

CREATE TABLE opportunities (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    lead_id INTEGER REFERENCES leads(id),
    name TEXT NOT NULL,
    value INTEGER,
    stage TEXT NOT NULL DEFAULT 'qualification',
    expected_close_at INTEGER,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX opportunities_client ON opportunities(client_id);
CREATE INDEX opportunities_lead ON opportunities(lead_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    -- comma-separated subset of get,search_get,post,put,delete
    capabilities TEXT NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    last_used_at INTEGER,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    shared INTEGER NOT NULL DEFAULT 0,
    -- the view's filter and sort, as the URL query string of the leads page
    query TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX saved_views_user ON saved_views(user_id);

CREATE TABLE user_settings (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
