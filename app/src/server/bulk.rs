//! Bulk actions: one change applied to many leads, each lead through the same domain door as
//! a single edit (its checks, stage rules, history, timeline, notifications and live event).
//!
//! Starting a run copies the selection into `bulk_run_leads` in one statement — so "all N
//! matching" means the N leads matching when the user confirmed — and marks the leads that
//! already are as the action would make them. A background task then changes the rest, a
//! batch at a time, recording each lead's outcome and its values before the change; the page
//! polls the run for its progress and summary. Undo is a run of its own that puts back each
//! changed lead's previous values, unless someone changed the lead since.

use super::db::{now_ms, rows_per_statement, Backend, Db, Sql};
use super::leads::{self, Via};
use super::state::{Actor, Store};
use crate::error::AppError;
use crate::models::{
    parse_datetime, parse_tags, BulkAction, BulkPreview, BulkRun, Closing, Lead, LeadInput,
    Selection, SkipGroup, UNDO_MINUTES,
};
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;

/// Leads changed between two progress updates.
const BATCH: i64 = 200;

/// How many leads `selection` holds and how many of them the action would leave as they are.
pub async fn preview(
    db: &Db,
    actor: &Actor,
    selection: &Selection,
    action: &BulkAction,
) -> Result<BulkPreview, AppError> {
    action.check(actor.locale)?;
    let total: i64 = selected(db, actor, selection, "", "COUNT(*)")
        .await?
        .scalar(&db.pool)
        .await?;
    let mut unchanged = selected(db, actor, selection, "", "COUNT(*)").await?;
    unchanged.push(" AND ");
    push_unchanged(&mut unchanged, action, actor);
    let unchanged: i64 = unchanged.scalar(&db.pool).await?;
    Ok(BulkPreview {
        selected: total,
        unchanged,
    })
}

/// `{head}SELECT {select} FROM … WHERE …` over the live leads of `selection` in the actor's
/// scope (the lead aliased `l`).
async fn selected(
    db: &Db,
    actor: &Actor,
    selection: &Selection,
    head: &str,
    select: &str,
) -> Result<Sql, AppError> {
    match selection {
        Selection::Matching(query) => super::list::matching(db, actor, query, head, select).await,
        Selection::Leads(ids) => {
            crate::models::check_picked("selection", ids.len(), actor.locale)?;
            let mut sql = Sql::new(&format!(
                "{head}SELECT {select} FROM leads l WHERE l.deleted_at IS NULL AND l.id IN "
            ));
            sql.push_ids(ids);
            leads::push_scope(&mut sql, actor);
            Ok(sql)
        }
    }
}

/// True for a lead (`l`) that already is as `action` would make it.
fn push_unchanged(sql: &mut Sql, action: &BulkAction, actor: &Actor) {
    let has_tag = |sql: &mut Sql, tag: String| {
        sql.push(
            "l.id IN (SELECT lt.lead_id FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id \
             WHERE LOWER(t.name) = LOWER(",
        )
        .bind(tag)
        .push("))");
    };
    let equals = |sql: &mut Sql, column: &str, value: Option<i64>| match value {
        Some(value) => {
            sql.push(column).push(" = ").bind(value);
        }
        None => {
            sql.push(column).push(" IS NULL");
        }
    };
    match action {
        BulkAction::Assign { user } => equals(sql, "l.assigned", *user),
        BulkAction::Stage { stage } => equals(sql, "l.stage_id", Some(*stage)),
        BulkAction::Source { source } => equals(sql, "l.source_id", *source),
        BulkAction::AddTags { tags } => {
            sql.push("(1 = 1");
            for tag in parse_tags(tags) {
                sql.push(" AND ");
                has_tag(sql, tag);
            }
            sql.push(")");
        }
        BulkAction::RemoveTags { tags } => {
            sql.push("NOT (1 = 0");
            for tag in parse_tags(tags) {
                sql.push(" OR ");
                has_tag(sql, tag);
            }
            sql.push(")");
        }
        BulkAction::LastContact { at } => {
            equals(sql, "l.lastcontact", parse_datetime(at, actor.locale).ok())
        }
        BulkAction::Public { public } => equals(sql, "l.is_public", Some(i64::from(*public))),
        BulkAction::Lost { .. } => {
            sql.push("l.lost = 1");
        }
        BulkAction::Junk => {
            sql.push("l.junk = 1");
        }
        BulkAction::Delete => {
            sql.push("1 = 0");
        }
    }
}

