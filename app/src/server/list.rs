//! The list view's reads: a sorted page of the leads the board's filters select (plus one
//! stage, if asked), its exact total, open leads per stage and the lost share — in the
//! reader's scope, with a constant number of queries per page.

use super::board::{push_conditions, push_filter};
use super::custom_fields::PageValues;
use super::db::{now_ms, Db, Sql};
use super::leads::tags_for;
use super::settings;
use super::state::Actor;
use crate::error::AppError;
use crate::models::{
    parse_columns, ListColumn, ListPage, ListQuery, ListRow, ManagedList, ParsedFilter, SortKey,
    StageCount, TrashPage, TrashedLead,
};
use sqlx::FromRow;

#[derive(FromRow)]
struct Row {
    id: i64,
    name: String,
    company: Option<String>,
    email: Option<String>,
    phonenumber: Option<String>,
    stage_id: i64,
    stage_name: String,
    stage_color: String,
    assigned: Option<i64>,
    assigned_name: Option<String>,
    source_name: Option<String>,
    lead_value: Option<i64>,
    lastcontact: Option<i64>,
    dateadded: i64,
    next_action: Option<String>,
    next_action_at: Option<i64>,
    in_stage_since: i64,
    lost: i64,
    junk: i64,
}

/// `FROM … WHERE` for the selected leads of `pipeline` (without their status when `any_status`).
fn selected(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
    any_status: bool,
    select: &str,
) -> Sql {
    selected_after("", db, actor, filter, pipeline, stage, any_status, select)
}

/// `selected` behind `head` (e.g. `INSERT INTO … ` to copy the selection set-wise).
#[allow(clippy::too_many_arguments)]
fn selected_after(
    head: &str,
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
    any_status: bool,
    select: &str,
) -> Sql {
    let mut sql = Sql::new(&format!(
        "{head}SELECT {select} FROM leads l JOIN stages s ON s.id = l.stage_id \
         LEFT JOIN users u ON u.id = l.assigned LEFT JOIN sources src ON src.id = l.source_id \
         WHERE l.pipeline_id = "
    ));
    sql.bind(pipeline);
    let now = now_ms();
    if any_status {
        push_conditions(&mut sql, db.backend, actor, filter, now);
    } else {
        push_filter(&mut sql, db.backend, actor, filter, now);
    }
    if let Some(stage) = stage {
        sql.push(" AND l.stage_id = ").bind(stage);
    }
    sql
}

/// The ORDER BY of a sort: empty values last, ties by id in the same direction. A column that
/// is never empty sorts by itself alone, so the newest-first default walks the
/// `(dateadded, id)` index and stops after a page instead of sorting every lead.
fn order_by(sort: SortKey, desc: bool) -> String {
    let (expression, desc, nullable) = match sort {
        SortKey::Name => ("l.name", desc, false),
        SortKey::Company => ("l.company", desc, true),
        SortKey::Stage => ("s.position", desc, false),
        SortKey::Assigned => ("u.name", desc, true),
        SortKey::Source => ("src.name", desc, true),
        SortKey::Value => ("l.lead_value", desc, true),
        SortKey::LastContact => ("l.lastcontact", desc, true),
        SortKey::Created => ("l.dateadded", desc, false),
        SortKey::NextAction => ("l.next_action_at", desc, true),
        // Longest in stage first is the earliest stage change first.
        SortKey::TimeInStage => ("COALESCE(l.last_status_change, l.dateadded)", !desc, false),
    };
    let direction = if desc { "DESC" } else { "ASC" };
    let empty_last = if nullable {
        format!("({expression} IS NULL), ")
    } else {
        String::new()
    };
    format!(" ORDER BY {empty_last}{expression} {direction}, l.id {direction}")
}

