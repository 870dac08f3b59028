//! The lead form's server side: its choices, the duplicate check, and saving (create or edit)
//! through the one door in `leads`.

use super::db::{Db, Sql};
use super::leads::{self, push_scope, Via};
use super::settings;
use super::state::{Actor, Store};
use crate::error::AppError;
use crate::models::{
    parse_lead, Duplicate, DuplicateProbe, LeadFormChoices, LeadInput, ManagedList, SaveOutcome,
    DUPLICATE_FIELDS,
};

/// The workspace setting naming the fields the duplicate check compares.
const DUPLICATE_SETTING: &str = "duplicate_fields";

/// At most this many duplicates are shown; the first ones are the newest.
const DUPLICATES_SHOWN: i64 = 5;

pub async fn choices(db: &Db, actor: &Actor) -> Result<LeadFormChoices, AppError> {
    let default_source: Option<i64> =
        sqlx::query_scalar("SELECT id FROM sources WHERE is_default = 1 ORDER BY id LIMIT 1")
            .fetch_optional(&db.pool)
            .await?;
    let tags: Vec<String> = sqlx::query_scalar("SELECT name FROM tags ORDER BY name")
        .fetch_all(&db.pool)
        .await?;
    let users = super::users::active_names(db).await?;
    Ok(LeadFormChoices {
        pipelines: settings::pipeline_stages(db).await?,
        users,
        sources: settings::choices(db, ManagedList::Sources).await?,
        default_source,
        me: actor.user_id,
        tags,
        custom_fields: super::custom_fields::definitions(&db.pool).await?,
    })
}

/// The fields the duplicate check compares: always the email, plus what an admin chose.
pub async fn duplicate_fields(db: &Db) -> Result<Vec<&'static str>, AppError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT value FROM app_settings WHERE key = $1")
            .bind(DUPLICATE_SETTING)
            .fetch_optional(&db.pool)
            .await?;
    let chosen = stored.unwrap_or_default();
    Ok(DUPLICATE_FIELDS
        .iter()
        .copied()
        .filter(|&field| field == "email" || chosen.split(',').any(|c| c.trim() == field))
        .collect())
}

/// Stores which fields besides the email the duplicate check compares (admins only).
pub async fn set_duplicate_fields(
    db: &Db,
    actor: &Actor,
    fields: &[String],
) -> Result<(), AppError> {
    actor.require_admin()?;
    if let Some(unknown) = fields
        .iter()
        .find(|f| !DUPLICATE_FIELDS.contains(&f.as_str()))
    {
        return Err(AppError::Refused(format!(
            "not a duplicate field: {unknown}"
        )));
    }
    let value = fields
        .iter()
        .filter(|f| f.as_str() != "email")
        .cloned()
        .collect::<Vec<_>>()
        .join(",");
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM app_settings WHERE key = $1")
        .bind(DUPLICATE_SETTING)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO app_settings (key, value) VALUES ($1, $2)")
        .bind(DUPLICATE_SETTING)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Match {
    id: i64,
    name: String,
    company: Option<String>,
    email: Option<String>,
    phonenumber: Option<String>,
    website: Option<String>,
    assigned_name: Option<String>,
    visible: i64,
}

/// Live leads that share a compared field with the probe, newest first. Every lead counts
/// (a duplicate hidden from this user is still a duplicate), but only the ones the user may
/// see are named.
pub async fn duplicates(
    db: &Db,
    actor: &Actor,
    probe: &DuplicateProbe,
) -> Result<Vec<Duplicate>, AppError> {
    let fields = duplicate_fields(db).await?;
    let wanted: Vec<(&str, String)> = fields
        .iter()
        .map(|&field| (field, comparable(field, probe.value(field))))
        .filter(|(_, value)| !value.is_empty())
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT l.id, l.name, l.company, l.email, l.phonenumber, l.website, u.name AS assigned_name, \
         CASE WHEN 1 = 1",
    );
    push_scope(&mut sql, actor);
    sql.push(
        " THEN 1 ELSE 0 END AS visible FROM leads l LEFT JOIN users u ON u.id = l.assigned \
         WHERE l.deleted_at IS NULL AND (",
    );
    for (i, (field, value)) in wanted.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        match *field {
            "phonenumber" => sql.push("l.phonenumber = ").bind(value.clone()),
            field => sql
                .push(&format!("lower(l.{field}) = "))
                .bind(value.clone()),
        };
    }
    sql.push(")");
    if let Some(except) = probe.except {
        sql.push(" AND l.id <> ").bind(except);
    }
    sql.push(" ORDER BY l.id DESC LIMIT ")
        .bind(DUPLICATES_SHOWN);
    let found: Vec<Match> = sql.fetch_all(&db.pool).await?;
    let mut duplicates: Vec<Duplicate> = found
        .into_iter()
        .map(|m| {
            let stored = |field: &str| match field {
                "email" => m.email.as_deref(),
                "phonenumber" => m.phonenumber.as_deref(),
                "website" => m.website.as_deref(),
                _ => m.company.as_deref(),
            };
            let field = wanted
                .iter()
                .find(|(field, value)| {
                    stored(field).map(|s| comparable(field, s)).as_deref() == Some(value)
                })
                .map_or("email", |(field, _)| *field);
            let visible = m.visible == 1;
            Duplicate {
                id: m.id,
                client: false,
                field: field.to_string(),
                name: visible.then_some(m.name),
                company: if visible { m.company } else { None },
                assigned_name: if visible { m.assigned_name } else { None },
            }
        })
        .collect();
    duplicates.extend(client_duplicates(db, &wanted).await?);
    Ok(duplicates)
}

