//! Whole lead records with the names their ids stand for (stage, source) and their tags,
//! paged or searched, in the reader's scope: what the REST API answers with. A constant
//! number of queries per page: the rows, their tags, and the total.

use super::db::{Backend, Db, Sql};
use super::leads::{push_scope, push_scope_of, LeadRecord, LEAD_COLUMNS};
use super::search::{page_reach, push_all_matches, push_search, Reach, Search};
use super::state::Actor;
use crate::error::AppError;
use crate::models::{Attachment, Lead};
use sqlx::FromRow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A lead with its stage's name, colour and order and its source's name.
#[derive(Debug, Clone)]
pub struct LeadRecordView {
    pub lead: Lead,
    pub stage_name: String,
    pub stage_color: String,
    pub stage_position: i64,
    pub source_name: Option<String>,
    pub imported_from_email: bool,
    pub email_integration_uid: Option<String>,
    /// Every custom field (in order) with this lead's value, empty when it has none.
    pub custom: Vec<(String, String)>,
}

/// Which records, and which page of them (1-based; at most 1,000 per call: the API pages by at
/// most `MAX_PER_PAGE`, and streams in bigger chunks) — or, with
/// `before`, the next `per_page` records older than that id (keyset: as cheap deep as first).
#[derive(Debug, Clone, Default)]
pub struct RecordQuery {
    pub search: Option<Search>,
    pub page: i64,
    pub per_page: i64,
    pub before: Option<i64>,
}

/// The largest page the API serves.
pub const MAX_PER_PAGE: i64 = 100;
const MAX_PER_CALL: i64 = 1_000;

#[derive(FromRow)]
struct Row {
    #[sqlx(flatten)]
    lead: LeadRecord,
    stage_name: String,
    stage_color: String,
    stage_position: i64,
    source_name: Option<String>,
    is_imported_from_email_integration: i64,
    email_integration_uid: Option<String>,
}

/// A record's columns (besides the lead's own).
const RECORD_COLUMNS: &str =
    "s.name AS stage_name, s.color AS stage_color, s.position AS stage_position, \
     src.name AS source_name, l.is_imported_from_email_integration, l.email_integration_uid";
/// Where records come from: the leads not in the trash, with their stage and source.
const RECORD_FROM: &str = "FROM leads l JOIN stages s ON s.id = l.stage_id \
     LEFT JOIN sources src ON src.id = l.source_id WHERE l.deleted_at IS NULL";

fn select() -> Sql {
    Sql::new(&format!(
        "SELECT {LEAD_COLUMNS}, {RECORD_COLUMNS} {RECORD_FROM}"
    ))
}

/// A record with its parts in the same row (tags, custom values as JSON, how many files), so
/// that one lead costs one query.
#[derive(FromRow)]
struct WholeRow {
    #[sqlx(flatten)]
    row: Row,
    tags_json: String,
    custom_json: String,
    files: i64,
}

/// The text of a whole record's query (`WholeRow`), made once per backend: a record is read
/// often (the API's `GET /api/leads/:id`), and its text is long.
fn whole_select(db: &Db) -> &'static str {
    static TEXTS: [OnceLock<String>; 2] = [const { OnceLock::new() }; 2];
    let slot = match db.backend {
        Backend::Sqlite => 0,
        Backend::Postgres => 1,
    };
    TEXTS[slot].get_or_init(|| {
        let tags = db.json_rows(
            &["t.name"],
            "FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = l.id",
            "t.name",
        );
        let custom = db.json_rows(
            &["f.label", "COALESCE(v.value, '')"],
            "FROM custom_fields f LEFT JOIN lead_custom_values v ON v.field_id = f.id AND v.lead_id = l.id",
            "f.position, f.id",
        );
        format!(
            "SELECT {LEAD_COLUMNS}, {RECORD_COLUMNS}, {tags} AS tags_json, {custom} AS custom_json, \
             (SELECT COUNT(*) FROM attachments a WHERE a.lead_id = l.id) AS files {RECORD_FROM}"
        )
    })
}

/// A whole row as a record, and whether it has files.
fn whole_record(whole: WholeRow) -> Result<(LeadRecordView, bool), AppError> {
    let parsed = |json: &str| serde_json::from_str::<Vec<Vec<String>>>(json);
    let (Ok(tags), Ok(custom)) = (parsed(&whole.tags_json), parsed(&whole.custom_json)) else {
        return Err(AppError::Internal("a record's parts are not JSON".into()));
    };
    let tags = tags.into_iter().flatten().collect();
    let custom = custom
        .into_iter()
        .filter_map(|pair| <[String; 2]>::try_from(pair).ok())
        .map(|[label, value]| (label, value))
        .collect();
    Ok((view(whole.row, tags, custom), whole.files > 0))
}

