//! Saved views of the leads list: each user's own, and those shared with the team.

use super::db::{now_ms, Db};
use super::state::Actor;
use crate::error::{AppError, Check};
use crate::i18n::fill;
use crate::models::{parse_text, SavedView, MAX_VIEW_NAME};
use sqlx::FromRow;

/// The longest query string a view keeps.
const MAX_QUERY: usize = 4000;

#[derive(FromRow)]
struct Row {
    id: i64,
    name: String,
    shared: i64,
    query: String,
    user_id: i64,
    owner: String,
}

/// The reader's views and the team's shared ones, by name.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<SavedView>, AppError> {
    let me = actor.user_id.unwrap_or(-1);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT v.id, v.name, v.shared, v.query, v.user_id, u.name AS owner FROM saved_views v \
         JOIN users u ON u.id = v.user_id WHERE v.user_id = $1 OR v.shared = 1 \
         ORDER BY LOWER(v.name), v.id",
    )
    .bind(me)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SavedView {
            id: row.id,
            name: row.name,
            shared: row.shared == 1,
            query: row.query,
            mine: row.user_id == me,
            owner: row.owner,
        })
        .collect())
}

/// Saves the list's current query under a name; saving again under a name the user already
/// has replaces that view.
pub async fn save(
    db: &Db,
    actor: &Actor,
    name: &str,
    shared: bool,
    query: &str,
) -> Result<i64, AppError> {
    let t = actor.locale.t();
    let user = actor.user_id.ok_or(AppError::Forbidden)?;
    let mut check = Check::default();
    let name = check
        .take("name", parse_text(name, MAX_VIEW_NAME, actor.locale))
        .flatten();
    if name.is_none() && !check.has("name") {
        check.add("name", t.err_required);
    }
    let query = query.trim().trim_start_matches('?');
    if query.len() > MAX_QUERY {
        check.add(
            "query",
            fill(
                t.err_too_long,
                &[("max", &MAX_QUERY), ("len", &query.len())],
            ),
        );
    }
    check.finish()?;
    let name = name.expect("checked");
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM saved_views WHERE user_id = $1 AND LOWER(name) = LOWER($2)")
        .bind(user)
        .bind(name.clone())
        .execute(&mut *tx)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO saved_views (user_id, name, shared, query, created_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id",
    )
    .bind(user)
    .bind(name)
    .bind(i64::from(shared))
    .bind(query.to_string())
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes a view: its owner may, and an administrator may remove a shared one.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<(), AppError> {
    let done = sqlx::query(
        "DELETE FROM saved_views WHERE id = $1 AND (user_id = $2 OR (shared = 1 AND $3 = 1))",
    )
    .bind(id)
    .bind(actor.user_id.unwrap_or(-1))
    .bind(i64::from(actor.is_admin()))
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
