//! Attachments over HTTP for signed-in users: `POST /admin/leads/{id}/attachments` takes a
//! multipart upload (drag-and-drop or the picker on the lead page), and
//! `GET /admin/attachments/{id}` downloads a file — only for users who may see its lead.

use crate::api::body_limit;
use crate::http::{plain_error, status_of};
use app::error::AppError;
use app::models::CurrentUser;
use app::server::attachments::{self, Received};
use app::server::leads::{self, Via};
use app::server::{Actor, AppState, Store};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};

/// The two routes, with a body limit that fits files at their size limit.
pub fn router(store: &Store) -> Router<AppState> {
    Router::new()
        .route("/admin/leads/{id}/attachments", post(upload))
        .route("/admin/attachments/{id}", get(download))
        .layer(DefaultBodyLimit::max(body_limit(&store.files)))
}

/// An error as server functions send it (the page reads it the same way), with its status.
fn failure(error: AppError) -> Response {
    (status_of(&error), Json(error)).into_response()
}

/// Receives every file part of the body and attaches them to the lead, in one transaction;
/// answers with the attachments added.
async fn upload(
    State(store): State<Store>,
    Path(id): Path<String>,
    user: Option<Extension<CurrentUser>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(Extension(user)) = user else {
        return failure(AppError::Unauthorized);
    };
    let actor = Actor::user(&user);
    let Ok(id) = id.parse::<i64>() else {
        return failure(AppError::NotFound);
    };
    // Nothing is written for a lead the user may not see.
    if let Err(error) = leads::get(&store.db, &actor, id).await {
        return failure(error);
    }
    let Ok(multipart) = multipart else {
        return failure(AppError::field(
            "file",
            actor.locale.t().err_upload_unreadable,
        ));
    };
    let mut multipart = multipart;
    let received = receive(&store, &actor, &mut multipart).await;
    if received.is_err() {
        drain(&mut multipart).await;
    }
    match received {
        Ok(files) if files.is_empty() => {
            failure(AppError::field("file", actor.locale.t().err_required))
        }
        Ok(files) => match attachments::add(&store, &actor, id, files, Via::Ui).await {
            Ok(added) => Json(added).into_response(),
            Err(error) => failure(error),
        },
        Err(error) => failure(error),
    }
}

async fn receive(
    store: &Store,
    actor: &Actor,
    multipart: &mut Multipart,
) -> Result<Vec<Received>, AppError> {
    let unreadable = |_| AppError::field("file", actor.locale.t().err_upload_unreadable);
    let mut files = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let Some(name) = field.file_name().map(str::to_string) else {
            continue;
        };
        let declared = field.content_type().map(str::to_string);
        let mut incoming = store
            .files
            .receive(&name, declared.as_deref(), actor.locale)
            .await?;
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            incoming.write(&chunk).await?;
        }
        files.push(incoming.finish().await?);
    }
    Ok(files)
}

/// Reads the rest of a refused upload, so the client (still sending) gets the answer rather
/// than a reset connection. Bounded by the route's body limit.
pub async fn drain(multipart: &mut Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

/// The file, as a download (never rendered by the browser in Leadline's origin).
async fn download(
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
    let (attachment, path) = match attachments::open(&store, &Actor::user(&user), id).await {
        Ok(found) => found,
        Err(error) => return plain_error(error),
    };
    let file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(error) => {
            tracing::error!(%error, id, "an attachment's file is missing");
            return (StatusCode::NOT_FOUND, "the file is missing from storage").into_response();
        }
    };
    let content_type = HeaderValue::from_str(&attachment.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&attachment.file_name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(attachment.size_bytes),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// `attachment; filename="offer.pdf"; filename*=UTF-8''…`: an ASCII name for old clients and
/// the exact one (RFC 5987) for the rest.
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn downloads_keep_the_exact_name() {
        assert_eq!(
            content_disposition("ofertă \"final\".pdf"),
            "attachment; filename=\"ofert_ _final_.pdf\"; filename*=UTF-8''ofert%C4%83%20%22final%22.pdf"
        );
    }
}
