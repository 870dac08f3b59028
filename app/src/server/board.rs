//! The board's reads: exact column totals and keyset-paged cards, in the viewer's scope.
//! A constant number of queries per request, whatever the number of cards.

use super::db::{now_ms, Db, Sql};
use super::leads::push_scope;
use super::state::Actor;
use crate::error::AppError;
use crate::models::{Card, CardCursor, CardPage, ColumnTotals};
use sqlx::FromRow;

const DAY_MS: i64 = 86_400_000;

/// Open leads only: lost, junk and trashed leads are not on the board.
const OPEN: &str = "l.deleted_at IS NULL AND l.lost = 0 AND l.junk = 0";

/// Per stage of `pipeline`, in stage order: how many open leads, their value, the value
/// weighted by the stage's probability, and how many are stalled (no stage change or activity
/// for longer than the stage's stalled-after days).
pub async fn columns(db: &Db, actor: &Actor, pipeline: i64) -> Result<Vec<ColumnTotals>, AppError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
    let mut sql = Sql::new(
        "SELECT s.id AS stage_id, COUNT(l.id) AS leads, \
         CAST(COALESCE(SUM(l.lead_value), 0) AS BIGINT) AS value, \
         CAST(COALESCE(SUM(l.lead_value * s.probability), 0) / 100 AS BIGINT) AS weighted_value, \
         CAST(COALESCE(SUM(CASE WHEN s.stalled_after_days IS NOT NULL \
              AND l.last_activity_at < ",
    );
    sql.bind(now_ms()).push(" - s.stalled_after_days * ");
    sql.bind(DAY_MS)
        .push(" THEN 1 ELSE 0 END), 0) AS BIGINT) AS stalled FROM stages s ");
    sql.push("LEFT JOIN leads l ON l.stage_id = s.id AND ")
        .push(OPEN);
    push_scope(&mut sql, actor);
    sql.push(" WHERE s.pipeline_id = ").bind(pipeline);
    sql.push(" GROUP BY s.id, s.position ORDER BY s.position, s.id");
    #[derive(FromRow)]
    struct Row {
        stage_id: i64,
        leads: i64,
        value: i64,
        weighted_value: i64,
        stalled: i64,
    }
    let rows: Vec<Row> = sql.fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| ColumnTotals {
            stage_id: r.stage_id,
            leads: r.leads,
            value: r.value,
            weighted_value: r.weighted_value,
            stalled: r.stalled,
        })
        .collect())
}

/// Up to `limit` cards of a stage in board order, after `after` (keyset paging: the next page
/// costs the same as the first, however deep).
pub async fn cards(
    db: &Db,
    actor: &Actor,
    stage: i64,
    after: Option<CardCursor>,
    limit: i64,
) -> Result<CardPage, AppError> {
    let limit = limit.clamp(1, 200);
    let mut sql = Sql::new(
        "SELECT l.id, l.name, l.company, l.lead_value, l.assigned, u.name AS assigned_name, \
         src.name AS source_name, COALESCE(l.last_status_change, l.dateadded) AS in_stage_since, \
         CASE WHEN s.stalled_after_days IS NOT NULL AND l.last_activity_at < ",
    );
    sql.bind(now_ms())
        .push(" - s.stalled_after_days * ")
        .bind(DAY_MS);
    sql.push(
        " THEN 1 ELSE 0 END AS stalled, l.next_action, l.next_action_at, l.position, l.version \
         FROM leads l JOIN stages s ON s.id = l.stage_id \
         LEFT JOIN users u ON u.id = l.assigned LEFT JOIN sources src ON src.id = l.source_id \
         WHERE l.stage_id = ",
    );
    sql.bind(stage).push(" AND ").push(OPEN);
    push_scope(&mut sql, actor);
    if let Some(cursor) = after {
        sql.push(" AND (l.position > ").bind(cursor.position);
        sql.push(" OR (l.position = ")
            .bind(cursor.position)
            .push(" AND l.id > ")
            .bind(cursor.id)
            .push("))");
    }
    // One more than asked tells whether another page follows.
    sql.push(" ORDER BY l.position, l.id LIMIT ")
        .bind(limit + 1);
    #[derive(FromRow)]
    struct Row {
        id: i64,
        name: String,
        company: Option<String>,
        lead_value: Option<i64>,
        assigned: Option<i64>,
        assigned_name: Option<String>,
        source_name: Option<String>,
        in_stage_since: i64,
        stalled: i64,
        next_action: Option<String>,
        next_action_at: Option<i64>,
        position: f64,
        version: i64,
    }
    let mut rows: Vec<Row> = sql.fetch_all(&db.pool).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let mut cards: Vec<Card> = rows
        .into_iter()
        .map(|r| Card {
            id: r.id,
            name: r.name,
            company: r.company,
            lead_value: r.lead_value,
            assigned: r.assigned,
            assigned_name: r.assigned_name,
            source_name: r.source_name,
            tags: Vec::new(),
            in_stage_since: r.in_stage_since,
            stalled: r.stalled == 1,
            next_action: r.next_action,
            next_action_at: r.next_action_at,
            position: r.position,
            version: r.version,
        })
        .collect();
    attach_tags(db, &mut cards).await?;
    let next = more
        .then(|| {
            cards.last().map(|c| CardCursor {
                position: c.position,
                id: c.id,
            })
        })
        .flatten();
    Ok(CardPage { cards, next })
}

/// The tags of a page of cards, in one query.
async fn attach_tags(db: &Db, cards: &mut [Card]) -> Result<(), AppError> {
    if cards.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(
        "SELECT lt.lead_id, t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id IN (",
    );
    for (i, card) in cards.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(card.id);
    }
    sql.push(") ORDER BY t.name");
    let tags: Vec<(i64, String)> = sql.fetch_all(&db.pool).await?;
    for (lead, tag) in tags {
        if let Some(card) = cards.iter_mut().find(|c| c.id == lead) {
            card.tags.push(tag);
        }
    }
    Ok(())
}
