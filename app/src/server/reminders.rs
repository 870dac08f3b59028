//! Reminders: set on a lead for oneself or a colleague, finished, snoozed, edited, deleted;
//! and the background job that hands each due reminder to its owner's notifications once —
//! even across restarts and several processes on one database.

use super::db::{now_ms, Db, Sql};
use super::leads;
use super::state::{Actor, Store};
use crate::error::AppError;
use crate::models::{
    parse_reminder, LeadReminders, ParsedReminder, Reminder, ReminderCommand, ReminderInput,
    MAX_SNOOZE_MINUTES,
};
use sqlx::FromRow;
use std::time::Duration;

const REMINDER_SELECT: &str =
    "SELECT r.id, r.lead_id, l.name AS lead_name, r.user_id, u.name AS user_name, \
    c.name AS created_by_name, r.created_by, r.remind_at, r.body, r.done_at, r.fired_at \
    FROM reminders r JOIN leads l ON l.id = r.lead_id JOIN users u ON u.id = r.user_id \
    LEFT JOIN users c ON c.id = r.created_by";

#[derive(FromRow)]
struct ReminderRecord {
    id: i64,
    lead_id: i64,
    lead_name: String,
    user_id: i64,
    user_name: String,
    created_by_name: Option<String>,
    created_by: Option<i64>,
    remind_at: i64,
    body: String,
    done_at: Option<i64>,
    fired_at: Option<i64>,
}

impl ReminderRecord {
    fn into_reminder(self, actor: &Actor, now: i64) -> Reminder {
        let editable = may_change(actor, self.user_id, self.created_by);
        Reminder {
            id: self.id,
            lead_id: self.lead_id,
            lead_name: self.lead_name,
            user_id: self.user_id,
            user_name: self.user_name,
            created_by_name: self.created_by_name,
            remind_at: self.remind_at,
            body: self.body,
            done_at: self.done_at,
            fired_at: self.fired_at,
            overdue: self.done_at.is_none() && self.remind_at < now,
            editable,
        }
    }
}

/// Its owner, whoever set it, and admins and managers may change a reminder.
fn may_change(actor: &Actor, owner: i64, created_by: Option<i64>) -> bool {
    actor.sees_all() || actor.user_id == Some(owner) || actor.user_id == created_by
}

/// The reminders of a lead the actor may see (open ones by time, then finished ones), with
/// the users a new one can be for.
pub async fn for_lead(db: &Db, actor: &Actor, lead: i64) -> Result<LeadReminders, AppError> {
    leads::get(db, actor, lead).await?;
    let records: Vec<ReminderRecord> = sqlx::query_as(&format!(
        "{REMINDER_SELECT} WHERE r.lead_id = $1 \
         ORDER BY CASE WHEN r.done_at IS NULL THEN 0 ELSE 1 END, r.remind_at, r.id"
    ))
    .bind(lead)
    .fetch_all(&db.pool)
    .await?;
    let now = now_ms();
    let users = super::users::active_names(db).await?;
    Ok(LeadReminders {
        reminders: records
            .into_iter()
            .map(|r| r.into_reminder(actor, now))
            .collect(),
        users,
        me: actor.user_id,
        suggested_at: tomorrow_at_nine(now),
    })
}

fn tomorrow_at_nine(now: i64) -> i64 {
    let day = 86_400_000;
    (now / day + 1) * day + 9 * 3_600_000
}

