//! Web-to-lead forms: admins define them; a visitor's submission on `/forms/wtl/{key}`
//! becomes a lead through the lead door like every other lead (validation, custom fields,
//! stage rules, history, live event), in the form's stage with its source, assignee and
//! tags, and the assignee is told "a web-form lead for you".

use super::db::{now_ms, Db, Tx};
use super::leads;
use super::settings::split_fields;
use super::state::{Actor, Store};
use crate::error::{AppError, Check};
use crate::i18n::{fill, Locale};
use crate::models::{
    is_form_field, parse_lead, parse_web_form, CustomField, CustomFieldKind, FormField, Lead,
    LeadInput, ParsedWebForm, Role, WebForm, WebFormInput,
};
use sqlx::FromRow;
use std::collections::BTreeMap;

/// Submissions per client address and minute, over all forms: more than an office behind one
/// address sends, too few for a script to flood the pipeline.
pub const SUBMISSIONS_PER_MINUTE: u32 = 20;

#[derive(FromRow)]
struct FormRecord {
    id: i64,
    form_key: String,
    name: String,
    fields: String,
    stage_id: i64,
    source_id: Option<i64>,
    assigned: Option<i64>,
    tags: String,
    language: String,
    submit_label: String,
    success_message: String,
    active: i64,
    submissions: i64,
}

impl From<FormRecord> for WebForm {
    fn from(record: FormRecord) -> Self {
        WebForm {
            id: record.id,
            key: record.form_key,
            name: record.name,
            // Written only by `store_form` below, from checked fields.
            fields: serde_json::from_str(&record.fields).unwrap_or_default(),
            stage_id: record.stage_id,
            source_id: record.source_id,
            assigned: record.assigned,
            tags: split_fields(&record.tags),
            language: Locale::from_code(&record.language).unwrap_or_default(),
            submit_label: record.submit_label,
            success_message: record.success_message,
            active: record.active == 1,
            submissions: record.submissions,
        }
    }
}

const FORM_SELECT: &str = "SELECT f.id, f.form_key, f.name, f.fields, f.stage_id, f.source_id, \
    f.assigned, f.tags, f.language, f.submit_label, f.success_message, f.active, \
    (SELECT COUNT(*) FROM leads l WHERE l.from_form_id = f.id AND l.deleted_at IS NULL) AS submissions \
    FROM web_forms f";

/// Every form, newest first (admins).
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<WebForm>, AppError> {
    actor.require_admin()?;
    let records: Vec<FormRecord> = sqlx::query_as(&format!("{FORM_SELECT} ORDER BY f.id DESC"))
        .fetch_all(&db.pool)
        .await?;
    Ok(records.into_iter().map(WebForm::from).collect())
}

/// An active form by its public key; an unknown or switched-off key is `NotFound`.
pub async fn by_key(db: &Db, key: &str) -> Result<WebForm, AppError> {
    let record: Option<FormRecord> = sqlx::query_as(&format!(
        "{FORM_SELECT} WHERE f.form_key = $1 AND f.active = 1"
    ))
    .bind(key)
    .fetch_optional(&db.pool)
    .await?;
    record.map(WebForm::from).ok_or(AppError::NotFound)
}

/// A field as the public form shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownField {
    /// The input's name, and the key of its error.
    pub key: String,
    pub label: String,
    pub required: bool,
    pub input: InputKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InputKind {
    Text,
    Email,
    Tel,
    Url,
    LongText,
    Number,
    Date,
    Select(Vec<String>),
    Checkbox,
}

/// The form's fields as a visitor sees them, in the form's language (custom fields deleted
/// since the form was saved are left out).
pub async fn shown_fields(db: &Db, form: &WebForm) -> Result<Vec<ShownField>, AppError> {
    let custom = super::custom_fields::definitions(&db.pool).await?;
    Ok(form
        .fields
        .iter()
        .filter_map(|field| shown(field, &custom, form.language))
        .collect())
}

fn shown(field: &FormField, custom: &[CustomField], locale: Locale) -> Option<ShownField> {
    let (label, input) = match field.field.strip_prefix("custom_") {
        Some(_) => {
            let defined = custom.iter().find(|c| c.key() == field.field)?;
            let input = match defined.kind {
                CustomFieldKind::Text => InputKind::Text,
                CustomFieldKind::Number => InputKind::Number,
                CustomFieldKind::Date => InputKind::Date,
                CustomFieldKind::Select => InputKind::Select(defined.options.clone()),
                CustomFieldKind::Checkbox => InputKind::Checkbox,
            };
            (defined.label.clone(), input)
        }
        None => {
            let input = match field.field.as_str() {
                "email" => InputKind::Email,
                "phonenumber" => InputKind::Tel,
                "website" => InputKind::Url,
                "description" | "address" => InputKind::LongText,
                _ => InputKind::Text,
            };
            (locale.field_label(&field.field).to_string(), input)
        }
    };
    Some(ShownField {
        key: field.field.clone(),
        label,
        required: field.required,
        input,
    })
}

