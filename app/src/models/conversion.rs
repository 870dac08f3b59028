//! Converting a lead: a client (company) with its primary contact and an opportunity, in one
//! step; and the minimal client and opportunity pages that follow.

use crate::error::{AppError, Check};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The deals pipeline an opportunity moves through.
pub const DEAL_STAGES: &[&str] = &["qualification", "proposal", "negotiation", "won", "lost"];

/// The conversion form, as typed. `client` set means "add to this existing client".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConvertInput {
    pub client: Option<i64>,
    pub company: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phonenumber: String,
    pub opportunity: String,
    pub value: String,
    /// A date (`2026-12-31`); empty for none.
    pub expected_close: String,
}

/// A checked conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedConversion {
    pub client: Option<i64>,
    pub company: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phonenumber: Option<String>,
    pub opportunity: String,
    pub value: Option<i64>,
    pub expected_close: Option<i64>,
}

/// "Ana Maria Popescu" → ("Ana Maria", "Popescu"); one word is a first name alone.
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// Checks the form with the lead form's own rules; the browser runs it too.
pub fn parse_conversion(
    input: &ConvertInput,
    locale: Locale,
) -> Result<ParsedConversion, AppError> {
    let t = locale.t();
    let mut check = Check::default();
    let required = |field: &str, raw: &str, max: usize, check: &mut Check| match check
        .take(field, super::parse_text(raw, max, locale))
        .flatten()
    {
        Some(value) => value,
        None => {
            check.add(field, t.err_required);
            String::new()
        }
    };
    let company = if input.client.is_some() {
        String::new()
    } else {
        required("company", &input.company, 255, &mut check)
    };
    let first_name = required("first_name", &input.first_name, 255, &mut check);
    let opportunity = required("opportunity", &input.opportunity, 255, &mut check);
    let last_name = check
        .take(
            "last_name",
            super::parse_text(&input.last_name, 255, locale),
        )
        .flatten()
        .unwrap_or_default();
    let email = check
        .take("email", super::parse_text(&input.email, 255, locale))
        .flatten();
    if email.as_deref().is_some_and(|e| !super::is_email(e)) {
        check.add("email", t.err_email);
    }
    let phonenumber = check
        .take(
            "phonenumber",
            super::parse_text(&input.phonenumber, 64, locale),
        )
        .flatten();
    let value = match input.value.trim() {
        "" => None,
        raw => check.take("value", super::parse_money(raw, locale)),
    };
    let expected_close = match input.expected_close.trim() {
        "" => None,
        raw => check.take("expected_close", super::parse_datetime(raw, locale)),
    };
    check.finish()?;
    Ok(ParsedConversion {
        client: input.client,
        company,
        first_name,
        last_name,
        email,
        phonenumber,
        opportunity,
        value,
        expected_close,
    })
}

/// What the conversion form starts from: the lead's data, and existing clients that look like
/// the same company (same contact email, or same company name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionDraft {
    pub lead_id: i64,
    pub lead_name: String,
    pub version: i64,
    pub input: ConvertInput,
    pub matches: Vec<ClientMatch>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientMatch {
    pub id: i64,
    pub company: String,
}

/// What a conversion made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Converted {
    pub client_id: i64,
    pub opportunity_id: i64,
}

/// A row of the clients list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: i64,
    pub company: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub opportunities: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phonenumber: Option<String>,
    pub title: Option<String>,
    pub is_primary: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: i64,
    pub client_id: i64,
    pub client_company: String,
    pub lead_id: Option<i64>,
    pub lead_name: Option<String>,
    pub name: String,
    pub value: Option<i64>,
    pub stage: String,
    pub expected_close_at: Option<i64>,
    pub created_at: i64,
}

/// A client with its contacts, opportunities and the leads it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientDetail {
    pub id: i64,
    pub company: String,
    pub phonenumber: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
    pub created_at: i64,
    pub contacts: Vec<Contact>,
    pub opportunities: Vec<Opportunity>,
    /// `(id, name)` of the leads converted into this client.
    pub leads: Vec<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_last_space() {
        assert_eq!(
            split_name("Ana Maria Popescu"),
            ("Ana Maria".into(), "Popescu".into())
        );
        assert_eq!(split_name("  Cher "), ("Cher".into(), String::new()));
    }

    #[test]
    fn a_conversion_needs_a_company_a_contact_and_an_opportunity_name() {
        let error = parse_conversion(&ConvertInput::default(), Locale::En).unwrap_err();
        let fields = error.field_errors().unwrap();
        for field in ["company", "first_name", "opportunity"] {
            assert!(fields.contains_key(field), "{field}");
        }
        let existing = ConvertInput {
            client: Some(3),
            first_name: "Ana".into(),
            opportunity: "Deal".into(),
            value: "1200,5".into(),
            ..Default::default()
        };
        let parsed = parse_conversion(&existing, Locale::En).unwrap();
        assert_eq!(parsed.value, Some(120_050));
        assert_eq!(parsed.client, Some(3));
    }
}