/// Starts applying `action` to `selection`; returns the run to follow with `status`.
pub async fn start(
    store: &Store,
    actor: &Actor,
    selection: &Selection,
    action: &BulkAction,
) -> Result<i64, AppError> {
    action.check(actor.locale)?;
    check_references(&store.db, actor, action).await?;
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    let now = now_ms();
    let mut tx = store.db.begin_write().await?;
    let run: i64 = sqlx::query_scalar(
        "INSERT INTO bulk_runs (user_id, action, total, created_at, worked_at) VALUES ($1, $2, 0, $3, $3) \
         RETURNING id",
    )
    .bind(user)
    .bind(serde_json::to_string(action).expect("an action serializes"))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let copy = selected(
        &store.db,
        actor,
        selection,
        "INSERT INTO bulk_run_leads (run_id, lead_id, outcome) ",
        &format!("{run}, l.id, 'pending'"),
    )
    .await?;
    let total = copy.execute(&mut *tx).await?.rows_affected() as i64;
    let mut mark = Sql::new("UPDATE bulk_run_leads SET outcome = 'unchanged' WHERE run_id = ");
    mark.bind(run)
        .push(" AND lead_id IN (SELECT l.id FROM leads l JOIN bulk_run_leads b ON b.lead_id = l.id WHERE b.run_id = ")
        .bind(run)
        .push(" AND ");
    push_unchanged(&mut mark, action, actor);
    mark.push(")");
    let unchanged = mark.execute(&mut *tx).await?.rows_affected() as i64;
    sqlx::query("UPDATE bulk_runs SET total = $1, done = $2 WHERE id = $3")
        .bind(total)
        .bind(unchanged)
        .bind(run)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    spawn(store, actor, run);
    Ok(run)
}

/// Starts undoing run `run`: every lead it changed gets its previous values back.
pub async fn undo(store: &Store, actor: &Actor, run: i64) -> Result<i64, AppError> {
    let original = status(&store.db, actor, run).await?;
    if original.undo_until.is_none_or(|until| now_ms() > until) {
        return Err(AppError::Refused(
            actor.locale.t().err_undo_unavailable.into(),
        ));
    }
    let now = now_ms();
    let mut tx = store.db.begin_write().await?;
    let undo: i64 = sqlx::query_scalar(
        "INSERT INTO bulk_runs (user_id, action, undo_of, total, created_at, worked_at) \
         SELECT user_id, action, id, $1, $2, $2 FROM bulk_runs WHERE id = $3 RETURNING id",
    )
    .bind(original.changed)
    .bind(now)
    .bind(run)
    .fetch_one(&mut *tx)
    .await?;
    let claimed =
        sqlx::query("UPDATE bulk_runs SET undone_by = $1 WHERE id = $2 AND undone_by IS NULL")
            .bind(undo)
            .bind(run)
            .execute(&mut *tx)
            .await?;
    if claimed.rows_affected() == 0 {
        return Err(AppError::Refused(
            actor.locale.t().err_undo_unavailable.into(),
        ));
    }
    sqlx::query(
        "INSERT INTO bulk_run_leads (run_id, lead_id, outcome) \
         SELECT $1, lead_id, 'pending' FROM bulk_run_leads WHERE run_id = $2 AND outcome = 'changed'",
    )
    .bind(undo)
    .bind(run)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    spawn(store, actor, undo);
    Ok(undo)
}

