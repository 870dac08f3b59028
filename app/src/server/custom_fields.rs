//! Custom fields on leads: an admin defines them (label, kind, options, required, shown in the
//! list); every lead write checks and stores their values through the lead domain
//! (`leads::create` / `change` call `check` and `write` here), and reads attach them.

use super::db::{now_ms, Db, Tx};
use super::leads::FieldChange;
use super::state::Actor;
use crate::error::{AppError, Check};
use crate::i18n::Locale;
use crate::models::{
    parse_custom_field, parse_custom_values, CustomField, CustomFieldForm, CustomFieldKind,
    CustomInput, CustomValue, Direction,
};
use sqlx::FromRow;

#[derive(FromRow)]
struct FieldRecord {
    id: i64,
    label: String,
    kind: String,
    options: String,
    required: i64,
    show_in_list: i64,
    position: i64,
    used_by: i64,
}

impl From<FieldRecord> for CustomField {
    fn from(record: FieldRecord) -> Self {
        CustomField {
            id: record.id,
            label: record.label,
            kind: CustomFieldKind::parse(&record.kind).unwrap_or(CustomFieldKind::Text),
            options: record
                .options
                .lines()
                .filter(|line| !line.is_empty())
                .map(String::from)
                .collect(),
            required: record.required == 1,
            show_in_list: record.show_in_list == 1,
            position: record.position,
            used_by: record.used_by,
        }
    }
}

const FIELD_COLUMNS: &str =
    "f.id, f.label, f.kind, f.options, f.required, f.show_in_list, f.position";

/// Every field in order, with how many leads hold a value (the settings page).
pub async fn all(db: &Db) -> Result<Vec<CustomField>, AppError> {
    let records: Vec<FieldRecord> = sqlx::query_as(&format!(
        "SELECT {FIELD_COLUMNS}, (SELECT COUNT(*) FROM lead_custom_values v WHERE v.field_id = f.id) \
         AS used_by FROM custom_fields f ORDER BY f.position, f.id"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(records.into_iter().map(CustomField::from).collect())
}

/// Every field in order, without usage counts (forms, lead writes, reads).
pub async fn definitions<'c, E>(executor: E) -> Result<Vec<CustomField>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let records: Vec<FieldRecord> = sqlx::query_as(&format!(
        "SELECT {FIELD_COLUMNS}, 0 AS used_by FROM custom_fields f ORDER BY f.position, f.id"
    ))
    .fetch_all(executor)
    .await?;
    Ok(records.into_iter().map(CustomField::from).collect())
}

/// The values of several leads, in one query: (lead id, field id, value).
pub async fn values_by_lead<'c, E>(
    executor: E,
    ids: &[i64],
) -> Result<Vec<(i64, i64, String)>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = super::db::Sql::new(
        "SELECT lead_id, field_id, value FROM lead_custom_values WHERE lead_id IN (",
    );
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(*id);
    }
    sql.push(")");
    Ok(sql.fetch_all(executor).await?)
}

/// The custom values of a page of leads, read in one query (none when no field is asked for).
pub struct PageValues {
    values: Vec<(i64, i64, String)>,
}

impl PageValues {
    pub async fn read(
        db: &Db,
        fields: &[CustomField],
        ids: &[i64],
    ) -> Result<PageValues, AppError> {
        let values = if fields.is_empty() {
            Vec::new()
        } else {
            values_by_lead(&db.pool, ids).await?
        };
        Ok(PageValues { values })
    }

    fn value(&self, lead: i64, field: &CustomField) -> Option<&str> {
        self.values
            .iter()
            .find(|(l, f, _)| *l == lead && *f == field.id)
            .map(|(_, _, value)| value.as_str())
    }

    /// A lead's value of each field, in order, as stored ("" for none).
    pub fn stored(&self, fields: &[CustomField], lead: i64) -> Vec<String> {
        fields
            .iter()
            .map(|field| self.value(lead, field).unwrap_or_default().to_string())
            .collect()
    }

    /// A lead's value of each field, in order, as people read it ("" for none).
    pub fn shown(&self, fields: &[CustomField], lead: i64, locale: Locale) -> Vec<String> {
        fields
            .iter()
            .map(|field| {
                self.value(lead, field)
                    .map(|value| field.show(value, locale))
                    .unwrap_or_default()
            })
            .collect()
    }

    /// A lead's values with their fields, in field order (only fields that hold a value).
    pub fn held(&self, fields: &[CustomField], lead: i64) -> Vec<CustomValue> {
        fields
            .iter()
            .filter_map(|field| {
                self.value(lead, field).map(|value| CustomValue {
                    field: field.clone(),
                    value: value.to_string(),
                })
            })
            .collect()
    }
}

/// What a lead write will store: the sent values checked against the definitions (errors go
/// into `check`). Creating always looks (required fields); updating only when values were sent.
pub(super) async fn check(
    tx: &mut Tx,
    input: &CustomInput,
    creating: bool,
    locale: Locale,
    check: &mut Check,
) -> Result<Checked, AppError> {
    if input.is_empty() && !creating {
        return Ok(Checked::default());
    }
    let fields = definitions(&mut **tx).await?;
    let values = parse_custom_values(&fields, input, creating, locale, check);
    Ok(Checked { fields, values })
}

