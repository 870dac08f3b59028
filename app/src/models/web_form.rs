//! Web-to-lead forms: what an admin defines on `/admin/leads/forms` (the fields a visitor
//! fills in, and the stage, source, assignee and tags their lead gets) and the one check of
//! that definition, run by the editor before it sends and by the server before it stores.

use super::lead::{parse_id, parse_tags, parse_text};
use crate::error::{AppError, Check};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The lead fields a form may ask for, in the order a new form lists them.
pub const WEB_FORM_FIELDS: &[&str] = &[
    "name",
    "email",
    "phonenumber",
    "company",
    "title",
    "website",
    "address",
    "city",
    "state",
    "zip",
    "country",
    "description",
];

/// The longest form name, and the longest submit-button label.
pub const MAX_FORM_NAME: usize = 100;
pub const MAX_SUBMIT_LABEL: usize = 60;
pub const MAX_SUCCESS_MESSAGE: usize = 500;

/// One field of a form: a lead field's name (see `WEB_FORM_FIELDS`) or `custom_<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    pub field: String,
    pub required: bool,
}

/// A form as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebForm {
    pub id: i64,
    /// The secret part of its public address, `/forms/wtl/{key}`.
    pub key: String,
    pub name: String,
    pub fields: Vec<FormField>,
    pub stage_id: i64,
    pub source_id: Option<i64>,
    pub assigned: Option<i64>,
    pub tags: Vec<String>,
    pub language: Locale,
    /// Empty: the language's "Send".
    pub submit_label: String,
    /// Empty: the language's thank-you message.
    pub success_message: String,
    pub active: bool,
    /// Leads that came through it (not in the trash).
    pub submissions: i64,
}

impl WebForm {
    pub fn path(&self) -> String {
        format!("/forms/wtl/{}", self.key)
    }

    /// The HTML an admin pastes into a website to show the form there.
    pub fn embed_code(&self, origin: &str) -> String {
        format!(
            "<iframe src=\"{origin}{}\" width=\"100%\" height=\"640\" style=\"border:0\" title=\"{}\"></iframe>",
            self.path(),
            self.name.replace('"', "&quot;")
        )
    }
}

/// The editor's fields as the admin filled them in: ids as text, empty for none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebFormInput {
    pub name: String,
    pub fields: Vec<FormField>,
    pub stage: String,
    pub source: String,
    pub assigned: String,
    pub tags: String,
    pub language: String,
    pub submit_label: String,
    pub success_message: String,
    pub active: bool,
}

impl WebFormInput {
    pub fn from_form(form: &WebForm) -> WebFormInput {
        let id = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
        WebFormInput {
            name: form.name.clone(),
            fields: form.fields.clone(),
            stage: form.stage_id.to_string(),
            source: id(form.source_id),
            assigned: id(form.assigned),
            tags: form.tags.join(", "),
            language: form.language.code().to_string(),
            submit_label: form.submit_label.clone(),
            success_message: form.success_message.clone(),
            active: form.active,
        }
    }
}

/// A checked definition; the server still checks that its references exist.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedWebForm {
    pub name: String,
    pub fields: Vec<FormField>,
    pub stage: i64,
    pub source: Option<i64>,
    pub assigned: Option<i64>,
    pub tags: Vec<String>,
    pub language: Locale,
    pub submit_label: String,
    pub success_message: String,
    pub active: bool,
}

/// Whether `field` names a field a form may hold: a lead field or a custom field's key.
pub fn is_form_field(field: &str) -> bool {
    WEB_FORM_FIELDS.contains(&field)
        || field
            .strip_prefix("custom_")
            .is_some_and(|id| id.parse::<i64>().is_ok_and(|id| id > 0))
}

/// Checks a definition. A lead needs a name, so the form always asks for it, required.
pub fn parse_web_form(input: &WebFormInput, locale: Locale) -> Result<ParsedWebForm, AppError> {
    let t = locale.t();
    let mut check = Check::default();
    let name = match parse_text(&input.name, MAX_FORM_NAME, locale) {
        Ok(Some(name)) => name,
        Ok(None) => {
            check.add("name", t.err_required);
            String::new()
        }
        Err(message) => {
            check.add("name", message);
            String::new()
        }
    };
    let mut fields: Vec<FormField> = Vec::new();
    for field in &input.fields {
        if !is_form_field(&field.field) {
            check.add("fields", t.err_unknown_form_field);
        } else if !fields.iter().any(|f| f.field == field.field) {
            fields.push(FormField {
                field: field.field.clone(),
                required: field.required || field.field == "name",
            });
        }
    }
    if !fields.iter().any(|f| f.field == "name") {
        check.add("fields", t.err_form_needs_name);
    }
    let stage = check.take("stage", parse_id(&input.stage, locale));
    let optional = |raw: &str, check: &mut Check, field: &str| {
        if raw.trim().is_empty() {
            None
        } else {
            check.take(field, parse_id(raw, locale))
        }
    };
    let source = optional(&input.source, &mut check, "source");
    let assigned = optional(&input.assigned, &mut check, "assigned");
    let language = Locale::from_code(&input.language).unwrap_or(locale);
    let mut text = |field: &str, raw: &str, max: usize| match parse_text(raw, max, locale) {
        Ok(value) => value.unwrap_or_default(),
        Err(message) => {
            check.add(field, message);
            String::new()
        }
    };
    let submit_label = text("submit_label", &input.submit_label, MAX_SUBMIT_LABEL);
    let success_message = text(
        "success_message",
        &input.success_message,
        MAX_SUCCESS_MESSAGE,
    );
    check.finish()?;
    Ok(ParsedWebForm {
        name,
        fields,
        stage: stage.expect("checked"),
        source,
        assigned,
        tags: parse_tags(&input.tags),
        language,
        submit_label,
        success_message,
        active: input.active,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> WebFormInput {
        WebFormInput {
            name: "Contact us".into(),
            fields: vec![FormField {
                field: "name".into(),
                required: false,
            }],
            stage: "3".into(),
            language: "ro".into(),
            active: true,
            ..WebFormInput::default()
        }
    }

    #[test]
    fn the_name_field_is_always_asked_for_and_required() {
        let parsed = parse_web_form(&input(), Locale::En).unwrap();
        assert_eq!(
            parsed.fields,
            vec![FormField {
                field: "name".into(),
                required: true
            }]
        );
        assert_eq!(parsed.language, Locale::Ro);
        let mut without = input();
        without.fields = vec![FormField {
            field: "email".into(),
            required: true,
        }];
        let Err(AppError::Validation(errors)) = parse_web_form(&without, Locale::En) else {
            panic!("a form without the name field is refused")
        };
        assert!(errors.contains_key("fields"));
    }

    #[test]
    fn unknown_fields_a_missing_stage_and_a_blank_name_are_field_errors() {
        let mut bad = input();
        bad.name = "  ".into();
        bad.stage = String::new();
        bad.fields.push(FormField {
            field: "password".into(),
            required: false,
        });
        let Err(AppError::Validation(errors)) = parse_web_form(&bad, Locale::En) else {
            panic!("refused")
        };
        for field in ["name", "stage", "fields"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }
}
