//! CSV imports on `/admin/leads/import`: what a column may fill, the guess of it from the
//! column's header, the importer's plan, and the report of a check or an import.

use super::CustomField;
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The most rows one import takes (a bigger file is refused, never cut short).
pub const MAX_IMPORT_ROWS: usize = 50_000;
/// The most refused rows a report lists (it always counts them all).
pub const REFUSALS_LISTED: usize = 200;

/// The lead fields a column may fill, in the order the picker lists them. `source`, `assigned`
/// and `stage` take names (a user also by email); the rest take what the lead form takes.
pub const IMPORT_FIELDS: &[&str] = &[
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
    "lead_value",
    "tags",
    "source",
    "assigned",
    "stage",
    "default_language",
    "lastcontact",
    "next_action",
    "next_action_at",
    "is_public",
];

/// One column of the file, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportColumn {
    pub header: String,
    /// Its first non-empty values.
    pub samples: Vec<String>,
    /// What it fills as guessed from its header (`""`: nothing).
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub columns: Vec<ImportColumn>,
    pub rows: usize,
}

/// What the importer chose: per column what it fills (`""`: nothing), and for every lead the
/// stage, source and owner where its row gives none, plus tags added to each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportPlan {
    pub mapping: Vec<String>,
    pub stage: String,
    pub source: String,
    /// Empty: unassigned.
    pub assigned: String,
    pub tags: String,
    /// Import the rows that pass and skip the others (otherwise all rows or none).
    pub skip_refused: bool,
    /// Check every row and write nothing.
    pub check_only: bool,
}

/// A row that cannot be imported as it is: its line in the file (the header is line 1) and
/// each problem as "column: message".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowRefusal {
    pub line: usize,
    pub problems: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: usize,
    /// Leads created (0 after a check, or when refused rows stopped an all-or-nothing import).
    pub imported: usize,
    pub refused_count: usize,
    /// The first `REFUSALS_LISTED` refused rows.
    pub refused: Vec<RowRefusal>,
    pub checked_only: bool,
}

/// The target a column's header names: a lead field by its API name or its label in either
/// language (or a common alias), or a custom field by its label. Spaces, case, accents and
/// punctuation do not matter.
pub fn guess_target(header: &str, custom: &[CustomField]) -> String {
    let wanted = fold(header);
    if wanted.is_empty() {
        return String::new();
    }
    const ALIASES: &[(&str, &[&str])] = &[
        (
            "name",
            &[
                "fullname",
                "contactname",
                "contact",
                "nume",
                "numecomplet",
                "leadname",
            ],
        ),
        ("email", &["emailaddress", "mail", "e-mail"]),
        (
            "phonenumber",
            &["phone", "tel", "telephone", "mobile", "telefon", "mobil"],
        ),
        (
            "company",
            &[
                "companyname",
                "organization",
                "organisation",
                "firma",
                "companie",
            ],
        ),
        ("title", &["jobtitle", "position", "functie", "role"]),
        ("website", &["web", "url", "site"]),
        ("address", &["street", "adresa", "strada"]),
        ("city", &["town", "oras", "localitate"]),
        ("state", &["county", "region", "province", "judet"]),
        ("zip", &["zipcode", "postalcode", "postcode", "codpostal"]),
        ("country", &["tara"]),
        ("description", &["notes", "note", "comments", "descriere"]),
        ("lead_value", &["value", "amount", "valoare", "dealvalue"]),
        ("tags", &["tag", "labels", "etichete"]),
        ("source", &["leadsource", "sursa", "channel"]),
        (
            "assigned",
            &["assignee", "assignedto", "owner", "responsabil", "agent"],
        ),
        ("stage", &["status", "etapa", "pipelinestage"]),
        ("default_language", &["language", "limba"]),
        ("lastcontact", &["lastcontacted", "ultimulcontact"]),
        ("next_action", &["nextstep"]),
        ("next_action_at", &["nextactiondue", "due", "duedate"]),
        ("is_public", &["public"]),
    ];
    for &field in IMPORT_FIELDS {
        let names = [
            fold(field),
            fold(Locale::En.field_label(field)),
            fold(Locale::Ro.field_label(field)),
        ];
        let aliases = ALIASES
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[][..], |(_, a)| *a);
        if names.contains(&wanted) || aliases.iter().any(|a| fold(a) == wanted) {
            return field.to_string();
        }
    }
    custom
        .iter()
        .find(|c| fold(&c.label) == wanted)
        .map(CustomField::key)
        .unwrap_or_default()
}

/// Lowercase letters and digits only, Romanian diacritics read as their base letters.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ă' | 'â' => 'a',
            'î' => 'i',
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_either_language_or_a_common_alias_find_their_field() {
        for (header, field) in [
            ("Name", "name"),
            ("E-mail", "email"),
            ("Telefon", "phonenumber"),
            ("Phone number", "phonenumber"),
            ("Lead value", "lead_value"),
            ("Oraș", "city"),
            ("Assigned to", "assigned"),
            ("Owner", "assigned"),
            ("Sursă", "source"),
            ("Zip code", "zip"),
            ("", ""),
            ("Favourite colour", ""),
        ] {
            assert_eq!(guess_target(header, &[]), field, "{header}");
        }
    }
}
