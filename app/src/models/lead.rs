//! Leads as pages show them, and the parsing every entry point shares (form, API, import):
//! raw strings in, typed values or a field message out. It compiles for the browser too, so
//! the form can run the same rules before it sends.

use crate::error::{AppError, Check};
use crate::i18n::{fill, Locale};
use serde::{Deserialize, Serialize};

/// A lead as its page shows it: every field, the names it refers to, and its stays in stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadDetail {
    pub lead: Lead,
    pub pipeline_name: String,
    pub stage_name: String,
    pub stage_color: String,
    pub assigned_name: Option<String>,
    pub source_name: Option<String>,
    pub lost_reason: Option<String>,
    /// Newest first.
    pub stays: Vec<StageStay>,
    /// The stages of the lead's pipeline, in order (the page's progress bar).
    pub stages: Vec<super::Stage>,
    /// Its custom field values, in field order (fields without a value left out).
    pub custom: Vec<super::CustomValue>,
}

/// One stay of a lead in a stage, from stage history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageStay {
    pub stage_name: String,
    pub stage_color: String,
    pub entered_at: i64,
    pub left_at: Option<i64>,
    pub by_name: Option<String>,
    pub via: String,
}

/// A lead with every field, as the domain layer reads and returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub id: i64,
    pub hash: String,
    pub name: String,
    pub title: Option<String>,
    pub company: Option<String>,
    pub description: Option<String>,
    pub country: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub phonenumber: Option<String>,
    pub lead_value: Option<i64>,
    pub default_language: Option<String>,
    pub is_public: bool,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub position: f64,
    pub source_id: Option<i64>,
    pub assigned: Option<i64>,
    pub addedfrom: Option<i64>,
    pub dateadded: i64,
    pub dateassigned: Option<i64>,
    pub lastcontact: Option<i64>,
    pub last_status_change: Option<i64>,
    pub last_activity_at: i64,
    pub next_action: Option<String>,
    pub next_action_at: Option<i64>,
    pub lost: bool,
    pub lost_reason_id: Option<i64>,
    pub junk: bool,
    pub last_stage_id: Option<i64>,
    pub date_converted: Option<i64>,
    pub client_id: Option<i64>,
    pub from_form_id: Option<i64>,
    pub version: i64,
    pub updated_at: i64,
    pub tags: Vec<String>,
}

/// The text fields of a lead with their length limits; the order is the form's.
pub const TEXT_FIELDS: &[(&str, usize)] = &[
    ("name", 600),
    ("title", 255),
    ("company", 255),
    ("description", 65_535),
    ("country", 100),
    ("zip", 32),
    ("city", 255),
    ("state", 255),
    ("address", 1_000),
    ("email", 255),
    ("website", 500),
    ("phonenumber", 64),
    ("default_language", 40),
    ("next_action", 500),
];

/// Fields a stage may require before a lead enters it.
pub const REQUIRABLE_FIELDS: &[&str] = &[
    "title",
    "company",
    "description",
    "country",
    "zip",
    "city",
    "state",
    "address",
    "email",
    "website",
    "phonenumber",
    "lead_value",
    "source",
    "assigned",
    "next_action",
];

/// A lead as a form or the API sends it: every field a string, `None` when not sent.
/// On update, a field not sent stays as it is; a field sent empty is cleared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadInput {
    pub name: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub description: Option<String>,
    pub country: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub phonenumber: Option<String>,
    pub lead_value: Option<String>,
    pub default_language: Option<String>,
    pub is_public: Option<String>,
    pub pipeline: Option<String>,
    pub stage: Option<String>,
    pub source: Option<String>,
    pub assigned: Option<String>,
    pub tags: Option<String>,
    pub lastcontact: Option<String>,
    pub client_id: Option<String>,
    pub next_action: Option<String>,
    pub next_action_at: Option<String>,
    /// Custom field values sent (by field id or label); a field not listed stays as it is.
    #[serde(default)]
    pub custom: super::CustomInput,
}

impl LeadInput {
    pub fn is_empty(&self) -> bool {
        *self == LeadInput::default()
    }

