//! In-app notifications: a lead assigned to you, a reminder due, a lead you own moved by
//! someone else, a web-form lead for you.

use crate::i18n::{fill, Locale};
use serde::{Deserialize, Serialize};

/// How many notifications the bell lists (the newest).
pub const NOTIFICATIONS_SHOWN: i64 = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    /// `assigned`, `reminder`, `moved`, `web_form`.
    pub kind: String,
    pub lead_id: Option<i64>,
    pub lead_name: Option<String>,
    /// Who caused it (none for the system).
    pub actor_name: Option<String>,
    /// The reminder's text, or the lead's name when it was sent.
    pub body: String,
    pub created_at: i64,
    pub read: bool,
}

impl Notification {
    /// What happened, in words ("Ana assigned Acme to you"): the bell and the email say it.
    pub fn text(&self, locale: Locale) -> String {
        let t = locale.t();
        let who = self
            .actor_name
            .clone()
            .unwrap_or_else(|| t.someone.to_string());
        let lead = self.lead_name.clone().unwrap_or_else(|| self.body.clone());
        match self.kind.as_str() {
            "assigned" => fill(t.notify_assigned, &[("who", &who), ("lead", &lead)]),
            "moved" => fill(t.notify_moved, &[("who", &who), ("lead", &lead)]),
            "reminder" => fill(t.notify_reminder, &[("text", &self.body), ("lead", &lead)]),
            "web_form" => fill(t.notify_web_form, &[("lead", &lead)]),
            _ => lead,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Notifications {
    /// Newest first, at most `NOTIFICATIONS_SHOWN`.
    pub items: Vec<Notification>,
    pub unread: i64,
}

/// Whether notifications are also emailed, as the settings page shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailStatus {
    /// The SMTP server (host and port), when configured.
    pub server: Option<String>,
    pub from: Option<String>,
}
