//! Converting a lead into a client with its primary contact and an opportunity — one
//! transaction, refused the second time — and reading clients and opportunities (shared by
//! the whole team; the leads behind them keep their own visibility).

use super::db::{now_ms, Db, Sql};
use super::leads::{
    commit_and_publish_bumped, conflict, push_scope, record_activity, visible, FieldChange, Via,
};
use super::state::{Actor, Store};
use crate::error::AppError;
use crate::models::{
    parse_conversion, split_name, ClientDetail, ClientMatch, ClientRow, Contact, ConversionDraft,
    ConvertInput, Converted, LeadEventKind, Opportunity,
};
use sqlx::FromRow;

/// The conversion form's starting point for a lead the actor may see.
pub async fn draft(db: &Db, actor: &Actor, lead: i64) -> Result<ConversionDraft, AppError> {
    let mut tx = db.pool.begin().await?;
    let lead = visible(&mut tx, actor, lead).await?;
    tx.commit().await?;
    let (first_name, last_name) = split_name(&lead.name);
    let company = lead.company.clone().unwrap_or_else(|| lead.name.clone());
    let email = lead.email.clone().unwrap_or_default();
    let matches: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT c.id, c.company FROM clients c LEFT JOIN contacts k ON k.client_id = c.id \
         WHERE (lower(k.email) = $1 AND $1 <> '') OR lower(c.company) = $2 ORDER BY c.id DESC LIMIT 5",
    )
    .bind(email.trim().to_ascii_lowercase())
    .bind(company.trim().to_ascii_lowercase())
    .fetch_all(&db.pool)
    .await?;
    let value = lead
        .lead_value
        .map(crate::models::money_text)
        .unwrap_or_default();
    Ok(ConversionDraft {
        lead_id: lead.id,
        lead_name: lead.name.clone(),
        version: lead.version,
        input: ConvertInput {
            client: None,
            opportunity: format!("{company} — {}", lead.name),
            company,
            first_name,
            last_name,
            email,
            phonenumber: lead.phonenumber.clone().unwrap_or_default(),
            value,
            expected_close: String::new(),
        },
        matches: matches
            .into_iter()
            .map(|(id, company)| ClientMatch { id, company })
            .collect(),
    })
}

