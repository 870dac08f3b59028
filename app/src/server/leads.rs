//! The lead domain: the one door through which the board, list, forms, REST API, imports,
//! web forms and the CLI create, change, move, assign and delete leads.
//!
//! Every change here, whatever its path: checks the input and the target stage's required
//! fields, applies the caller's visibility scope inside the query, refuses a stale version,
//! writes stage history and a timeline activity in the same transaction, and publishes a live
//! event after commit.

use super::attachments::Received;
use super::db::{now_ms, Db, Sql, Tx};
use super::events::{LeadEvent, LeadEventKind};
use super::settings::split_fields;
use super::state::{Actor, Store};
use crate::error::{AppError, Check};
use crate::i18n::fill;
use crate::models::{
    parse_activity, parse_lead, ActivityInput, Closing, Lead, LeadDetail, LeadInput, ParsedLead,
    Patch, StageStay, TEXT_FIELDS,
};
use serde::Serialize;
use sqlx::FromRow;

/// The path a change came through, recorded in stage history and the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Ui,
    Board,
    Bulk,
    Api,
    Import,
    WebForm,
    Email,
    Cli,
    Demo,
    /// An admin's settings change, e.g. deleting a stage moves its leads.
    Settings,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Ui => "ui",
            Via::Board => "board",
            Via::Bulk => "bulk",
            Via::Api => "api",
            Via::Import => "import",
            Via::WebForm => "web_form",
            Via::Email => "email",
            Via::Cli => "cli",
            Via::Demo => "demo",
            Via::Settings => "settings",
        }
    }
}

/// A request to put a lead into a stage, optionally before another card of that stage,
/// with the fields the stage requires when the board asked for them on drop.
#[derive(Debug, Clone, Default)]
pub struct StageMove {
    pub lead: i64,
    pub to: i64,
    /// Put the card just before this card of the target stage, or else just after `after`,
    /// or else at the top.
    pub before: Option<i64>,
    pub after: Option<i64>,
    pub expected_version: Option<i64>,
    pub fields: LeadInput,
}

/// One field's old and new value, as the timeline shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

pub(super) const LEAD_COLUMNS: &str = "l.id, l.hash, l.name, l.title, l.company, l.description, l.country, l.zip, l.city, \
    l.state, l.address, l.email, l.website, l.phonenumber, l.lead_value, l.default_language, l.is_public, \
    l.pipeline_id, l.stage_id, l.position, l.source_id, l.assigned, l.addedfrom, l.dateadded, l.dateassigned, \
    l.lastcontact, l.last_status_change, l.last_activity_at, l.next_action, l.next_action_at, l.lost, \
    l.lost_reason_id, l.junk, l.last_stage_id, l.date_converted, l.client_id, l.from_form_id, l.version, \
    l.updated_at";

#[derive(FromRow)]
pub(super) struct LeadRecord {
    pub(super) id: i64,
    hash: String,
    name: String,
    title: Option<String>,
    company: Option<String>,
    description: Option<String>,
    country: Option<String>,
    zip: Option<String>,
    city: Option<String>,
    state: Option<String>,
    address: Option<String>,
    email: Option<String>,
    website: Option<String>,
    phonenumber: Option<String>,
    lead_value: Option<i64>,
    default_language: Option<String>,
    is_public: i64,
    pipeline_id: i64,
    stage_id: i64,
    position: f64,
    source_id: Option<i64>,
    assigned: Option<i64>,
    addedfrom: Option<i64>,
    dateadded: i64,
    dateassigned: Option<i64>,
    lastcontact: Option<i64>,
    last_status_change: Option<i64>,
    last_activity_at: i64,
    next_action: Option<String>,
    next_action_at: Option<i64>,
    lost: i64,
    lost_reason_id: Option<i64>,
    junk: i64,
    last_stage_id: Option<i64>,
    date_converted: Option<i64>,
    client_id: Option<i64>,
    from_form_id: Option<i64>,
    version: i64,
    updated_at: i64,
}

impl LeadRecord {
    pub(super) fn into_lead(self, tags: Vec<String>) -> Lead {
        Lead {
            id: self.id,
            hash: self.hash,
            name: self.name,
            title: self.title,
            company: self.company,
            description: self.description,
            country: self.country,
            zip: self.zip,
            city: self.city,
            state: self.state,
            address: self.address,
            email: self.email,
            website: self.website,
            phonenumber: self.phonenumber,
            lead_value: self.lead_value,
            default_language: self.default_language,
            is_public: self.is_public == 1,
            pipeline_id: self.pipeline_id,
            stage_id: self.stage_id,
            position: self.position,
            source_id: self.source_id,
            assigned: self.assigned,
            addedfrom: self.addedfrom,
            dateadded: self.dateadded,
            dateassigned: self.dateassigned,
            lastcontact: self.lastcontact,
            last_status_change: self.last_status_change,
            last_activity_at: self.last_activity_at,
            next_action: self.next_action,
            next_action_at: self.next_action_at,
            lost: self.lost == 1,
            lost_reason_id: self.lost_reason_id,
            junk: self.junk == 1,
            last_stage_id: self.last_stage_id,
            date_converted: self.date_converted,
            client_id: self.client_id,
            from_form_id: self.from_form_id,
            version: self.version,
            updated_at: self.updated_at,
            tags,
        }
    }
}

impl Lead {
    /// The stored value of a text field (see `TEXT_FIELDS`).
    pub fn text(&self, field: &str) -> Option<&str> {
        match field {
            "name" => Some(self.name.as_str()),
            "title" => self.title.as_deref(),
            "company" => self.company.as_deref(),
            "description" => self.description.as_deref(),
            "country" => self.country.as_deref(),
            "zip" => self.zip.as_deref(),
            "city" => self.city.as_deref(),
            "state" => self.state.as_deref(),
            "address" => self.address.as_deref(),
            "email" => self.email.as_deref(),
            "website" => self.website.as_deref(),
            "phonenumber" => self.phonenumber.as_deref(),
            "default_language" => self.default_language.as_deref(),
            "next_action" => self.next_action.as_deref(),
            _ => None,
        }
    }

    fn event(&self, kind: LeadEventKind, actor: &Actor) -> LeadEvent {
        Placed {
            id: self.id,
            pipeline_id: self.pipeline_id,
            stage_id: self.stage_id,
            assigned: self.assigned,
            addedfrom: self.addedfrom,
            is_public: i64::from(self.is_public),
            version: self.version,
        }
        .event(kind, actor)
    }
}

/// Where a lead is and who may see it, at a version: what its live event carries, and what a
/// batch hands back of each lead it changed (`change_batch`).
#[derive(Debug, FromRow)]
pub struct Placed {
    pub id: i64,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub assigned: Option<i64>,
    pub addedfrom: Option<i64>,
    pub is_public: i64,
    pub version: i64,
}

/// `Placed`'s columns of `leads` (unqualified: an `UPDATE`'s `RETURNING` names them so).
const PLACED_COLUMNS: &str = "id, pipeline_id, stage_id, assigned, addedfrom, is_public, version";

impl Placed {
    fn event(&self, kind: LeadEventKind, actor: &Actor) -> LeadEvent {
        LeadEvent {
            kind,
            lead_id: self.id,
            pipeline_id: self.pipeline_id,
            stage_id: self.stage_id,
            assigned: self.assigned,
            addedfrom: self.addedfrom,
            is_public: self.is_public == 1,
            version: self.version,
            actor_id: actor.user_id,
        }
    }
}

/// Appends the caller's visibility scope for the lead aliased `l`: admins and managers see
/// every lead, a sales rep the leads assigned to them, created by them, or public.
pub fn push_scope(sql: &mut Sql, actor: &Actor) {
    push_scope_of(sql, actor, "l");
}

/// The visibility scope for rows under `alias` that carry a lead's `assigned`, `addedfrom`
/// and `is_public` (a lead, or a bucket of the kept stage totals).
pub fn push_scope_of(sql: &mut Sql, actor: &Actor, alias: &str) {
    if let (false, Some(user)) = (actor.sees_all(), actor.user_id) {
        sql.push(&format!(" AND ({alias}.assigned = "))
            .bind(user)
            .push(&format!(" OR {alias}.addedfrom = "))
            .bind(user)
            .push(&format!(" OR {alias}.is_public = 1)"));
    }
}

async fn tags_of(tx: &mut Tx, lead: i64) -> Result<Vec<String>, AppError> {
    let tags = tags_by_lead(&mut **tx, &[lead]).await?;
    Ok(tags.into_iter().map(|(_, tag)| tag).collect())
}