fn spawn(store: &Store, actor: &Actor, run: i64) {
    let (store, actor) = (store.clone(), actor.clone());
    tokio::spawn(async move {
        if let Err(error) = work(&store, &actor, run).await {
            tracing::error!(%error, run, "a bulk action stopped");
        }
    });
}

/// A run nobody has made progress on for this long is taken over (its process stopped).
const STALE_MS: i64 = 120_000;

/// Continues runs that a stopped process left unfinished, as the users who started them. Each
/// is claimed by one process (the claim moves `worked_at`, so a second process finds it fresh).
pub async fn resume(store: &Store) -> Result<(), AppError> {
    let now = now_ms();
    let stale: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, user_id FROM bulk_runs WHERE finished_at IS NULL AND worked_at < $1 ORDER BY id",
    )
    .bind(now - STALE_MS)
    .fetch_all(&store.db.pool)
    .await?;
    for (run, user) in stale {
        let claimed = sqlx::query(
            "UPDATE bulk_runs SET worked_at = $1 WHERE id = $2 AND finished_at IS NULL AND worked_at < $3",
        )
        .bind(now)
        .bind(run)
        .bind(now - STALE_MS)
        .execute(&store.db.pool)
        .await?;
        if claimed.rows_affected() == 0 {
            continue;
        }
        match super::users::by_id(&store.db, user).await? {
            Some(user) => spawn(store, &Actor::user(&user), run),
            // Its user was deactivated: what is left is not done for them.
            None => finish(&store.db, run).await?,
        }
    }
    Ok(())
}

/// Looks for abandoned runs every `every` while the server runs.
pub async fn run(store: Store, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = resume(&store).await {
            tracing::warn!(%error, "resuming bulk actions failed; retrying");
        }
    }
}

async fn finish(db: &Db, run: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE bulk_runs SET finished_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(run)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A changed lead's values before the change: what an undo puts back.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Before {
    assigned: Option<i64>,
    stage_id: i64,
    source_id: Option<i64>,
    tags: Vec<String>,
    lastcontact: Option<i64>,
    is_public: bool,
    lost: bool,
    lost_reason_id: Option<i64>,
    junk: bool,
}

impl Before {
    fn of(lead: &Lead) -> Before {
        Before {
            assigned: lead.assigned,
            stage_id: lead.stage_id,
            source_id: lead.source_id,
            tags: lead.tags.clone(),
            lastcontact: lead.lastcontact,
            is_public: lead.is_public,
            lost: lead.lost,
            lost_reason_id: lead.lost_reason_id,
            junk: lead.junk,
        }
    }
}

enum Outcome {
    Changed {
        before: Option<Before>,
        version: i64,
    },
    Skipped(String),
}

/// Works through a run's pending leads, a batch at a time (`workers` of them at once), then
/// marks it finished.
async fn work(store: &Store, actor: &Actor, run: i64) -> Result<(), AppError> {
    let (action, undo_of): (String, Option<i64>) =
        sqlx::query_as("SELECT action, undo_of FROM bulk_runs WHERE id = $1")
            .bind(run)
            .fetch_one(&store.db.pool)
            .await?;
    let action: BulkAction = serde_json::from_str(&action)
        .map_err(|error| AppError::Internal(format!("bulk run {run}: {error}")))?;
    let workers = workers(store.db.backend, &action);
    let batch = |ids: Vec<i64>| {
        let action = &action;
        async move {
            let outcomes = match undo_of {
                None => apply(store, actor, action, &ids).await,
                Some(original) => revert(store, actor, action, original, &ids).await?,
            };
            record(&store.db, run, outcomes).await
        }
    };
    // Batches in lead order, each starting after the last (keyset): the key is never walked
    // again over the leads already done, nor over those a batch still in hand holds.
    let mut after = i64::MIN;
    let mut exhausted = false;
    let mut running = FuturesUnordered::new();
    let worked = async {
        loop {
            while !exhausted && running.len() < workers {
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT lead_id FROM bulk_run_leads WHERE run_id = $1 AND lead_id > $2 \
                     AND outcome = 'pending' ORDER BY lead_id LIMIT $3",
                )
                .bind(run)
                .bind(after)
                .bind(BATCH)
                .fetch_all(&store.db.pool)
                .await?;
                match ids.last() {
                    Some(&last) => {
                        after = last;
                        running.push(batch(ids));
                    }
                    None => exhausted = true,
                }
            }
            match running.next().await {
                Some(done) => done?,
                None => return Ok::<(), AppError>(()),
            }
        }
    }
    .await;
    // When one batch fails, those still in hand finish and record what they changed before
    // the run stops: one dropped between its commit and its record would be done again (and
    // its values before lost) when the run is resumed.
    while running.next().await.is_some() {}
    worked?;
    finish(&store.db, run).await
}

