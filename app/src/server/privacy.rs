//! Privacy requests (GDPR): everything Leadline holds about a lead as one JSON document, and
//! erasing a lead's personal data — the lead stays, anonymous, so reports keep their counts;
//! the audit log says who erased it and when.

use super::db::{now_ms, Db};
use super::leads::{commit_and_publish_bumped, record_activity, visible, Via};
use super::state::{Actor, Store};
use crate::error::AppError;
use crate::i18n::fill;
use crate::models::LeadEventKind;
use serde_json::{json, Value};

/// The lead, its stage history, timeline and reminders, for a lead the actor may see.
pub async fn export(db: &Db, actor: &Actor, id: i64) -> Result<Value, AppError> {
    let detail = super::leads::detail(db, actor, id).await?;
    let timeline = super::timeline::timeline(db, actor, id).await?;
    let reminders = super::reminders::for_lead(db, actor, id).await?.reminders;
    let attachments = super::attachments::for_lead(db, actor, id).await?;
    Ok(json!({
        "exported_at": now_ms(),
        "lead": detail.lead,
        "pipeline": detail.pipeline_name,
        "stage": detail.stage_name,
        "source": detail.source_name,
        "assigned": detail.assigned_name,
        "lost_reason": detail.lost_reason,
        "custom_fields": detail.custom.iter().map(|v| json!({"label": v.field.label, "value": v.value})).collect::<Vec<_>>(),
        "stage_history": detail.stays,
        "timeline": timeline,
        "reminders": reminders,
        "attachments": attachments,
    }))
}

/// Removes a lead's personal data (admins only): its name becomes "Erased lead #id", every
/// contact and address field is cleared, the texts of its activities, reminders and
/// notifications go, and so do its custom field values and attached files. Stage, value,
/// source, owner, dates and history stay, so counts and conversion rates do not change. One transaction; an audit entry and a timeline entry say
/// who did it and when.
pub async fn erase(store: &Store, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = store.db.begin_write().await?;
    let lead = visible(&mut tx, actor, id).await?;
    let now = now_ms();
    let name = fill(actor.locale.t().erased_lead_name, &[("id", &id)]);
    sqlx::query(
        "UPDATE leads SET name = $1, title = NULL, company = NULL, description = NULL, country = NULL, \
         zip = NULL, city = NULL, state = NULL, address = NULL, email = NULL, website = NULL, \
         phonenumber = NULL, default_language = NULL, next_action = NULL, version = version + 1, \
         updated_at = $2 WHERE id = $3",
    )
    .bind(name.clone())
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM lead_custom_values WHERE lead_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE activities SET body = NULL, changes = NULL WHERE lead_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE reminders SET body = $1 WHERE lead_id = $2")
        .bind(name.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE notifications SET body = $1 WHERE lead_id = $2")
        .bind(name)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    super::leads::audit(&mut tx, actor, "erase_personal_data", id, now).await?;
    let files = super::attachments::remove_all(&mut tx, id).await?;
    record_activity(&mut tx, actor, id, "erased", &[], now, Via::Ui).await?;
    commit_and_publish_bumped(store, tx, &lead, LeadEventKind::Updated, actor).await?;
    for key in files {
        super::attachments::remove_file(&store.files, &key).await;
    }
    Ok(())
}