/// Converts a lead: a new client (its address, phone and website copied from the lead) with
/// the primary contact — or the chosen existing client, which gains the contact unless it has
/// one with that email — and an opportunity. The lead keeps its history and links to both.
pub async fn convert(
    store: &Store,
    actor: &Actor,
    lead_id: i64,
    expected_version: Option<i64>,
    input: &ConvertInput,
    via: Via,
) -> Result<Converted, AppError> {
    let t = actor.locale.t();
    let parsed = parse_conversion(input, actor.locale)?;
    let mut tx = store.db.begin_write().await?;
    let lead = visible(&mut tx, actor, lead_id).await?;
    if lead.date_converted.is_some() {
        return Err(AppError::Refused(t.err_already_converted.into()));
    }
    if lead.lost || lead.junk {
        return Err(AppError::Refused(t.err_convert_closed.into()));
    }
    if expected_version.is_some_and(|v| v != lead.version) {
        return Err(conflict(&mut tx, actor, &lead).await);
    }
    let now = now_ms();
    let (client_id, new_client) = match parsed.client {
        Some(client) => {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
                .bind(client)
                .fetch_optional(&mut *tx)
                .await?;
            let client = found.ok_or_else(|| AppError::field("client", t.err_missing_ref))?;
            (client, false)
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO clients (company, phonenumber, website, address, city, state, zip, country, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(parsed.company.clone())
            .bind(parsed.phonenumber.clone())
            .bind(lead.website.clone())
            .bind(lead.address.clone())
            .bind(lead.city.clone())
            .bind(lead.state.clone())
            .bind(lead.zip.clone())
            .bind(lead.country.clone())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            (id, true)
        }
    };
    let known_contact: Option<i64> = match (&parsed.email, new_client) {
        (Some(email), false) => {
            sqlx::query_scalar(
                "SELECT id FROM contacts WHERE client_id = $1 AND lower(email) = $2 LIMIT 1",
            )
            .bind(client_id)
            .bind(email.to_ascii_lowercase())
            .fetch_optional(&mut *tx)
            .await?
        }
        _ => None,
    };
    if known_contact.is_none() {
        sqlx::query(
            "INSERT INTO contacts (client_id, first_name, last_name, email, phonenumber, title, is_primary, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(client_id)
        .bind(parsed.first_name.clone())
        .bind(parsed.last_name.clone())
        .bind(parsed.email.clone())
        .bind(parsed.phonenumber.clone())
        .bind(lead.title.clone())
        .bind(i64::from(new_client))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let opportunity_id: i64 = sqlx::query_scalar(
        "INSERT INTO opportunities (client_id, lead_id, name, value, stage, expected_close_at, created_by, \
         created_at) VALUES ($1, $2, $3, $4, 'qualification', $5, $6, $7) RETURNING id",
    )
    .bind(client_id)
    .bind(lead.id)
    .bind(parsed.opportunity.clone())
    .bind(parsed.value)
    .bind(parsed.expected_close)
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE leads SET client_id = $1, date_converted = $2, version = version + 1, updated_at = $2, \
         last_activity_at = $2 WHERE id = $3",
    )
    .bind(client_id)
    .bind(now)
    .bind(lead.id)
    .execute(&mut *tx)
    .await?;
    let links = [
        FieldChange {
            field: "client".into(),
            old: None,
            new: Some(client_id.to_string()),
        },
        FieldChange {
            field: "opportunity".into(),
            old: None,
            new: Some(opportunity_id.to_string()),
        },
    ];
    record_activity(&mut tx, actor, lead.id, "converted", &links, now, via).await?;
    commit_and_publish_bumped(store, tx, &lead, LeadEventKind::Updated, actor).await?;
    Ok(Converted {
        client_id,
        opportunity_id,
    })
}

#[derive(FromRow)]
struct ClientRecord {
    id: i64,
    company: String,
    contact_first: Option<String>,
    contact_last: Option<String>,
    contact_email: Option<String>,
    opportunities: i64,
    created_at: i64,
}

/// Clients, newest first, with their primary contact and how many opportunities they have.
pub async fn clients(db: &Db) -> Result<Vec<ClientRow>, AppError> {
    let records: Vec<ClientRecord> = sqlx::query_as(
        "SELECT c.id, c.company, k.first_name AS contact_first, k.last_name AS contact_last, \
         k.email AS contact_email, (SELECT COUNT(*) FROM opportunities o WHERE o.client_id = c.id) AS opportunities, \
         c.created_at FROM clients c LEFT JOIN contacts k ON k.client_id = c.id AND k.is_primary = 1 \
         ORDER BY c.id DESC LIMIT 500",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(records
        .into_iter()
        .map(|r| ClientRow {
            id: r.id,
            company: r.company,
            contact_name: r
                .contact_first
                .map(|first| full_name(&first, r.contact_last.as_deref().unwrap_or(""))),
            contact_email: r.contact_email,
            opportunities: r.opportunities,
            created_at: r.created_at,
        })
        .collect())
}

fn full_name(first: &str, last: &str) -> String {
    format!("{first} {last}").trim().to_string()
}

#[derive(FromRow)]
struct OpportunityRecord {
    id: i64,
    client_id: i64,
    client_company: String,
    lead_id: Option<i64>,
    lead_name: Option<String>,
    name: String,
    value: Option<i64>,
    stage: String,
    expected_close_at: Option<i64>,
    created_at: i64,
}

impl From<OpportunityRecord> for Opportunity {
    fn from(r: OpportunityRecord) -> Opportunity {
        Opportunity {
            id: r.id,
            client_id: r.client_id,
            client_company: r.client_company,
            lead_id: r.lead_id,
            lead_name: r.lead_name,
            name: r.name,
            value: r.value,
            stage: r.stage,
            expected_close_at: r.expected_close_at,
            created_at: r.created_at,
        }
    }
}

const OPPORTUNITY_SELECT: &str = "SELECT o.id, o.client_id, c.company AS client_company, o.lead_id, \
    l.name AS lead_name, o.name, o.value, o.stage, o.expected_close_at, o.created_at FROM opportunities o \
    JOIN clients c ON c.id = o.client_id LEFT JOIN leads l ON l.id = o.lead_id";

/// Opportunities, newest first.
pub async fn opportunities(db: &Db) -> Result<Vec<Opportunity>, AppError> {
    let records: Vec<OpportunityRecord> = sqlx::query_as(&format!(
        "{OPPORTUNITY_SELECT} ORDER BY o.id DESC LIMIT 500"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(records.into_iter().map(Opportunity::from).collect())
}

pub async fn opportunity(db: &Db, id: i64) -> Result<Opportunity, AppError> {
    let record: OpportunityRecord =
        sqlx::query_as(&format!("{OPPORTUNITY_SELECT} WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(record.into())
}

#[derive(FromRow)]
struct ClientHead {
    id: i64,
    company: String,
    phonenumber: Option<String>,
    website: Option<String>,
    address: Option<String>,
    city: Option<String>,
    country: Option<String>,
    created_at: i64,
}

#[derive(FromRow)]
struct ContactRecord {
    id: i64,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phonenumber: Option<String>,
    title: Option<String>,
    is_primary: i64,
}

/// A client, its contacts and opportunities, and the converted leads the actor may see.
pub async fn client(db: &Db, actor: &Actor, id: i64) -> Result<ClientDetail, AppError> {
    let head: ClientHead = sqlx::query_as(
        "SELECT id, company, phonenumber, website, address, city, country, created_at FROM clients WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let contacts: Vec<ContactRecord> = sqlx::query_as(
        "SELECT id, first_name, last_name, email, phonenumber, title, is_primary FROM contacts \
         WHERE client_id = $1 ORDER BY is_primary DESC, id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let opportunities: Vec<OpportunityRecord> = sqlx::query_as(&format!(
        "{OPPORTUNITY_SELECT} WHERE o.client_id = $1 ORDER BY o.id DESC"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut sql =
        Sql::new("SELECT l.id, l.name FROM leads l WHERE l.deleted_at IS NULL AND l.client_id = ");
    sql.bind(id);
    push_scope(&mut sql, actor);
    sql.push(" ORDER BY l.id");
    let leads: Vec<(i64, String)> = sql.fetch_all(&db.pool).await?;
    let address = [head.address, head.city, head.country]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    Ok(ClientDetail {
        id: head.id,
        company: head.company,
        phonenumber: head.phonenumber,
        website: head.website,
        address: (!address.is_empty()).then_some(address),
        created_at: head.created_at,
        contacts: contacts
            .into_iter()
            .map(|c| Contact {
                id: c.id,
                first_name: c.first_name,
                last_name: c.last_name,
                email: c.email,
                phonenumber: c.phonenumber,
                title: c.title,
                is_primary: c.is_primary == 1,
            })
            .collect(),
        opportunities: opportunities.into_iter().map(Opportunity::from).collect(),
        leads,
    })
}
