//! API tokens for the settings page (administrators only; the domain checks).

use crate::error::AppError;
use crate::models::{ApiToken, CreatedToken, TokenForm};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/rpc", endpoint = "api-tokens")]
pub async fn list_api_tokens() -> Result<Vec<ApiToken>, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::tokens::list(&state.store.db, &actor).await
}

/// Creates a token; its secret is in the answer and shown once.
#[server(prefix = "/rpc", endpoint = "api-tokens/create", input = Json)]
pub async fn create_api_token(form: TokenForm) -> Result<CreatedToken, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::tokens::create(&state.store.db, &actor, &form).await
}

#[server(prefix = "/rpc", endpoint = "api-tokens/revoke", input = Json)]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::tokens::revoke(&state.store, &actor, id).await
}
