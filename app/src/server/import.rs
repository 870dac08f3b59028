//! CSV imports: the file read (UTF-8, comma, semicolon or tab separated, a header row), its
//! columns previewed with a guess of what each fills, and its rows created as leads through
//! the lead door (`leads::create_many`: every rule of a lead typed in by hand, stage history,
//! the "created" entry via import, the owner's notification, live events) — all rows or none,
//! or the valid ones with the others reported, or only checked.

use super::leads::{self, Commit, Via};
use super::state::{Actor, Store};
use super::{custom_fields, settings};
use crate::error::AppError;
use crate::i18n::{fill, Locale};
use crate::models::{
    guess_target, parse_flag, parse_tags, CustomField, ImportColumn, ImportPlan, ImportPreview,
    ImportReport, LeadInput, ManagedList, RowRefusal, IMPORT_FIELDS, MAX_IMPORT_ROWS,
    REFUSALS_LISTED,
};
use std::collections::HashMap;

/// A file's header and rows, every row as long as the header.
pub struct Table {
    pub headers: Vec<String>,
    /// `(line in the file, cells)`; empty rows are left out.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a CSV file; anything it cannot read is a `file` field error saying where and why.
pub fn read_csv(bytes: &[u8], locale: Locale) -> Result<Table, AppError> {
    let t = locale.t();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text =
        std::str::from_utf8(bytes).map_err(|_| AppError::field("file", t.err_import_not_utf8))?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| first_line.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let unreadable = |line: usize, error: &dyn std::fmt::Display| {
        AppError::field(
            "file",
            fill(
                t.err_import_unreadable,
                &[("row", &line.to_string()), ("error", &error.to_string())],
            ),
        )
    };
    let headers: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(|h| h.trim().to_string()).collect(),
        Some(Err(error)) => return Err(unreadable(1, &error)),
        None => return Err(AppError::field("file", t.err_import_empty)),
    };
    let mut rows = Vec::new();
    for record in records {
        let line = record
            .as_ref()
            .map_or(0, |r| r.position().map_or(0, |p| p.line() as usize));
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |p| p.line() as usize);
            unreadable(line, &error)
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        cells.resize(headers.len().max(cells.len()), String::new());
        rows.push((line, cells));
        if rows.len() > MAX_IMPORT_ROWS {
            break;
        }
    }
    if rows.is_empty() {
        return Err(AppError::field("file", t.err_import_empty));
    }
    if rows.len() > MAX_IMPORT_ROWS {
        // Count them all, so the message says how big the file is.
        let total = text.lines().filter(|l| !l.trim().is_empty()).count() - 1;
        return Err(AppError::field(
            "file",
            fill(
                t.err_import_too_many,
                &[
                    ("n", &total.to_string()),
                    ("max", &MAX_IMPORT_ROWS.to_string()),
                ],
            ),
        ));
    }
    Ok(Table { headers, rows })
}

/// The file's columns with their first values and what each seems to fill.
pub async fn preview(
    store: &Store,
    actor: &Actor,
    bytes: &[u8],
) -> Result<ImportPreview, AppError> {
    let table = read_csv(bytes, actor.locale)?;
    let custom = custom_fields::definitions(&store.db.pool).await?;
    let mut taken: Vec<String> = Vec::new();
    let columns = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let mut target = guess_target(header, &custom);
            // Two columns guessed for one field: the first keeps it.
            if !target.is_empty() && taken.contains(&target) {
                target.clear();
            }
            taken.push(target.clone());
            ImportColumn {
                header: header.clone(),
                samples: table
                    .rows
                    .iter()
                    .filter_map(|(_, cells)| cells.get(i).filter(|c| !c.is_empty()).cloned())
                    .take(3)
                    .collect(),
                target,
            }
        })
        .collect();
    Ok(ImportPreview {
        columns,
        rows: table.rows.len(),
    })
}