/// One record the actor may see, read in one query, and whether it has files. On a SQLite
/// file it is read on the calling thread; on PostgreSQL with the other reads of its scope
/// that arrive meanwhile (`record_batches`).
async fn record(db: &Db, actor: &Actor, id: i64) -> Result<(LeadRecordView, bool), AppError> {
    if db.backend == Backend::Postgres {
        return super::record_batches::read(db, actor, id)
            .await?
            .ok_or(AppError::NotFound);
    }
    let mut sql = Sql::new(whole_select(db));
    sql.push(" AND l.id = ").bind(id);
    push_scope(&mut sql, actor);
    let whole: WholeRow = sql.fetch_point(db).await?.ok_or(AppError::NotFound)?;
    whole_record(whole)
}

/// The records of `ids` the actor may see (and whether each has files), in one query. The
/// list of ids is padded (with its last id) to a power of two, so that a few statement texts
/// serve every batch size and stay prepared.
pub(super) async fn read_many(
    db: &Db,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, (LeadRecordView, bool)>, AppError> {
    let Some(&last) = ids.last() else {
        return Ok(HashMap::new());
    };
    let mut sql = Sql::new(whole_select(db));
    sql.push(" AND l.id IN (");
    let padded = ids.len().next_power_of_two();
    for (i, id) in ids
        .iter()
        .chain(std::iter::repeat(&last))
        .take(padded)
        .enumerate()
    {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(*id);
    }
    sql.push(")");
    push_scope(&mut sql, actor);
    let rows: Vec<WholeRow> = sql.fetch_all(&db.pool).await?;
    rows.into_iter()
        .map(|whole| {
            let (record, files) = whole_record(whole)?;
            Ok((record.lead.id, (record, files)))
        })
        .collect()
}

/// One record the actor may see, with its attached files (the API's `GET /api/leads/:id`):
/// one query, two when it has files.
pub async fn record_with_files(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> Result<(LeadRecordView, Vec<Attachment>), AppError> {
    let (record, has_files) = record(db, actor, id).await?;
    let files = if has_files {
        super::attachments::of_seen_lead(&db.pool, actor, id).await?
    } else {
        Vec::new()
    };
    Ok((record, files))
}

/// How many records the actor may see, of those `search` finds (or all): all of them, or a
/// `#tag` naming one tag, are summed from the kept totals; other searches count their matches
/// (on PostgreSQL, for a reader who sees every lead, from the word table alone).
pub async fn count(db: &Db, actor: &Actor, search: Option<&Search>) -> Result<i64, AppError> {
    let kept_tag = match search {
        Some(Search::Tags(tags)) if tags.len() == 1 => super::board::kept_tag(db, &tags[0]).await?,
        _ => None,
    };
    match (search, kept_tag) {
        (None, _) => kept_count(db, actor, None).await,
        (Some(_), Some(tag)) => kept_count(db, actor, Some(tag)).await,
        (Some(search), None) => {
            let count = match all_matches(db, actor, search) {
                Some(words) => {
                    let mut count = Sql::new("SELECT COUNT(*) FROM (");
                    push_all_matches(&mut count, words);
                    count.push(") AS m");
                    count
                }
                None => {
                    // Each match is looked up in `leads_live_id` (an id's entry) rather than
                    // in the table (its whole row) where the reader's scope needs no column of
                    // the lead: 38 → 22 ms for a word on 33k of a million leads (SQLite).
                    let leads = db.live_leads_by_id(actor.sees_all());
                    let mut count = Sql::new(&format!(
                        "SELECT COUNT(*) {leads} WHERE l.deleted_at IS NULL"
                    ));
                    push_scope(&mut count, actor);
                    push_search(&mut count, db.backend, search, Reach::AllMatches);
                    count
                }
            };
            Ok(count.scalar(&db.pool).await?)
        }
    }
}

/// The words of a search whose matches the actor may all see and PostgreSQL finds from its word
/// table alone (`push_all_matches`).
fn all_matches<'s>(db: &Db, actor: &Actor, search: &'s Search) -> Option<&'s [String]> {
    match search {
        Search::Words(words) if db.backend == Backend::Postgres && actor.sees_all() => Some(words),
        _ => None,
    }
}

