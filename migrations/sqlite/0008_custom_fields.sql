-- Custom fields on leads, defined by an admin, and each lead's values (one row per lead and
-- field that has a value; values are text, normalised by the field's kind).
CREATE TABLE custom_fields (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 0,
    show_in_list INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX custom_fields_label ON custom_fields(lower(label));
CREATE TABLE lead_custom_values (
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (lead_id, field_id)
);
-- Filtering the list by a field's value.
CREATE INDEX lead_custom_values_field ON lead_custom_values(field_id, value);