/// Names the file may use for sources, users and stages, folded to lowercase.
struct Names {
    sources: HashMap<String, i64>,
    users: HashMap<String, i64>,
    stages: HashMap<String, i64>,
}

impl Names {
    async fn load(store: &Store, default_stage: Option<i64>) -> Result<Names, AppError> {
        let db = &store.db;
        let sources = settings::choices(db, ManagedList::Sources)
            .await?
            .into_iter()
            .map(|s| (s.name.to_lowercase(), s.id))
            .collect();
        let mut users = HashMap::new();
        let people: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, name, email FROM users WHERE active = 1 ORDER BY id")
                .fetch_all(&db.pool)
                .await?;
        for (id, name, email) in people {
            users.insert(email.to_lowercase(), id);
            users.entry(name.to_lowercase()).or_insert(id);
        }
        // A stage name used by several pipelines means the default stage's pipeline's stage.
        let mut stages = HashMap::new();
        let mut pipelines = settings::pipeline_stages(db).await?;
        if let Some(stage) = default_stage {
            pipelines.sort_by_key(|p| !p.stages.iter().any(|s| s.id == stage));
        }
        for pipeline in pipelines {
            for stage in pipeline.stages {
                stages.entry(stage.name.to_lowercase()).or_insert(stage.id);
            }
        }
        Ok(Names {
            sources,
            users,
            stages,
        })
    }
}

/// Checks the plan against the file, then every row; imports what the plan says to.
pub async fn run(
    store: &Store,
    actor: &Actor,
    bytes: &[u8],
    plan: &ImportPlan,
) -> Result<ImportReport, AppError> {
    let table = read_csv(bytes, actor.locale)?;
    let custom = custom_fields::definitions(&store.db.pool).await?;
    check_mapping(&table, plan, &custom, actor.locale)?;
    let default_stage = plan.stage.trim().parse::<i64>().ok();
    let names = Names::load(store, default_stage).await?;
    let header_of = |field: &str| {
        plan.mapping
            .iter()
            .position(|target| target == field)
            .map(|i| table.headers[i].clone())
    };
    let label_of = |field: &str| {
        header_of(field).unwrap_or_else(|| match field.strip_prefix("custom_") {
            Some(_) => custom
                .iter()
                .find(|c| c.key() == field)
                .map_or_else(|| field.to_string(), |c| c.label.clone()),
            None => actor.locale.field_label(field).to_string(),
        })
    };

    let mut inputs = Vec::with_capacity(table.rows.len());
    let mut lines = Vec::with_capacity(table.rows.len());
    let mut refused: Vec<RowRefusal> = Vec::new();
    for (line, cells) in &table.rows {
        match row_input(cells, plan, &names, actor.locale) {
            Ok(input) => {
                inputs.push(input);
                lines.push(*line);
            }
            Err(problems) => refused.push(RowRefusal {
                line: *line,
                problems: problems
                    .into_iter()
                    .map(|(field, message)| (label_of(&field), message))
                    .collect(),
            }),
        }
    }
    let commit = match (plan.check_only, plan.skip_refused) {
        (true, _) => Commit::Never,
        (false, true) => Commit::SkipRefused,
        // A row refused already means nothing commits; the rest are still checked.
        (false, false) if !refused.is_empty() => Commit::Never,
        (false, false) => Commit::IfAllPass,
    };
    let outcomes = leads::create_many(store, actor, &inputs, Via::Import, commit).await?;
    let mut created = 0;
    for (line, outcome) in lines.into_iter().zip(outcomes) {
        match outcome {
            Ok(_) => created += 1,
            Err(AppError::Validation(errors)) => refused.push(RowRefusal {
                line,
                problems: errors
                    .into_iter()
                    .map(|(field, message)| (label_of(&field), message))
                    .collect(),
            }),
            Err(error) => refused.push(RowRefusal {
                line,
                problems: vec![(String::new(), error.to_string())],
            }),
        }
    }
    refused.sort_by_key(|r| r.line);
    let committed = match commit {
        Commit::Never => false,
        Commit::IfAllPass => refused.is_empty(),
        Commit::SkipRefused => true,
    };
    let refused_count = refused.len();
    refused.truncate(REFUSALS_LISTED);
    Ok(ImportReport {
        rows: table.rows.len(),
        imported: if committed { created } else { 0 },
        refused_count,
        refused,
        checked_only: plan.check_only,
    })
}