/// The list page for `query`, `per_page` rows a page, with the columns the reader picked
/// (`columns` as remembered, see `parse_columns`; `None`: the default ones).
pub async fn page(
    db: &Db,
    actor: &Actor,
    query: &ListQuery,
    per_page: i64,
    columns: Option<&str>,
) -> Result<ListPage, AppError> {
    let filter = query.filter.parse(actor.locale)?;
    let pipeline = settings::board_pipeline(db, filter.pipeline).await?;
    let per_page = per_page.clamp(1, 100);

    let counts = counts(db, actor, &filter, pipeline, query.stage).await?;
    let total = counts.total;
    let page = query
        .page
        .clamp(1, ((total + per_page - 1) / per_page).max(1));
    let mut rows = selected(
        db,
        actor,
        &filter,
        pipeline,
        query.stage,
        false,
        "l.id, l.name, l.company, l.email, l.phonenumber, l.stage_id, s.name AS stage_name, \
         s.color AS stage_color, l.assigned, u.name AS assigned_name, src.name AS source_name, \
         l.lead_value, l.lastcontact, l.dateadded, l.next_action, l.next_action_at, \
         COALESCE(l.last_status_change, l.dateadded) AS in_stage_since, l.lost, l.junk",
    );
    rows.push(&order_by(query.sort, query.desc))
        .push(" LIMIT ")
        .bind(per_page)
        .push(" OFFSET ")
        .bind((page - 1) * per_page);
    let rows: Vec<Row> = rows.fetch_all(&db.pool).await?;

    let summary = settings::stages_of(db, pipeline)
        .await?
        .into_iter()
        .map(|stage| StageCount {
            leads: counts
                .by_stage
                .iter()
                .find(|(id, _)| *id == stage.id)
                .map_or(0, |(_, n)| *n),
            stage_id: stage.id,
            name: stage.name,
            color: stage.color,
        })
        .collect();
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let tags = super::leads::tags_by_lead(&db.pool, &ids).await?;
    let mut custom_offered = super::custom_fields::definitions(&db.pool).await?;
    custom_offered.retain(|field| field.show_in_list);
    let (columns, custom_picked) = columns.and_then(parse_columns).unwrap_or_else(|| {
        let every_offered = custom_offered.iter().map(|field| field.id).collect();
        (ListColumn::DEFAULT.to_vec(), every_offered)
    });
    let custom_columns: Vec<_> = custom_offered
        .iter()
        .filter(|field| custom_picked.contains(&field.id))
        .cloned()
        .collect();
    let values = PageValues::read(db, &custom_columns, &ids).await?;
    let rows = rows
        .into_iter()
        .map(|row| ListRow {
            tags: tags_for(&tags, row.id),
            custom: values.shown(&custom_columns, row.id, actor.locale),
            id: row.id,
            name: row.name,
            company: row.company,
            email: row.email,
            phonenumber: row.phonenumber,
            stage_id: row.stage_id,
            stage_name: row.stage_name,
            stage_color: row.stage_color,
            assigned: row.assigned,
            assigned_name: row.assigned_name,
            source_name: row.source_name,
            lead_value: row.lead_value,
            lastcontact: row.lastcontact,
            dateadded: row.dateadded,
            next_action: row.next_action,
            next_action_at: row.next_action_at,
            in_stage_since: row.in_stage_since,
            lost: row.lost == 1,
            junk: row.junk == 1,
        })
        .collect();
    let users = super::users::active_names(db).await?;
    Ok(ListPage {
        rows,
        total,
        page,
        per_page,
        summary,
        lost: counts.lost,
        all: counts.all,
        columns,
        custom_columns,
        custom_offered,
        me: actor.user_id,
        pipelines: settings::pipeline_choices(db).await?,
        pipeline,
        users,
        sources: settings::choices(db, ManagedList::Sources).await?,
        lost_reasons: settings::choices(db, ManagedList::LostReasons).await?,
    })
}

/// How many leads the list selects: in all, per stage, and how many of them (whatever their
/// status) are lost, of how many.
struct Counts {
    total: i64,
    by_stage: Vec<(i64, i64)>,
    lost: i64,
    all: i64,
}

