//! The lead form: the choices it offers, the duplicate check it runs while the user types,
//! and what a save answers.

use super::board::Choice;
use super::lead::LeadInput;
use serde::{Deserialize, Serialize};

/// Fields the duplicate check may compare; `email` always, the others when the workspace
/// setting names them.
pub const DUPLICATE_FIELDS: &[&str] = &["email", "phonenumber", "website", "company"];

/// A pipeline with its stages in board order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineStages {
    pub id: i64,
    pub name: String,
    pub stages: Vec<Choice>,
}

/// Everything the lead form's selects and suggestions offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadFormChoices {
    /// The default pipeline first.
    pub pipelines: Vec<PipelineStages>,
    pub users: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub default_source: Option<i64>,
    /// The user filling in the form (a new lead is theirs unless they choose someone else).
    pub me: Option<i64>,
    /// Existing tags, for suggestions (a new tag is created by typing it).
    pub tags: Vec<String>,
    /// The leads' custom fields, in order.
    pub custom_fields: Vec<super::CustomField>,
}

impl LeadFormChoices {
    /// The first stage of the default pipeline, as a picker's value (empty: none).
    pub fn first_stage_value(&self) -> String {
        self.pipelines
            .first()
            .and_then(|p| p.stages.first())
            .map(|s| s.id.to_string())
            .unwrap_or_default()
    }

    /// The default source, as a picker's value (empty: none).
    pub fn default_source_value(&self) -> String {
        self.default_source
            .map(|s| s.to_string())
            .unwrap_or_default()
    }
}

/// The fields the duplicate check looks at, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DuplicateProbe {
    pub email: String,
    pub phonenumber: String,
    pub website: String,
    pub company: String,
    /// The lead being edited, which is not its own duplicate.
    pub except: Option<i64>,
}

impl DuplicateProbe {
    pub fn of(input: &LeadInput, except: Option<i64>) -> DuplicateProbe {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        DuplicateProbe {
            email: text(&input.email),
            phonenumber: text(&input.phonenumber),
            website: text(&input.website),
            company: text(&input.company),
            except,
        }
    }

    /// The value typed for a duplicate field, trimmed.
    pub fn value(&self, field: &str) -> &str {
        match field {
            "email" => self.email.trim(),
            "phonenumber" => self.phonenumber.trim(),
            "website" => self.website.trim(),
            "company" => self.company.trim(),
            _ => "",
        }
    }
}

/// An existing lead — or client, made by an earlier conversion — that shares a field with the
/// one being typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duplicate {
    /// The lead's id, or the client's when `client` is set.
    pub id: i64,
    pub client: bool,
    /// The field that matched (one of `DUPLICATE_FIELDS`).
    pub field: String,
    /// `None` when the user may not see that lead: they learn it exists, not whose it is.
    pub name: Option<String>,
    pub company: Option<String>,
    pub assigned_name: Option<String>,
}

/// What saving the form did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SaveOutcome {
    /// Saved; the lead's id.
    Saved(i64),
    /// Nothing saved: these leads look like the same person or company. Saving again with
    /// "save anyway" stores it.
    Duplicates(Vec<Duplicate>),
}