/// A page of the records the actor may see, newest first. The page's ids are found first,
/// from the leads alone (or the words a search finds, see `all_matches`), and only those rows
/// are joined to their stage and source: the rows an `OFFSET` skips cost an index entry each,
/// not a whole joined record.
pub async fn records(
    db: &Db,
    actor: &Actor,
    query: &RecordQuery,
) -> Result<Vec<LeadRecordView>, AppError> {
    let per_page = query.per_page.clamp(1, MAX_PER_CALL);
    let page = query.page.max(1);
    let mut offset = (page - 1).saturating_mul(per_page);
    let mut sql = select();
    let words = query
        .search
        .as_ref()
        .and_then(|search| all_matches(db, actor, search));
    let id = match words {
        Some(words) => {
            sql.push(" AND l.id IN (SELECT m.lead_id FROM (");
            push_all_matches(&mut sql, words);
            sql.push(") AS m WHERE 1 = 1");
            "m.lead_id"
        }
        None => {
            let leads = db.live_leads_by_id(actor.sees_all());
            sql.push(&format!(
                " AND l.id IN (SELECT l.id {leads} WHERE l.deleted_at IS NULL"
            ));
            push_scope(&mut sql, actor);
            if let Some(search) = &query.search {
                let reach = page_reach(db, Some(search)).await?;
                push_search(&mut sql, db.backend, search, reach);
            }
            "l.id"
        }
    };
    if let Some(before) = query.before {
        sql.push(&format!(" AND {id} < ")).bind(before);
    } else if offset >= ID_BLOCK && counted_by_blocks(db, actor, query) {
        // A deep page of every lead starts in the block the kept counts name.
        match block_start(db, offset).await? {
            Some((below, skipped)) => {
                sql.push(" AND l.id < ").bind(below);
                offset -= skipped;
            }
            None => return Ok(Vec::new()), // past the last lead
        }
    }
    sql.push(&format!(" ORDER BY {id} DESC LIMIT "))
        .bind(per_page);
    if query.before.is_none() {
        sql.push(" OFFSET ").bind(offset);
    }
    sql.push(") ORDER BY l.id DESC");
    let rows: Vec<Row> = sql.fetch_all(&db.pool).await?;
    with_tags(db, rows).await
}

/// Ids per row of `lead_id_blocks` (PostgreSQL, migration 0023): the leads not in the trash
/// whose id divided by this is the row's `block`.
const ID_BLOCK: i64 = 1024;

/// True when a page of `query` is a plain run of every lead newest first, which PostgreSQL's
/// kept block counts can place: no search, a reader who sees every lead.
fn counted_by_blocks(db: &Db, actor: &Actor, query: &RecordQuery) -> bool {
    db.backend == Backend::Postgres && actor.sees_all() && query.search.is_none()
}

/// Where the leads not in the trash, newest first, reach past `offset`: the id below which
/// the page lies (the end of the block holding its first lead) and how many leads above that
/// id the page skips already — from the kept block counts (~1,000 rows at a million leads)
/// instead of skipping `offset` index entries. `None` when fewer leads exist.
async fn block_start(db: &Db, offset: i64) -> Result<Option<(i64, i64)>, AppError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
    let start: Option<(i64, i64)> = sqlx::query_as(
        "SELECT (block + 1) * $2, CAST(through - live AS BIGINT) FROM (SELECT block, live, \
         SUM(live) OVER (ORDER BY block DESC) AS through FROM lead_id_blocks) b \
         WHERE through > $1 ORDER BY block DESC LIMIT 1",
    )
    .bind(offset)
    .bind(ID_BLOCK)
    .fetch_optional(&db.pool)
    .await?;
    Ok(start)
}

/// How many leads (not in the trash) the actor may see — with `tag`, of those carrying it —
/// from the kept totals.
async fn kept_count(db: &Db, actor: &Actor, tag: Option<i64>) -> Result<i64, AppError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
    let mut sql = Sql::new("SELECT CAST(COALESCE(SUM(t.leads), 0) AS BIGINT) FROM ");
    match tag {
        None => sql.push("stage_totals t WHERE 1 = 1"),
        Some(tag) => sql.push("tag_totals t WHERE t.tag_id = ").bind(tag),
    };
    push_scope_of(&mut sql, actor, "t");
    Ok(sql.scalar(&db.pool).await?)
}

async fn with_tags(db: &Db, rows: Vec<Row>) -> Result<Vec<LeadRecordView>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.lead.id).collect();
    let tags = super::leads::tags_by_lead(&db.pool, &ids).await?;
    let fields = super::custom_fields::definitions(&db.pool).await?;
    let values = super::custom_fields::PageValues::read(db, &fields, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.lead.id;
            let labels = fields.iter().map(|field| field.label.clone());
            let custom = labels.zip(values.stored(&fields, id)).collect();
            let own = super::leads::tags_for(&tags, id);
            view(row, own, custom)
        })
        .collect())
}

fn view(row: Row, tags: Vec<String>, custom: Vec<(String, String)>) -> LeadRecordView {
    LeadRecordView {
        lead: row.lead.into_lead(tags),
        stage_name: row.stage_name,
        stage_color: row.stage_color,
        stage_position: row.stage_position,
        source_name: row.source_name,
        imported_from_email: row.is_imported_from_email_integration == 1,
        email_integration_uid: row.email_integration_uid,
        custom,
    }
}