/// One target per column at most, each known, and the name among them.
fn check_mapping(
    table: &Table,
    plan: &ImportPlan,
    custom: &[CustomField],
    locale: Locale,
) -> Result<(), AppError> {
    let t = locale.t();
    if plan.mapping.len() != table.headers.len() {
        return Err(AppError::field("mapping", t.err_import_no_name));
    }
    let mut seen: Vec<&str> = Vec::new();
    for target in plan.mapping.iter().filter(|m| !m.is_empty()) {
        let known =
            IMPORT_FIELDS.contains(&target.as_str()) || custom.iter().any(|c| c.key() == *target);
        if !known {
            return Err(AppError::field("mapping", t.err_unknown_form_field));
        }
        if seen.contains(&target.as_str()) {
            let label = custom.iter().find(|c| c.key() == *target).map_or_else(
                || locale.field_label(target).to_string(),
                |c| c.label.clone(),
            );
            return Err(AppError::field(
                "mapping",
                fill(t.err_import_twice, &[("field", &label)]),
            ));
        }
        seen.push(target);
    }
    if !seen.contains(&"name") {
        return Err(AppError::field("mapping", t.err_import_no_name));
    }
    Ok(())
}

/// A row as the lead door takes it, names resolved to ids and the plan's defaults applied;
/// or the names it uses that do not exist, as `(field, message)`.
fn row_input(
    cells: &[String],
    plan: &ImportPlan,
    names: &Names,
    locale: Locale,
) -> Result<LeadInput, Vec<(String, String)>> {
    let t = locale.t();
    let mut input = LeadInput::default();
    let mut problems = Vec::new();
    let mut tags = parse_tags(&plan.tags);
    let mut resolve =
        |field: &str, value: &str, map: &HashMap<String, i64>, message: &str| match map
            .get(&value.to_lowercase())
        {
            Some(id) => Some(id.to_string()),
            None => {
                problems.push((field.to_string(), fill(message, &[("value", &value)])));
                None
            }
        };
    for (target, value) in plan.mapping.iter().zip(cells) {
        if target.is_empty() || value.is_empty() {
            continue;
        }
        match target.as_str() {
            "source" => {
                input.source = resolve("source", value, &names.sources, t.err_import_unknown_source)
            }
            "assigned" => {
                input.assigned = resolve("assigned", value, &names.users, t.err_import_unknown_user)
            }
            "stage" => {
                input.stage = resolve("stage", value, &names.stages, t.err_import_unknown_stage)
            }
            "tags" => tags.extend(parse_tags(value)),
            "lastcontact" => input.lastcontact = Some(value.clone()),
            "is_public" => input.is_public = Some(parse_flag(value).to_string()),
            custom if custom.starts_with("custom_") => {
                input.custom.insert(custom.to_string(), value.clone());
            }
            field => {
                input.set(field, value.clone());
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let default = |raw: &str| (!raw.trim().is_empty()).then(|| raw.trim().to_string());
    if input.stage.is_none() {
        input.stage = default(&plan.stage);
    }
    if input.source.is_none() {
        // Sent empty: no source (not sent would give the default source).
        input.source = Some(plan.source.trim().to_string());
    }
    if input.assigned.is_none() {
        // Sent empty: unassigned (not sent would make the importer the owner).
        input.assigned = Some(plan.assigned.trim().to_string());
    }
    if !tags.is_empty() {
        input.tags = Some(tags.join(","));
    }
    Ok(input)
}
