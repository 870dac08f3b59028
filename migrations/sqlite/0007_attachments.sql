-- Files attached to a lead. The bytes live under the data directory as `attachments/<storage_key>`
-- (a random name, never the uploader's); the row keeps the name and type shown to users.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_lead ON attachments(lead_id, created_at);
