//! Custom fields on leads, defined by an admin: their kinds, the definition form, and the one
//! check of a lead's values that the browser and the server both run.

use super::lead::{parse_flag, parse_text};
use crate::error::{AppError, Check};
use crate::i18n::{fill, Locale};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest text value (characters).
pub const MAX_CUSTOM_TEXT: usize = 1000;
/// The longest label, and the longest select option.
pub const MAX_CUSTOM_LABEL: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomFieldKind {
    Text,
    Number,
    Date,
    Select,
    Checkbox,
}

impl CustomFieldKind {
    pub const ALL: [CustomFieldKind; 5] = [
        CustomFieldKind::Text,
        CustomFieldKind::Number,
        CustomFieldKind::Date,
        CustomFieldKind::Select,
        CustomFieldKind::Checkbox,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomFieldKind::Text => "text",
            CustomFieldKind::Number => "number",
            CustomFieldKind::Date => "date",
            CustomFieldKind::Select => "select",
            CustomFieldKind::Checkbox => "checkbox",
        }
    }

    pub fn parse(raw: &str) -> Option<CustomFieldKind> {
        CustomFieldKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == raw.trim())
    }

    pub fn label(self, locale: Locale) -> &'static str {
        let t = locale.t();
        match self {
            CustomFieldKind::Text => t.cf_text,
            CustomFieldKind::Number => t.cf_number,
            CustomFieldKind::Date => t.cf_date,
            CustomFieldKind::Select => t.cf_select,
            CustomFieldKind::Checkbox => t.cf_checkbox,
        }
    }
}

/// A field as defined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomField {
    pub id: i64,
    pub label: String,
    pub kind: CustomFieldKind,
    /// The choices of a select, in order.
    pub options: Vec<String>,
    pub required: bool,
    pub show_in_list: bool,
    pub position: i64,
    /// Leads that hold a value (shown before deleting the field).
    pub used_by: i64,
}

impl CustomField {
    /// The form key of this field's value (and of its error).
    pub fn key(&self) -> String {
        format!("custom_{}", self.id)
    }

    /// A stored value as people read it (a checkbox: Yes/No; the rest as stored).
    pub fn show(&self, value: &str, locale: Locale) -> String {
        match self.kind {
            CustomFieldKind::Checkbox if value == "1" => locale.t().yes.to_string(),
            CustomFieldKind::Checkbox => locale.t().no.to_string(),
            _ => value.to_string(),
        }
    }
}

/// One field's value on a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomValue {
    pub field: CustomField,
    pub value: String,
}

/// The admin's definition form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldForm {
    pub label: String,
    pub kind: String,
    /// A select's options, one per line.
    pub options: String,
    pub required: bool,
    pub show_in_list: bool,
}

/// A checked definition.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCustomField {
    pub label: String,
    pub kind: CustomFieldKind,
    pub options: Vec<String>,
    pub required: bool,
    pub show_in_list: bool,
}

/// Checks a definition: a label of 1 to 100 characters, a known kind, and for a select at
/// least one option (each at most 100 characters, no repeats).
pub fn parse_custom_field(
    form: &CustomFieldForm,
    locale: Locale,
) -> Result<ParsedCustomField, AppError> {
    let t = locale.t();
    let mut check = Check::default();
    let label = check
        .take("label", parse_text(&form.label, MAX_CUSTOM_LABEL, locale))
        .flatten();
    if label.is_none() && !check.has("label") {
        check.add("label", t.err_required);
    }
    let kind = CustomFieldKind::parse(&form.kind);
    if kind.is_none() {
        check.add("kind", t.err_required);
    }
    let mut options: Vec<String> = Vec::new();
    for line in form.options.lines() {
        match parse_text(line, MAX_CUSTOM_LABEL, locale) {
            Ok(Some(option)) => {
                if options.iter().any(|o| o.eq_ignore_ascii_case(&option)) {
                    check.add("options", fill(t.err_option_twice, &[("option", &option)]));
                } else {
                    options.push(option);
                }
            }
            Ok(None) => {}
            Err(message) => check.add("options", message),
        }
    }
    if kind == Some(CustomFieldKind::Select) && options.is_empty() && !check.has("options") {
        check.add("options", t.err_select_needs_options);
    }
    check.finish()?;
    Ok(ParsedCustomField {
        label: label.expect("checked"),
        kind: kind.expect("checked"),
        options: if kind == Some(CustomFieldKind::Select) {
            options
        } else {
            Vec::new()
        },
        required: form.required,
        show_in_list: form.show_in_list,
    })
}

