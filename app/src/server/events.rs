//! Live events: every committed lead change is published here for open boards and lists.
//! Within one process a broadcast channel carries them; on PostgreSQL a NOTIFY sent in the
//! change's transaction carries them to every other Leadline process on the same database.
//! Subscribers filter by their own scope (`leads::event_visible`).

use super::db::{Db, Tx};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

pub use crate::models::{LeadEvent, LeadEventKind};

/// The PostgreSQL channel the processes share.
pub const CHANNEL: &str = "leadline_lead_events";

/// An event on the wire between processes, with the process that published it.
#[derive(Serialize, Deserialize)]
struct Wire {
    from: u64,
    event: LeadEvent,
}

#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<LeadEvent>,
    /// This process, so it can skip its own events when they come back from PostgreSQL.
    instance: u64,
}

impl Default for EventBus {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(1024);
        EventBus {
            sender,
            instance: fastrand::u64(..),
        }
    }
}

impl EventBus {
    /// Queues `event` for the other processes; it leaves only if `tx` commits.
    pub async fn announce(
        &self,
        db: &Db,
        tx: &mut Tx,
        event: &LeadEvent,
    ) -> Result<(), sqlx::Error> {
        self.announce_all(db, tx, std::slice::from_ref(event)).await
    }

    /// `announce` for many events of one transaction, sent together.
    pub async fn announce_all(
        &self,
        db: &Db,
        tx: &mut Tx,
        events: &[LeadEvent],
    ) -> Result<(), sqlx::Error> {
        let wires: Vec<String> = events
            .iter()
            .map(|event| {
                serde_json::to_string(&Wire {
                    from: self.instance,
                    event: event.clone(),
                })
                .expect("an event serializes")
            })
            .collect();
        db.notify(tx, CHANNEL, &wires).await
    }

    /// Relays other processes' events to this one's subscribers (PostgreSQL only), until the
    /// process ends. Connection losses are retried by the listener itself.
    pub async fn relay(&self, db: &Db) -> Result<(), sqlx::Error> {
        let Some(mut listener) = db.listen(CHANNEL).await? else {
            return Ok(());
        };
        let bus = self.clone();
        tokio::spawn(async move {
            loop {
                match listener.recv().await {
                    Ok(notification) => {
                        match serde_json::from_str::<Wire>(notification.payload()) {
                            Ok(wire) if wire.from != bus.instance => bus.publish(wire.event),
                            Ok(_) => {}
                            Err(error) => tracing::warn!(%error, "unreadable live event"),
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "live events: listener error, retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }

    pub fn publish(&self, event: LeadEvent) {
        // No subscriber is not an error: nobody has a board open.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LeadEvent> {
        self.sender.subscribe()
    }
}