/// How many batches of a run are changed at once. On PostgreSQL a lead's update writes an
/// entry in each of the ~35 indexes of `leads` on its connection's backend, one core each: two
/// batches on two connections keep both cores busy (a reassignment of 10,000 leads 25–35 %
/// faster; three at once gained nothing on two cores: BENCHMARKS.md).
/// Only for the actions whose batch writes its leads in one statement (`Work::finish`: the
/// same columns, each lead's values — an undo's too): the kept totals' triggers then lock
/// their rows in key order, so two batches wait for each other but never deadlock. A move or
/// a tag change writes statements per lead, whose locks two batches could take in opposite
/// orders: one batch at a time. SQLite has one writer: one batch at a time.
fn workers(backend: Backend, action: &BulkAction) -> usize {
    let one_statement = matches!(
        action,
        BulkAction::Assign { .. }
            | BulkAction::Source { .. }
            | BulkAction::LastContact { .. }
            | BulkAction::Public { .. }
    );
    if backend == Backend::Postgres && one_statement {
        2
    } else {
        1
    }
}

/// `AND lead_id IN (ids)` for the rows of one run, with the ids' range spelled out too: for an
/// `IN` list alone, PostgreSQL's generic plan of the prepared statement used only `run_id` of
/// the `(run_id, lead_id)` key and read all of the run's rows for every batch (58 ms per 200
/// leads of a 15,000-lead run).
fn push_run_leads(sql: &mut Sql, ids: &[i64]) {
    let (Some(&low), Some(&high)) = (ids.iter().min(), ids.iter().max()) else {
        sql.push(" AND 1 = 0");
        return;
    };
    sql.push(" AND lead_id BETWEEN ")
        .bind(low)
        .push(" AND ")
        .bind(high)
        .push(" AND lead_id IN ")
        .push_ids(ids);
}

