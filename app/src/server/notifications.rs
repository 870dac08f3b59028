//! Reading and clearing a user's notifications, and handing them to email delivery
//! (`mail`). They are written where they happen (lead changes in `leads`, due reminders in
//! `reminders`), in the same transaction.

use super::db::{now_ms, Db, Sql};
use super::state::Actor;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::models::{Notification, Notifications, NOTIFICATIONS_SHOWN};
use sqlx::FromRow;

#[derive(FromRow)]
struct Record {
    id: i64,
    kind: String,
    lead_id: Option<i64>,
    lead_name: Option<String>,
    actor_name: Option<String>,
    body: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl Record {
    fn into_notification(self) -> Notification {
        Notification {
            id: self.id,
            kind: self.kind,
            lead_id: self.lead_id,
            lead_name: self.lead_name,
            actor_name: self.actor_name,
            body: self.body,
            created_at: self.created_at,
            read: self.read_at.is_some(),
        }
    }
}

/// The actor's newest notifications and how many are unread.
pub async fn list(db: &Db, actor: &Actor) -> Result<Notifications, AppError> {
    let user = actor.user_id.ok_or(AppError::Unauthorized)?;
    let records: Vec<Record> = sqlx::query_as(
        "SELECT n.id, n.kind, n.lead_id, l.name AS lead_name, u.name AS actor_name, n.body, \
         n.created_at, n.read_at FROM notifications n LEFT JOIN leads l ON l.id = n.lead_id \
         LEFT JOIN users u ON u.id = n.actor_id WHERE n.user_id = $1 \
         ORDER BY n.created_at DESC, n.id DESC LIMIT $2",
    )
    .bind(user)
    .bind(NOTIFICATIONS_SHOWN)
    .fetch_all(&db.pool)
    .await?;
    Ok(Notifications {
        items: records.into_iter().map(Record::into_notification).collect(),
        unread: unread(db, user).await?,
    })
}

/// How many of a user's notifications are unread.
pub async fn unread(db: &Db, user: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user)
    .fetch_one(&db.pool)
    .await?)
}

/// Marks one notification (`Some(id)`) or all of them read; only the actor's own.
pub async fn mark_read(db: &Db, actor: &Actor, id: Option<i64>) -> Result<(), AppError> {
    let user = actor.user_id.ok_or(AppError::Unauthorized)?;
    let mut sql = Sql::new("UPDATE notifications SET read_at = ");
    sql.bind(now_ms())
        .push(" WHERE read_at IS NULL AND user_id = ")
        .bind(user);
    if let Some(id) = id {
        sql.push(" AND id = ").bind(id);
    }
    sql.execute(&db.pool).await?;
    Ok(())
}

/// How many times a notification's email is tried before it is given up.
pub const MAX_EMAIL_ATTEMPTS: i64 = 5;

/// A notification to send by email: to whom, in their language.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub email: String,
    pub name: String,
    pub locale: Locale,
    pub notification: Notification,
}

#[derive(FromRow)]
struct OutgoingRecord {
    #[sqlx(flatten)]
    record: Record,
    email: String,
    user_name: String,
    language: String,
}

/// Claims up to `limit` notifications of active users, created since `since` and not emailed
/// yet (fewer than `MAX_EMAIL_ATTEMPTS` tries): each is claimed by one process only, even with
/// several on one database.
pub async fn claim_for_email(db: &Db, since: i64, limit: i64) -> Result<Vec<Outgoing>, AppError> {
    let candidates: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM notifications WHERE emailed_at IS NULL AND created_at >= $1 \
         AND email_attempts < $2 ORDER BY created_at, id LIMIT $3",
    )
    .bind(since)
    .bind(MAX_EMAIL_ATTEMPTS)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let now = now_ms();
    let mut claimed = Vec::new();
    for id in candidates {
        let done = sqlx::query(
            "UPDATE notifications SET emailed_at = $1 WHERE id = $2 AND emailed_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
        if done.rows_affected() == 1 {
            claimed.push(id);
        }
    }
    let mut outgoing = Vec::with_capacity(claimed.len());
    for id in claimed {
        let found: Option<OutgoingRecord> = sqlx::query_as(
            "SELECT n.id, n.kind, n.lead_id, l.name AS lead_name, a.name AS actor_name, n.body, \
             n.created_at, n.read_at, u.email, u.name AS user_name, u.language \
             FROM notifications n JOIN users u ON u.id = n.user_id \
             LEFT JOIN leads l ON l.id = n.lead_id LEFT JOIN users a ON a.id = n.actor_id \
             WHERE n.id = $1 AND u.active = 1",
        )
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
        if let Some(found) = found {
            outgoing.push(Outgoing {
                email: found.email,
                name: found.user_name,
                locale: Locale::from_code(&found.language).unwrap_or_default(),
                notification: found.record.into_notification(),
            });
        }
    }
    Ok(outgoing)
}

/// A send failed: the notification is released for another try, with the reason kept.
pub async fn email_failed(db: &Db, id: i64, error: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE notifications SET emailed_at = NULL, email_attempts = email_attempts + 1, \
         email_error = $1 WHERE id = $2",
    )
    .bind(error.chars().take(500).collect::<String>())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
