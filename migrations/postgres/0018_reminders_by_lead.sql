-- Reminders by lead: the "overdue reminders" filter takes the leads with a reminder due and
-- not done from this index alone, and purging a lead finds its reminders without a scan.
CREATE INDEX reminders_lead ON reminders(lead_id, done_at, remind_at);
