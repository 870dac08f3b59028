//! Leads as the leads page reads them.

use crate::error::AppError;
use crate::models::{ActivityInput, LeadDetail, LeadPage, TimelineEntry};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/rpc", endpoint = "leads/list")]
pub async fn list_leads(page: i64, per_page: i64) -> Result<LeadPage, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::leads::list(&state.store.db, &actor, page, per_page).await
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
