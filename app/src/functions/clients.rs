//! Conversion of a lead, and the clients and opportunities it makes.

use crate::error::AppError;
use crate::models::{
    ClientDetail, ClientRow, ConversionDraft, ConvertInput, Converted, Opportunity,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The conversion form's starting values for a lead, and clients that look like it.
#[server(prefix = "/rpc", endpoint = "leads/convert/draft")]
pub async fn read_conversion_draft(lead: i64) -> Result<ConversionDraft, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::conversion::draft(&state.store.db, &actor, lead).await
}

#[server(prefix = "/rpc", endpoint = "leads/convert", input = Json)]
pub async fn convert_lead(
    lead: i64,
    version: i64,
    input: ConvertInput,
) -> Result<Converted, AppError> {
    use crate::server::leads::Via;
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::conversion::convert(&state.store, &actor, lead, Some(version), &input, Via::Ui)
        .await
}

#[server(prefix = "/rpc", endpoint = "clients")]
pub async fn list_clients() -> Result<Vec<ClientRow>, AppError> {
    let (state, _, _) = super::ctx::signed_in()?;
    crate::server::conversion::clients(&state.store.db).await
}

#[server(prefix = "/rpc", endpoint = "clients/detail")]
pub async fn read_client(id: i64) -> Result<ClientDetail, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::conversion::client(&state.store.db, &actor, id).await
}

#[server(prefix = "/rpc", endpoint = "opportunities")]
pub async fn list_opportunities() -> Result<Vec<Opportunity>, AppError> {
    let (state, _, _) = super::ctx::signed_in()?;
    crate::server::conversion::opportunities(&state.store.db).await
}

#[server(prefix = "/rpc", endpoint = "opportunities/detail")]
pub async fn read_opportunity(id: i64) -> Result<Opportunity, AppError> {
    let (state, _, _) = super::ctx::signed_in()?;
    crate::server::conversion::opportunity(&state.store.db, id).await
}
