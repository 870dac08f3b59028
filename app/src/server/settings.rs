//! Pipelines with their stages, sources and lost reasons: the managed lists admins edit and
//! every lead refers to. Deleting an entry still in use is refused with the number of leads.

use super::board;
use super::db::{now_ms, Db, Tx};
use super::leads;
use super::state::{Actor, Store};
use crate::error::{AppError, Check};
use crate::i18n::fill;
use crate::models::{
    parse_int_in, parse_text, Choice, Direction, ListEntry, ManagedList, Pipeline, PipelineStages,
    Stage, StageForm, REQUIRABLE_FIELDS,
};
use sqlx::FromRow;

fn parse_name(raw: &str, actor: &Actor) -> Result<String, AppError> {
    match parse_text(raw, 100, actor.locale) {
        Ok(Some(name)) => Ok(name),
        Ok(None) => Err(AppError::field("name", actor.locale.t().err_required)),
        Err(message) => Err(AppError::field("name", message)),
    }
}

fn in_use(actor: &Actor, leads: i64) -> AppError {
    AppError::Refused(fill(actor.locale.t().err_in_use, &[("n", &leads)]))
}

// ---- pipelines and stages -------------------------------------------------------------

#[derive(FromRow)]
struct StageRecord {
    id: i64,
    pipeline_id: i64,
    name: String,
    color: String,
    probability: i64,
    stalled_after_days: Option<i64>,
    required_fields: String,
    lead_count: i64,
}

impl From<StageRecord> for Stage {
    fn from(r: StageRecord) -> Stage {
        Stage {
            id: r.id,
            pipeline_id: r.pipeline_id,
            name: r.name,
            color: r.color,
            probability: r.probability,
            stalled_after_days: r.stalled_after_days,
            required_fields: split_fields(&r.required_fields),
            lead_count: r.lead_count,
        }
    }
}

pub fn split_fields(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(String::from)
        .collect()
}

/// Every pipeline in order, each with its stages in order and their lead counts (the trash
/// aside).
pub async fn pipelines(db: &Db) -> Result<Vec<Pipeline>, AppError> {
    let heads: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT id, name, is_default FROM pipelines ORDER BY position, id")
            .fetch_all(&db.pool)
            .await?;
    // Every stage's leads (open, lost and junk, not in the trash) are kept in `stage_totals`.
    let stages: Vec<StageRecord> = sqlx::query_as(&format!(
        "SELECT s.id, s.pipeline_id, s.name, s.color, s.probability, s.stalled_after_days, s.required_fields, \
         COALESCE(c.kept_leads, 0) AS lead_count FROM stages s LEFT JOIN ({kept}) c \
         ON c.kept_key = s.id WHERE s.deleted_at IS NULL ORDER BY s.pipeline_id, s.position, s.id",
        kept = board::kept_leads_by("stage_id"),
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(heads
        .into_iter()
        .map(|(id, name, is_default)| {
            let stages: Vec<Stage> = stages
                .iter()
                .filter(|s| s.pipeline_id == id)
                .map(|s| Stage::from(clone_stage(s)))
                .collect();
            Pipeline {
                id,
                name,
                is_default: is_default == 1,
                lead_count: stages.iter().map(|s| s.lead_count).sum(),
                stages,
            }
        })
        .collect())
}

fn clone_stage(s: &StageRecord) -> StageRecord {
    StageRecord {
        id: s.id,
        pipeline_id: s.pipeline_id,
        name: s.name.clone(),
        color: s.color.clone(),
        probability: s.probability,
        stalled_after_days: s.stalled_after_days,
        required_fields: s.required_fields.clone(),
        lead_count: s.lead_count,
    }
}

/// A stage's settings, without counting its leads.
const STAGE_SETTINGS: &str = "SELECT s.id, s.pipeline_id, s.name, s.color, s.probability, \
    s.stalled_after_days, s.required_fields, 0 AS lead_count FROM stages s";

pub async fn stage(db: &Db, id: i64) -> Result<Stage, AppError> {
    let record: StageRecord = sqlx::query_as(&format!("{STAGE_SETTINGS} WHERE s.id = $1"))
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    Ok(record.into())
}

/// Whether a stage exists and is not deleted.
pub async fn stage_exists(db: &Db, id: i64) -> Result<bool, AppError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM stages WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

/// The stages of a pipeline in board order (lead counts are the board's job).
pub async fn stages_of(db: &Db, pipeline: i64) -> Result<Vec<Stage>, AppError> {
    let records: Vec<StageRecord> = sqlx::query_as(&format!(
        "{STAGE_SETTINGS} WHERE s.pipeline_id = $1 AND s.deleted_at IS NULL ORDER BY s.position, s.id"
    ))
    .bind(pipeline)
    .fetch_all(&db.pool)
    .await?;
    Ok(records.into_iter().map(Stage::from).collect())
}

/// Pipelines in order, for the board's selector.
pub async fn pipeline_choices(db: &Db) -> Result<Vec<Choice>, AppError> {
    ordered_names(db, "pipelines").await
}

/// Every pipeline with its live stages, both in order, the default pipeline first (the lead
/// form's pickers).
pub async fn pipeline_stages(db: &Db) -> Result<Vec<PipelineStages>, AppError> {
    let mut pipelines: Vec<PipelineStages> = sqlx::query_as::<_, (i64, String)>(
        "SELECT id, name FROM pipelines ORDER BY is_default DESC, position, id",
    )
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|(id, name)| PipelineStages {
        id,
        name,
        stages: Vec::new(),
    })
    .collect();
    let stages: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, pipeline_id, name FROM stages WHERE deleted_at IS NULL ORDER BY position, id",
    )
    .fetch_all(&db.pool)
    .await?;
    for (id, pipeline, name) in stages {
        if let Some(p) = pipelines.iter_mut().find(|p| p.id == pipeline) {
            p.stages.push(Choice { id, name });
        }
    }
    Ok(pipelines)
}