    /// Sets a field by its API name (as a form asking for a stage's required fields does);
    /// returns false for a name that is not a lead field.
    pub fn set(&mut self, field: &str, value: String) -> bool {
        let slot = match field {
            "name" => &mut self.name,
            "title" => &mut self.title,
            "company" => &mut self.company,
            "description" => &mut self.description,
            "country" => &mut self.country,
            "zip" => &mut self.zip,
            "city" => &mut self.city,
            "state" => &mut self.state,
            "address" => &mut self.address,
            "email" => &mut self.email,
            "website" => &mut self.website,
            "phonenumber" => &mut self.phonenumber,
            "lead_value" => &mut self.lead_value,
            "default_language" => &mut self.default_language,
            "source" => &mut self.source,
            "assigned" => &mut self.assigned,
            "tags" => &mut self.tags,
            "next_action" => &mut self.next_action,
            "next_action_at" => &mut self.next_action_at,
            _ => return false,
        };
        *slot = Some(value);
        true
    }

    /// The raw text of a text field by its name (see `TEXT_FIELDS`).
    pub fn text(&self, field: &str) -> Option<&String> {
        match field {
            "name" => self.name.as_ref(),
            "title" => self.title.as_ref(),
            "company" => self.company.as_ref(),
            "description" => self.description.as_ref(),
            "country" => self.country.as_ref(),
            "zip" => self.zip.as_ref(),
            "city" => self.city.as_ref(),
            "state" => self.state.as_ref(),
            "address" => self.address.as_ref(),
            "email" => self.email.as_ref(),
            "website" => self.website.as_ref(),
            "phonenumber" => self.phonenumber.as_ref(),
            "default_language" => self.default_language.as_ref(),
            "next_action" => self.next_action.as_ref(),
            _ => None,
        }
    }
}

/// A value to write: `Keep` leaves the stored value alone (a partial update did not send it).
#[derive(Debug, Clone, PartialEq)]
pub enum Patch<T> {
    Keep,
    Set(T),
}

impl<T> Patch<T> {
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Keep => None,
            Patch::Set(value) => Some(value),
        }
    }
}

impl<T: Clone> Patch<T> {
    /// The value once the patch is applied to `current`.
    pub fn or_keep(&self, current: T) -> T {
        match self {
            Patch::Keep => current,
            Patch::Set(value) => value.clone(),
        }
    }
}

