-- Email delivery of notifications, when SMTP is configured: each is claimed by one process and
-- sent once; a failed send is released for a few more tries, its error kept.
ALTER TABLE notifications ADD COLUMN emailed_at INTEGER;
ALTER TABLE notifications ADD COLUMN email_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN email_error TEXT;
CREATE INDEX notifications_unemailed ON notifications(created_at) WHERE emailed_at IS NULL;