/// `(id, name)` of an ordered table (pipelines, sources, lost reasons), in its order.
async fn ordered_names(db: &Db, table: &str) -> Result<Vec<Choice>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT id, name FROM {table} ORDER BY position, id"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Choice { id, name })
        .collect())
}

/// The pipeline a board shows: the requested one if it exists, else the default.
pub async fn board_pipeline(db: &Db, requested: Option<i64>) -> Result<i64, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM pipelines WHERE id = $1 OR $1 IS NULL OR is_default = 1 \
         ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END, is_default DESC, position, id LIMIT 1",
    )
    .bind(requested)
    .fetch_optional(&db.pool)
    .await?;
    found.ok_or(AppError::NotFound)
}

pub async fn create_pipeline(db: &Db, actor: &Actor, name: &str) -> Result<i64, AppError> {
    actor.require_admin()?;
    let name = parse_name(name, actor)?;
    let mut tx = db.begin_write().await?;
    let id = insert_pipeline(&mut tx, &name, false).await?;
    // A pipeline always has a stage to put leads in.
    insert_stage(
        &mut tx,
        id,
        &StageValues {
            name: "New".into(),
            ..StageValues::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_pipeline(tx: &mut Tx, name: &str, is_default: bool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO pipelines (name, position, is_default, created_at) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM pipelines), $2, $3) RETURNING id",
    )
    .bind(name.to_string())
    .bind(i64::from(is_default))
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn rename_pipeline(db: &Db, actor: &Actor, id: i64, name: &str) -> Result<(), AppError> {
    actor.require_admin()?;
    let name = parse_name(name, actor)?;
    let done = sqlx::query("UPDATE pipelines SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(&db.pool)
        .await?;
    found(done.rows_affected())
}

pub async fn set_default_pipeline(db: &Db, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE pipelines SET is_default = CASE WHEN id = $1 THEN 1 ELSE 0 END")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let exists = count(&mut tx, "SELECT COUNT(*) FROM pipelines WHERE id = $1", id).await?;
    if exists == 0 || done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete_pipeline(db: &Db, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = db.begin_write().await?;
    let is_default: Option<i64> =
        sqlx::query_scalar("SELECT is_default FROM pipelines WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match is_default {
        None => return Err(AppError::NotFound),
        Some(1) => {
            return Err(AppError::Refused(
                actor.locale.t().err_default_pipeline.into(),
            ))
        }
        Some(_) => {}
    }
    let leads = count(
        &mut tx,
        "SELECT COUNT(*) FROM leads WHERE pipeline_id = $1",
        id,
    )
    .await?;
    if leads > 0 {
        return Err(in_use(actor, leads));
    }
    // Web forms filling one of its stages fill the default pipeline's first stage instead.
    sqlx::query(
        "UPDATE web_forms SET stage_id = (SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE p.is_default = 1 AND s.deleted_at IS NULL ORDER BY s.position, s.id LIMIT 1) \
         WHERE stage_id IN (SELECT id FROM stages WHERE pipeline_id = $1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM stages WHERE pipeline_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM pipelines WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn move_pipeline(
    db: &Db,
    actor: &Actor,
    id: i64,
    direction: Direction,
) -> Result<(), AppError> {
    actor.require_admin()?;
    reorder(db, "pipelines", "", id, direction).await
}

/// A stage's settings after parsing the form.
#[derive(Debug, Clone)]
pub struct StageValues {
    pub name: String,
    pub color: String,
    pub probability: i64,
    pub stalled_after_days: Option<i64>,
    pub required_fields: Vec<String>,
}

impl Default for StageValues {
    fn default() -> Self {
        StageValues {
            name: String::new(),
            color: "#64748b".into(),
            probability: 10,
            stalled_after_days: None,
            required_fields: Vec::new(),
        }
    }
}

pub fn parse_stage(form: &StageForm, actor: &Actor) -> Result<StageValues, AppError> {
    let t = actor.locale.t();
    let mut check = Check::default();
    let name = match parse_name(&form.name, actor) {
        Ok(name) => name,
        Err(error) => {
            if let Some(fields) = error.field_errors() {
                check.add("name", fields["name"].clone());
            }
            String::new()
        }
    };
    let color = form.color.trim().to_ascii_lowercase();
    let color_ok = color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !color_ok {
        check.add("color", t.err_color);
    }
    let probability = check
        .take(
            "probability",
            parse_int_in(&form.probability, 0, 100, actor.locale),
        )
        .unwrap_or(0);
    let stalled_after_days = if form.stalled_after_days.trim().is_empty() {
        None
    } else {
        check.take(
            "stalled_after_days",
            parse_int_in(&form.stalled_after_days, 1, 3650, actor.locale),
        )
    };
    let mut required_fields = Vec::new();
    for field in &form.required_fields {
        if REQUIRABLE_FIELDS.contains(&field.as_str()) {
            if !required_fields.contains(field) {
                required_fields.push(field.clone());
            }
        } else {
            check.add(
                "required_fields",
                fill(t.err_unknown_field, &[("field", field)]),
            );
        }
    }
    check.finish()?;
    Ok(StageValues {
        name,
        color,
        probability,
        stalled_after_days,
        required_fields,
    })
}

async fn insert_stage(
    tx: &mut Tx,
    pipeline_id: i64,
    values: &StageValues,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO stages (pipeline_id, name, position, color, probability, stalled_after_days, required_fields) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM stages WHERE pipeline_id = $1), $3, $4, $5, $6) \
         RETURNING id",
    )
    .bind(pipeline_id)
    .bind(values.name.clone())
    .bind(values.color.clone())
    .bind(values.probability)
    .bind(values.stalled_after_days)
    .bind(values.required_fields.join(","))
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn create_stage(
    db: &Db,
    actor: &Actor,
    pipeline_id: i64,
    form: &StageForm,
) -> Result<i64, AppError> {
    actor.require_admin()?;
    let values = parse_stage(form, actor)?;
    let mut tx = db.begin_write().await?;
    let exists = count(
        &mut tx,
        "SELECT COUNT(*) FROM pipelines WHERE id = $1",
        pipeline_id,
    )
    .await?;
    if exists == 0 {
        return Err(AppError::NotFound);
    }
    let id = insert_stage(&mut tx, pipeline_id, &values).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_stage(
    db: &Db,
    actor: &Actor,
    id: i64,
    form: &StageForm,
) -> Result<(), AppError> {
    actor.require_admin()?;
    let values = parse_stage(form, actor)?;
    let done = sqlx::query(
        "UPDATE stages SET name = $1, color = $2, probability = $3, stalled_after_days = $4, required_fields = $5 \
         WHERE id = $6 AND deleted_at IS NULL",
    )
    .bind(values.name)
    .bind(values.color)
    .bind(values.probability)
    .bind(values.stalled_after_days)
    .bind(values.required_fields.join(","))
    .bind(id)
    .execute(&db.pool)
    .await?;
    found(done.rows_affected())
}

pub async fn move_stage(
    db: &Db,
    actor: &Actor,
    id: i64,
    direction: Direction,
) -> Result<(), AppError> {
    actor.require_admin()?;
    reorder(db, "stages", "pipeline_id", id, direction).await
}

/// Deletes a stage. Its leads (and closed leads that would reopen into it) move to `move_to`,
/// a stage of the same pipeline, which is required when it has any. The stage is kept, marked
/// deleted, so stage history and reports still name it.
pub async fn delete_stage(
    store: &Store,
    actor: &Actor,
    id: i64,
    move_to: Option<i64>,
) -> Result<(), AppError> {
    actor.require_admin()?;
    let t = actor.locale.t();
    let mut tx = store.db.begin_write().await?;
    let pipeline_id: i64 =
        sqlx::query_scalar("SELECT pipeline_id FROM stages WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let siblings = count(
        &mut tx,
        "SELECT COUNT(*) FROM stages WHERE pipeline_id = $1 AND deleted_at IS NULL",
        pipeline_id,
    )
    .await?;
    if siblings <= 1 {
        return Err(AppError::Refused(t.err_last_stage.into()));
    }
    let leads = count(
        &mut tx,
        "SELECT COUNT(*) FROM leads WHERE stage_id = $1 OR last_stage_id = $1",
        id,
    )
    .await?;
    let events = if leads > 0 {
        let Some(target) = move_to else {
            let message = fill(t.err_stage_leads_go, &[("n", &leads.to_string())]);
            return Err(AppError::field("move_to", message));
        };
        let same_pipeline: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM stages WHERE id = $1 AND pipeline_id = $2 AND id <> $3 AND deleted_at IS NULL",
        )
        .bind(target)
        .bind(pipeline_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if same_pipeline.is_none() {
            return Err(AppError::field("move_to", t.err_missing_ref));
        }
        leads::move_stage_leads(store, &mut tx, actor, id, target).await?
    } else {
        Vec::new()
    };
    sqlx::query("UPDATE stages SET deleted_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // Web forms that filled this stage fill the one its leads went to, or the first left.
    sqlx::query(
        "UPDATE web_forms SET stage_id = COALESCE($1, (SELECT s.id FROM stages s \
         WHERE s.pipeline_id = $2 AND s.deleted_at IS NULL ORDER BY s.position, s.id LIMIT 1)) \
         WHERE stage_id = $3",
    )
    .bind(move_to.filter(|_| leads > 0))
    .bind(pipeline_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    for event in events {
        store.events.publish(event);
    }
    Ok(())
}

// ---- sources and lost reasons ---------------------------------------------------------

impl ManagedList {
    fn table(self) -> &'static str {
        match self {
            ManagedList::Sources => "sources",
            ManagedList::LostReasons => "lost_reasons",
        }
    }

    /// The lead column that refers to an entry of this list.
    fn lead_column(self) -> &'static str {
        match self {
            ManagedList::Sources => "source_id",
            ManagedList::LostReasons => "lost_reason_id",
        }
    }

    fn has_default(self) -> bool {
        self == ManagedList::Sources
    }
}

/// A managed list's entries in order, for pickers.
pub async fn choices(db: &Db, list: ManagedList) -> Result<Vec<Choice>, AppError> {
    ordered_names(db, list.table()).await
}

pub async fn entries(db: &Db, list: ManagedList) -> Result<Vec<ListEntry>, AppError> {
    let default = if list.has_default() {
        "e.is_default"
    } else {
        "0"
    };
    // Leads per source are kept (`stage_totals`); lost leads per reason are few enough to count.
    let counts = match list {
        ManagedList::Sources => board::kept_leads_by("source_id"),
        ManagedList::LostReasons => format!(
            "SELECT {column} AS kept_key, COUNT(*) AS kept_leads FROM leads \
             WHERE {column} IS NOT NULL AND deleted_at IS NULL GROUP BY {column}",
            column = list.lead_column(),
        ),
    };
    let query = format!(
        "SELECT e.id, e.name, {default} AS is_default, COALESCE(c.kept_leads, 0) AS lead_count FROM {table} e \
         LEFT JOIN ({counts}) c ON c.kept_key = e.id ORDER BY e.position, e.id",
        table = list.table(),
    );
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(&query).fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, is_default, lead_count)| ListEntry {
            id,
            name,
            is_default: is_default == 1,
            lead_count,
        })
        .collect())
}