/// A lead input after parsing: every sent field typed and checked, references not yet resolved.
#[derive(Debug, Clone)]
pub struct ParsedLead {
    /// `(field, Some(text) | None for cleared)` for every text field that was sent.
    pub texts: Vec<(&'static str, Option<String>)>,
    pub lead_value: Patch<Option<i64>>,
    pub is_public: Patch<bool>,
    pub pipeline: Patch<i64>,
    pub stage: Patch<i64>,
    pub source: Patch<Option<i64>>,
    pub assigned: Patch<Option<i64>>,
    pub tags: Patch<Vec<String>>,
    pub lastcontact: Patch<Option<i64>>,
    pub client_id: Patch<Option<i64>>,
    pub next_action_at: Patch<Option<i64>>,
    /// Custom values as sent: checked against the field definitions where those are known
    /// (`parse_custom_values`).
    pub custom: super::CustomInput,
}

impl ParsedLead {
    pub fn text(&self, field: &str) -> Patch<Option<&str>> {
        match self.texts.iter().find(|(name, _)| *name == field) {
            Some((_, value)) => Patch::Set(value.as_deref()),
            None => Patch::Keep,
        }
    }
}

/// Parses every sent field; `creating` makes `name` required.
pub fn parse_lead(
    input: &LeadInput,
    creating: bool,
    locale: Locale,
) -> Result<ParsedLead, AppError> {
    let t = locale.t();
    let mut check = Check::default();
    let mut texts = Vec::new();
    for &(field, max) in TEXT_FIELDS {
        let Some(raw) = input.text(field) else {
            if field == "name" && creating {
                check.add(field, t.err_required);
            }
            continue;
        };
        match parse_text(raw, max, locale) {
            Ok(None) if field == "name" => check.add(field, t.err_required),
            Ok(Some(email)) if field == "email" && !is_email(&email) => {
                check.add(field, t.err_email)
            }
            Ok(value) => texts.push((field, value)),
            Err(message) => check.add(field, message),
        }
    }
    let mut optional = |field: &str,
                        raw: &Option<String>,
                        parse: &dyn Fn(&str) -> Result<i64, String>| {
        match raw {
            None => Patch::Keep,
            Some(raw) if raw.trim().is_empty() => Patch::Set(None),
            Some(raw) => match parse(raw.trim()) {
                Ok(value) => Patch::Set(Some(value)),
                Err(message) => {
                    check.add(field, message);
                    Patch::Keep
                }
            },
        }
    };
    let id = |raw: &str| parse_id(raw, locale);
    let lead_value = optional("lead_value", &input.lead_value, &|raw| {
        parse_money(raw, locale)
    });
    let source = optional("source", &input.source, &id);
    let assigned = optional("assigned", &input.assigned, &id);
    let client_id = optional("client_id", &input.client_id, &id);
    let lastcontact = optional("lastcontact", &input.lastcontact, &|raw| {
        parse_datetime(raw, locale)
    });
    let next_action_at = optional("next_action_at", &input.next_action_at, &|raw| {
        parse_datetime(raw, locale)
    });
    let pipeline = optional("pipeline", &input.pipeline, &id);
    let stage = optional("stage", &input.stage, &id);
    let required = |patch: Patch<Option<i64>>| match patch {
        Patch::Set(Some(value)) => Patch::Set(value),
        _ => Patch::Keep,
    };
    let tags = input.tags.as_deref().map(parse_tags);
    if let Some(long) = tags
        .iter()
        .flatten()
        .find(|tag| tag.chars().count() > MAX_TAG_CHARS)
    {
        check.add(
            "tags",
            fill(
                locale.t().err_tag_too_long,
                &[("max", &MAX_TAG_CHARS), ("len", &long.chars().count())],
            ),
        );
    }
    let parsed = ParsedLead {
        texts,
        lead_value,
        is_public: input
            .is_public
            .as_deref()
            .map_or(Patch::Keep, |raw| Patch::Set(parse_flag(raw))),
        pipeline: required(pipeline),
        stage: required(stage),
        source,
        assigned,
        tags: tags.map_or(Patch::Keep, Patch::Set),
        lastcontact,
        client_id,
        next_action_at,
        custom: input.custom.clone(),
    };
    check.finish()?;
    Ok(parsed)
}

/// Trimmed text; empty means "no value"; longer than `max` characters is an error, never cut.
/// Control characters other than tab and line breaks (a NUL pasted from a binary file, which
/// PostgreSQL cannot store) are an error too.
pub fn parse_text(raw: &str, max: usize, locale: Locale) -> Result<Option<String>, String> {
    let value = raw.trim();
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(locale.t().err_control_chars.to_string());
    }
    let len = value.chars().count();
    if len > max {
        return Err(fill(
            locale.t().err_too_long,
            &[("max", &max), ("len", &len)],
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}

pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@')
}

/// "1500", "1500.5", "1500,50" → minor units (150000, 150050, 150050). At most two decimals.
pub fn parse_money(raw: &str, locale: Locale) -> Result<i64, String> {
    let error = || locale.t().err_money.to_string();
    let (units, cents) = match raw.split_once(['.', ',']) {
        Some((units, cents)) => (units, cents),
        None => (raw, ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if units.is_empty() || !digits(units) || !digits(cents) || cents.len() > 2 || units.len() > 13 {
        return Err(error());
    }
    let units: i64 = units.parse().map_err(|_| error())?;
    let cents: i64 = format!("{cents:0<2}").parse().map_err(|_| error())?;
    Ok(units * 100 + cents)
}

/// Minor units as `parse_money` reads them back, without grouping: 120050 → "1200.50".
pub fn money_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (cents / 100).abs(), (cents % 100).abs())
}

pub fn parse_id(raw: &str, locale: Locale) -> Result<i64, String> {
    match raw.trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(locale.t().err_missing_ref.to_string()),
    }
}

pub fn parse_int_in(raw: &str, min: i64, max: i64, locale: Locale) -> Result<i64, String> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(fill(locale.t().err_range, &[("min", &min), ("max", &max)])),
    }
}

/// `on`, `1`, `true`, `yes` (any case) are true; anything else is false, as Perfex reads them.
pub fn parse_flag(raw: &str) -> bool {
    matches!(
        raw.trim().to_ascii_lowercase().as_str(),
        "on" | "1" | "true" | "yes"
    )
}

