//! A lead's timeline as people read it: newest first, who did it, and ids in system entries
//! (stages, users, sources) turned into names. Writes go through `leads` (the one door).

use super::db::Db;
use super::leads;
use super::state::Actor;
use crate::error::AppError;
use crate::models::{Change, TimelineEntry};
use sqlx::FromRow;
use std::collections::HashMap;

/// How many entries the lead page shows (the newest).
pub const TIMELINE_LIMIT: i64 = 200;

pub async fn timeline(db: &Db, actor: &Actor, lead: i64) -> Result<Vec<TimelineEntry>, AppError> {
    leads::get(db, actor, lead).await?; // not found unless the actor may see it
    #[derive(FromRow)]
    struct Row {
        id: i64,
        kind: String,
        event: Option<String>,
        body: Option<String>,
        outcome: Option<String>,
        duration_minutes: Option<i64>,
        changes: Option<String>,
        user_name: Option<String>,
        via: String,
        created_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.kind, a.event, a.body, a.outcome, a.duration_minutes, a.changes, u.name AS user_name, \
         a.via, a.created_at FROM activities a LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.lead_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
    )
    .bind(lead)
    .bind(TIMELINE_LIMIT)
    .fetch_all(&db.pool)
    .await?;
    // Deleted stages and inactive users keep their names here.
    let names = |query: &'static str| async move {
        let pairs: Vec<(i64, String)> = sqlx::query_as(query).fetch_all(&db.pool).await?;
        Ok::<_, AppError>(pairs.into_iter().collect::<HashMap<_, _>>())
    };
    let stages = names("SELECT id, name FROM stages").await?;
    let users = names("SELECT id, name FROM users").await?;
    let sources = names("SELECT id, name FROM sources").await?;
    let named = |map: &HashMap<i64, String>, value: Option<String>| {
        value.map(|v| {
            v.parse::<i64>()
                .ok()
                .and_then(|id| map.get(&id).cloned())
                .unwrap_or(v)
        })
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let changes: Vec<Change> = row
                .changes
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            let changes = changes
                .into_iter()
                .map(|change| {
                    let map = match change.field.as_str() {
                        "stage" => Some(&stages),
                        "assigned" => Some(&users),
                        "source_id" => Some(&sources),
                        _ => None,
                    };
                    match map {
                        Some(map) => Change {
                            field: change.field.replace("source_id", "source"),
                            old: named(map, change.old),
                            new: named(map, change.new),
                        },
                        None => change,
                    }
                })
                .collect();
            TimelineEntry {
                id: row.id,
                kind: row.kind,
                event: row.event,
                body: row.body,
                outcome: row.outcome,
                duration_minutes: row.duration_minutes,
                changes,
                user_name: row.user_name,
                via: row.via,
                created_at: row.created_at,
            }
        })
        .collect())
}