/// Saves a batch's outcomes and the run's progress together. Each lead's row of the run,
/// pending until now, is set in place by a few multi-row statements (`UPDATE … FROM (VALUES
/// …)`): its keys unchanged, PostgreSQL checks no foreign key again and writes no entry into
/// the key's index, where deleting and inserting the rows did both for every lead.
async fn record(db: &Db, run: i64, outcomes: Vec<(i64, Outcome)>) -> Result<(), AppError> {
    struct Row {
        lead: i64,
        outcome: &'static str,
        reason: Option<String>,
        before: Option<String>,
        version: Option<i64>,
    }
    let rows: Vec<Row> = outcomes
        .into_iter()
        .map(|(lead, outcome)| match outcome {
            Outcome::Changed { before, version } => Row {
                lead,
                outcome: "changed",
                reason: None,
                before: before.map(|b| serde_json::to_string(&b).expect("plain values serialize")),
                version: Some(version),
            },
            Outcome::Skipped(reason) => Row {
                lead,
                outcome: "skipped",
                reason: Some(reason),
                before: None,
                version: None,
            },
        })
        .collect();
    let mut tx = db.begin_batch_write().await?;
    for chunk in rows.chunks(rows_per_statement(&tx, 5)) {
        let mut sql = Sql::new(
            "UPDATE bulk_run_leads SET outcome = v.column2, reason = v.column3, \
             before = v.column4, version = v.column5 FROM (VALUES ",
        );
        for (i, row) in chunk.iter().enumerate() {
            // Typed, so that PostgreSQL reads a row's NULL as the column's type.
            sql.push(if i == 0 { "(CAST(" } else { ", (CAST(" })
                .bind(row.lead)
                .push(" AS BIGINT), CAST(")
                .bind(row.outcome)
                .push(" AS TEXT), CAST(")
                .bind(row.reason.clone())
                .push(" AS TEXT), CAST(")
                .bind(row.before.clone())
                .push(" AS TEXT), CAST(")
                .bind(row.version)
                .push(" AS BIGINT))");
        }
        sql.push(") AS v WHERE bulk_run_leads.run_id = ").bind(run);
        let ids: Vec<i64> = chunk.iter().map(|row| row.lead).collect();
        push_run_leads(&mut sql, &ids);
        sql.push(" AND bulk_run_leads.lead_id = v.column1");
        sql.execute(&mut *tx).await?;
    }
    sqlx::query("UPDATE bulk_runs SET done = done + $1, worked_at = $2 WHERE id = $3")
        .bind(rows.len() as i64)
        .bind(now_ms())
        .bind(run)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// What an action sends through the lead's change door (a partial update, and a stage to move
/// to); `None` for the actions with a door of their own (lost, junk, delete).
fn edit_for(action: &BulkAction, lead: &Lead) -> Option<(LeadInput, Option<i64>)> {
    let input = match action {
        BulkAction::Assign { user } => LeadInput {
            assigned: Some(id_text(*user)),
            ..Default::default()
        },
        BulkAction::Stage { stage } => return Some((LeadInput::default(), Some(*stage))),
        BulkAction::Source { source } => LeadInput {
            source: Some(id_text(*source)),
            ..Default::default()
        },
        BulkAction::AddTags { .. } | BulkAction::RemoveTags { .. } => LeadInput {
            tags: action.tags_after(&lead.tags).map(|tags| tags.join(", ")),
            ..Default::default()
        },
        BulkAction::LastContact { at } => LeadInput {
            lastcontact: Some(at.clone()),
            ..Default::default()
        },
        BulkAction::Public { public } => LeadInput {
            is_public: Some(flag_text(*public)),
            ..Default::default()
        },
        BulkAction::Lost { .. } | BulkAction::Junk | BulkAction::Delete => return None,
    };
    Some((input, None))
}

/// What puts back a lead's values from before an action, through the change door; `None`
/// for the actions with a door of their own.
fn undo_edit(action: &BulkAction, before: &Before) -> Option<(LeadInput, Option<i64>)> {
    let input = match action {
        BulkAction::Assign { .. } => LeadInput {
            assigned: Some(id_text(before.assigned)),
            ..Default::default()
        },
        BulkAction::Stage { .. } => return Some((LeadInput::default(), Some(before.stage_id))),
        BulkAction::Source { .. } => LeadInput {
            source: Some(id_text(before.source_id)),
            ..Default::default()
        },
        BulkAction::AddTags { .. } | BulkAction::RemoveTags { .. } => LeadInput {
            tags: Some(before.tags.join(", ")),
            ..Default::default()
        },
        BulkAction::LastContact { .. } => LeadInput {
            lastcontact: Some(before.lastcontact.map(iso_time).unwrap_or_default()),
            ..Default::default()
        },
        BulkAction::Public { .. } => LeadInput {
            is_public: Some(flag_text(before.is_public)),
            ..Default::default()
        },
        BulkAction::Lost { .. } | BulkAction::Junk | BulkAction::Delete => return None,
    };
    Some((input, None))
}

/// Field edits and moves go through the change door a batch per transaction; a batch the
/// database fails is retried a lead at a time, so one bad lead cannot stop the run.
async fn in_batch(
    store: &Store,
    actor: &Actor,
    ids: &[i64],
    edit: impl Fn(&Lead) -> Result<(LeadInput, Option<i64>), AppError>,
) -> Vec<(i64, Outcome)> {
    let outcome = |result: Result<(Lead, leads::Placed), AppError>| match result {
        Ok((before, after)) => Outcome::Changed {
            before: Some(Before::of(&before)),
            version: after.version,
        },
        Err(error) => Outcome::Skipped(reason(&error, actor)),
    };
    match leads::change_batch(store, actor, ids, &edit, Via::Bulk).await {
        Ok(results) => results
            .into_iter()
            .map(|(id, result)| (id, outcome(result)))
            .collect(),
        Err(error) => {
            tracing::warn!(%error, "a bulk batch failed; retrying its leads one at a time");
            let mut outcomes = Vec::with_capacity(ids.len());
            for &id in ids {
                let result = leads::change_batch(store, actor, &[id], &edit, Via::Bulk).await;
                let result =
                    result.and_then(|mut one| one.pop().map(|(_, r)| r).ok_or(AppError::NotFound));
                outcomes.push((id, outcome(result.and_then(|r| r))));
            }
            outcomes
        }
    }
}

/// Applies the action to a batch of leads.
async fn apply(
    store: &Store,
    actor: &Actor,
    action: &BulkAction,
    ids: &[i64],
) -> Vec<(i64, Outcome)> {
    let changes_fields = !matches!(
        action,
        BulkAction::Lost { .. } | BulkAction::Junk | BulkAction::Delete
    );
    if changes_fields {
        return in_batch(store, actor, ids, |lead| {
            Ok(edit_for(action, lead).expect("a field edit or a move"))
        })
        .await;
    }
    let mut outcomes = Vec::with_capacity(ids.len());
    for &id in ids {
        outcomes.push((id, close_or_delete(store, actor, action, id).await));
    }
    outcomes
}

/// Lost, junk or trash for one lead, through their own doors.
async fn close_or_delete(store: &Store, actor: &Actor, action: &BulkAction, id: i64) -> Outcome {
    let lead = match leads::get(&store.db, actor, id).await {
        Ok(lead) => lead,
        Err(error) => return Outcome::Skipped(reason(&error, actor)),
    };
    let version = Some(lead.version);
    let result = match action {
        BulkAction::Lost { reason, note } => {
            let closing = Closing::Lost {
                reason: *reason,
                note: note.clone(),
            };
            leads::close(store, actor, id, &closing, version, Via::Bulk)
                .await
                .map(|lead| lead.version)
        }
        BulkAction::Junk => leads::close(store, actor, id, &Closing::Junk, version, Via::Bulk)
            .await
            .map(|lead| lead.version),
        _ => leads::delete(store, actor, id, Via::Bulk)
            .await
            .map(|()| lead.version + 1),
    };
    match result {
        Ok(version) => Outcome::Changed {
            before: Some(Before::of(&lead)),
            version,
        },
        Err(error) => Outcome::Skipped(reason(&error, actor)),
    }
}

#[derive(FromRow)]
struct Changed {
    lead_id: i64,
    before: Option<String>,
    version: Option<i64>,
}

/// Puts back the values a batch of leads had before run `original`, leaving alone each lead
/// changed since.
async fn revert(
    store: &Store,
    actor: &Actor,
    action: &BulkAction,
    original: i64,
    ids: &[i64],
) -> Result<Vec<(i64, Outcome)>, AppError> {
    let t = actor.locale.t();
    let mut sql = Sql::new("SELECT lead_id, before, version FROM bulk_run_leads WHERE run_id = ");
    sql.bind(original).push(" AND outcome = 'changed'");
    push_run_leads(&mut sql, ids);
    let rows: Vec<Changed> = sql.fetch_all(&store.db.pool).await?;
    let recorded: std::collections::HashMap<i64, (Before, i64)> = rows
        .into_iter()
        .filter_map(|row| {
            let before = serde_json::from_str::<Before>(row.before.as_deref()?).ok()?;
            Some((row.lead_id, (before, row.version?)))
        })
        .collect();
    let changed_since = || AppError::Refused(t.bulk_changed_since.into());
    if undo_edit(action, &Before::default()).is_some() {
        return Ok(in_batch(store, actor, ids, |lead| {
            let (before, version) = recorded.get(&lead.id).ok_or(AppError::NotFound)?;
            if lead.version != *version {
                return Err(changed_since());
            }
            Ok(undo_edit(action, before).expect("a field edit or a move"))
        })
        .await);
    }
    let mut outcomes = Vec::with_capacity(ids.len());
    for &id in ids {
        let Some((before, version)) = recorded.get(&id) else {
            outcomes.push((id, Outcome::Skipped(t.err_not_visible.into())));
            continue;
        };
        let now: Option<i64> = sqlx::query_scalar("SELECT version FROM leads WHERE id = $1")
            .bind(id)
            .fetch_optional(&store.db.pool)
            .await?;
        if now != Some(*version) {
            outcomes.push((id, Outcome::Skipped(t.bulk_changed_since.into())));
            continue;
        }
        let expected = Some(*version);
        let result = match action {
            BulkAction::Delete => leads::restore(store, actor, id, Via::Bulk).await,
            _ => {
                let closing = if before.lost {
                    Closing::Lost {
                        reason: before.lost_reason_id,
                        note: String::new(),
                    }
                } else if before.junk {
                    Closing::Junk
                } else {
                    Closing::Reopen
                };
                leads::close(store, actor, id, &closing, expected, Via::Bulk).await
            }
        };
        outcomes.push((
            id,
            match result {
                Ok(lead) => Outcome::Changed {
                    before: None,
                    version: lead.version,
                },
                Err(error) => Outcome::Skipped(reason(&error, actor)),
            },
        ));
    }
    Ok(outcomes)
}

/// A field value as a form sends it: an id, or empty for none.
fn id_text(id: Option<i64>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

fn flag_text(on: bool) -> String {
    if on { "1" } else { "0" }.to_string()
}

fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|at| at.to_rfc3339())
        .unwrap_or_default()
}

