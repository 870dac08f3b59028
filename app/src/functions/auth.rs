//! Signing in and who is signed in.

use crate::error::AppError;
use crate::models::CurrentUser;
use leptos::prelude::*;

/// Checks the credentials, starts a session (HttpOnly, SameSite=Lax cookie) and answers with
/// the page to go to next.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<String, AppError> {
    use super::ctx::state;
    use crate::server::{auth, users};

    let state = state()?;
    let parts = use_context::<http::request::Parts>();
    let client = parts
        .as_ref()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        })
        .map(|info| info.0.ip().to_string())
        .unwrap_or_default();
    let email = users::normalize_email(&email);
    if let Err(retry_after_secs) = state.login_limiter.check(&email, &client) {
        return Err(AppError::TooManyRequests { retry_after_secs });
    }
    let found = users::for_login(&state.store.db, &email).await?;
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, auth::decoy_hash().to_string()),
    };
    let password_ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(user) = user.filter(|_| password_ok) else {
        tracing::info!(%email, "failed sign-in");
        return Err(AppError::Unauthorized);
    };
    let token = auth::create_session(&state.store.db, user.id, state.config.session_days).await?;
    let response = expect_context::<leptos_axum::ResponseOptions>();
    response.append_header(
        http::header::SET_COOKIE,
        http::HeaderValue::from_str(&auth::session_cookie(
            &token,
            state.config.session_days,
            state.config.secure_cookies,
        ))
        .map_err(|e| AppError::Internal(e.to_string()))?,
    );
    tracing::info!(user = user.id, "signed in");
    Ok("/admin/leads".into())
}

/// The signed-in user, or `None`.
#[server(prefix = "/rpc", endpoint = "me")]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::server::auth::current_user())
}