pub async fn create_entry(
    db: &Db,
    actor: &Actor,
    list: ManagedList,
    name: &str,
) -> Result<i64, AppError> {
    actor.require_admin()?;
    let name = parse_name(name, actor)?;
    let query = format!(
        "INSERT INTO {table} (name, position) VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM {table})) \
         RETURNING id",
        table = list.table()
    );
    Ok(sqlx::query_scalar(&query)
        .bind(name)
        .fetch_one(&db.pool)
        .await?)
}

pub async fn rename_entry(
    db: &Db,
    actor: &Actor,
    list: ManagedList,
    id: i64,
    name: &str,
) -> Result<(), AppError> {
    actor.require_admin()?;
    let name = parse_name(name, actor)?;
    let query = format!("UPDATE {} SET name = $1 WHERE id = $2", list.table());
    let done = sqlx::query(&query)
        .bind(name)
        .bind(id)
        .execute(&db.pool)
        .await?;
    found(done.rows_affected())
}

pub async fn move_entry(
    db: &Db,
    actor: &Actor,
    list: ManagedList,
    id: i64,
    direction: Direction,
) -> Result<(), AppError> {
    actor.require_admin()?;
    reorder(db, list.table(), "", id, direction).await
}

pub async fn set_default_entry(
    db: &Db,
    actor: &Actor,
    list: ManagedList,
    id: i64,
) -> Result<(), AppError> {
    actor.require_admin()?;
    if !list.has_default() {
        return Err(AppError::NotFound);
    }
    let mut tx = db.begin_write().await?;
    let exists = count(
        &mut tx,
        &format!("SELECT COUNT(*) FROM {} WHERE id = $1", list.table()),
        id,
    )
    .await?;
    if exists == 0 {
        return Err(AppError::NotFound);
    }
    sqlx::query(&format!(
        "UPDATE {} SET is_default = CASE WHEN id = $1 THEN 1 ELSE 0 END",
        list.table()
    ))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_entry(
    db: &Db,
    actor: &Actor,
    list: ManagedList,
    id: i64,
) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = db.begin_write().await?;
    let leads = count(
        &mut tx,
        &format!(
            "SELECT COUNT(*) FROM leads WHERE {} = $1",
            list.lead_column()
        ),
        id,
    )
    .await?;
    if leads > 0 {
        return Err(in_use(actor, leads));
    }
    let done = sqlx::query(&format!("DELETE FROM {} WHERE id = $1", list.table()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    found(done.rows_affected())?;
    tx.commit().await?;
    Ok(())
}

// ---- shared helpers -------------------------------------------------------------------

/// The number a `SELECT COUNT(*) … $1` query gives for `id`.
async fn count(tx: &mut Tx, query: &str, id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(query)
        .bind(id)
        .fetch_one(&mut **tx)
        .await?)
}

fn found(rows: u64) -> Result<(), AppError> {
    if rows == 0 {
        Err(AppError::NotFound)
    } else {
        Ok(())
    }
}

/// Swaps an entry with its neighbour in `position` order, within its group (`group_column`,
/// e.g. the stage's pipeline) when one is given; grouped rows (stages) skip deleted ones.
/// Lists are short; they are renumbered 1..n.
pub(super) async fn reorder(
    db: &Db,
    table: &str,
    group_column: &str,
    id: i64,
    direction: Direction,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let ids: Vec<i64> = if group_column.is_empty() {
        sqlx::query_scalar(&format!("SELECT id FROM {table} ORDER BY position, id"))
            .fetch_all(&mut *tx)
            .await?
    } else {
        let query = format!(
            "SELECT id FROM {table} WHERE {group_column} = (SELECT {group_column} FROM {table} WHERE id = $1) \
             AND deleted_at IS NULL ORDER BY position, id"
        );
        sqlx::query_scalar(&query)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
    };
    let mut ids = ids;
    let index = ids
        .iter()
        .position(|&other| other == id)
        .ok_or(AppError::NotFound)?;
    let target = match direction {
        Direction::Up => index.checked_sub(1),
        Direction::Down => (index + 1 < ids.len()).then_some(index + 1),
    };
    let Some(target) = target else {
        return Ok(()); // already first or last
    };
    ids.swap(index, target);
    let update = format!("UPDATE {table} SET position = $1 WHERE id = $2");
    for (position, id) in ids.iter().enumerate() {
        sqlx::query(&update)
            .bind(position as i64 + 1)
            .bind(*id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The stages, sources and lost reasons a new workspace starts with.
pub const DEFAULT_STAGES: &[(&str, &str, i64, Option<i64>, &str)] = &[
    ("New", "#3b82f6", 10, Some(3), ""),
    ("Contacted", "#06b6d4", 20, Some(7), ""),
    ("Qualified", "#8b5cf6", 40, Some(10), ""),
    ("Proposal", "#f59e0b", 60, Some(14), "lead_value"),
    ("Negotiation", "#f97316", 80, Some(14), "lead_value"),
    ("Verbal yes", "#10b981", 90, Some(7), "lead_value"),
    ("On hold", "#94a3b8", 5, Some(30), ""),
];
pub const DEFAULT_SOURCES: &[&str] = &[
    "Website",
    "Referral",
    "Google Ads",
    "LinkedIn",
    "Cold call",
    "Trade show",
    "Partner",
];
pub const DEFAULT_LOST_REASONS: &[&str] = &[
    "Too expensive",
    "Chose a competitor",
    "No budget",
    "No response",
    "Not a fit",
    "Timing",
];

/// Creates the default pipeline, sources and lost reasons when the database has none,
/// so a fresh workspace can take leads at once. Idempotent.
pub async fn ensure_defaults(db: &Db) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let pipelines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pipelines")
        .fetch_one(&mut *tx)
        .await?;
    if pipelines == 0 {
        let id = insert_pipeline(&mut tx, "Sales", true).await?;
        for &(name, color, probability, stalled, required) in DEFAULT_STAGES {
            let values = StageValues {
                name: name.into(),
                color: color.into(),
                probability,
                stalled_after_days: stalled,
                required_fields: split_fields(required),
            };
            insert_stage(&mut tx, id, &values).await?;
        }
    }
    for (list, names) in [
        (ManagedList::Sources, DEFAULT_SOURCES),
        (ManagedList::LostReasons, DEFAULT_LOST_REASONS),
    ] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", list.table()))
            .fetch_one(&mut *tx)
            .await?;
        if count > 0 {
            continue;
        }
        for (position, name) in names.iter().enumerate() {
            sqlx::query(&format!(
                "INSERT INTO {} (name, position) VALUES ($1, $2)",
                list.table()
            ))
            .bind(name.to_string())
            .bind(position as i64 + 1)
            .execute(&mut *tx)
            .await?;
        }
        if list.has_default() {
            sqlx::query(
                "UPDATE sources SET is_default = 1 WHERE id = (SELECT MIN(id) FROM sources)",
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