/// Why a lead was skipped, in the actor's language: each field error with its field's name.
fn reason(error: &AppError, actor: &Actor) -> String {
    let t = actor.locale.t();
    match error {
        AppError::NotFound => t.err_not_visible.into(),
        AppError::Forbidden => t.err_forbidden.into(),
        AppError::Validation(fields) => fields
            .iter()
            .map(|(field, message)| match actor.locale.field_label(field) {
                "" => message.clone(),
                label => format!("{label}: {message}"),
            })
            .collect::<Vec<_>>()
            .join(" "),
        AppError::Internal(_) => {
            tracing::error!(%error, "a bulk action could not change a lead");
            t.err_internal.into()
        }
        other => other.to_string(),
    }
}

/// The users, stage, source and lost reason an action names exist (and the user is active),
/// so a typo is one field error rather than every lead skipped.
async fn check_references(db: &Db, actor: &Actor, action: &BulkAction) -> Result<(), AppError> {
    use super::settings;
    use crate::models::ManagedList;
    let t = actor.locale.t();
    let known = |choices: &[crate::models::Choice], id: i64| choices.iter().any(|c| c.id == id);
    match action {
        BulkAction::Assign { user: Some(user) }
            if !known(&super::users::active_names(db).await?, *user) =>
        {
            Err(AppError::field("assigned", t.err_missing_ref))
        }
        BulkAction::Stage { stage } if !settings::stage_exists(db, *stage).await? => {
            Err(AppError::field("stage", t.err_missing_ref))
        }
        BulkAction::Source {
            source: Some(source),
        } if !known(&settings::choices(db, ManagedList::Sources).await?, *source) => {
            Err(AppError::field("source", t.err_missing_ref))
        }
        BulkAction::Lost {
            reason: Some(reason),
            ..
        } if !known(
            &settings::choices(db, ManagedList::LostReasons).await?,
            *reason,
        ) =>
        {
            Err(AppError::field("lost_reason", t.err_missing_ref))
        }
        _ => Ok(()),
    }
}

