//! Leads as the leads page reads them.

use crate::error::AppError;
use crate::models::{LeadDetail, LeadPage};
use leptos::prelude::*;

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
