//! The SDR's daily queue (`/admin/leads/today`): my reminders and next actions due today or
//! overdue, my leads nobody has contacted yet, and my stalled leads — most urgent first.

use super::board::{push_stalled, DAY_MS};
use super::db::{now_ms, Db, Sql};
use super::leads::push_scope;
use super::state::Actor;
use crate::error::AppError;
use crate::models::{QueueItem, QueueKind, QueueOverflow, TodayQueue, QUEUE_SECTION_LIMIT};
use sqlx::FromRow;

/// The lead and stage columns every section shows.
const LEAD_PART: &str = "l.id AS lead_id, l.name AS lead_name, l.company, s.name AS stage_name, \
    s.color AS stage_color, l.version AS lead_version";

#[derive(FromRow)]
struct Row {
    lead_id: i64,
    lead_name: String,
    company: Option<String>,
    stage_name: String,
    stage_color: String,
    lead_version: i64,
    reminder_id: Option<i64>,
    text: Option<String>,
    at: Option<i64>,
}

pub async fn today(db: &Db, actor: &Actor) -> Result<TodayQueue, AppError> {
    let Some(user) = actor.user_id else {
        return Err(AppError::Unauthorized);
    };
    let now = now_ms();
    let end_of_day = (now / DAY_MS + 1) * DAY_MS;
    let limit = QUEUE_SECTION_LIMIT + 1;

    let section = |kind: QueueKind| {
        let (columns, order) = match kind {
            QueueKind::Reminder => (
                "r.id AS reminder_id, r.body AS text, r.remind_at AS at",
                "r.remind_at, r.id",
            ),
            QueueKind::NextAction => (
                "CAST(NULL AS BIGINT) AS reminder_id, l.next_action AS text, l.next_action_at AS at",
                "l.next_action_at, l.id",
            ),
            QueueKind::NewLead => (
                "CAST(NULL AS BIGINT) AS reminder_id, CAST(NULL AS TEXT) AS text, l.dateadded AS at",
                "l.dateadded, l.id",
            ),
            QueueKind::Stalled => (
                "CAST(NULL AS BIGINT) AS reminder_id, CAST(NULL AS TEXT) AS text, l.last_activity_at AS at",
                "l.last_activity_at, l.id",
            ),
        };
        let mut sql = Sql::new(&format!("SELECT {LEAD_PART}, {columns}"));
        push_section(&mut sql, actor, kind, user, now, end_of_day);
        sql.push(&format!(" ORDER BY {order} LIMIT ")).bind(limit);
        sql
    };

    let mut due = Vec::new();
    let mut later = Vec::new();
    let mut overflow = Vec::new();
    let mut listed_new = Vec::new();
    for kind in [
        QueueKind::Reminder,
        QueueKind::NextAction,
        QueueKind::NewLead,
        QueueKind::Stalled,
    ] {
        let mut rows: Vec<Row> = section(kind).fetch_all(&db.pool).await?;
        if rows.len() as i64 > QUEUE_SECTION_LIMIT {
            rows.truncate(QUEUE_SECTION_LIMIT as usize);
            overflow.push(QueueOverflow {
                kind,
                total: section_total(db, actor, kind, user, now, end_of_day).await?,
            });
        }
        for row in rows {
            // A lead nobody has contacted that is also stalled is listed once, as new.
            if kind == QueueKind::NewLead {
                listed_new.push(row.lead_id);
            } else if kind == QueueKind::Stalled && listed_new.contains(&row.lead_id) {
                continue;
            }
            let timed = matches!(kind, QueueKind::Reminder | QueueKind::NextAction);
            let item = QueueItem {
                kind,
                lead_id: row.lead_id,
                lead_name: row.lead_name,
                company: row.company,
                stage_name: row.stage_name,
                stage_color: row.stage_color,
                lead_version: row.lead_version,
                reminder_id: row.reminder_id,
                text: row.text,
                at: row.at,
                overdue: timed && row.at.is_some_and(|at| at < now),
            };
            if timed {
                due.push(item);
            } else {
                later.push(item);
            }
        }
    }
    // Overdue before due later today, each by time; then new leads, then stalled ones.
    due.sort_by_key(|item| (!item.overdue, item.at));
    due.extend(later);
    Ok(TodayQueue {
        items: due,
        overflow,
        tomorrow_at: end_of_day + 9 * 3_600_000,
    })
}

/// The full size of a section the queue cut short.
async fn section_total(
    db: &Db,
    actor: &Actor,
    kind: QueueKind,
    user: i64,
    now: i64,
    end_of_day: i64,
) -> Result<i64, AppError> {
    let mut sql = Sql::new("SELECT COUNT(*)");
    push_section(&mut sql, actor, kind, user, now, end_of_day);
    Ok(sql.scalar(&db.pool).await?)
}

/// `FROM … WHERE …` of one section: the rows the page lists and its overflow counts.
fn push_section(
    sql: &mut Sql,
    actor: &Actor,
    kind: QueueKind,
    user: i64,
    now: i64,
    end_of_day: i64,
) {
    if kind == QueueKind::Reminder {
        sql.push(
            " FROM reminders r JOIN leads l ON l.id = r.lead_id JOIN stages s ON s.id = l.stage_id \
             WHERE r.done_at IS NULL AND l.deleted_at IS NULL AND r.user_id = ",
        )
        .bind(user)
        .push(" AND r.remind_at < ")
        .bind(end_of_day);
        push_scope(sql, actor);
        return;
    }
    sql.push(" FROM leads l JOIN stages s ON s.id = l.stage_id WHERE l.assigned = ")
        .bind(user)
        .push(" AND l.deleted_at IS NULL AND l.lost = 0 AND l.junk = 0");
    match kind {
        QueueKind::NextAction => {
            sql.push(" AND l.next_action_at < ").bind(end_of_day);
        }
        QueueKind::NewLead => {
            sql.push(" AND l.lastcontact IS NULL");
        }
        _ => {
            sql.push(" AND ");
            push_stalled(sql, now);
        }
    }
}
