//! Leads as the leads page reads them.

use crate::error::AppError;
use crate::models::{
    ActivityInput, Duplicate, DuplicateProbe, LeadAttachments, LeadDetail, LeadFormChoices,
    LeadInput, LeadReminders, ListPage, ListQuery, Notifications, ReminderCommand, SaveOutcome,
    TimelineEntry, TodayQueue,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The list view's page; a page size in the query is remembered for next time.
#[server(prefix = "/rpc", endpoint = "leads/list", input = Json)]
pub async fn read_list(query: ListQuery) -> Result<ListPage, AppError> {
    use crate::models::PAGE_SIZES;
    use crate::server::users;
    const KEY: &str = "list_per_page";
    let (state, user, actor) = super::ctx::signed_in()?;
    let db = &state.store.db;
    let per_page = match query.per_page {
        Some(size) => {
            users::remember(db, user.id, KEY, &size.to_string()).await?;
            size
        }
        None => users::setting(db, user.id, KEY)
            .await?
            .and_then(|size| size.parse().ok())
            .filter(|size| PAGE_SIZES.contains(size))
            .unwrap_or(50),
    };
    crate::server::list::page(db, &actor, &query, per_page).await
}

#[server(prefix = "/rpc", endpoint = "leads/detail")]
pub async fn read_lead(id: i64) -> Result<LeadDetail, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::leads::detail(&state.store.db, &actor, id).await
}

/// The lead's timeline, newest first.
#[server(prefix = "/rpc", endpoint = "leads/timeline")]
pub async fn read_timeline(lead: i64) -> Result<Vec<TimelineEntry>, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::timeline::timeline(&state.store.db, &actor, lead).await
}

/// Logs a note, call, email or meeting.
#[server(prefix = "/rpc", endpoint = "leads/activity", input = Json)]
pub async fn log_activity(lead: i64, input: ActivityInput) -> Result<(), AppError> {
    use crate::server::leads::{log_activity, Via};
    let (state, _, actor) = super::ctx::signed_in()?;
    log_activity(&state.store, &actor, lead, &input, Via::Ui).await
}

/// "I contacted this lead."
#[server(prefix = "/rpc", endpoint = "leads/contacted", input = Json)]
pub async fn mark_contacted(lead: i64) -> Result<(), AppError> {
    use crate::server::leads::{mark_contacted, Via};
    let (state, _, actor) = super::ctx::signed_in()?;
    mark_contacted(&state.store, &actor, lead, Via::Ui).await
}

/// What the lead form offers: pipelines and stages, users, sources, known tags.
#[server(prefix = "/rpc", endpoint = "leads/form-choices")]
pub async fn read_form_choices() -> Result<LeadFormChoices, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::form::choices(&state.store.db, &actor).await
}

/// Existing leads that share the email (or another compared field) with what is being typed.
#[server(prefix = "/rpc", endpoint = "leads/duplicates", input = Json)]
pub async fn find_duplicates(probe: DuplicateProbe) -> Result<Vec<Duplicate>, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::form::duplicates(&state.store.db, &actor, &probe).await
}

/// Creates (`id` None) or edits a lead from the form.
#[server(prefix = "/rpc", endpoint = "leads/save", input = Json)]
pub async fn save_lead(
    id: Option<i64>,
    version: Option<i64>,
    input: LeadInput,
    anyway: bool,
) -> Result<SaveOutcome, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::form::save(&state.store, &actor, id, version, &input, anyway).await
}

/// A lead's reminders: open ones by time, then finished ones.
#[server(prefix = "/rpc", endpoint = "leads/reminders")]
pub async fn list_reminders(lead: i64) -> Result<LeadReminders, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::reminders::for_lead(&state.store.db, &actor, lead).await
}

/// Sets, edits, finishes, snoozes or deletes a reminder.
#[server(prefix = "/rpc", endpoint = "leads/reminders/edit", input = Json)]
pub async fn edit_reminder(command: ReminderCommand) -> Result<i64, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::reminders::command(&state.store, &actor, &command).await
}

/// My day: reminders and next actions due, new leads, stalled leads.
#[server(prefix = "/rpc", endpoint = "leads/today")]
pub async fn read_today() -> Result<TodayQueue, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::queue::today(&state.store.db, &actor).await
}

/// My newest notifications and how many are unread.
#[server(prefix = "/rpc", endpoint = "notifications")]
pub async fn read_notifications() -> Result<Notifications, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::notifications::list(&state.store.db, &actor).await
}

/// Marks one notification, or (`None`) all of mine, read.
#[server(prefix = "/rpc", endpoint = "notifications/read", input = Json)]
pub async fn mark_notifications_read(id: Option<i64>) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::notifications::mark_read(&state.store.db, &actor, id).await
}

/// Erases a lead's personal data (admins only); the anonymous lead stays for the counts.
#[server(prefix = "/rpc", endpoint = "leads/erase", input = Json)]
pub async fn erase_lead(lead: i64) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::privacy::erase(&state.store, &actor, lead).await
}

/// A lead's files, and the largest upload the server takes.
#[server(prefix = "/rpc", endpoint = "leads/attachments")]
pub async fn list_attachments(lead: i64) -> Result<LeadAttachments, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    let attachments = crate::server::attachments::for_lead(&state.store.db, &actor, lead).await?;
    Ok(LeadAttachments {
        attachments,
        max_bytes: state.store.files.max_bytes(),
    })
}

/// Deletes an attached file (its uploader, the lead's owner, admins and managers may).
#[server(prefix = "/rpc", endpoint = "leads/attachments/delete", input = Json)]
pub async fn delete_attachment(id: i64) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::attachments::delete(&state.store, &actor, id).await
}