/// The tags of several leads, in one query: (lead id, tag name) in tag name order.
pub(super) async fn tags_by_lead<'c, E>(
    executor: E,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT lt.lead_id, t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id IN (",
    );
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(*id);
    }
    sql.push(") ORDER BY t.name");
    Ok(sql.fetch_all(executor).await?)
}

/// One lead's tags out of `tags_by_lead`'s answer.
pub(super) fn tags_for(tags: &[(i64, String)], lead: i64) -> Vec<String> {
    tags.iter()
        .filter(|(of, _)| *of == lead)
        .map(|(_, tag)| tag.clone())
        .collect()
}

/// A live (not deleted) lead the actor may see, read inside `tx`.
pub(super) async fn visible(tx: &mut Tx, actor: &Actor, id: i64) -> Result<Lead, AppError> {
    let mut sql = Sql::new(&format!("SELECT {LEAD_COLUMNS} FROM leads l WHERE l.id = "));
    sql.bind(id).push(" AND l.deleted_at IS NULL");
    push_scope(&mut sql, actor);
    let record: LeadRecord = sql
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let tags = tags_of(tx, id).await?;
    Ok(record.into_lead(tags))
}

/// The live leads of `ids` the actor may see, by id (with their tags, in two queries), then
/// locked until the transaction ends: no other writer changes them between this read and this
/// transaction's writes. (A SQLite write transaction holds the whole database already.)
async fn lock_many(
    tx: &mut Tx,
    actor: &Actor,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Lead>, AppError> {
    let mut sql = Sql::new(&format!(
        "SELECT {LEAD_COLUMNS} FROM leads l WHERE l.id IN "
    ));
    sql.push_ids(ids).push(" AND l.deleted_at IS NULL");
    push_scope(&mut sql, actor);
    if tx.backend_name() == "PostgreSQL" {
        // One order for every locker, so two batches never wait on each other in a circle.
        sql.push(" ORDER BY l.id FOR UPDATE OF l");
    }
    let records: Vec<LeadRecord> = sql.fetch_all(&mut **tx).await?;
    let found: Vec<i64> = records.iter().map(|r| r.id).collect();
    let tags = tags_by_lead(&mut **tx, &found).await?;
    Ok(records
        .into_iter()
        .map(|record| {
            let id = record.id;
            (id, record.into_lead(tags_for(&tags, id)))
        })
        .collect())
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Lead, AppError> {
    let mut tx = db.pool.begin().await?;
    let lead = visible(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(lead)
}

/// A lead with the names it refers to and its stage history, if the actor may see it.
pub async fn detail(db: &Db, actor: &Actor, id: i64) -> Result<LeadDetail, AppError> {
    let lead = get(db, actor, id).await?;
    #[derive(FromRow)]
    struct Names {
        pipeline_name: String,
        stage_name: String,
        stage_color: String,
        assigned_name: Option<String>,
        source_name: Option<String>,
        lost_reason: Option<String>,
    }
    let names: Names = sqlx::query_as(
        "SELECT p.name AS pipeline_name, s.name AS stage_name, s.color AS stage_color, \
         u.name AS assigned_name, src.name AS source_name, lr.name AS lost_reason \
         FROM leads l JOIN stages s ON s.id = l.stage_id JOIN pipelines p ON p.id = l.pipeline_id \
         LEFT JOIN users u ON u.id = l.assigned LEFT JOIN sources src ON src.id = l.source_id \
         LEFT JOIN lost_reasons lr ON lr.id = l.lost_reason_id WHERE l.id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    #[derive(FromRow)]
    struct Stay {
        stage_name: String,
        stage_color: String,
        entered_at: i64,
        left_at: Option<i64>,
        by_name: Option<String>,
        via: String,
    }
    let stays: Vec<Stay> = sqlx::query_as(
        "SELECT s.name AS stage_name, s.color AS stage_color, h.entered_at, h.left_at, u.name AS by_name, h.via \
         FROM lead_stage_history h JOIN stages s ON s.id = h.to_stage_id \
         LEFT JOIN users u ON u.id = h.by_user_id WHERE h.lead_id = $1 ORDER BY h.entered_at DESC, h.id DESC",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let stages = super::settings::stages_of(db, lead.pipeline_id).await?;
    let fields = super::custom_fields::definitions(&db.pool).await?;
    let custom = super::custom_fields::PageValues::read(db, &fields, &[id])
        .await?
        .held(&fields, id);
    Ok(LeadDetail {
        custom,
        lead,
        pipeline_name: names.pipeline_name,
        stage_name: names.stage_name,
        stage_color: names.stage_color,
        assigned_name: names.assigned_name,
        source_name: names.source_name,
        lost_reason: names.lost_reason,
        stages,
        stays: stays
            .into_iter()
            .map(|s| StageStay {
                stage_name: s.stage_name,
                stage_color: s.stage_color,
                entered_at: s.entered_at,
                left_at: s.left_at,
                by_name: s.by_name,
                via: s.via,
            })
            .collect(),
    })
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    input: &LeadInput,
    via: Via,
) -> Result<Lead, AppError> {
    create_with_files(store, actor, input, Vec::new(), via).await
}

/// Creates a lead with files attached (the API's `file[]`): the lead and its files commit
/// together or not at all.
pub async fn create_with_files(
    store: &Store,
    actor: &Actor,
    input: &LeadInput,
    files: Vec<Received>,
    via: Via,
) -> Result<Lead, AppError> {
    let mut tx = store.db.begin_write().await?;
    let lead = create_in(
        &mut tx,
        actor,
        &mut Work::default(),
        input,
        &files,
        via,
        None,
    )
    .await?;
    commit_and_publish(store, tx, lead.event(LeadEventKind::Created, actor)).await?;
    super::attachments::keep(files);
    Ok(lead)
}

/// Creates a lead submitted through web form `form`: its assignee is told "a web-form lead
/// for you" rather than "assigned to you".
pub async fn create_from_form(
    store: &Store,
    actor: &Actor,
    input: &LeadInput,
    form: i64,
) -> Result<Lead, AppError> {
    let mut tx = store.db.begin_write().await?;
    let mut work = Work::default();
    let lead = create_in(
        &mut tx,
        actor,
        &mut work,
        input,
        &[],
        Via::WebForm,
        Some(form),
    )
    .await?;
    commit_and_publish(store, tx, lead.event(LeadEventKind::Created, actor)).await?;
    Ok(lead)
}

/// Creates many leads in one transaction (an import): each exactly as `create` would, row
/// by row. A row refused by the rules writes nothing and is reported with its errors; the
/// others commit together when `commit` says so — when every row passed, or always with
/// `Commit::SkipRefused` — and are announced after the commit. `Commit::Never` checks only,
/// in short transactions of `CHECK_ROWS` rows each rolled back, so a check of a big file
/// never holds other writers up for long.
pub async fn create_many(
    store: &Store,
    actor: &Actor,
    inputs: &[LeadInput],
    via: Via,
    commit: Commit,
) -> Result<Vec<Result<i64, AppError>>, AppError> {
    let mut outcomes = Vec::with_capacity(inputs.len());
    if commit == Commit::Never {
        for chunk in inputs.chunks(CHECK_ROWS) {
            let mut tx = store.db.begin_write().await?;
            create_rows(&mut tx, actor, chunk, via, &mut outcomes).await?;
            tx.rollback().await?;
        }
        return Ok(outcomes);
    }
    let mut tx = store.db.begin_write().await?;
    let events = create_rows(&mut tx, actor, inputs, via, &mut outcomes).await?;
    let commits = commit == Commit::SkipRefused || outcomes.iter().all(Result::is_ok);
    if !commits || events.is_empty() {
        tx.rollback().await?;
        return Ok(outcomes);
    }
    store
        .events
        .announce_all(&store.db, &mut tx, &events)
        .await?;
    tx.commit().await?;
    for event in events {
        store.events.publish(event);
    }
    Ok(outcomes)
}

/// Rows a check runs per transaction.
const CHECK_ROWS: usize = 500;

/// `create_in` for each input, its outcome pushed; answers the events of the leads created.
/// An error of the database itself ends the whole run.
async fn create_rows(
    tx: &mut Tx,
    actor: &Actor,
    inputs: &[LeadInput],
    via: Via,
    outcomes: &mut Vec<Result<i64, AppError>>,
) -> Result<Vec<LeadEvent>, AppError> {
    let mut work = Work::default();
    let mut events = Vec::new();
    for input in inputs {
        match create_in(tx, actor, &mut work, input, &[], via, None).await {
            Ok(lead) => {
                outcomes.push(Ok(lead.id));
                events.push(lead.event(LeadEventKind::Created, actor));
            }
            Err(error @ (AppError::Validation(_) | AppError::Refused(_))) => {
                outcomes.push(Err(error))
            }
            Err(error) => return Err(error),
        }
    }
    Ok(events)
}

/// When `create_many` commits what passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    /// A check only: nothing is written.
    Never,
    /// All rows or none.
    IfAllPass,
    /// The rows that pass; refused rows are reported.
    SkipRefused,
}

/// The one lead INSERT, with its tags, custom values, first stage stay, "created" entry,
/// files and the assignee's notification, inside the caller's transaction. Every check runs
/// before the first write, so a refused lead leaves the transaction as it found it.
async fn create_in(
    tx: &mut Tx,
    actor: &Actor,
    work: &mut Work,
    input: &LeadInput,
    files: &[Received],
    via: Via,
    form: Option<i64>,
) -> Result<Lead, AppError> {
    let parsed = parse_lead(input, true, actor.locale)?;
    let mut check = Check::default();
    let custom =
        super::custom_fields::check(tx, &parsed.custom, true, actor.locale, &mut check).await?;
    let (pipeline_id, stage_id) = resolve_stage(tx, actor, &parsed, None, &mut check).await?;
    let source = match &parsed.source {
        Patch::Keep => {
            sqlx::query_scalar("SELECT id FROM sources WHERE is_default = 1 ORDER BY id LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?
        }
        Patch::Set(source) => *source,
    };
    let assigned = match &parsed.assigned {
        Patch::Keep => actor.user_id,
        Patch::Set(user) => *user,
    };
    check_references(
        tx,
        actor,
        work,
        source,
        assigned,
        parsed.client_id.or_keep(None),
        &mut check,
    )
    .await?;
    let text = |field: &str| parsed.text(field).or_keep(None).map(str::to_string);
    let value = parsed.lead_value.or_keep(None);
    let filled = Filled {
        lead_value: value.is_some(),
        source: source.is_some(),
        assigned: assigned.is_some(),
        text: &|field| text(field).is_some(),
    };
    let stage_id = finish_checks(tx, actor, work, stage_id, &filled, check).await?;

    let now = now_ms();
    // On top of its column: above the first card, or above the lead this transaction put
    // there last (an import adds thousands to one stage).
    let position = match work.tops.get(&stage_id) {
        Some(top) => top - 1024.0,
        None => {
            sqlx::query_scalar(
                "SELECT COALESCE(MIN(position), 1024.0) - 1024.0 FROM leads \
                 WHERE stage_id = $1 AND deleted_at IS NULL AND lost = 0 AND junk = 0",
            )
            .bind(stage_id)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    work.tops.insert(stage_id, position);
    let mut sql = Sql::new("INSERT INTO leads (hash, ");
    let mut columns: Vec<&str> = Vec::new();
    for &(field, _) in TEXT_FIELDS {
        if text(field).is_some() {
            columns.push(field);
        }
    }
    sql.push(&columns.join(", "));
    if !columns.is_empty() {
        sql.push(", ");
    }
    sql.push(
        "lead_value, is_public, pipeline_id, stage_id, position, source_id, assigned, addedfrom, dateadded, \
         dateassigned, lastcontact, last_status_change, last_activity_at, next_action_at, client_id, \
         from_form_id, version, updated_at) VALUES (",
    );
    sql.bind(super::auth::random_token()[..32].to_string());
    for field in &columns {
        sql.push(", ")
            .bind(text(field).expect("listed because present"));
    }
    sql.push(", ").bind(value);
    sql.push(", ")
        .bind(i64::from(matches!(parsed.is_public, Patch::Set(true))));
    sql.push(", ").bind(pipeline_id);
    sql.push(", ").bind(stage_id);
    sql.push(", ").bind(position);
    sql.push(", ").bind(source);
    sql.push(", ").bind(assigned);
    sql.push(", ").bind(actor.user_id);
    sql.push(", ").bind(now);
    sql.push(", ").bind(assigned.map(|_| now));
    sql.push(", ").bind(parsed.lastcontact.or_keep(None));
    sql.push(", ").bind(now);
    sql.push(", ").bind(now);
    sql.push(", ").bind(parsed.next_action_at.or_keep(None));
    sql.push(", ").bind(parsed.client_id.or_keep(None));
    sql.push(", ").bind(form);
    sql.push(", 1, ").bind(now).push(") RETURNING id");
    let id: i64 = sql.scalar(&mut **tx).await?;

    if let Patch::Set(tags) = &parsed.tags {
        set_tags(tx, id, tags).await?;
    }
    super::custom_fields::write(tx, id, &custom).await?;
    enter_stage(tx, actor, id, None, stage_id, now, via).await?;
    record_activity(tx, actor, id, "created", &[], now, via).await?;
    super::attachments::record(tx, actor, id, files, now, via).await?;
    if let Some(assignee) = assigned.filter(|&user| Some(user) != actor.user_id) {
        let kind = if form.is_some() {
            "web_form"
        } else {
            "assigned"
        };
        notify(tx, assignee, kind, id, actor).await?;
    }
    visible(tx, &Actor::system(), id).await
}

/// Changes the sent fields of a lead (a true partial update). A changed stage is a move,
/// with the same rules as a drag on the board.
pub async fn update(
    store: &Store,
    actor: &Actor,
    id: i64,
    input: &LeadInput,
    expected_version: Option<i64>,
    via: Via,
) -> Result<Lead, AppError> {
    let parsed = parse_lead(input, false, actor.locale)?;
    change(store, actor, id, &parsed, None, expected_version, via).await
}

/// Moves a lead to a stage (and a place in it), committing any fields the stage asked for.
pub async fn move_to_stage(
    store: &Store,
    actor: &Actor,
    stage_move: &StageMove,
    via: Via,
) -> Result<Lead, AppError> {
    let mut parsed = parse_lead(&stage_move.fields, false, actor.locale)?;
    parsed.stage = Patch::Set(stage_move.to);
    parsed.pipeline = Patch::Keep;
    let placement = Placement {
        before: stage_move.before,
        after: stage_move.after,
    };
    change(
        store,
        actor,
        stage_move.lead,
        &parsed,
        Some(placement),
        stage_move.expected_version,
        via,
    )
    .await
}

/// Assigns a lead to a user, or leaves it unassigned with `None`.
pub async fn assign(
    store: &Store,
    actor: &Actor,
    id: i64,
    assignee: Option<i64>,
    expected_version: Option<i64>,
    via: Via,
) -> Result<Lead, AppError> {
    let input = LeadInput {
        assigned: Some(assignee.map(|a| a.to_string()).unwrap_or_default()),
        ..Default::default()
    };
    update(store, actor, id, &input, expected_version, via).await
}

/// Moves a lead to the trash (soft delete); history and timeline stay.
pub async fn delete(store: &Store, actor: &Actor, id: i64, via: Via) -> Result<(), AppError> {
    let mut tx = store.db.begin_write().await?;
    let lead = visible(&mut tx, actor, id).await?;
    let now = now_ms();
    sqlx::query(
        "UPDATE leads SET deleted_at = $1, version = version + 1, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    record_activity(&mut tx, actor, id, "deleted", &[], now, via).await?;
    commit_and_publish_bumped(store, tx, &lead, LeadEventKind::Deleted, actor).await
}

/// Takes a lead out of the trash, back where it was (its stage, owner and status kept).
pub async fn restore(store: &Store, actor: &Actor, id: i64, via: Via) -> Result<Lead, AppError> {
    let mut tx = store.db.begin_write().await?;
    let trashed = in_trash(&mut tx, actor, id).await?;
    let now = now_ms();
    sqlx::query(
        "UPDATE leads SET deleted_at = NULL, version = version + 1, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(trashed)
    .execute(&mut *tx)
    .await?;
    record_activity(&mut tx, actor, id, "restored", &[], now, via).await?;
    let lead = visible(&mut tx, &Actor::system(), id).await?;
    commit_and_publish(store, tx, lead.event(LeadEventKind::Created, actor)).await?;
    Ok(lead)
}

/// Deletes a lead in the trash for good, with its history, timeline and files (admins only).
/// An opportunity it was converted into stays, without the link back. The audit log keeps who
/// purged which lead and when.
pub async fn purge(store: &Store, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = store.db.begin_write().await?;
    let trashed = in_trash(&mut tx, actor, id).await?;
    let files = super::attachments::remove_all(&mut tx, trashed).await?;
    sqlx::query("UPDATE opportunities SET lead_id = NULL WHERE lead_id = $1")
        .bind(trashed)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM leads WHERE id = $1")
        .bind(trashed)
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, actor, "purge", trashed, now_ms()).await?;
    tx.commit().await?;
    for key in files {
        super::attachments::remove_file(&store.files, &key).await;
    }
    Ok(())
}

/// Records in the audit log that the actor did `action` to lead `lead` (kept after the lead
/// itself is gone).
pub(super) async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    lead: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (user_id, action, entity, entity_id, created_at) \
         VALUES ($1, $2, 'lead', $3, $4)",
    )
    .bind(actor.user_id)
    .bind(action.to_string())
    .bind(lead)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The id of a lead in the trash that the actor may see, or `NotFound`.
async fn in_trash(tx: &mut Tx, actor: &Actor, id: i64) -> Result<i64, AppError> {
    let mut sql = Sql::new("SELECT l.id FROM leads l WHERE l.id = ");
    sql.bind(id).push(" AND l.deleted_at IS NOT NULL");
    push_scope(&mut sql, actor);
    let found: Option<(i64,)> = sql.fetch_optional(&mut **tx).await?;
    found.map(|(id,)| id).ok_or(AppError::NotFound)
}

/// Marks a lead lost (a reason from the managed list is required, a note is optional) or junk,
/// or reopens it. A closed lead keeps its stage, so reopening returns it there; it leaves the
/// board, and the lost and junk filters show it.
pub async fn close(
    store: &Store,
    actor: &Actor,
    id: i64,
    closing: &Closing,
    expected_version: Option<i64>,
    via: Via,
) -> Result<Lead, AppError> {
    let t = actor.locale.t();
    let mut tx = store.db.begin_write().await?;
    let current = visible(&mut tx, actor, id).await?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(conflict(&mut tx, actor, &current).await);
    }
    let now = now_ms();
    let (event, reason, note) = match closing {
        Closing::Reopen => return reopen_in(store, tx, actor, current, via).await,
        Closing::Lost { reason, note } => {
            let mut check = Check::default();
            let note = check.take("note", crate::models::parse_text(note, 5000, actor.locale));
            let reason_name: Option<String> = match reason {
                Some(reason) => {
                    sqlx::query_scalar("SELECT name FROM lost_reasons WHERE id = $1")
                        .bind(*reason)
                        .fetch_optional(&mut *tx)
                        .await?
                }
                None => None,
            };
            match (reason, &reason_name) {
                (None, _) => check.add("lost_reason", t.err_required),
                (Some(_), None) => check.add("lost_reason", t.err_missing_ref),
                _ => {}
            }
            check.finish()?;
            ("lost", *reason, (note.flatten(), reason_name))
        }
        Closing::Junk => ("junk", None, (None, None)),
    };
    let (lost, junk) = if event == "lost" { (1, 0) } else { (0, 1) };
    sqlx::query(
        "UPDATE leads SET lost = $1, junk = $2, lost_reason_id = $3, last_activity_at = $4, \
         version = version + 1, updated_at = $4 WHERE id = $5",
    )
    .bind(lost)
    .bind(junk)
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let (note, reason_name) = note;
    let changes: Vec<FieldChange> = reason_name
        .map(|name| FieldChange {
            field: "lost_reason".into(),
            old: None,
            new: Some(name),
        })
        .into_iter()
        .collect();
    record_activity(&mut tx, actor, id, event, &changes, now, via).await?;
    if let Some(note) = note {
        record_note(&mut tx, actor, id, &note, now, via).await?;
    }
    let lead = visible(&mut tx, &Actor::system(), id).await?;
    commit_and_publish(store, tx, lead.event(LeadEventKind::Updated, actor)).await?;
    Ok(lead)
}

/// Takes a lost or junk lead back onto the board, at the top of the stage it was in.
async fn reopen_in(
    store: &Store,
    mut tx: Tx,
    actor: &Actor,
    current: Lead,
    via: Via,
) -> Result<Lead, AppError> {
    if !current.lost && !current.junk {
        return Ok(current);
    }
    let now = now_ms();
    let position = place(&mut tx, &current, current.stage_id, Placement::default()).await?;
    sqlx::query(
        "UPDATE leads SET lost = 0, junk = 0, lost_reason_id = NULL, position = $1, \
         last_activity_at = $2, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(position)
    .bind(now)
    .bind(current.id)
    .execute(&mut *tx)
    .await?;
    record_activity(&mut tx, actor, current.id, "reopened", &[], now, via).await?;
    let lead = visible(&mut tx, &Actor::system(), current.id).await?;
    commit_and_publish(store, tx, lead.event(LeadEventKind::Updated, actor)).await?;
    Ok(lead)
}

/// Where a moved card goes inside its stage: before a card, after a card, or at the top.
#[derive(Debug, Clone, Copy, Default)]
struct Placement {
    before: Option<i64>,
    after: Option<i64>,
}

async fn change(
    store: &Store,
    actor: &Actor,
    id: i64,
    parsed: &ParsedLead,
    placement: Option<Placement>,
    expected_version: Option<i64>,
    via: Via,
) -> Result<Lead, AppError> {
    let mut tx = store.db.begin_write().await?;
    let current = visible(&mut tx, actor, id).await?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(conflict(&mut tx, actor, &current).await);
    }
    let mut work = Work::default();
    let kind = change_in(&mut tx, actor, &mut work, &current, parsed, placement, via).await?;
    work.finish(&mut tx).await?;
    let lead = visible(&mut tx, &Actor::system(), id).await?;
    commit_and_publish(store, tx, lead.event(kind, actor)).await?;
    Ok(lead)
}

/// A change to many leads in one transaction (a bulk action's batch): for each lead the actor
/// may see, `edit` says what to send — the fields of a partial update, and a stage to move to —
/// or why this lead is not to change; the lead changes exactly as `update` or `move_to_stage`
/// would change it alone. Returns per lead its values before and where it is after, or why it
/// was refused (a refused lead changes nothing; the others commit together). An error of the
/// database itself fails the whole batch. The batch's leads are read (and locked) together
/// before; its updates that set the same values, its timeline entries,
/// notifications and events are written together: per lead, only a move (its position and
/// stage history) or a change of tags or custom values is a statement of its own.
pub async fn change_batch(
    store: &Store,
    actor: &Actor,
    ids: &[i64],
    edit: impl Fn(&Lead) -> Result<(LeadInput, Option<i64>), AppError>,
    via: Via,
) -> Result<Vec<(i64, Result<(Lead, Placed), AppError>)>, AppError> {
    let mut tx = store.db.begin_batch_write().await?;
    let mut work = Work {
        locked: true,
        ..Work::default()
    };
    let mut current = lock_many(&mut tx, actor, ids).await?;
    let mut changed: Vec<(i64, Lead, LeadEventKind)> = Vec::with_capacity(ids.len());
    let mut refused: Vec<(i64, AppError)> = Vec::new();
    for &id in ids {
        let Some(before) = current.remove(&id) else {
            refused.push((id, AppError::NotFound));
            continue;
        };
        let outcome = match edit(&before).and_then(|(input, stage)| {
            parse_lead(&input, false, actor.locale).map(|parsed| (parsed, stage))
        }) {
            Ok((mut parsed, stage)) => {
                let placement = stage.map(|to| {
                    parsed.stage = Patch::Set(to);
                    parsed.pipeline = Patch::Keep;
                    Placement::default()
                });
                change_in(&mut tx, actor, &mut work, &before, &parsed, placement, via).await
            }
            Err(error) => Err(error),
        };
        match outcome {
            Ok(kind) => changed.push((id, before, kind)),
            Err(AppError::Internal(message)) => return Err(AppError::Internal(message)),
            Err(error) => refused.push((id, error)),
        }
    }
    work.finish(&mut tx).await?;
    let mut after = placed_after(&mut tx, &mut work, &changed).await?;
    let mut results: std::collections::HashMap<i64, Result<(Lead, Placed), AppError>> = refused
        .into_iter()
        .map(|(id, error)| (id, Err(error)))
        .collect();
    let mut events = Vec::with_capacity(changed.len());
    for (id, before, kind) in changed {
        let lead = after.remove(&id).ok_or_else(|| {
            AppError::Internal(format!("lead {id} vanished inside its own transaction"))
        })?;
        events.push(lead.event(kind, actor));
        results.insert(id, Ok((before, lead)));
    }
    store
        .events
        .announce_all(&store.db, &mut tx, &events)
        .await?;
    tx.commit().await?;
    for event in events {
        store.events.publish(event);
    }
    Ok(ids
        .iter()
        .filter_map(|id| results.remove(id).map(|result| (*id, result)))
        .collect())
}

/// Where the batch's changed leads now are: those `work` updated together as it wrote them,
/// the others (a move alone) read again.
async fn placed_after(
    tx: &mut Tx,
    work: &mut Work,
    changed: &[(i64, Lead, LeadEventKind)],
) -> Result<std::collections::HashMap<i64, Placed>, AppError> {
    let mut after = std::mem::take(&mut work.written);
    let unread: Vec<i64> = changed
        .iter()
        .map(|(id, _, _)| *id)
        .filter(|id| !after.contains_key(id))
        .collect();
    if !unread.is_empty() {
        let mut sql = Sql::new(&format!("SELECT {PLACED_COLUMNS} FROM leads WHERE id IN "));
        sql.push_ids(&unread);
        let placed: Vec<Placed> = sql.fetch_all(&mut **tx).await?;
        after.extend(placed.into_iter().map(|lead| (lead.id, lead)));
    }
    Ok(after)
}

/// What the changes of one transaction share: lookups made once (whether a referenced row
/// exists, a stage's name and required fields) and the timeline entries and notifications
/// they write, inserted together by `finish` before the transaction commits. The one place
/// timeline entries and notifications are written (`record_activity` and `notify` are a
/// one-entry `Work`).
///
/// When the transaction holds its leads locked (`locked`: a batch read with `lock_many`), the
/// updates of leads that stay where they are wait here too, and those that set the same
/// columns to the same values are one statement. All of a transaction's changes share one
/// time (`now`).
#[derive(Default)]
struct Work {
    exists: std::collections::HashMap<(&'static str, i64), bool>,
    /// The top position of each stage this transaction created a lead in.
    tops: std::collections::HashMap<i64, f64>,
    stages: std::collections::HashMap<i64, (String, String)>,
    locked: bool,
    now: Option<i64>,
    updates: Vec<Group>,
    /// Where `finish` left the leads of the queued updates (`RETURNING`), by id: the batch's
    /// leads after their change, without reading them again.
    written: std::collections::HashMap<i64, Placed>,
    activities: Vec<PendingActivity>,
    notices: Vec<PendingNotice>,
}

/// The columns a change sets, with their new values.
type Sets = Vec<(&'static str, SetValue)>;

/// Locked leads (id, version read) whose updates set the same values.
type Group = (Sets, Vec<(i64, i64)>);

/// The new value of a column a change sets.
#[derive(Clone, Debug, PartialEq)]
enum SetValue {
    Int(Option<i64>),
    Real(f64),
    Text(Option<String>),
}

/// Each lead of `rows` (id, version it was read at, its values of `columns`) set to its own
/// values, in one statement: `UPDATE … FROM (VALUES …)` (the values typed, so that PostgreSQL
/// reads a row's NULL as the column's type), keyed by `id IN` first as `update_sql`'s callers.
fn update_each_sql(columns: &[&'static str], rows: &[(i64, i64, &Sets)]) -> Sql {
    let mut sql = Sql::new("UPDATE leads SET version = leads.version + 1");
    for (i, column) in columns.iter().enumerate() {
        sql.push(&format!(", {column} = v.column{}", i + 3));
    }
    sql.push(" FROM (VALUES ");
    for (i, (lead, version, sets)) in rows.iter().enumerate() {
        sql.push(if i == 0 { "(CAST(" } else { ", (CAST(" })
            .bind(*lead)
            .push(" AS BIGINT), CAST(")
            .bind(*version)
            .push(" AS BIGINT)");
        for (_, value) in sets.iter() {
            sql.push(", CAST(");
            let type_name = match value {
                SetValue::Int(value) => {
                    sql.bind(*value);
                    "BIGINT"
                }
                SetValue::Real(value) => {
                    sql.bind(*value);
                    "DOUBLE PRECISION"
                }
                SetValue::Text(value) => {
                    sql.bind(value.clone());
                    "TEXT"
                }
            };
            sql.push(" AS ").push(type_name).push(")");
        }
        sql.push(")");
    }
    let ids: Vec<i64> = rows.iter().map(|(lead, _, _)| *lead).collect();
    sql.push(") AS v WHERE leads.id IN ")
        .push_ids(&ids)
        .push(" AND leads.id = v.column1 AND leads.version = v.column2");
    sql
}

/// Every locked lead an update meant was changed: its lock held, none can have moved on.
fn changed_all(changed: u64, meant: usize) -> Result<(), AppError> {
    if changed == meant as u64 {
        return Ok(());
    }
    Err(AppError::Internal(format!(
        "{} of {meant} locked leads changed under their lock",
        meant as u64 - changed
    )))
}

/// `UPDATE leads SET version = version + 1, <sets>` (the caller adds the `WHERE`).
fn update_sql(sets: &Sets) -> Sql {
    let mut sql = Sql::new("UPDATE leads SET version = version + 1");
    for (column, value) in sets {
        sql.push(", ").push(column).push(" = ");
        match value {
            SetValue::Int(value) => sql.bind(*value),
            SetValue::Real(value) => sql.bind(*value),
            SetValue::Text(value) => sql.bind(value.clone()),
        };
    }
    sql
}

/// ` RETURNING <Placed's columns>`, for an `UPDATE leads`: the columns of a whole lead (39)
/// cost a bulk reassignment of 10,000 leads ~0.25 s more on SQLite, handed back through sqlx.
fn returning() -> &'static str {
    static RETURNING: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!(" RETURNING {PLACED_COLUMNS}"));
    &RETURNING
}

struct PendingActivity {
    lead: i64,
    event: &'static str,
    changes: Option<String>,
    user: Option<i64>,
    via: Via,
    at: i64,
}

struct PendingNotice {
    user: i64,
    kind: &'static str,
    lead: i64,
    actor: Option<i64>,
    at: i64,
}

impl Work {
    /// The time of every change in this transaction.
    fn now(&mut self) -> i64 {
        *self.now.get_or_insert_with(now_ms)
    }

    /// Queues the update of a locked lead at `version`.
    fn update(&mut self, lead: i64, version: i64, sets: Sets) {
        match self.updates.iter_mut().find(|(same, _)| *same == sets) {
            Some((_, leads)) => leads.push((lead, version)),
            None => self.updates.push((sets, vec![(lead, version)])),
        }
    }

    /// Keeps the leads an update of `meant` locked leads wrote.
    fn keep_written(&mut self, written: Vec<Placed>, meant: usize) -> Result<(), AppError> {
        changed_all(written.len() as u64, meant)?;
        self.written
            .extend(written.into_iter().map(|lead| (lead.id, lead)));
        Ok(())
    }

    /// A system entry on the lead's timeline.
    fn activity(
        &mut self,
        actor: &Actor,
        lead: i64,
        event: &'static str,
        changes: &[FieldChange],
        at: i64,
        via: Via,
    ) {
        self.activities.push(PendingActivity {
            lead,
            event,
            changes: (!changes.is_empty())
                .then(|| serde_json::to_string(changes).expect("plain strings serialize")),
            user: actor.user_id,
            via,
            at,
        });
    }

    /// A notification for `user` about the lead (its body is the lead's name when written).
    fn notify(&mut self, user: i64, kind: &'static str, lead: i64, actor: &Actor) {
        let at = self.now();
        self.notices.push(PendingNotice {
            user,
            kind,
            lead,
            actor: actor.user_id,
            at,
        });
    }

    /// Writes what was queued: the updates, one statement (per chunk) for each list of columns
    /// set, in the order each list was first queued (a lead is queued once); then the timeline
    /// entries and the notifications, in the order they were queued.
    async fn finish(&mut self, tx: &mut Tx) -> Result<(), AppError> {
        // Groups that set the same columns to different values (an undo puts each lead back
        // to its own owner) are one statement: its triggers then lock the kept totals in key
        // order, as one group's statement does (see `bulk::workers`).
        let mut by_columns: Vec<(Vec<&'static str>, Vec<Group>)> = Vec::new();
        for (sets, leads) in std::mem::take(&mut self.updates) {
            let columns: Vec<&'static str> = sets.iter().map(|(column, _)| *column).collect();
            match by_columns.iter_mut().find(|(same, _)| *same == columns) {
                Some((_, groups)) => groups.push((sets, leads)),
                None => by_columns.push((columns, vec![(sets, leads)])),
            }
        }
        for (columns, groups) in by_columns {
            if let [(sets, leads)] = groups.as_slice() {
                for chunk in leads.chunks(500) {
                    let mut sql = update_sql(sets);
                    // `id IN` first: SQLite finds the rows by key only so (with the row values
                    // alone it scans the table).
                    sql.push(" WHERE id IN ")
                        .push_ids(&chunk.iter().map(|(lead, _)| *lead).collect::<Vec<_>>())
                        .push(" AND (id, version) IN (VALUES ");
                    for (i, (lead, version)) in chunk.iter().enumerate() {
                        sql.push(if i == 0 { "(" } else { ", (" })
                            .bind(*lead)
                            .push(", ")
                            .bind(*version)
                            .push(")");
                    }
                    sql.push(")").push(returning());
                    self.keep_written(sql.fetch_all(&mut **tx).await?, chunk.len())?;
                }
            } else {
                let rows: Vec<(i64, i64, &Sets)> = groups
                    .iter()
                    .flat_map(|(sets, leads)| leads.iter().map(move |&(l, v)| (l, v, sets)))
                    .collect();
                for chunk in rows.chunks(200) {
                    let mut sql = update_each_sql(&columns, chunk);
                    sql.push(returning());
                    self.keep_written(sql.fetch_all(&mut **tx).await?, chunk.len())?;
                }
            }
        }
        let activities = std::mem::take(&mut self.activities);
        super::db::insert_rows(
            tx,
            "INSERT INTO activities (lead_id, kind, event, changes, user_id, via, created_at)",
            &activities,
            6,
            |sql, a| {
                sql.push("(")
                    .bind(a.lead)
                    .push(", 'system', ")
                    .bind(a.event.to_string())
                    .push(", ")
                    .bind(a.changes.clone())
                    .push(", ")
                    .bind(a.user)
                    .push(", ")
                    .bind(a.via.as_str())
                    .push(", ")
                    .bind(a.at)
                    .push(")");
            },
        )
        .await?;
        let notices = std::mem::take(&mut self.notices);
        super::db::insert_rows(
            tx,
            "INSERT INTO notifications (user_id, kind, lead_id, actor_id, body, created_at)",
            &notices,
            6,
            |sql, n| {
                sql.push("(")
                    .bind(n.user)
                    .push(", ")
                    .bind(n.kind.to_string())
                    .push(", ")
                    .bind(n.lead)
                    .push(", ")
                    .bind(n.actor)
                    .push(", (SELECT name FROM leads WHERE id = ")
                    .bind(n.lead)
                    .push("), ")
                    .bind(n.at)
                    .push(")");
            },
        )
        .await?;
        Ok(())
    }
}

/// The body of a change to `current` (read in this transaction), up to its event.
/// Returns what kind of change it was; the caller reads the lead back (and `work.finish`es)
/// before announcing it.
async fn change_in(
    tx: &mut Tx,
    actor: &Actor,
    work: &mut Work,
    current: &Lead,
    parsed: &ParsedLead,
    placement: Option<Placement>,
    via: Via,
) -> Result<LeadEventKind, AppError> {
    let id = current.id;
    let mut check = Check::default();
    let custom =
        super::custom_fields::check(tx, &parsed.custom, false, actor.locale, &mut check).await?;
    let (pipeline_id, stage_id) =
        resolve_stage(tx, actor, parsed, Some(current), &mut check).await?;
    let source = parsed.source.or_keep(current.source_id);
    let assigned = parsed.assigned.or_keep(current.assigned);
    let client_id = parsed.client_id.or_keep(current.client_id);
    // Only references that change are checked: a lead keeps a user who was since deactivated.
    let changed = |new: Option<i64>, old: Option<i64>| new.filter(|_| new != old);
    check_references(
        tx,
        actor,
        work,
        changed(source, current.source_id),
        changed(assigned, current.assigned),
        changed(client_id, current.client_id),
        &mut check,
    )
    .await?;
    let value = parsed.lead_value.or_keep(current.lead_value);
    let text = |field: &str| {
        parsed
            .text(field)
            .or_keep(current.text(field))
            .map(str::to_string)
    };
    let filled = Filled {
        lead_value: value.is_some(),
        source: source.is_some(),
        assigned: assigned.is_some(),
        text: &|field| text(field).is_some(),
    };
    let stage_id = finish_checks(tx, actor, work, stage_id, &filled, check).await?;
    let now = work.now();

    let mut changes: Vec<FieldChange> = Vec::new();
    let mut sets: Sets = vec![("updated_at", SetValue::Int(Some(now)))];
    for &(field, _) in TEXT_FIELDS {
        if let Patch::Set(new) = parsed.text(field) {
            let old = current.text(field);
            if old != new {
                sets.push((field, SetValue::Text(new.map(str::to_string))));
                changes.push(FieldChange {
                    field: field.into(),
                    old: old.map(Into::into),
                    new: new.map(Into::into),
                });
            }
        }
    }
    let mut changed_value = |column: &'static str, old: Option<i64>, new: Option<i64>| {
        if old != new {
            sets.push((column, SetValue::Int(new)));
            changes.push(FieldChange {
                field: column.into(),
                old: old.map(|v| v.to_string()),
                new: new.map(|v| v.to_string()),
            });
        }
    };
    changed_value("lead_value", current.lead_value, value);
    changed_value("source_id", current.source_id, source);
    changed_value("client_id", current.client_id, client_id);
    changed_value(
        "lastcontact",
        current.lastcontact,
        parsed.lastcontact.or_keep(current.lastcontact),
    );
    changed_value(
        "next_action_at",
        current.next_action_at,
        parsed.next_action_at.or_keep(current.next_action_at),
    );
    if let Patch::Set(is_public) = parsed.is_public {
        changed_value(
            "is_public",
            Some(i64::from(current.is_public)),
            Some(i64::from(is_public)),
        );
    }
    let reassigned = assigned != current.assigned;
    if reassigned {
        sets.push(("assigned", SetValue::Int(assigned)));
        sets.push(("dateassigned", SetValue::Int(assigned.map(|_| now))));
    }
    let moved = stage_id != current.stage_id;
    if moved || placement.is_some() {
        let position = place(tx, current, stage_id, placement.unwrap_or_default()).await?;
        sets.push(("position", SetValue::Real(position)));
    }
    if moved {
        sets.push(("pipeline_id", SetValue::Int(Some(pipeline_id))));
        sets.push(("stage_id", SetValue::Int(Some(stage_id))));
        sets.push(("last_status_change", SetValue::Int(Some(now))));
        sets.push(("last_activity_at", SetValue::Int(Some(now))));
    }
    let tags_changed = matches!(&parsed.tags, Patch::Set(tags) if *tags != current.tags);
    if work.locked && !moved && placement.is_none() {
        // The lead is locked by this transaction and nothing below reads its row: its update
        // joins the others that set the same values (see `Work::finish`).
        work.update(id, current.version, sets);
    } else {
        let mut sql = update_sql(&sets);
        sql.push(" WHERE id = ")
            .bind(id)
            .push(" AND version = ")
            .bind(current.version);
        let done = sql.execute(&mut **tx).await?;
        if done.rows_affected() == 0 {
            // Another writer committed between our read and this write (PostgreSQL).
            return Err(conflict(tx, actor, current).await);
        }
    }
    if let (true, Patch::Set(tags)) = (tags_changed, &parsed.tags) {
        set_tags(tx, id, tags).await?;
        changes.push(FieldChange {
            field: "tags".into(),
            old: Some(current.tags.join(", ")),
            new: Some(tags.join(", ")),
        });
    }
    changes.extend(super::custom_fields::write(tx, id, &custom).await?);
    if moved {
        enter_stage(tx, actor, id, Some(current.stage_id), stage_id, now, via).await?;
        let since: Option<i64> = sqlx::query_scalar(
            "SELECT entered_at FROM lead_stage_history WHERE lead_id = $1 AND to_stage_id = $2 AND left_at = $3 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .bind(current.stage_id)
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?;
        let stay = FieldChange {
            field: "stage".into(),
            old: Some(current.stage_id.to_string()),
            new: Some(stage_id.to_string()),
        };
        let spent = FieldChange {
            field: "time_in_stage_ms".into(),
            old: since.map(|s| (now - s).to_string()),
            new: None,
        };
        work.activity(actor, id, "stage_changed", &[stay, spent], now, via);
    }
    if reassigned {
        let change = FieldChange {
            field: "assigned".into(),
            old: current.assigned.map(|a| a.to_string()),
            new: assigned.map(|a| a.to_string()),
        };
        work.activity(actor, id, "assigned", &[change], now, via);
        if let Some(assignee) = assigned.filter(|&user| Some(user) != actor.user_id) {
            work.notify(assignee, "assigned", id, actor);
        }
    }
    if !changes.is_empty() {
        work.activity(actor, id, "updated", &changes, now, via);
    }
    if moved
        && current
            .assigned
            .is_some_and(|owner| Some(owner) != actor.user_id)
        && !reassigned
    {
        work.notify(current.assigned.expect("checked"), "moved", id, actor);
    }
    Ok(if moved || placement.is_some() {
        LeadEventKind::Moved
    } else {
        LeadEventKind::Updated
    })
}

/// Logs a note, call, email or meeting on a lead the actor may see. Any of them is activity
/// (the lead stops being stalled); a call, email or meeting is also its last contact.
pub async fn log_activity(
    store: &Store,
    actor: &Actor,
    id: i64,
    input: &ActivityInput,
    via: Via,
) -> Result<(), AppError> {
    let activity = parse_activity(input, actor.locale)?;
    let mut tx = store.db.begin_write().await?;
    let lead = visible(&mut tx, actor, id).await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO activities (lead_id, kind, body, outcome, duration_minutes, user_id, via, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(activity.kind)
    .bind(activity.body.clone())
    .bind(activity.outcome)
    .bind(activity.duration_minutes)
    .bind(actor.user_id)
    .bind(via.as_str())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    touch(&mut tx, &lead, now, activity.is_contact()).await?;
    commit_and_publish_bumped(store, tx, &lead, LeadEventKind::Updated, actor).await
}

/// "I contacted this lead": its last contact and last activity are now, on the timeline too.
pub async fn mark_contacted(
    store: &Store,
    actor: &Actor,
    id: i64,
    via: Via,
) -> Result<(), AppError> {
    let mut tx = store.db.begin_write().await?;
    let lead = visible(&mut tx, actor, id).await?;
    let now = now_ms();
    record_activity(&mut tx, actor, id, "contacted", &[], now, via).await?;
    touch(&mut tx, &lead, now, true).await?;
    commit_and_publish_bumped(store, tx, &lead, LeadEventKind::Updated, actor).await
}

/// Marks activity on a lead at `now` (and contact, when it reached the lead).
async fn touch(tx: &mut Tx, lead: &Lead, now: i64, contacted: bool) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE leads SET last_activity_at = $1, lastcontact = CASE WHEN $2 = 1 THEN $1 ELSE lastcontact END, \
         version = version + 1, updated_at = $1 WHERE id = $3",
    )
    .bind(now)
    .bind(i64::from(contacted))
    .bind(lead.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves every lead of stage `from` (open, closed and trashed) to the end of stage `to`, with
/// the stage history and timeline entry of a single move, in set-wise statements. Closed leads
/// that would reopen into `from` reopen into `to`. Stage rules are not asked for: an admin
/// removing a stage cannot be held up by each lead's missing fields. Returns the events to
/// publish once the caller commits.
pub(crate) async fn move_stage_leads(
    store: &Store,
    tx: &mut Tx,
    actor: &Actor,
    from: i64,
    to: i64,
) -> Result<Vec<LeadEvent>, AppError> {
    let now = now_ms();
    let via = Via::Settings;
    // The timeline entry records the time spent in `from`, read from the open stay.
    let changes = format!(
        "'[{{\"field\":\"stage\",\"old\":\"{from}\",\"new\":\"{to}\"}},\
         {{\"field\":\"time_in_stage_ms\",\"old\":' || COALESCE('\"' || CAST($1 - h.entered_at AS TEXT) || '\"', 'null') \
         || ',\"new\":null}}]'"
    );
    sqlx::query(&format!(
        "INSERT INTO activities (lead_id, kind, event, changes, user_id, via, created_at) \
         SELECT l.id, 'system', 'stage_changed', {changes}, $2, $3, $1 FROM leads l \
         LEFT JOIN lead_stage_history h ON h.lead_id = l.id AND h.left_at IS NULL WHERE l.stage_id = $4"
    ))
    .bind(now)
    .bind(actor.user_id)
    .bind(via.as_str())
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE lead_stage_history SET left_at = $1 WHERE left_at IS NULL \
         AND lead_id IN (SELECT id FROM leads WHERE stage_id = $2)",
    )
    .bind(now)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO lead_stage_history (lead_id, from_stage_id, to_stage_id, entered_at, by_user_id, via) \
         SELECT id, stage_id, $1, $2, $3, $4 FROM leads WHERE stage_id = $5",
    )
    .bind(to)
    .bind(now)
    .bind(actor.user_id)
    .bind(via.as_str())
    .bind(from)
    .execute(&mut **tx)
    .await?;
    // Below the target's last card, keeping the moved cards' own order.
    let (target_last, moved_first): (Option<f64>, Option<f64>) = sqlx::query_as(
        "SELECT (SELECT MAX(position) FROM leads WHERE stage_id = $1), \
         (SELECT MIN(position) FROM leads WHERE stage_id = $2)",
    )
    .bind(to)
    .bind(from)
    .fetch_one(&mut **tx)
    .await?;
    let shift = target_last.unwrap_or(0.0) + 1024.0 - moved_first.unwrap_or(0.0);
    #[derive(FromRow)]
    struct Moved {
        id: i64,
        pipeline_id: i64,
        assigned: Option<i64>,
        addedfrom: Option<i64>,
        is_public: i64,
        version: i64,
    }
    let moved: Vec<Moved> = sqlx::query_as(
        "SELECT id, pipeline_id, assigned, addedfrom, is_public, version FROM leads \
         WHERE stage_id = $1 AND deleted_at IS NULL",
    )
    .bind(from)
    .fetch_all(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE leads SET stage_id = $1, position = position + $2, last_status_change = $3, \
         updated_at = $3, version = version + 1 WHERE stage_id = $4",
    )
    .bind(to)
    .bind(shift)
    .bind(now)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE leads SET last_stage_id = $1 WHERE last_stage_id = $2")
        .bind(to)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    let mut events = Vec::with_capacity(moved.len());
    for lead in moved {
        let event = LeadEvent {
            kind: LeadEventKind::Moved,
            lead_id: lead.id,
            pipeline_id: lead.pipeline_id,
            stage_id: to,
            assigned: lead.assigned,
            addedfrom: lead.addedfrom,
            is_public: lead.is_public == 1,
            version: lead.version + 1,
            actor_id: actor.user_id,
        };
        events.push(event);
    }
    store.events.announce_all(&store.db, tx, &events).await?;
    Ok(events)
}

/// Commits a change and announces it: to other processes through the transaction (so a
/// rolled-back change is never announced), then to this process's subscribers.
async fn commit_and_publish(store: &Store, mut tx: Tx, event: LeadEvent) -> Result<(), AppError> {
    store.events.announce(&store.db, &mut tx, &event).await?;
    tx.commit().await?;
    store.events.publish(event);
    Ok(())
}

/// `commit_and_publish` for a change that bumped the version of `lead` (read before it) by one.
pub(super) async fn commit_and_publish_bumped(
    store: &Store,
    tx: Tx,
    lead: &Lead,
    kind: LeadEventKind,
    actor: &Actor,
) -> Result<(), AppError> {
    let mut event = lead.event(kind, actor);
    event.version += 1;
    commit_and_publish(store, tx, event).await
}

/// Whether a live event concerns a lead the actor may see: the same rule as `push_scope`.
pub fn event_visible(actor: &Actor, event: &LeadEvent) -> bool {
    match (actor.sees_all(), actor.user_id) {
        (true, _) | (false, None) => true,
        (false, Some(user)) => {
            event.assigned == Some(user) || event.addedfrom == Some(user) || event.is_public
        }
    }
}

/// The conflict answer: what the lead looks like now, in words the user can act on.
pub(super) async fn conflict(tx: &mut Tx, actor: &Actor, stale: &Lead) -> AppError {
    let stage: Option<String> = sqlx::query_scalar(
        "SELECT s.name FROM leads l JOIN stages s ON s.id = l.stage_id WHERE l.id = $1",
    )
    .bind(stale.id)
    .fetch_optional(&mut **tx)
    .await
    .ok()
    .flatten();
    AppError::Conflict {
        message: fill(
            actor.locale.t().err_conflict,
            &[("stage", &stage.unwrap_or_default())],
        ),
    }
}

/// The pipeline and stage a lead ends up in: the sent stage (which must belong to the sent
/// pipeline, if any), else the first stage of the sent pipeline, else where it is now, else the
/// first stage of the default pipeline. An unknown id is a field error, `None` is returned then.
async fn resolve_stage(
    tx: &mut Tx,
    actor: &Actor,
    parsed: &ParsedLead,
    current: Option<&Lead>,
    check: &mut Check,
) -> Result<(i64, Option<i64>), AppError> {
    let missing = actor.locale.t().err_missing_ref;
    match (&parsed.stage, &parsed.pipeline) {
        (Patch::Set(stage), pipeline) => {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT pipeline_id FROM stages WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(*stage)
            .fetch_optional(&mut **tx)
            .await?;
            match (found, pipeline) {
                (Some(found), Patch::Set(pipeline)) if found != *pipeline => {
                    check.add("stage", missing);
                    Ok((found, None))
                }
                (Some(found), _) => Ok((found, Some(*stage))),
                (None, _) => {
                    check.add("stage", missing);
                    Ok((0, None))
                }
            }
        }
        (Patch::Keep, Patch::Set(pipeline))
            if current.is_none_or(|c| c.pipeline_id != *pipeline) =>
        {
            let first: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM stages WHERE pipeline_id = $1 AND deleted_at IS NULL ORDER BY position, id LIMIT 1",
            )
            .bind(*pipeline)
            .fetch_optional(&mut **tx)
            .await?;
            if first.is_none() {
                check.add("pipeline", missing);
            }
            Ok((*pipeline, first))
        }
        _ => match current {
            Some(lead) => Ok((lead.pipeline_id, Some(lead.stage_id))),
            None => {
                let default: Option<(i64, i64)> = sqlx::query_as(
                    "SELECT p.id, s.id FROM pipelines p JOIN stages s ON s.pipeline_id = p.id AND s.deleted_at IS NULL \
                     ORDER BY p.is_default DESC, p.position, p.id, s.position, s.id LIMIT 1",
                )
                .fetch_optional(&mut **tx)
                .await?;
                match default {
                    Some((pipeline, stage)) => Ok((pipeline, Some(stage))),
                    None => {
                        check.add("stage", missing);
                        Ok((0, None))
                    }
                }
            }
        },
    }
}

/// Referenced source, assignee (an active user) and client must exist.
async fn check_references(
    tx: &mut Tx,
    actor: &Actor,
    work: &mut Work,
    source: Option<i64>,
    assigned: Option<i64>,
    client: Option<i64>,
    check: &mut Check,
) -> Result<(), AppError> {
    let missing = actor.locale.t().err_missing_ref;
    let lookups = [
        (
            "source",
            source,
            "SELECT COUNT(*) FROM sources WHERE id = $1",
        ),
        (
            "assigned",
            assigned,
            "SELECT COUNT(*) FROM users WHERE id = $1 AND active = 1",
        ),
        (
            "client_id",
            client,
            "SELECT COUNT(*) FROM clients WHERE id = $1",
        ),
    ];
    for (field, id, query) in lookups {
        if let Some(id) = id {
            let exists = match work.exists.get(&(field, id)) {
                Some(&exists) => exists,
                None => {
                    let count: i64 = sqlx::query_scalar(query)
                        .bind(id)
                        .fetch_one(&mut **tx)
                        .await?;
                    work.exists.insert((field, id), count > 0);
                    count > 0
                }
            };
            if !exists {
                check.add(field, missing);
            }
        }
    }
    Ok(())
}

/// Which fields of a lead will hold a value once a change is applied.
struct Filled<'a> {
    lead_value: bool,
    source: bool,
    assigned: bool,
    text: &'a (dyn Fn(&str) -> bool + Sync),
}

impl Filled<'_> {
    fn has(&self, field: &str) -> bool {
        match field {
            "lead_value" => self.lead_value,
            "source" => self.source,
            "assigned" => self.assigned,
            other => (self.text)(other),
        }
    }
}

/// Ends the checks of a change: the target stage's required fields that the lead (as it will
/// be) leaves empty join the field errors found so far; any error refuses the change.
/// Returns the stage the lead goes to (`None` from `resolve_stage` is already a field error).
async fn finish_checks(
    tx: &mut Tx,
    actor: &Actor,
    work: &mut Work,
    stage_id: Option<i64>,
    filled: &Filled<'_>,
    mut check: Check,
) -> Result<i64, AppError> {
    if let Some(stage_id) = stage_id {
        check_required(tx, actor, work, stage_id, filled, &mut check).await?;
    }
    check.finish()?;
    Ok(stage_id.expect("a missing stage is a field error above"))
}

async fn check_required(
    tx: &mut Tx,
    actor: &Actor,
    work: &mut Work,
    stage_id: i64,
    filled: &Filled<'_>,
    check: &mut Check,
) -> Result<(), AppError> {
    if let std::collections::hash_map::Entry::Vacant(entry) = work.stages.entry(stage_id) {
        let stage: (String, String) =
            sqlx::query_as("SELECT name, required_fields FROM stages WHERE id = $1")
                .bind(stage_id)
                .fetch_one(&mut **tx)
                .await?;
        entry.insert(stage);
    }
    let (name, required) = &work.stages[&stage_id];
    for field in split_fields(required) {
        if !filled.has(&field) {
            check.add(
                &field,
                fill(actor.locale.t().err_required_in_stage, &[("stage", name)]),
            );
        }
    }
    Ok(())
}

/// A position for the lead in `stage_id`: halfway between the card it goes before (or after)
/// and that card's neighbour, or above the first card. Only the moved card's row is written.
async fn place(
    tx: &mut Tx,
    lead: &Lead,
    stage_id: i64,
    placement: Placement,
) -> Result<f64, AppError> {
    const OPEN: &str =
        "stage_id = $1 AND deleted_at IS NULL AND lost = 0 AND junk = 0 AND id <> $2";
    let by_id = format!("SELECT position FROM leads WHERE {OPEN} AND id = $3");
    let position_of = |card: i64| {
        sqlx::query_scalar::<_, f64>(&by_id)
            .bind(stage_id)
            .bind(lead.id)
            .bind(card)
    };
    if let Some(before) = placement.before {
        if let Some(anchor) = position_of(before).fetch_optional(&mut **tx).await? {
            let previous: Option<f64> = sqlx::query_scalar(&format!(
                "SELECT MAX(position) FROM leads WHERE {OPEN} AND position < $3"
            ))
            .bind(stage_id)
            .bind(lead.id)
            .bind(anchor)
            .fetch_one(&mut **tx)
            .await?;
            return Ok(previous.map_or(anchor - 1024.0, |previous| (previous + anchor) / 2.0));
        }
    }
    if let Some(after) = placement.after {
        if let Some(anchor) = position_of(after).fetch_optional(&mut **tx).await? {
            let following: Option<f64> = sqlx::query_scalar(&format!(
                "SELECT MIN(position) FROM leads WHERE {OPEN} AND position > $3"
            ))
            .bind(stage_id)
            .bind(lead.id)
            .bind(anchor)
            .fetch_one(&mut **tx)
            .await?;
            return Ok(following.map_or(anchor + 1024.0, |following| (anchor + following) / 2.0));
        }
    }
    let top: Option<f64> =
        sqlx::query_scalar(&format!("SELECT MIN(position) FROM leads WHERE {OPEN}"))
            .bind(stage_id)
            .bind(lead.id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(top.map_or(0.0, |top| top - 1024.0))
}

/// Closes the lead's current stay (if any) and opens one in `to`.
async fn enter_stage(
    tx: &mut Tx,
    actor: &Actor,
    lead: i64,
    from: Option<i64>,
    to: i64,
    now: i64,
    via: Via,
) -> Result<(), AppError> {
    if from.is_some() {
        sqlx::query(
            "UPDATE lead_stage_history SET left_at = $1 WHERE lead_id = $2 AND left_at IS NULL",
        )
        .bind(now)
        .bind(lead)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO lead_stage_history (lead_id, from_stage_id, to_stage_id, entered_at, by_user_id, via) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(lead)
    .bind(from)
    .bind(to)
    .bind(now)
    .bind(actor.user_id)
    .bind(via.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn record_activity(
    tx: &mut Tx,
    actor: &Actor,
    lead: i64,
    event: &'static str,
    changes: &[FieldChange],
    now: i64,
    via: Via,
) -> Result<(), AppError> {
    let mut work = Work::default();
    work.activity(actor, lead, event, changes, now, via);
    work.finish(tx).await
}

/// A note on the lead's timeline (e.g. why it was lost).
async fn record_note(
    tx: &mut Tx,
    actor: &Actor,
    lead: i64,
    body: &str,
    now: i64,
    via: Via,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO activities (lead_id, kind, body, user_id, via, created_at) \
         VALUES ($1, 'note', $2, $3, $4, $5)",
    )
    .bind(lead)
    .bind(body.to_string())
    .bind(actor.user_id)
    .bind(via.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn notify(
    tx: &mut Tx,
    user: i64,
    kind: &'static str,
    lead: i64,
    actor: &Actor,
) -> Result<(), AppError> {
    let mut work = Work::default();
    work.notify(user, kind, lead, actor);
    work.finish(tx).await
}

/// Replaces the lead's tags, creating tags that do not exist yet.
async fn set_tags(tx: &mut Tx, lead: i64, tags: &[String]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM lead_tags WHERE lead_id = $1")
        .bind(lead)
        .execute(&mut **tx)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO tags (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(tag.clone())
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO lead_tags (lead_id, tag_id) SELECT $1, id FROM tags WHERE name = $2",
        )
        .bind(lead)
        .bind(tag.clone())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