/// Checked values, ready for `write`.
#[derive(Default)]
pub(super) struct Checked {
    fields: Vec<CustomField>,
    values: Vec<(i64, Option<String>)>,
}

/// Stores checked values on a lead; returns the changes for its timeline.
pub(super) async fn write(
    tx: &mut Tx,
    lead: i64,
    checked: &Checked,
) -> Result<Vec<FieldChange>, AppError> {
    let mut changes = Vec::new();
    if checked.values.is_empty() {
        return Ok(changes);
    }
    let current = values_by_lead(&mut **tx, &[lead]).await?;
    for (field_id, new) in &checked.values {
        let old = current
            .iter()
            .find(|(_, f, _)| f == field_id)
            .map(|(_, _, value)| value.clone());
        if old == *new {
            continue;
        }
        sqlx::query("DELETE FROM lead_custom_values WHERE lead_id = $1 AND field_id = $2")
            .bind(lead)
            .bind(*field_id)
            .execute(&mut **tx)
            .await?;
        let field = checked.fields.iter().find(|f| f.id == *field_id);
        if let Some(value) = new {
            // A number is kept as one too, for the list's sort by amount. (Two statements, not a
            // NULL bound for the others: PostgreSQL keeps a prepared statement's parameter types
            // from its first use, and an untyped NULL would fix the wrong one.)
            let number = field
                .filter(|f| f.kind == CustomFieldKind::Number)
                .and_then(|_| value.parse::<f64>().ok());
            let insert = match number {
                Some(number) => sqlx::query(
                    "INSERT INTO lead_custom_values (lead_id, field_id, value, number_value) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(lead)
                .bind(*field_id)
                .bind(value.clone())
                .bind(number),
                None => sqlx::query(
                    "INSERT INTO lead_custom_values (lead_id, field_id, value) VALUES ($1, $2, $3)",
                )
                .bind(lead)
                .bind(*field_id)
                .bind(value.clone()),
            };
            insert.execute(&mut **tx).await?;
        }
        let label = field.map_or_else(|| field_id.to_string(), |f| f.label.clone());
        changes.push(FieldChange {
            field: format!("custom:{label}"),
            old,
            new: new.clone(),
        });
    }
    Ok(changes)
}

/// Adds a field at the end (admins only); a label already used is a field error.
pub async fn create(db: &Db, actor: &Actor, form: &CustomFieldForm) -> Result<i64, AppError> {
    actor.require_admin()?;
    let parsed = parse_custom_field(form, actor.locale)?;
    let mut tx = db.begin_write().await?;
    label_is_free(&mut tx, actor, &parsed.label, None).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO custom_fields (label, kind, options, required, show_in_list, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(position), 0) + 1 FROM custom_fields), $6) \
         RETURNING id",
    )
    .bind(parsed.label)
    .bind(parsed.kind.as_str())
    .bind(parsed.options.join("\n"))
    .bind(i64::from(parsed.required))
    .bind(i64::from(parsed.show_in_list))
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a field's label, options and flags. Its kind is fixed once leads hold values of it
/// (they were checked as that kind).
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    form: &CustomFieldForm,
) -> Result<(), AppError> {
    actor.require_admin()?;
    let parsed = parse_custom_field(form, actor.locale)?;
    let mut tx = db.begin_write().await?;
    let (kind, used): (String, i64) = sqlx::query_as(
        "SELECT kind, (SELECT COUNT(*) FROM lead_custom_values WHERE field_id = $1) FROM custom_fields WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if kind != parsed.kind.as_str() && used > 0 {
        return Err(AppError::field("kind", actor.locale.t().err_kind_in_use));
    }
    label_is_free(&mut tx, actor, &parsed.label, Some(id)).await?;
    sqlx::query(
        "UPDATE custom_fields SET label = $1, kind = $2, options = $3, required = $4, show_in_list = $5 \
         WHERE id = $6",
    )
    .bind(parsed.label)
    .bind(parsed.kind.as_str())
    .bind(parsed.options.join("\n"))
    .bind(i64::from(parsed.required))
    .bind(i64::from(parsed.show_in_list))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn label_is_free(
    tx: &mut Tx,
    actor: &Actor,
    label: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM custom_fields WHERE lower(label) = lower($1) AND ($2 IS NULL OR id <> $2)",
    )
    .bind(label.to_string())
    .bind(except)
    .fetch_optional(&mut **tx)
    .await?;
    match taken {
        Some(_) => Err(AppError::field("label", actor.locale.t().err_label_taken)),
        None => Ok(()),
    }
}

/// Deletes a field and every lead's value of it (admins only; the page asks first, saying how
/// many leads hold one).
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM lead_custom_values WHERE field_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM custom_fields WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Moves a field one place up or down in the form and the list.
pub async fn move_field(
    db: &Db,
    actor: &Actor,
    id: i64,
    direction: Direction,
) -> Result<(), AppError> {
    actor.require_admin()?;
    super::settings::reorder(db, "custom_fields", "", id, direction).await
}