/// The list's counts: read from the kept stage totals when the filters allow (a few rows
/// instead of a pass over every lead), else counted over the selected leads.
async fn counts(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
) -> Result<Counts, AppError> {
    use crate::models::LeadStatus;
    let in_stage = |id: i64| stage.is_none_or(|stage| stage == id);
    if super::board::totals_are_kept(filter) {
        let mut per_status = Vec::with_capacity(3);
        for status in LeadStatus::ALL {
            let filter = ParsedFilter {
                status,
                ..filter.clone()
            };
            let columns = super::board::columns(db, actor, &filter, pipeline).await?;
            per_status.push((status, columns));
        }
        let sum = |status: LeadStatus| -> i64 {
            per_status
                .iter()
                .filter(|(s, _)| *s == status)
                .flat_map(|(_, columns)| columns.iter())
                .filter(|column| in_stage(column.stage_id))
                .map(|column| column.leads)
                .sum()
        };
        let by_stage = per_status
            .iter()
            .filter(|(s, _)| *s == filter.status)
            .flat_map(|(_, columns)| columns.iter().map(|c| (c.stage_id, c.leads)))
            .collect();
        return Ok(Counts {
            total: sum(filter.status),
            by_stage,
            lost: sum(LeadStatus::Lost),
            all: LeadStatus::ALL.into_iter().map(sum).sum(),
        });
    }
    let total: i64 = selected(db, actor, filter, pipeline, stage, false, "COUNT(*)")
        .scalar(&db.pool)
        .await?;
    let mut by_stage = selected(
        db,
        actor,
        filter,
        pipeline,
        None,
        false,
        "l.stage_id, COUNT(*)",
    );
    by_stage.push(" GROUP BY l.stage_id");
    let by_stage: Vec<(i64, i64)> = by_stage.fetch_all(&db.pool).await?;
    let (lost, all): (i64, i64) = selected(
        db,
        actor,
        filter,
        pipeline,
        stage,
        true,
        "CAST(COALESCE(SUM(l.lost), 0) AS BIGINT), COUNT(*)",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok(Counts {
        total,
        by_stage,
        lost,
        all,
    })
}

/// `{head}SELECT {select} FROM … WHERE …` over every lead the list for `query` selects, on
/// every page (a bulk action's "all N matching"); more conditions may be appended.
pub(super) async fn matching(
    db: &Db,
    actor: &Actor,
    query: &ListQuery,
    head: &str,
    select: &str,
) -> Result<Sql, AppError> {
    let filter = query.filter.parse(actor.locale)?;
    let pipeline = settings::board_pipeline(db, filter.pipeline).await?;
    Ok(selected_after(
        head,
        db,
        actor,
        &filter,
        pipeline,
        query.stage,
        false,
        select,
    ))
}

#[derive(FromRow)]
struct TrashedRow {
    id: i64,
    name: String,
    company: Option<String>,
    stage_name: String,
    stage_color: String,
    assigned_name: Option<String>,
    deleted_at: i64,
    deleted_by: Option<String>,
}

/// The trash: deleted leads the actor may see, most recently deleted first, a page at a time.
pub async fn trash(db: &Db, actor: &Actor, page: i64) -> Result<TrashPage, AppError> {
    const PER_PAGE: i64 = 50;
    let from = |select: &str| {
        let mut sql = Sql::new(&format!(
            "SELECT {select} FROM leads l JOIN stages s ON s.id = l.stage_id \
             LEFT JOIN users u ON u.id = l.assigned WHERE l.deleted_at IS NOT NULL"
        ));
        super::leads::push_scope(&mut sql, actor);
        sql
    };
    let total: i64 = from("COUNT(*)").scalar(&db.pool).await?;
    let page = page.clamp(1, ((total + PER_PAGE - 1) / PER_PAGE).max(1));
    let mut rows = from(
        "l.id, l.name, l.company, s.name AS stage_name, s.color AS stage_color, \
         u.name AS assigned_name, l.deleted_at, \
         (SELECT d.name FROM activities a JOIN users d ON d.id = a.user_id \
          WHERE a.lead_id = l.id AND a.event = 'deleted' ORDER BY a.id DESC LIMIT 1) AS deleted_by",
    );
    rows.push(" ORDER BY l.deleted_at DESC, l.id DESC LIMIT ")
        .bind(PER_PAGE)
        .push(" OFFSET ")
        .bind((page - 1) * PER_PAGE);
    let rows: Vec<TrashedRow> = rows.fetch_all(&db.pool).await?;
    Ok(TrashPage {
        rows: rows
            .into_iter()
            .map(|row| TrashedLead {
                id: row.id,
                name: row.name,
                company: row.company,
                stage_name: row.stage_name,
                stage_color: row.stage_color,
                assigned_name: row.assigned_name,
                deleted_at: row.deleted_at,
                deleted_by: row.deleted_by,
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
        can_purge: actor.is_admin(),
    })
}

/// What an export of the list writes: the checked filters, the pipeline, the stage, and the
/// custom fields (one column each).
pub struct ExportPlan {
    filter: ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
    /// Only these leads (rows ticked in the list), when any.
    ids: Vec<i64>,
    pub fields: Vec<crate::models::CustomField>,
}

/// One exported lead.
#[derive(FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phonenumber: Option<String>,
    pub website: Option<String>,
    pub stage_name: String,
    pub assigned_name: Option<String>,
    pub source_name: Option<String>,
    pub lead_value: Option<i64>,
    pub lost: i64,
    pub junk: i64,
    pub lastcontact: Option<i64>,
    pub dateadded: i64,
    pub next_action: Option<String>,
    pub next_action_at: Option<i64>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
}

/// A chunk of exported leads with their tags and custom values (in `plan.fields` order).
pub struct ExportChunk {
    pub rows: Vec<(ExportRow, Vec<String>, Vec<String>)>,
    /// Where the next chunk starts (`None`: this was the last).
    pub next: Option<i64>,
}

/// Checks the list's filters for an export (of only the leads `ids`, when not empty).
pub async fn export_plan(
    db: &Db,
    actor: &Actor,
    query: &ListQuery,
    ids: Vec<i64>,
) -> Result<ExportPlan, AppError> {
    crate::models::check_picked("ids", ids.len(), actor.locale)?;
    let filter = query.filter.parse(actor.locale)?;
    let pipeline = settings::board_pipeline(db, filter.pipeline).await?;
    Ok(ExportPlan {
        filter,
        pipeline,
        stage: query.stage,
        ids,
        fields: super::custom_fields::definitions(&db.pool).await?,
    })
}

/// Up to `limit` of the leads the list selects, newest first, older than `before` (keyset:
/// every chunk costs the same, so an export of any size streams in constant memory).
pub async fn export_chunk(
    db: &Db,
    actor: &Actor,
    plan: &ExportPlan,
    before: Option<i64>,
    limit: i64,
) -> Result<ExportChunk, AppError> {
    let mut sql = selected(
        db,
        actor,
        &plan.filter,
        plan.pipeline,
        plan.stage,
        false,
        "l.id, l.name, l.title, l.company, l.email, l.phonenumber, l.website, s.name AS stage_name, \
         u.name AS assigned_name, src.name AS source_name, l.lead_value, l.lost, l.junk, l.lastcontact, \
         l.dateadded, l.next_action, l.next_action_at, l.address, l.city, l.state, l.zip, l.country",
    );
    if !plan.ids.is_empty() {
        sql.push(" AND l.id IN ").push_ids(&plan.ids);
    }
    if let Some(before) = before {
        sql.push(" AND l.id < ").bind(before);
    }
    sql.push(" ORDER BY l.id DESC LIMIT ").bind(limit);
    let rows: Vec<ExportRow> = sql.fetch_all(&db.pool).await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let tags = super::leads::tags_by_lead(&db.pool, &ids).await?;
    let values = PageValues::read(db, &plan.fields, &ids).await?;
    let next = (rows.len() as i64 == limit)
        .then(|| ids.last().copied())
        .flatten();
    let rows = rows
        .into_iter()
        .map(|row| {
            let own_tags = tags_for(&tags, row.id);
            let custom = values.shown(&plan.fields, row.id, actor.locale);
            (row, own_tags, custom)
        })
        .collect();
    Ok(ExportChunk { rows, next })
}
