//! The SDR's daily queue: what needs doing today, most urgent first.

use serde::{Deserialize, Serialize};

/// Why a lead is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueKind {
    /// A reminder of mine, due today or overdue.
    Reminder,
    /// My lead's next action, due today or overdue.
    NextAction,
    /// A lead assigned to me that nobody has contacted yet.
    NewLead,
    /// My lead with no stage change or activity for longer than its stage allows.
    Stalled,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub kind: QueueKind,
    pub lead_id: i64,
    pub lead_name: String,
    pub company: Option<String>,
    pub stage_name: String,
    pub stage_color: String,
    /// The lead's version, for the actions that change it.
    pub lead_version: i64,
    pub reminder_id: Option<i64>,
    /// The reminder's text or the next action.
    pub text: Option<String>,
    /// When it is due (reminder, next action), was added (new lead) or last moved (stalled).
    pub at: Option<i64>,
    /// Due before now.
    pub overdue: bool,
}

/// One section of the queue was longer than the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueOverflow {
    pub kind: QueueKind,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TodayQueue {
    /// Most urgent first: overdue, then due today, then new leads, then stalled ones.
    pub items: Vec<QueueItem>,
    /// Sections cut at `QUEUE_SECTION_LIMIT`, with their full counts.
    pub overflow: Vec<QueueOverflow>,
    /// Tomorrow at 09:00 (UTC), where "snooze" puts a next action.
    pub tomorrow_at: i64,
}

/// How many items of one kind the queue lists at most.
pub const QUEUE_SECTION_LIMIT: i64 = 100;
