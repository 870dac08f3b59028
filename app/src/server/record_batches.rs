//! PostgreSQL reads of one lead record by id, read together when they arrive together.
//!
//! Each statement is a round trip to a PostgreSQL backend process, which on a small machine
//! shares the cores with the server. One record per statement ran 18k statements a second
//! (pgbench, 1 M leads, this machine); 32 records per statement ran 2.6k, i.e. 83k records.
//! So a read joins the queue of reads in the same visibility scope, and up to `RUNNERS` tasks
//! per scope each take what is queued (at most `BATCH_MAX`) and read it in one statement. A
//! read that finds fewer runners starts one: alone, it waits for nothing but its own read.
//!
//! Runners are tasks of their own, so a request that goes away (its client hung up) never
//! takes other requests' answers with it.

use super::db::Db;
use super::records::{self, LeadRecordView};
use super::state::Actor;
use crate::error::AppError;
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use tokio::sync::oneshot;

/// Statements in flight per scope: a batch is read while the next one queues (2 ran 22–24 %
/// of `/healthz`, 1 ran 20–21 %, 4 ran 19 %, 8 ran 16 %: BENCHMARKS.md).
const RUNNERS: usize = 2;
/// Records read by one statement at most.
const BATCH_MAX: usize = 64;

/// A record and whether it has files, or none (not there, or not in the reader's scope).
pub type Found = Option<(LeadRecordView, bool)>;
type Reply = oneshot::Sender<Result<Found, AppError>>;

/// The queued reads of one database, by scope (`scope_key`).
#[derive(Default)]
pub struct RecordBatches {
    queues: Mutex<HashMap<Option<i64>, Queue>>,
}

struct Queue {
    /// A reader of this scope: every reader with the same key sees the same leads.
    actor: Actor,
    waiting: VecDeque<(i64, Reply)>,
    runners: usize,
}

impl RecordBatches {
    fn lock(&self) -> MutexGuard<'_, HashMap<Option<i64>, Queue>> {
        self.queues.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a reader's visibility scope depends on (`leads::push_scope`): nothing for a reader
/// who sees every lead, else who they are.
fn scope_key(actor: &Actor) -> Option<i64> {
    if actor.sees_all() {
        None
    } else {
        actor.user_id
    }
}

/// The record `id` if `actor` may see it, read with whatever other reads of the same scope
/// are queued.
pub async fn read(db: &Db, actor: &Actor, id: i64) -> Result<Found, AppError> {
    let key = scope_key(actor);
    let (reply, answer) = oneshot::channel();
    let start = {
        let mut queues = db.batches.lock();
        let queue = queues.entry(key).or_insert_with(|| Queue {
            actor: actor.clone(),
            waiting: VecDeque::new(),
            runners: 0,
        });
        queue.waiting.push_back((id, reply));
        let start = queue.runners < RUNNERS;
        if start {
            queue.runners += 1;
        }
        start
    };
    if start {
        tokio::spawn(run(db.clone(), key));
    }
    answer
        .await
        .unwrap_or_else(|_| Err(AppError::Internal("a batched read ended unanswered".into())))
}

/// Reads what is queued under `key`, a batch at a time, until nothing is.
async fn run(db: Db, key: Option<i64>) {
    let mut running = Running {
        db: &db,
        key,
        done: false,
    };
    loop {
        let (actor, batch) = {
            let mut queues = db.batches.lock();
            let Some(queue) = queues.get_mut(&key) else {
                running.done = true;
                return;
            };
            if queue.waiting.is_empty() {
                // Under the lock that queues reads: a read queued after this starts a runner.
                queue.runners -= 1;
                if queue.runners == 0 {
                    queues.remove(&key);
                }
                running.done = true;
                return;
            }
            let take = queue.waiting.len().min(BATCH_MAX);
            let batch: Vec<(i64, Reply)> = queue.waiting.drain(..take).collect();
            (queue.actor.clone(), batch)
        };
        let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
        match records::read_many(&db, &actor, &ids).await {
            Ok(mut found) => {
                for (i, (id, reply)) in batch.into_iter().enumerate() {
                    // An id asked for again later in the batch keeps its record for that read.
                    let record = if ids[i + 1..].contains(&id) {
                        found.get(&id).cloned()
                    } else {
                        found.remove(&id)
                    };
                    let _ = reply.send(Ok(record));
                }
            }
            Err(error) => {
                for (_, reply) in batch {
                    let _ = reply.send(Err(error.clone()));
                }
            }
        }
    }
}

/// A runner's place in its queue's count; should a runner end any other way than by finding
/// its queue empty (a panic), its place is given back and the reads queued are not left.
struct Running<'a> {
    db: &'a Db,
    key: Option<i64>,
    done: bool,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut queues = self.db.batches.lock();
        if let Some(queue) = queues.get_mut(&self.key) {
            if queue.waiting.is_empty() {
                queue.runners -= 1;
                if queue.runners == 0 {
                    queues.remove(&self.key);
                }
            } else if let Ok(handle) = tokio::runtime::Handle::try_current() {
                // Its place passes to a new runner.
                handle.spawn(run(self.db.clone(), self.key));
            }
        }
    }
}
