//! Reminders on a lead: when, for whom, what. They reach their owner's notifications and
//! daily queue when due.

use crate::error::{AppError, Check};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// How long a snooze may push a reminder (minutes): up to 30 days.
pub const MAX_SNOOZE_MINUTES: i64 = 30 * 24 * 60;

/// The reminder form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReminderInput {
    /// A date and time (`2026-12-03T09:30`, UTC as everywhere in Leadline).
    pub remind_at: String,
    /// The user to remind; empty for the one setting it.
    pub user: String,
    pub body: String,
}

/// A checked reminder, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedReminder {
    pub remind_at: i64,
    pub user: Option<i64>,
    pub body: String,
}

/// Checks the form: a date and time, a known user id (or none), text of 1 to 2,000 characters.
/// The browser and the server run the same checks.
pub fn parse_reminder(input: &ReminderInput, locale: Locale) -> Result<ParsedReminder, AppError> {
    let t = locale.t();
    let mut check = Check::default();
    let remind_at = if input.remind_at.trim().is_empty() {
        check.add("remind_at", t.err_required);
        None
    } else {
        check.take("remind_at", super::parse_datetime(&input.remind_at, locale))
    };
    let user = match input.user.trim() {
        "" => None,
        raw => check.take("user", super::parse_id(raw, locale)),
    };
    let body = check
        .take("body", super::parse_text(&input.body, 2000, locale))
        .flatten();
    if body.is_none() && !check.has("body") {
        check.add("body", t.err_required);
    }
    check.finish()?;
    Ok(ParsedReminder {
        remind_at: remind_at.expect("checked"),
        user,
        body: body.expect("checked"),
    })
}

/// A reminder as the lead page and the queue show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    pub id: i64,
    pub lead_id: i64,
    pub lead_name: String,
    pub user_id: i64,
    pub user_name: String,
    pub created_by_name: Option<String>,
    pub remind_at: i64,
    pub body: String,
    pub done_at: Option<i64>,
    /// When it reached its owner's notifications (a snooze clears it).
    pub fired_at: Option<i64>,
    /// Past due and not done (computed on the server, whose clock counts).
    pub overdue: bool,
    /// Whether the viewer may edit, snooze, finish or delete it.
    pub editable: bool,
}

/// A lead's reminders and what the reminder form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadReminders {
    pub reminders: Vec<Reminder>,
    /// Who a reminder can be for.
    pub users: Vec<super::Choice>,
    pub me: Option<i64>,
    /// A new reminder's time until the user picks one: tomorrow at 09:00.
    pub suggested_at: i64,
}

/// What a user does to a reminder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReminderCommand {
    Create { lead: i64, input: ReminderInput },
    Edit { id: i64, input: ReminderInput },
    Done { id: i64 },
    Snooze { id: i64, minutes: i64 },
    Delete { id: i64 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_needs_a_time_and_text() {
        let error = parse_reminder(&ReminderInput::default(), Locale::En).unwrap_err();
        let fields = error.field_errors().unwrap();
        assert!(fields.contains_key("remind_at") && fields.contains_key("body"));
        let parsed = parse_reminder(
            &ReminderInput {
                remind_at: "2026-12-03T09:30".into(),
                user: "".into(),
                body: " Call about the proposal ".into(),
            },
            Locale::En,
        )
        .unwrap();
        assert_eq!(parsed.body, "Call about the proposal");
        assert_eq!(parsed.user, None);
        let bad = ReminderInput {
            remind_at: "tomorrow-ish".into(),
            user: "x".into(),
            body: "y".repeat(2001),
        };
        let fields = parse_reminder(&bad, Locale::En).unwrap_err();
        assert_eq!(fields.field_errors().unwrap().len(), 3);
    }
}
