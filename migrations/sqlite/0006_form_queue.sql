-- Workspace settings an admin changes in the app (one row per key, the value as text).
CREATE TABLE app_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- The duplicate check: a new lead's email (and, when the setting asks, phone, website or
-- company) looked up among the existing leads, case-insensitively, without a scan.
CREATE INDEX leads_email_ci ON leads(lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX leads_phone ON leads(phonenumber) WHERE deleted_at IS NULL AND phonenumber IS NOT NULL;
CREATE INDEX leads_website_ci ON leads(lower(website)) WHERE deleted_at IS NULL AND website IS NOT NULL;
CREATE INDEX leads_company_ci ON leads(lower(company)) WHERE deleted_at IS NULL AND company IS NOT NULL;
-- The daily queue: one owner's open leads by next action due, and those never contacted.
CREATE INDEX leads_owner_next_action ON leads(assigned, next_action_at)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0 AND next_action_at IS NOT NULL;
CREATE INDEX leads_owner_uncontacted ON leads(assigned, dateadded)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0 AND lastcontact IS NULL;
-- Who did what that must be answerable later (e.g. erasing a lead's personal data on request).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