/// A visitor's submission: the fields the form shows only (anything else sent is ignored),
/// checked with the form's required marks and then by the lead door. Field errors are keyed
/// by the fields' keys; nothing is stored unless everything passes.
pub async fn submit(
    store: &Store,
    form: &WebForm,
    shown: &[ShownField],
    sent: &BTreeMap<String, String>,
) -> Result<Lead, AppError> {
    let actor = Actor {
        user_id: None,
        role: Role::Admin,
        locale: form.language,
    };
    let t = form.language.t();
    let mut check = Check::default();
    let mut input = LeadInput::default();
    for field in shown {
        let value = sent.get(&field.key).map_or("", |v| v.trim());
        if field.required && value.is_empty() {
            check.add(&field.key, t.err_required);
        }
        if field.key.starts_with("custom_") {
            input.custom.insert(field.key.clone(), value.to_string());
        } else {
            input.set(&field.key, value.to_string());
        }
    }
    // The lead's own rules (lengths, email) in the same answer as the required marks.
    if let Err(AppError::Validation(errors)) = parse_lead(&input, true, form.language) {
        for (field, message) in errors {
            check.add(&field, message);
        }
    }
    check.finish()?;
    input.stage = Some(form.stage_id.to_string());
    input.source = Some(form.source_id.map(|id| id.to_string()).unwrap_or_default());
    input.assigned = Some(form.assigned.map(|id| id.to_string()).unwrap_or_default());
    if !form.tags.is_empty() {
        input.tags = Some(form.tags.join(","));
    }
    leads::create_from_form(store, &actor, &input, form.id).await
}

/// Adds a form (admins); answers its id.
pub async fn create(db: &Db, actor: &Actor, input: &WebFormInput) -> Result<i64, AppError> {
    actor.require_admin()?;
    let mut parsed = parse_web_form(input, actor.locale)?;
    let mut tx = db.begin_write().await?;
    check_references(&mut tx, actor, &mut parsed).await?;
    let key = super::auth::random_token()[..24].to_string();
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO web_forms (form_key, name, fields, stage_id, source_id, assigned, tags, language, \
         submit_label, success_message, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(key)
    .bind(&parsed.name)
    .bind(fields_json(&parsed.fields))
    .bind(parsed.stage)
    .bind(parsed.source)
    .bind(parsed.assigned)
    .bind(parsed.tags.join(","))
    .bind(parsed.language.code())
    .bind(&parsed.submit_label)
    .bind(&parsed.success_message)
    .bind(i64::from(parsed.active))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a form (admins); its key, and so its address, stays.
pub async fn update(db: &Db, actor: &Actor, id: i64, input: &WebFormInput) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut parsed = parse_web_form(input, actor.locale)?;
    let mut tx = db.begin_write().await?;
    check_references(&mut tx, actor, &mut parsed).await?;
    let changed = sqlx::query(
        "UPDATE web_forms SET name = $1, fields = $2, stage_id = $3, source_id = $4, assigned = $5, \
         tags = $6, language = $7, submit_label = $8, success_message = $9, active = $10, updated_at = $11 \
         WHERE id = $12",
    )
    .bind(&parsed.name)
    .bind(fields_json(&parsed.fields))
    .bind(parsed.stage)
    .bind(parsed.source)
    .bind(parsed.assigned)
    .bind(parsed.tags.join(","))
    .bind(parsed.language.code())
    .bind(&parsed.submit_label)
    .bind(&parsed.success_message)
    .bind(i64::from(parsed.active))
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes a form (admins): its address stops answering; the leads it brought stay.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require_admin()?;
    let deleted = sqlx::query("DELETE FROM web_forms WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

fn fields_json(fields: &[FormField]) -> String {
    serde_json::to_string(fields).expect("plain strings and flags serialise")
}

/// What only the database knows: the stage, source and assignee exist; and every submission
/// can pass — each required custom field and each field the stage requires is on the form (as
/// a required field) or set by it. Custom fields deleted since (the editor no longer offers
/// them) leave the form.
async fn check_references(
    tx: &mut Tx,
    actor: &Actor,
    parsed: &mut ParsedWebForm,
) -> Result<(), AppError> {
    let t = actor.locale.t();
    let mut check = Check::default();
    let stage: Option<(String, String)> = sqlx::query_as(
        "SELECT name, required_fields FROM stages WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(parsed.stage)
    .fetch_optional(&mut **tx)
    .await?;
    if stage.is_none() {
        check.add("stage", t.err_missing_ref);
    }
    let lookups = [
        (
            "source",
            parsed.source,
            "SELECT COUNT(*) FROM sources WHERE id = $1",
        ),
        (
            "assigned",
            parsed.assigned,
            "SELECT COUNT(*) FROM users WHERE id = $1 AND active = 1",
        ),
    ];
    for (field, id, query) in lookups {
        if let Some(id) = id {
            let found: i64 = sqlx::query_scalar(query)
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
            if found == 0 {
                check.add(field, t.err_missing_ref);
            }
        }
    }
    let custom = super::custom_fields::definitions(&mut **tx).await?;
    parsed.fields.retain(|field| {
        debug_assert!(is_form_field(&field.field));
        !field.field.starts_with("custom_") || custom.iter().any(|c| c.key() == field.field)
    });
    let asks = |key: &str| parsed.fields.iter().any(|f| f.field == key && f.required);
    for required in custom.iter().filter(|c| c.required) {
        if !asks(&required.key()) {
            check.add(
                "fields",
                fill(t.err_form_misses_required, &[("field", &required.label)]),
            );
        }
    }
    if let Some((stage_name, required)) = stage {
        for field in split_fields(&required) {
            let set_by_form = match field.as_str() {
                "source" => parsed.source.is_some(),
                "assigned" => parsed.assigned.is_some(),
                other => asks(other),
            };
            if !set_by_form {
                check.add(
                    "stage",
                    fill(
                        t.err_form_stage_requires,
                        &[
                            ("stage", &stage_name),
                            ("field", &actor.locale.field_label(&field)),
                        ],
                    ),
                );
            }
        }
    }
    check.finish()
}