/// Runs what a user did to a reminder; returns the reminder's id.
pub async fn command(
    store: &Store,
    actor: &Actor,
    command: &ReminderCommand,
) -> Result<i64, AppError> {
    match command {
        ReminderCommand::Create { lead, input } => create(store, actor, *lead, input).await,
        ReminderCommand::Edit { id, input } => {
            let parsed = parse_reminder(input, actor.locale)?;
            let owner = check_owner(&store.db, actor, parsed.user).await?;
            changing(store, actor, *id, |sql| {
                sql.push("remind_at = ")
                    .bind(parsed.remind_at)
                    .push(", user_id = ")
                    .bind(owner)
                    .push(", body = ")
                    .bind(parsed.body.clone())
                    .push(", fired_at = NULL");
            })
            .await
        }
        ReminderCommand::Done { id } => {
            let now = now_ms();
            changing(store, actor, *id, |sql| {
                sql.push("done_at = ").bind(now);
            })
            .await
        }
        ReminderCommand::Snooze { id, minutes } => {
            if !(1..=MAX_SNOOZE_MINUTES).contains(minutes) {
                return Err(AppError::field(
                    "minutes",
                    crate::i18n::fill(
                        actor.locale.t().err_range,
                        &[("min", &1), ("max", &MAX_SNOOZE_MINUTES)],
                    ),
                ));
            }
            // From now, or from its time if that is still ahead; it fires again when due.
            let now = now_ms();
            let by = minutes * 60_000;
            changing(store, actor, *id, |sql| {
                sql.push("remind_at = CASE WHEN remind_at > ")
                    .bind(now)
                    .push(" THEN remind_at ELSE ")
                    .bind(now)
                    .push(" END + ")
                    .bind(by)
                    .push(", fired_at = NULL, done_at = NULL");
            })
            .await
        }
        ReminderCommand::Delete { id } => {
            let mut tx = store.db.begin_write().await?;
            let (_, owner, created_by) = find(&mut tx, actor, *id).await?;
            if !may_change(actor, owner, created_by) {
                return Err(AppError::Forbidden);
            }
            sqlx::query("DELETE FROM reminders WHERE id = $1")
                .bind(*id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(*id)
        }
    }
}

async fn create(
    store: &Store,
    actor: &Actor,
    lead: i64,
    input: &ReminderInput,
) -> Result<i64, AppError> {
    let ParsedReminder {
        remind_at,
        user,
        body,
    } = parse_reminder(input, actor.locale)?;
    leads::get(&store.db, actor, lead).await?;
    let owner = check_owner(&store.db, actor, user).await?;
    let mut tx = store.db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reminders (lead_id, user_id, created_by, remind_at, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(lead)
    .bind(owner)
    .bind(actor.user_id)
    .bind(remind_at)
    .bind(body)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The user a reminder is for: the one named (an active user) or the actor.
async fn check_owner(db: &Db, actor: &Actor, user: Option<i64>) -> Result<i64, AppError> {
    let Some(user) = user.or(actor.user_id) else {
        return Err(AppError::field("user", actor.locale.t().err_required));
    };
    let active: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND active = 1")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    active.ok_or_else(|| AppError::field("user", actor.locale.t().err_missing_ref))
}

/// A reminder on a lead the actor may see: (lead, owner, created by).
async fn find(
    tx: &mut super::Tx,
    actor: &Actor,
    id: i64,
) -> Result<(i64, i64, Option<i64>), AppError> {
    let mut sql = Sql::new(
        "SELECT r.lead_id, r.user_id, r.created_by FROM reminders r JOIN leads l ON l.id = r.lead_id \
         WHERE l.deleted_at IS NULL AND r.id = ",
    );
    sql.bind(id);
    leads::push_scope(&mut sql, actor);
    sql.fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// Sets what `set` writes on a reminder the actor may change.
async fn changing(
    store: &Store,
    actor: &Actor,
    id: i64,
    set: impl FnOnce(&mut Sql),
) -> Result<i64, AppError> {
    let mut tx = store.db.begin_write().await?;
    let (_, owner, created_by) = find(&mut tx, actor, id).await?;
    if !may_change(actor, owner, created_by) {
        return Err(AppError::Forbidden);
    }
    let mut sql = Sql::new("UPDATE reminders SET ");
    set(&mut sql);
    sql.push(" WHERE id = ").bind(id);
    sql.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(id)
}

/// Hands every reminder due by `now` to its owner's notifications, each exactly once: the
/// claim (`fired_at`) and the notification commit together, and a reminder another process
/// claimed first is skipped. Returns how many this call fired.
pub async fn fire_due(store: &Store, now: i64) -> Result<usize, AppError> {
    let due: Vec<(i64, i64, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT r.id, r.user_id, r.lead_id, r.created_by, r.body FROM reminders r \
         JOIN leads l ON l.id = r.lead_id \
         WHERE r.fired_at IS NULL AND r.done_at IS NULL AND r.remind_at <= $1 AND l.deleted_at IS NULL \
         ORDER BY r.remind_at LIMIT 500",
    )
    .bind(now)
    .fetch_all(&store.db.pool)
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let mut fired = 0;
    let mut tx = store.db.begin_write().await?;
    for (id, user, lead, created_by, body) in due {
        let claimed = sqlx::query(
            "UPDATE reminders SET fired_at = $1 WHERE id = $2 AND fired_at IS NULL AND done_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 1 {
            sqlx::query(
                "INSERT INTO notifications (user_id, kind, lead_id, actor_id, body, created_at) \
                 VALUES ($1, 'reminder', $2, $3, $4, $5)",
            )
            .bind(user)
            .bind(lead)
            .bind(created_by)
            .bind(body)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            fired += 1;
        }
    }
    tx.commit().await?;
    Ok(fired)
}

/// The background job: fires due reminders now (catching up after a restart), then every
/// `every`, until the task is dropped.
pub async fn run(store: Store, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match fire_due(&store, now_ms()).await {
            Ok(0) => {}
            Ok(fired) => tracing::info!(fired, "reminders fired"),
            Err(error) => tracing::warn!(%error, "firing reminders failed; retrying"),
        }
    }
}
