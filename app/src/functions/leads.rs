//! Leads as the leads page reads them.

use crate::error::AppError;
use crate::models::LeadPage;
use leptos::prelude::*;

#[server(prefix = "/rpc", endpoint = "leads/list")]
pub async fn list_leads(page: i64, per_page: i64) -> Result<LeadPage, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::leads::list(&state.store.db, &actor, page, per_page).await
}
