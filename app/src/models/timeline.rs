//! A lead's timeline: logged notes, calls, emails and meetings, and the system's own entries
//! (created, stage changed, assigned, fields edited, lost, junk, reopened, contacted).

use crate::error::{AppError, Check};
use crate::i18n::{fill, Locale};
use serde::{Deserialize, Serialize};

/// What a person logs by hand.
pub const ACTIVITY_KINDS: &[&str] = &["note", "call", "email", "meeting"];
/// How a call went.
pub const CALL_OUTCOMES: &[&str] = &[
    "connected",
    "voicemail",
    "no_answer",
    "busy",
    "wrong_number",
];

/// The "log an activity" form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityInput {
    pub kind: String,
    pub body: String,
    /// For calls (`CALL_OUTCOMES`); empty otherwise.
    pub outcome: String,
    /// Whole minutes; empty when not given.
    pub duration_minutes: String,
}

/// A checked activity, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub kind: &'static str,
    pub body: Option<String>,
    pub outcome: Option<&'static str>,
    pub duration_minutes: Option<i64>,
}

impl Activity {
    /// Calls, emails and meetings reach the lead; a note does not.
    pub fn is_contact(&self) -> bool {
        self.kind != "note"
    }
}

/// Checks the form: a known kind; a note needs text; at most 5,000 characters; a known call
/// outcome; a duration of 0 to 1,440 minutes. The browser and the server run the same checks.
pub fn parse_activity(input: &ActivityInput, locale: Locale) -> Result<Activity, AppError> {
    let t = locale.t();
    let mut check = Check::default();
    let kind = ACTIVITY_KINDS.iter().copied().find(|k| *k == input.kind);
    if kind.is_none() {
        check.add("kind", t.err_required);
    }
    let body = check
        .take("body", super::parse_text(&input.body, 5000, locale))
        .flatten();
    if kind == Some("note") && body.is_none() && !check.has("body") {
        check.add("body", t.err_required);
    }
    let outcome = match input.outcome.trim() {
        "" => None,
        raw => {
            let found = CALL_OUTCOMES.iter().copied().find(|o| *o == raw);
            if found.is_none() || kind != Some("call") {
                check.add("outcome", t.err_missing_ref);
            }
            found
        }
    };
    let duration_minutes = match input.duration_minutes.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(minutes) if (0..=1440).contains(&minutes) => Some(minutes),
            _ => {
                check.add(
                    "duration_minutes",
                    fill(t.err_range, &[("min", &"0"), ("max", &"1440")]),
                );
                None
            }
        },
    };
    check.finish()?;
    Ok(Activity {
        kind: kind.expect("checked above"),
        body,
        outcome,
        duration_minutes,
    })
}

/// One field's old and new value in a system entry, with ids already turned into names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One entry of the timeline, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: i64,
    /// note, call, email, meeting or system
    pub kind: String,
    /// For system entries: created, stage_changed, assigned, updated, lost, junk, reopened,
    /// deleted, contacted.
    pub event: Option<String>,
    pub body: Option<String>,
    pub outcome: Option<String>,
    pub duration_minutes: Option<i64>,
    pub changes: Vec<Change>,
    pub user_name: Option<String>,
    pub via: String,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str, body: &str, outcome: &str, minutes: &str) -> ActivityInput {
        ActivityInput {
            kind: kind.into(),
            body: body.into(),
            outcome: outcome.into(),
            duration_minutes: minutes.into(),
        }
    }

    #[test]
    fn activities_are_checked_field_by_field() {
        let call = parse_activity(
            &form("call", " Talked prices ", "connected", "12"),
            Locale::En,
        )
        .unwrap();
        assert_eq!(call.body.as_deref(), Some("Talked prices"));
        assert_eq!(
            (call.outcome, call.duration_minutes),
            (Some("connected"), Some(12))
        );
        assert!(call.is_contact());
        let error =
            parse_activity(&form("note", "  ", "connected", "2000"), Locale::En).unwrap_err();
        let fields = error.field_errors().unwrap();
        for field in ["body", "outcome", "duration_minutes"] {
            assert!(fields.contains_key(field), "{field}");
        }
        assert!(parse_activity(&form("fax", "x", "", ""), Locale::En).is_err());
        assert!(
            parse_activity(&form("email", "", "", ""), Locale::En).is_ok(),
            "an email needs no text"
        );
    }
}