/// Clients (shared by the whole team) with a contact of the same email, or — when the check
/// compares companies — the same company name.
async fn client_duplicates(db: &Db, wanted: &[(&str, String)]) -> Result<Vec<Duplicate>, AppError> {
    let value = |field: &str| {
        wanted
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.clone())
    };
    let (email, company) = (value("email"), value("company"));
    if email.is_none() && company.is_none() {
        return Ok(Vec::new());
    }
    let found: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT c.id, c.company, MIN(k.email) FROM clients c LEFT JOIN contacts k ON k.client_id = c.id \
         AND lower(k.email) = $1 WHERE lower(k.email) = $1 OR lower(c.company) = $2 \
         GROUP BY c.id, c.company ORDER BY c.id DESC LIMIT $3",
    )
    .bind(email.unwrap_or_default())
    .bind(company.unwrap_or_default())
    .bind(DUPLICATES_SHOWN)
    .fetch_all(&db.pool)
    .await?;
    Ok(found
        .into_iter()
        .map(|(id, company, email)| Duplicate {
            id,
            client: true,
            field: if email.is_some() { "email" } else { "company" }.to_string(),
            name: Some(company),
            company: None,
            assigned_name: None,
        })
        .collect())
}

/// A field's value as the check compares it: trimmed; email, website and company without
/// regard to (ASCII) case, as both databases' `lower()` agree on ASCII.
fn comparable(field: &str, value: &str) -> String {
    let value = value.trim();
    if field == "phonenumber" {
        value.to_string()
    } else {
        value.to_ascii_lowercase()
    }
}

/// Saves the form: creates a lead (`id` None) or changes one (with the version the form was
/// opened at). Invalid input saves nothing and says why per field; a likely duplicate saves
/// nothing and lists it, unless the user chose to save anyway.
pub async fn save(
    store: &Store,
    actor: &Actor,
    id: Option<i64>,
    version: Option<i64>,
    input: &LeadInput,
    anyway: bool,
) -> Result<SaveOutcome, AppError> {
    parse_lead(input, id.is_none(), actor.locale)?;
    if !anyway {
        let found = duplicates(&store.db, actor, &DuplicateProbe::of(input, id)).await?;
        if !found.is_empty() {
            return Ok(SaveOutcome::Duplicates(found));
        }
    }
    let lead = match id {
        None => leads::create(store, actor, input, Via::Ui).await?,
        Some(id) => leads::update(store, actor, id, input, version, Via::Ui).await?,
    };
    Ok(SaveOutcome::Saved(lead.id))
}
