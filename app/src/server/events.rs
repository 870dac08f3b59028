//! Live events: every committed lead change is published here for open boards and lists.
//! Within one process a broadcast channel carries them; subscribers filter by their own scope.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeadEventKind {
    Created,
    Updated,
    Moved,
    Deleted,
}

/// What changed, with enough of the lead for a subscriber to decide whether it may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadEvent {
    pub kind: LeadEventKind,
    pub lead_id: i64,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub assigned: Option<i64>,
    pub addedfrom: Option<i64>,
    pub is_public: bool,
    pub version: i64,
    pub actor_id: Option<i64>,
}

#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<LeadEvent>,
}

impl Default for EventBus {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(1024);
        EventBus { sender }
    }
}

impl EventBus {
    pub fn publish(&self, event: LeadEvent) {
        // No subscriber is not an error: nobody has a board open.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LeadEvent> {
        self.sender.subscribe()
    }
}
