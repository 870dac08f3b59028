//! Reading and clearing a user's notifications. They are written where they happen (lead
//! changes in `leads`, due reminders in `reminders`), in the same transaction.

use super::db::{now_ms, Db, Sql};
use super::state::Actor;
use crate::error::AppError;
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
        items: records
            .into_iter()
            .map(|r| Notification {
                id: r.id,
                kind: r.kind,
                lead_id: r.lead_id,
                lead_name: r.lead_name,
                actor_name: r.actor_name,
                body: r.body,
                created_at: r.created_at,
                read: r.read_at.is_some(),
            })
            .collect(),
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
