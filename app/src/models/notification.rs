//! In-app notifications: a lead assigned to you, a reminder due, a lead you own moved by
//! someone else.

use serde::{Deserialize, Serialize};

/// How many notifications the bell lists (the newest).
pub const NOTIFICATIONS_SHOWN: i64 = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    /// `assigned`, `reminder`, `moved`.
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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Notifications {
    /// Newest first, at most `NOTIFICATIONS_SHOWN`.
    pub items: Vec<Notification>,
    pub unread: i64,
}