#[derive(FromRow)]
struct RunRow {
    id: i64,
    user_id: i64,
    action: String,
    undo_of: Option<i64>,
    total: i64,
    done: i64,
    finished_at: Option<i64>,
    undone_by: Option<i64>,
}

/// A run as its starter sees it: progress, then the summary (changed, unchanged, skipped
/// by reason) and whether Undo is still offered.
pub async fn status(db: &Db, actor: &Actor, run: i64) -> Result<BulkRun, AppError> {
    let row: RunRow = sqlx::query_as(
        "SELECT id, user_id, action, undo_of, total, done, finished_at, undone_by FROM bulk_runs WHERE id = $1",
    )
    .bind(run)
    .fetch_optional(&db.pool)
    .await?
    .filter(|row: &RunRow| Some(row.user_id) == actor.user_id)
    .ok_or(AppError::NotFound)?;
    let action: BulkAction = serde_json::from_str(&row.action)
        .map_err(|error| AppError::Internal(format!("bulk run {run}: {error}")))?;
    let finished = row.finished_at.is_some();
    let (counts, skipped) = if finished {
        outcomes(db, run).await?
    } else {
        // Polled every few hundred ms while it runs: progress only, no counting.
        Default::default()
    };
    let count = |outcome: &str| {
        counts
            .iter()
            .find(|(o, _)| o == outcome)
            .map_or(0, |(_, n)| *n)
    };
    let changed = count("changed");
    let undo_until = row
        .finished_at
        .map(|at| at + UNDO_MINUTES * 60_000)
        .filter(|&until| {
            row.undo_of.is_none() && row.undone_by.is_none() && changed > 0 && now_ms() < until
        });
    Ok(BulkRun {
        id: row.id,
        action,
        undo_of: row.undo_of,
        total: row.total,
        done: row.done,
        changed,
        unchanged: count("unchanged"),
        skipped,
        finished,
        undo_until,
        undone_by: row.undone_by,
    })
}

