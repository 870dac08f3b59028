//! `POST /admin/leads/import` for signed-in users: a multipart body with the CSV `file` and,
//! once the columns are chosen, the `plan` (JSON). Without a plan it answers the preview;
//! with one, the report of the check or the import. Errors come back as the `AppError`
//! JSON the page reads (a field error under `file` or `mapping`).

use crate::http::status_of;
use app::error::AppError;
use app::models::{CurrentUser, ImportPlan};
use app::server::{import, Actor, AppState, Store};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};

/// The largest file taken: 50,000 rows of a wide export fit.
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/leads/import", post(receive))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
}

fn failure(error: AppError) -> Response {
    (status_of(&error), Json(error)).into_response()
}

async fn receive(
    State(store): State<Store>,
    user: Option<Extension<CurrentUser>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(Extension(user)) = user else {
        return failure(AppError::Unauthorized);
    };
    let actor = Actor::user(&user);
    let unreadable = || AppError::field("file", actor.locale.t().err_upload_unreadable);
    let Ok(mut multipart) = multipart else {
        return failure(unreadable());
    };
    let mut file: Option<Vec<u8>> = None;
    let mut plan: Option<ImportPlan> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return failure(unreadable()),
        };
        let name = field.name().unwrap_or_default().to_string();
        let Ok(bytes) = field.bytes().await else {
            return failure(unreadable());
        };
        match name.as_str() {
            "file" => file = Some(bytes.to_vec()),
            "plan" => match serde_json::from_slice(&bytes) {
                Ok(parsed) => plan = Some(parsed),
                Err(_) => {
                    return failure(AppError::field(
                        "mapping",
                        actor.locale.t().err_upload_unreadable,
                    ))
                }
            },
            _ => {}
        }
    }
    let Some(file) = file else {
        return failure(AppError::field("file", actor.locale.t().err_required));
    };
    match plan {
        None => match import::preview(&store, &actor, &file).await {
            Ok(preview) => Json(preview).into_response(),
            Err(error) => failure(error),
        },
        Some(plan) => match import::run(&store, &actor, &file, &plan).await {
            Ok(report) => Json(report).into_response(),
            Err(error) => failure(error),
        },
    }
}
