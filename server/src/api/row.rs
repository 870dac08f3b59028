//! A lead as the product doc's API sends it: Perfex column names, every value a string or
//! null as PHP/MySQL would send it, dates as `YYYY-MM-DD HH:MM:SS` (UTC), plus keys of ours
//! (pipeline, stage, tags, version) that a Perfex client ignores.

use app::models::{money_text, Attachment};
use app::server::records::LeadRecordView;
use serde_json::{json, Value};

fn datetime(millis: Option<i64>) -> Value {
    millis
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or(Value::Null, |at| {
            Value::String(at.format("%Y-%m-%d %H:%M:%S").to_string())
        })
}

fn date(millis: Option<i64>) -> Value {
    millis
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or(Value::Null, |at| {
            Value::String(at.format("%Y-%m-%d").to_string())
        })
}

/// An id column Perfex declares `NOT NULL DEFAULT 0`: "0" for none.
fn id_or_zero(id: Option<i64>) -> Value {
    Value::String(id.unwrap_or(0).to_string())
}

fn flag(on: bool) -> Value {
    Value::String(if on { "1" } else { "0" }.into())
}

pub fn lead_row(view: &LeadRecordView) -> Value {
    let lead = &view.lead;
    let text = |value: &Option<String>| value.clone().map_or(Value::Null, Value::String);
    json!({
        "id": lead.id.to_string(),
        "hash": lead.hash,
        "name": lead.name,
        "title": text(&lead.title),
        "company": text(&lead.company),
        "description": text(&lead.description),
        "country": text(&lead.country),
        "zip": text(&lead.zip),
        "city": text(&lead.city),
        "state": text(&lead.state),
        "address": text(&lead.address),
        "assigned": id_or_zero(lead.assigned),
        "dateadded": datetime(Some(lead.dateadded)),
        "from_form_id": id_or_zero(lead.from_form_id),
        "status": lead.stage_id.to_string(),
        "source": id_or_zero(lead.source_id),
        "lastcontact": datetime(lead.lastcontact),
        "dateassigned": date(lead.dateassigned),
        "last_status_change": datetime(lead.last_status_change),
        "addedfrom": id_or_zero(lead.addedfrom),
        "email": text(&lead.email),
        "website": text(&lead.website),
        "leadorder": lead.position.to_string(),
        "phonenumber": text(&lead.phonenumber),
        "date_converted": datetime(lead.date_converted),
        "lost": flag(lead.lost),
        "junk": flag(lead.junk),
        "last_lead_status": id_or_zero(lead.last_stage_id),
        "is_imported_from_email_integration": flag(view.imported_from_email),
        "email_integration_uid": text(&view.email_integration_uid),
        "is_public": flag(lead.is_public),
        "default_language": text(&lead.default_language),
        "client_id": id_or_zero(lead.client_id),
        "lead_value": lead.lead_value.map_or(Value::Null, |cents| Value::String(money_text(cents))),
        "status_name": view.stage_name,
        "source_name": view.source_name,
        "color": view.stage_color,
        "statusorder": view.stage_position.to_string(),
        "customfields": view.custom.iter().map(|(label, value)| json!({"label": label, "value": value})).collect::<Vec<_>>(),
        // Ours, beyond the Perfex row:
        "pipeline_id": lead.pipeline_id,
        "stage_id": lead.stage_id,
        "tags": lead.tags,
        "next_action": text(&lead.next_action),
        "next_action_at": datetime(lead.next_action_at),
        "version": lead.version,
    })
}

/// A lead's files as `GET /api/leads/:id` lists them (Perfex's attachment names: `filetype`,
/// `dateadded`), with the size in bytes.
pub fn attachment_rows(files: &[Attachment]) -> Value {
    Value::Array(
        files
            .iter()
            .map(|file| {
                json!({
                    "id": file.id.to_string(),
                    "file_name": file.file_name,
                    "filetype": file.content_type,
                    "filesize": file.size_bytes.to_string(),
                    "dateadded": datetime(Some(file.created_at)),
                })
            })
            .collect(),
    )
}

/// The fields every lead row carries, for the OpenAPI schema and its test.
pub const ROW_FIELDS: &[&str] = &[
    "id",
    "hash",
    "name",
    "title",
    "company",
    "description",
    "country",
    "zip",
    "city",
    "state",
    "address",
    "assigned",
    "dateadded",
    "from_form_id",
    "status",
    "source",
    "lastcontact",
    "dateassigned",
    "last_status_change",
    "addedfrom",
    "email",
    "website",
    "leadorder",
    "phonenumber",
    "date_converted",
    "lost",
    "junk",
    "last_lead_status",
    "is_imported_from_email_integration",
    "email_integration_uid",
    "is_public",
    "default_language",
    "client_id",
    "lead_value",
    "status_name",
    "source_name",
    "color",
    "statusorder",
    "customfields",
    "pipeline_id",
    "stage_id",
    "tags",
    "next_action",
    "next_action_at",
    "version",
];