/// A lead's custom values as sent, keyed by the field's id (`"12"`, the form's `custom_12`, or
/// the API's `custom_fields[leads][12]`) or by its label (the API's `customfields`).
pub type CustomInput = BTreeMap<String, String>;

/// The field a sent key names, if any.
pub fn field_for<'a>(fields: &'a [CustomField], key: &str) -> Option<&'a CustomField> {
    let key = key.trim();
    let id = key
        .strip_prefix("custom_")
        .unwrap_or(key)
        .parse::<i64>()
        .ok();
    fields.iter().find(|field| match id {
        Some(id) => field.id == id,
        None => field.label.eq_ignore_ascii_case(key),
    })
}

/// Checks the sent values against the definitions and returns what to store per field
/// (`None`: clear it). Errors go into `check` under the field's key. Creating, every required
/// field must have a value; updating, a required field sent must not be emptied. A key that
/// names no field is an error under `customfields`.
pub fn parse_custom_values(
    fields: &[CustomField],
    input: &CustomInput,
    creating: bool,
    locale: Locale,
    check: &mut Check,
) -> Vec<(i64, Option<String>)> {
    let t = locale.t();
    let mut values: Vec<(i64, Option<String>)> = Vec::new();
    for (key, raw) in input {
        let Some(field) = field_for(fields, key) else {
            check.add(
                "customfields",
                fill(t.err_unknown_custom_field, &[("field", key)]),
            );
            continue;
        };
        let error = |message: String| {
            fill(
                t.err_custom_field,
                &[("label", &field.label), ("message", &message)],
            )
        };
        match parse_custom_value(field, raw, locale) {
            Ok(None) if field.required => check.add(&field.key(), error(t.err_required.into())),
            Ok(value) => values.push((field.id, value)),
            Err(message) => check.add(&field.key(), error(message)),
        }
    }
    if creating {
        for field in fields.iter().filter(|f| f.required) {
            if !values.iter().any(|(id, _)| *id == field.id) && !check.has(&field.key()) {
                check.add(
                    &field.key(),
                    fill(
                        t.err_custom_field,
                        &[("label", &field.label), ("message", &t.err_required)],
                    ),
                );
            }
        }
    }
    values
}

