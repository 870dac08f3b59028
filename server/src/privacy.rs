//! `GET /admin/leads/{id}/export`: everything about a lead as a JSON download, for a privacy
//! request. Only for a signed-in user who may see the lead.

use app::models::CurrentUser;
use app::server::{privacy, Actor, Store};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

pub async fn export_lead(
    State(store): State<Store>,
    Path(id): Path<String>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match privacy::export(&store.db, &Actor::user(&user), id).await {
        Ok(document) => (
            [(
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"lead-{id}.json\""),
            )],
            Json(document),
        )
            .into_response(),
        Err(error) => crate::http::plain_error(error),
    }
}
