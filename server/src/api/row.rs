//! A lead as the product doc's API sends it: Perfex column names, every value a string or
//! null as PHP/MySQL would send it, dates as `YYYY-MM-DD HH:MM:SS` (UTC), plus keys of ours
//! (pipeline, stage, tags, version) that a Perfex client ignores.
//!
//! A row is a struct serialized straight into the response (no map of values built first):
//! numbers and dates are written as text without a `String` of their own.

use app::models::{money_text, Attachment, Lead};
use app::server::records::LeadRecordView;
use serde::{Serialize, Serializer};
use std::fmt::Display;

/// A value PHP/MySQL sends as a string: written through its `Display`.
struct Text<T>(T);

impl<T: Display> Serialize for Text<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// A moment as Perfex writes a `DATETIME` (or, `with_time` false, a `DATE`); null for none.
/// Written field by field: a strftime pattern would be parsed again for every value.
struct When {
    millis: Option<i64>,
    with_time: bool,
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self
            .millis
            .and_then(chrono::DateTime::from_timestamp_millis)
        {
            Some(at) => serializer.collect_str(&Moment {
                at: at.naive_utc(),
                with_time: self.with_time,
            }),
            None => serializer.serialize_none(),
        }
    }
}

struct Moment {
    at: chrono::NaiveDateTime,
    with_time: bool,
}

impl Display for Moment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::{Datelike, Timelike};
        let at = &self.at;
        write!(f, "{:04}-{:02}-{:02}", at.year(), at.month(), at.day())?;
        if self.with_time {
            write!(f, " {:02}:{:02}:{:02}", at.hour(), at.minute(), at.second())?;
        }
        Ok(())
    }
}

fn datetime(millis: Option<i64>) -> When {
    When {
        millis,
        with_time: true,
    }
}

fn date(millis: Option<i64>) -> When {
    When {
        millis,
        with_time: false,
    }
}

/// An id column Perfex declares `NOT NULL DEFAULT 0`: "0" for none.
fn id_or_zero(id: Option<i64>) -> Text<i64> {
    Text(id.unwrap_or(0))
}

fn flag(on: bool) -> &'static str {
    if on {
        "1"
    } else {
        "0"
    }
}

#[derive(Serialize)]
struct CustomValue<'a> {
    label: &'a str,
    value: &'a str,
}

/// One lead row; `attachments` only in `GET /api/leads/:id`.
#[derive(Serialize)]
pub struct LeadRow<'a> {
    id: Text<i64>,
    hash: &'a str,
    name: &'a str,
    title: Option<&'a str>,
    company: Option<&'a str>,
    description: Option<&'a str>,
    country: Option<&'a str>,
    zip: Option<&'a str>,
    city: Option<&'a str>,
    state: Option<&'a str>,
    address: Option<&'a str>,
    assigned: Text<i64>,
    dateadded: When,
    from_form_id: Text<i64>,
    status: Text<i64>,
    source: Text<i64>,
    lastcontact: When,
    dateassigned: When,
    last_status_change: When,
    addedfrom: Text<i64>,
    email: Option<&'a str>,
    website: Option<&'a str>,
    leadorder: Text<f64>,
    phonenumber: Option<&'a str>,
    date_converted: When,
    lost: &'static str,
    junk: &'static str,
    last_lead_status: Text<i64>,
    is_imported_from_email_integration: &'static str,
    email_integration_uid: Option<&'a str>,
    is_public: &'static str,
    default_language: Option<&'a str>,
    client_id: Text<i64>,
    lead_value: Option<String>,
    status_name: &'a str,
    source_name: Option<&'a str>,
    color: &'a str,
    statusorder: Text<i64>,
    customfields: Vec<CustomValue<'a>>,
    // Ours, beyond the Perfex row:
    pipeline_id: i64,
    stage_id: i64,
    tags: &'a [String],
    next_action: Option<&'a str>,
    next_action_at: When,
    version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    attachments: Option<Vec<AttachmentRow<'a>>>,
}

pub fn lead_row(view: &LeadRecordView) -> LeadRow<'_> {
    let lead: &Lead = &view.lead;
    LeadRow {
        id: Text(lead.id),
        hash: &lead.hash,
        name: &lead.name,
        title: lead.title.as_deref(),
        company: lead.company.as_deref(),
        description: lead.description.as_deref(),
        country: lead.country.as_deref(),
        zip: lead.zip.as_deref(),
        city: lead.city.as_deref(),
        state: lead.state.as_deref(),
        address: lead.address.as_deref(),
        assigned: id_or_zero(lead.assigned),
        dateadded: datetime(Some(lead.dateadded)),
        from_form_id: id_or_zero(lead.from_form_id),
        status: Text(lead.stage_id),
        source: id_or_zero(lead.source_id),
        lastcontact: datetime(lead.lastcontact),
        dateassigned: date(lead.dateassigned),
        last_status_change: datetime(lead.last_status_change),
        addedfrom: id_or_zero(lead.addedfrom),
        email: lead.email.as_deref(),
        website: lead.website.as_deref(),
        leadorder: Text(lead.position),
        phonenumber: lead.phonenumber.as_deref(),
        date_converted: datetime(lead.date_converted),
        lost: flag(lead.lost),
        junk: flag(lead.junk),
        last_lead_status: id_or_zero(lead.last_stage_id),
        is_imported_from_email_integration: flag(view.imported_from_email),
        email_integration_uid: view.email_integration_uid.as_deref(),
        is_public: flag(lead.is_public),
        default_language: lead.default_language.as_deref(),
        client_id: id_or_zero(lead.client_id),
        lead_value: lead.lead_value.map(money_text),
        status_name: &view.stage_name,
        source_name: view.source_name.as_deref(),
        color: &view.stage_color,
        statusorder: Text(view.stage_position),
        customfields: view
            .custom
            .iter()
            .map(|(label, value)| CustomValue { label, value })
            .collect(),
        pipeline_id: lead.pipeline_id,
        stage_id: lead.stage_id,
        tags: &lead.tags,
        next_action: lead.next_action.as_deref(),
        next_action_at: datetime(lead.next_action_at),
        version: lead.version,
        attachments: None,
    }
}

/// A lead's row with its files, as `GET /api/leads/:id` sends it.
pub fn lead_row_with_files<'a>(view: &'a LeadRecordView, files: &'a [Attachment]) -> LeadRow<'a> {
    LeadRow {
        attachments: Some(files.iter().map(attachment_row).collect()),
        ..lead_row(view)
    }
}

/// A file as `GET /api/leads/:id` lists it (Perfex's attachment names: `filetype`,
/// `dateadded`), with the size in bytes.
#[derive(Serialize)]
pub struct AttachmentRow<'a> {
    id: Text<i64>,
    file_name: &'a str,
    filetype: &'a str,
    filesize: Text<i64>,
    dateadded: When,
}

fn attachment_row(file: &Attachment) -> AttachmentRow<'_> {
    AttachmentRow {
        id: Text(file.id),
        file_name: &file.file_name,
        filetype: &file.content_type,
        filesize: Text(file.size_bytes),
        dateadded: datetime(Some(file.created_at)),
    }
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