/// A finished run's leads counted by outcome, and the skipped ones grouped by reason (the ten
/// commonest, each with up to five of its leads).
async fn outcomes(db: &Db, run: i64) -> Result<(Vec<(String, i64)>, Vec<SkipGroup>), AppError> {
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT outcome, COUNT(*) FROM bulk_run_leads WHERE run_id = $1 GROUP BY outcome",
    )
    .bind(run)
    .fetch_all(&db.pool)
    .await?;
    let reasons: Vec<(Option<String>, i64)> = sqlx::query_as(
        "SELECT reason, COUNT(*) FROM bulk_run_leads WHERE run_id = $1 AND outcome = 'skipped' \
         GROUP BY reason ORDER BY COUNT(*) DESC, reason LIMIT 10",
    )
    .bind(run)
    .fetch_all(&db.pool)
    .await?;
    let mut skipped = Vec::with_capacity(reasons.len());
    for (reason, count) in reasons {
        let reason = reason.unwrap_or_default();
        let leads: Vec<(i64, String)> = sqlx::query_as(
            "SELECT l.id, l.name FROM bulk_run_leads b JOIN leads l ON l.id = b.lead_id \
             WHERE b.run_id = $1 AND b.outcome = 'skipped' AND b.reason = $2 ORDER BY l.id LIMIT 5",
        )
        .bind(run)
        .bind(reason.clone())
        .fetch_all(&db.pool)
        .await?;
        skipped.push(SkipGroup {
            reason,
            count,
            leads,
        });
    }
    Ok((counts, skipped))
}