/// The longest tag (characters); `parse_lead` refuses a longer one, never cuts it.
pub const MAX_TAG_CHARS: usize = 100;

/// Comma-separated tags, trimmed, without empties or repeats (case-insensitive).
pub fn parse_tags(raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|seen| seen.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// "2026-11-26", "2026-11-26 14:30[:00]", "2026-11-26T14:30[:00][Z|+02:00]" → UTC milliseconds.
pub fn parse_datetime(raw: &str, locale: Locale) -> Result<i64, String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let raw = raw.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(at.timestamp_millis());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(raw, format) {
            return Ok(at.and_utc().timestamp_millis());
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Ok(day
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .timestamp_millis());
    }
    Err(locale.t().err_date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_parses_to_minor_units_without_floats() {
        assert_eq!(parse_money("1500", Locale::En), Ok(150_000));
        assert_eq!(parse_money("1500.5", Locale::En), Ok(150_050));
        assert_eq!(parse_money("1500,05", Locale::En), Ok(150_005));
        assert!(parse_money("1,500.00", Locale::En).is_err());
        assert!(parse_money("-3", Locale::En).is_err());
        assert!(parse_money("1.234", Locale::En).is_err());
        assert!(parse_money("abc", Locale::En).is_err());
    }

    #[test]
    fn over_long_name_is_an_error_not_a_cut() {
        let input = LeadInput {
            name: Some("x".repeat(601)),
            ..Default::default()
        };
        let error = parse_lead(&input, true, Locale::En).unwrap_err();
        let fields = error.field_errors().unwrap();
        assert!(fields["name"].contains("600"), "{fields:?}");
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_kept() {
        assert!(parse_text("Acme\u{0}Corp", 100, Locale::En).is_err());
        assert!(parse_text("bell\u{7}", 100, Locale::En).is_err());
        assert_eq!(
            parse_text(" two\nlines\tand a tab ", 100, Locale::En),
            Ok(Some("two\nlines\tand a tab".into()))
        );
    }

    #[test]
    fn create_requires_a_name_and_a_valid_email() {
        let input = LeadInput {
            email: Some("not-an-email".into()),
            ..Default::default()
        };
        let error = parse_lead(&input, true, Locale::Ro).unwrap_err();
        let fields = error.field_errors().unwrap();
        assert_eq!(fields["name"], "Acest câmp este obligatoriu.");
        assert!(fields.contains_key("email"));
    }

    #[test]
    fn partial_input_keeps_unsent_fields() {
        let input = LeadInput {
            company: Some("".into()),
            ..Default::default()
        };
        let parsed = parse_lead(&input, false, Locale::En).unwrap();
        assert_eq!(parsed.text("company"), Patch::Set(None));
        assert_eq!(parsed.text("email"), Patch::Keep);
        assert_eq!(parsed.stage, Patch::Keep);
    }

    #[test]
    fn money_text_reads_back_as_it_was() {
        assert_eq!(money_text(120_050), "1200.50");
        assert_eq!(money_text(5), "0.05");
        assert_eq!(money_text(-250), "-2.50");
        assert_eq!(parse_money(&money_text(120_050), Locale::En), Ok(120_050));
    }

    #[test]
    fn tags_are_trimmed_and_unique() {
        assert_eq!(parse_tags(" vip, Hot ,vip,,hot"), vec!["vip", "Hot"]);
    }

    #[test]
    fn a_tag_too_long_is_refused_not_cut() {
        let input = LeadInput {
            tags: Some(format!("vip, {}", "x".repeat(101))),
            ..Default::default()
        };
        let error = parse_lead(&input, false, Locale::En).unwrap_err();
        assert_eq!(
            error.field_errors().unwrap()["tags"],
            "A tag may be at most 100 characters (this one has 101)."
        );
    }

    #[test]
    fn dates_accept_the_api_formats() {
        assert_eq!(parse_datetime("1970-01-02", Locale::En), Ok(86_400_000));
        assert_eq!(
            parse_datetime("1970-01-01 00:01:00", Locale::En),
            Ok(60_000)
        );
        assert_eq!(
            parse_datetime("1970-01-01T01:00:00+01:00", Locale::En),
            Ok(0)
        );
        assert!(parse_datetime("26/11/2026", Locale::En).is_err());
    }
}
