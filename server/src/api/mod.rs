//! The REST API under `/api`: the product doc's lead endpoints (Perfex REST API, v2 routes),
//! drop-in for integrations written against it, minus its defects (`spec/api.md`).
//! Every request acts as its token's user, in that user's visibility scope, and every write
//! goes through the lead domain (`app::server::leads`) like the UI's.

mod body;
mod error;
mod leads;
pub mod openapi;
mod row;

use app::server::tokens::{self, TokenUser};
use app::server::AppState;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::any;
use axum::Router;
pub use body::body_limit;
pub use error::ApiError;

/// The `/api` routes, built from the OpenAPI table (so each is documented); every other path
/// under `/api` is a JSON 404. Bodies may be as large as `body_limit` (files attached on
/// create); their text parts are held to `body::TEXT_LIMIT`.
pub fn router(body_limit: usize) -> Router<AppState> {
    let mut router = Router::new();
    for endpoint in openapi::ENDPOINTS {
        router = router.route(endpoint.path, (endpoint.route)());
    }
    router
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .layer(DefaultBodyLimit::max(body_limit))
}

async fn not_found() -> ApiError {
    ApiError::NoRoute
}

/// The token's user, found from `authtoken: <token>` or `Authorization: Bearer <token>`,
/// within its rate limit.
pub struct ApiUser(pub TokenUser);

impl ApiUser {
    /// Refuses (403) a request the token has no permission for.
    pub fn require(&self, capability: &str) -> Result<(), ApiError> {
        if self.0.may(capability) {
            Ok(())
        } else {
            Err(ApiError::MissingCapability)
        }
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = |name: header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
                .filter(|value| !value.is_empty())
        };
        let bearer = header(header::AUTHORIZATION).and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
        let token = header(header::HeaderName::from_static("authtoken"))
            .or(bearer)
            .ok_or(ApiError::Unauthorized)?;
        let user = tokens::authenticate(&state.store, token)
            .await
            .map_err(ApiError::from_app)?;
        state
            .api_limiter
            .check(&user.token_id)
            .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
        Ok(ApiUser(user))
    }
}