/// One value, normalised: text trimmed (≤ 1,000 characters); a number as written without
/// grouping ("1200.5"); a date as YYYY-MM-DD; a select's option as defined (any case sent);
/// a checkbox "1" when on, none when off. Empty is `None`.
pub fn parse_custom_value(
    field: &CustomField,
    raw: &str,
    locale: Locale,
) -> Result<Option<String>, String> {
    let t = locale.t();
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match field.kind {
        CustomFieldKind::Text => parse_text(raw, MAX_CUSTOM_TEXT, locale),
        CustomFieldKind::Number => {
            let normal = raw.replace(',', ".");
            match normal.parse::<f64>() {
                Ok(n) if n.is_finite() && normal.len() <= 30 => Ok(Some(normal)),
                _ => Err(t.err_decimal.to_string()),
            }
        }
        CustomFieldKind::Date => chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map(|day| Some(day.format("%Y-%m-%d").to_string()))
            .map_err(|_| t.err_day.to_string()),
        CustomFieldKind::Select => field
            .options
            .iter()
            .find(|option| option.eq_ignore_ascii_case(raw))
            .map(|option| Some(option.clone()))
            .ok_or_else(|| {
                fill(
                    t.err_not_an_option,
                    &[("options", &field.options.join(", "))],
                )
            }),
        CustomFieldKind::Checkbox => Ok(parse_flag(raw).then(|| "1".to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: i64, label: &str, kind: CustomFieldKind, required: bool) -> CustomField {
        CustomField {
            id,
            label: label.into(),
            kind,
            options: vec!["Small".into(), "Enterprise".into()],
            required,
            show_in_list: false,
            position: id,
            used_by: 0,
        }
    }

    #[test]
    fn values_are_checked_and_normalised_by_kind() {
        let en = Locale::En;
        let number = field(1, "Budget", CustomFieldKind::Number, false);
        assert_eq!(
            parse_custom_value(&number, "1200,5", en),
            Ok(Some("1200.5".into()))
        );
        assert!(parse_custom_value(&number, "lots", en).is_err());
        let size = field(2, "Size", CustomFieldKind::Select, false);
        assert_eq!(
            parse_custom_value(&size, "enterprise", en),
            Ok(Some("Enterprise".into()))
        );
        assert_eq!(
            parse_custom_value(&size, "Huge", en),
            Err("Choose one of: Small, Enterprise.".into())
        );
        let day = field(3, "Renewal", CustomFieldKind::Date, false);
        assert_eq!(
            parse_custom_value(&day, "2027-02-30", en),
            Err("Use a date like 2026-12-31.".into())
        );
        let consent = field(4, "Consent", CustomFieldKind::Checkbox, false);
        assert_eq!(parse_custom_value(&consent, "on", en), Ok(Some("1".into())));
        assert_eq!(parse_custom_value(&consent, "0", en), Ok(None));
        let text = field(5, "Notes", CustomFieldKind::Text, false);
        assert!(parse_custom_value(&text, &"x".repeat(1001), en).is_err());
    }

    #[test]
    fn required_fields_are_required_on_create_and_cannot_be_emptied() {
        let en = Locale::En;
        let fields = vec![
            field(1, "Budget", CustomFieldKind::Number, true),
            field(2, "Size", CustomFieldKind::Select, false),
        ];
        let mut check = Check::default();
        let values = parse_custom_values(&fields, &CustomInput::new(), true, en, &mut check);
        assert!(values.is_empty());
        assert_eq!(check.to_string(), "Budget: This field is required.");

        let mut check = Check::default();
        let input = CustomInput::from([("size".to_string(), "small".to_string())]);
        let values = parse_custom_values(&fields, &input, false, en, &mut check);
        assert!(
            check.is_empty(),
            "updating, a required field not sent stays as it is"
        );
        assert_eq!(values, vec![(2, Some("Small".into()))]);

        let mut check = Check::default();
        let input = CustomInput::from([
            ("custom_1".to_string(), " ".to_string()),
            ("Colour".to_string(), "red".to_string()),
        ]);
        parse_custom_values(&fields, &input, false, en, &mut check);
        assert!(check.has("custom_1"));
        assert!(check.has("customfields"));
    }

    #[test]
    fn a_select_needs_options_and_a_label() {
        let form = CustomFieldForm {
            label: " ".into(),
            kind: "select".into(),
            options: "\n \n".into(),
            ..Default::default()
        };
        let AppError::Validation(errors) = parse_custom_field(&form, Locale::En).unwrap_err()
        else {
            panic!("a validation error")
        };
        assert!(errors.contains_key("label") && errors.contains_key("options"));
        let form = CustomFieldForm {
            label: "Size".into(),
            kind: "select".into(),
            options: "Small\nEnterprise\n".into(),
            required: true,
            ..Default::default()
        };
        let parsed = parse_custom_field(&form, Locale::En).unwrap();
        assert_eq!(parsed.options, vec!["Small", "Enterprise"]);
    }
}
