//! Leads as the leads page reads them.

use crate::error::AppError;
use crate::models::{
    ActivityInput, BulkAction, BulkPreview, BulkRun, Duplicate, DuplicateProbe, LeadAttachments,
    LeadDetail, LeadFormChoices, LeadInput, LeadReminders, ListPage, ListQuery, Notifications,
    ReminderCommand, SaveOutcome, SavedView, Selection, TimelineEntry, TodayQueue, TrashPage,
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
    let columns = users::setting(db, user.id, COLUMNS_KEY).await?;
    crate::server::list::page(db, &actor, &query, per_page, columns.as_deref()).await
}

/// Where a user's list columns are remembered.
#[cfg(feature = "ssr")]
const COLUMNS_KEY: &str = "list_columns";

/// The columns a user wants in the list (built-in keys and `cf_<id>`), remembered for them.
#[server(prefix = "/rpc", endpoint = "leads/list/columns", input = Json)]
pub async fn choose_list_columns(columns: Vec<String>) -> Result<(), AppError> {
    use crate::models::ListColumn;
    let (state, user, _) = super::ctx::signed_in()?;
    let known = |key: &String| {
        ListColumn::parse(key).is_some()
            || key
                .strip_prefix("cf_")
                .is_some_and(|id| id.parse::<i64>().is_ok())
    };
    if columns.len() > 100 || !columns.iter().all(known) {
        return Err(AppError::field("columns", "unknown column"));
    }
    // Nothing picked is a pick too: only the name stays.
    let value = if columns.is_empty() {
        "name".to_string()
    } else {
        columns.join(",")
    };
    crate::server::users::remember(&state.store.db, user.id, COLUMNS_KEY, &value).await
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

/// How many leads a bulk action would change.
#[server(prefix = "/rpc", endpoint = "leads/bulk/preview", input = Json)]
pub async fn preview_bulk(
    selection: Selection,
    action: BulkAction,
) -> Result<BulkPreview, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::bulk::preview(&state.store.db, &actor, &selection, &action).await
}

/// Starts a bulk action; returns its run, to follow with `read_bulk_run`.
#[server(prefix = "/rpc", endpoint = "leads/bulk/start", input = Json)]
pub async fn start_bulk(selection: Selection, action: BulkAction) -> Result<i64, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::bulk::start(&state.store, &actor, &selection, &action).await
}

/// A bulk action's progress, then its summary.
#[server(prefix = "/rpc", endpoint = "leads/bulk/run")]
pub async fn read_bulk_run(run: i64) -> Result<BulkRun, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::bulk::status(&state.store.db, &actor, run).await
}

/// Starts undoing a bulk action; returns the undo's run.
#[server(prefix = "/rpc", endpoint = "leads/bulk/undo")]
pub async fn undo_bulk(run: i64) -> Result<i64, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::bulk::undo(&state.store, &actor, run).await
}

/// A page of the trash.
#[server(prefix = "/rpc", endpoint = "leads/trash")]
pub async fn read_trash(page: i64) -> Result<TrashPage, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::list::trash(&state.store.db, &actor, page).await
}

/// Takes a lead out of the trash.
#[server(prefix = "/rpc", endpoint = "leads/restore")]
pub async fn restore_lead(lead: i64) -> Result<(), AppError> {
    use crate::server::leads::{restore, Via};
    let (state, _, actor) = super::ctx::signed_in()?;
    restore(&state.store, &actor, lead, Via::Ui).await.map(drop)
}

/// Deletes a lead in the trash for good (administrators).
#[server(prefix = "/rpc", endpoint = "leads/purge")]
pub async fn purge_lead(lead: i64) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::leads::purge(&state.store, &actor, lead).await
}

/// The reader's saved views and the team's shared ones.
#[server(prefix = "/rpc", endpoint = "leads/views")]
pub async fn read_saved_views() -> Result<Vec<SavedView>, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::views::list(&state.store.db, &actor).await
}

/// Saves the list's current filters and sort under a name.
#[server(prefix = "/rpc", endpoint = "leads/views/save")]
pub async fn save_view(name: String, shared: bool, query: String) -> Result<i64, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::views::save(&state.store.db, &actor, &name, shared, &query).await
}

#[server(prefix = "/rpc", endpoint = "leads/views/delete")]
pub async fn delete_view(id: i64) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::views::delete(&state.store.db, &actor, id).await
}
