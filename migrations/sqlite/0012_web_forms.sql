-- Web-to-lead forms: a public page at /forms/wtl/{form_key} whose submissions become leads in
-- the form's stage, with its source, assignee and tags. `fields` is the form's fields in order,
-- as JSON: [{"field": "email", "required": true}, …] (a lead field's name or `custom_<id>`).
CREATE TABLE web_forms (
    -- AUTOINCREMENT: a deleted form's id (which its leads keep) is never given to a new one.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    fields TEXT NOT NULL,
    stage_id INTEGER NOT NULL REFERENCES stages(id),
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    assigned INTEGER REFERENCES users(id) ON DELETE SET NULL,
    tags TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    submit_label TEXT NOT NULL DEFAULT '',
    success_message TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- A form's submissions count (only leads that came through a form are in it).
CREATE INDEX leads_from_form ON leads(from_form_id) WHERE from_form_id IS NOT NULL;
