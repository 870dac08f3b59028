//! The lead endpoints. Reads page in SQL (`nr_page`/`page`, `per_page` ≤ 100) with the total in
//! `X-Total-Count` and neighbours in `Link`; without paging parameters every visible row is
//! streamed (constant memory), never silently cut off. Writes go through the lead domain.

use super::body::{lead_input, Fields};
use super::error::{ApiError, DELETE_FAILED, INVALID_ID, NO_DATA, UPDATE_FAILED};
use super::row::{lead_row, lead_row_with_files, LeadRow};
use super::ApiUser;
use app::error::FieldErrors;
use app::server::leads::{self as domain, Via};
use app::server::records::{self, RecordQuery, MAX_PER_PAGE};
use app::server::search::Search;
use app::server::tokens::{self, Replay};
use app::server::{Actor, AppState, Db, Store};
use axum::body::Body;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::collections::HashMap;

/// Rows fetched per round trip while streaming an unpaged list.
const STREAM_CHUNK: i64 = 500;

/// `GET /api/leads`
pub async fn list(
    user: ApiUser,
    State(store): State<Store>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    user.require("get")?;
    paged(
        &store.db,
        user.0.actor(),
        None,
        &params,
        "/api/leads".into(),
    )
    .await
}

/// `GET /api/leads/search/:keyword` — `#tag` finds leads with that tag.
pub async fn search(
    user: ApiUser,
    State(store): State<Store>,
    Path(keyword): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    user.require("search_get")?;
    let path = format!("/api/leads/search/{}", urlencode(&keyword));
    match Search::parse(&keyword) {
        Some(search) => paged(&store.db, user.0.actor(), Some(search), &params, path).await,
        // Nothing searchable (only punctuation): nothing found, as an empty page.
        None => Ok(with_total(Json(json!([])).into_response(), 0)),
    }
}

/// `GET /api/leads/:id`
pub async fn one(
    user: ApiUser,
    State(store): State<Store>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    user.require("get")?;
    let id = lead_id(&id).ok_or(ApiError::NotFound(NO_DATA))?;
    let actor = user.0.actor();
    let (record, files) = records::record_with_files(&store.db, &actor, id)
        .await
        .map_err(ApiError::from_app)?;
    Ok(Json(lead_row_with_files(&record, &files)).into_response())
}

/// `POST /api/leads` — with `Idempotency-Key`, a retry answers as the first request did.
pub async fn create(
    user: ApiUser,
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    user.require("post")?;
    let headers = request.headers().clone();
    let fields = Fields::from_request(request, &state).await?;
    let db = &state.store.db;
    let token = user.0.token_id;
    let key = idempotency_key(&headers)?;
    if let Some(key) = &key {
        match tokens::claim_idempotency(db, token, key, &fields.digest)
            .await
            .map_err(ApiError::from_app)?
        {
            Replay::Fresh => {}
            Replay::Done { status, body } => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                let mut response = (status, body).into_response();
                let headers = response.headers_mut();
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
                return Ok(response);
            }
            Replay::InFlight => {
                return Err(ApiError::Refused(
                    "A request with this Idempotency-Key is still running; retry shortly".into(),
                ))
            }
            Replay::Mismatch => {
                return Err(field_error(
                    "Idempotency-Key",
                    "This Idempotency-Key was used with a different request body",
                ))
            }
        }
    }
    let (input, _) = lead_input(&fields, chrono::Utc::now());
    let outcome = domain::create_with_files(
        &state.store,
        &user.0.actor(),
        &input,
        fields.files,
        Via::Api,
    )
    .await;
    let (status, body) = match outcome {
        Ok(lead) => (
            StatusCode::OK,
            json!({"status": true, "message": "Lead add successful.", "record_id": lead.id}),
        ),
        Err(error) => {
            let error = ApiError::from_app(error);
            if matches!(error, ApiError::Internal) {
                if let Some(key) = &key {
                    tokens::release_idempotency(db, token, key)
                        .await
                        .map_err(ApiError::from_app)?;
                }
                return Err(error);
            }
            (error.status(), error.body())
        }
    };
    if let Some(key) = &key {
        tokens::remember_idempotency(db, token, key, status.as_u16(), &body.to_string())
            .await
            .map_err(ApiError::from_app)?;
    }
    Ok((status, Json(body)).into_response())
}

/// `PUT /api/leads/:id` — a partial update: fields not sent stay as they are.
pub async fn update(
    user: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    user.require("put")?;
    let id = lead_id(&id).ok_or(ApiError::NotFound(INVALID_ID))?;
    let fields = Fields::from_request(request, &state).await?;
    let (input, any) = lead_input(&fields, chrono::Utc::now());
    if !any {
        return Err(ApiError::NotAcceptable);
    }
    let expected = expected_version(&fields)?;
    domain::update(
        &state.store,
        &user.0.actor(),
        id,
        &input,
        expected,
        Via::Api,
    )
    .await
    .map_err(|error| ApiError::from_app_or(error, UPDATE_FAILED))?;
    Ok(Json(json!({"status": true, "message": "Lead Update Successful."})).into_response())
}

/// `DELETE /api/delete/leads/:id` and `DELETE /api/leads/:id` — to the trash.
pub async fn remove(
    user: ApiUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    user.require("delete")?;
    let id = lead_id(&id).ok_or(ApiError::NotFound(INVALID_ID))?;
    domain::delete(&state.store, &user.0.actor(), id, Via::Api)
        .await
        .map_err(|error| ApiError::from_app_or(error, DELETE_FAILED))?;
    Ok(Json(json!({"status": true, "message": "Lead Delete Successful."})).into_response())
}

/// The `version` the client read with the lead, if it sent one: an update based on another
/// version is refused (409) and names the lead's current stage, as a stale drag on the board is.
fn expected_version(fields: &Fields) -> Result<Option<i64>, ApiError> {
    let sent = fields.pairs.iter().rev().find(|(key, _)| key == "version");
    match sent.map(|(_, value)| value.trim()) {
        None | Some("") => Ok(None),
        Some(value) => value.parse::<i64>().map(Some).map_err(|_| {
            field_error(
                "version",
                "The version must be a whole number, as the lead's row gives it",
            )
        }),
    }
}

fn lead_id(raw: &str) -> Option<i64> {
    raw.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

fn field_error(field: &str, message: &str) -> ApiError {
    let mut fields = FieldErrors::new();
    fields.insert(field.into(), message.into());
    ApiError::Validation(fields)
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str().map(str::trim) {
        Ok(key) if !key.is_empty() && key.len() <= 255 => Ok(Some(key.to_string())),
        _ => Err(field_error(
            "Idempotency-Key",
            "An Idempotency-Key is 1 to 255 visible ASCII characters",
        )),
    }
}

/// Which page a request asks for: `None` for no paging parameters (stream everything).
fn paging(params: &HashMap<String, String>) -> Result<Option<(i64, i64)>, ApiError> {
    let page_raw = params.get("nr_page").or_else(|| params.get("page"));
    let per_page_raw = params.get("per_page");
    if page_raw.is_none() && per_page_raw.is_none() {
        return Ok(None);
    }
    let mut errors = FieldErrors::new();
    let number =
        |raw: Option<&String>, default: i64, max: i64, field: &str, errors: &mut FieldErrors| {
            match raw.map(|r| r.trim().parse::<i64>()) {
                None => default,
                Some(Ok(n)) if (1..=max).contains(&n) => n,
                _ => {
                    errors.insert(
                        field.into(),
                        format!("{field} must be a whole number from 1 to {max}"),
                    );
                    default
                }
            }
        };
    let page_field = if params.contains_key("nr_page") {
        "nr_page"
    } else {
        "page"
    };
    let page = number(page_raw, 1, i64::from(i32::MAX), page_field, &mut errors);
    let per_page = number(per_page_raw, 25, MAX_PER_PAGE, "per_page", &mut errors);
    if errors.is_empty() {
        Ok(Some((page, per_page)))
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// A list or search answer: one page with `X-Total-Count` and `Link`, or every row streamed.
async fn paged(
    db: &Db,
    actor: Actor,
    search: Option<Search>,
    params: &HashMap<String, String>,
    path: String,
) -> Result<Response, ApiError> {
    let Some((page, per_page)) = paging(params)? else {
        let total = records::count(db, &actor, search.as_ref())
            .await
            .map_err(ApiError::from_app)?;
        return Ok(with_total(stream_all(db.clone(), actor, search), total));
    };
    let query = RecordQuery {
        search,
        page,
        per_page,
        before: None,
    };
    // The total and the page on two connections at once: neither waits for the other.
    let (total, rows) = tokio::try_join!(
        records::count(db, &actor, query.search.as_ref()),
        records::records(db, &actor, &query),
    )
    .map_err(ApiError::from_app)?;
    let body: Vec<LeadRow> = rows.iter().map(lead_row).collect();
    let mut response = with_total(Json(body).into_response(), total);
    let pages = (total + per_page - 1) / per_page;
    let link = |page: i64, rel: &str| {
        format!("<{path}?nr_page={page}&per_page={per_page}>; rel=\"{rel}\"")
    };
    let mut links = vec![link(1, "first")];
    if page > 1 {
        links.push(link((page - 1).min(pages.max(1)), "prev"));
    }
    if page < pages {
        links.push(link(page + 1, "next"));
    }
    links.push(link(pages.max(1), "last"));
    if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
        response.headers_mut().insert(header::LINK, value);
    }
    Ok(response)
}

fn with_total(mut response: Response, total: i64) -> Response {
    response
        .headers_mut()
        .insert("x-total-count", HeaderValue::from(total));
    response
}

/// Every visible row as one JSON array, fetched `STREAM_CHUNK` at a time by id (keyset), so
/// memory stays flat however many leads there are. A database failure mid-way ends the body
/// early: the client sees an unterminated array, never a silently shorter one.
fn stream_all(db: Db, actor: Actor, search: Option<Search>) -> Response {
    #[derive(Clone, Copy)]
    struct Cursor {
        before: Option<i64>,
        first: bool,
        done: bool,
    }
    let start = Cursor {
        before: None,
        first: true,
        done: false,
    };
    let chunks = futures_util::stream::unfold(start, move |cursor| {
        let db = db.clone();
        let actor = actor.clone();
        let search = search.clone();
        async move {
            if cursor.done {
                return None;
            }
            let query = RecordQuery {
                search,
                page: 1,
                per_page: STREAM_CHUNK,
                before: cursor.before,
            };
            // The body ends with this error: no chunk after it.
            let ended = |error: std::io::Error| {
                let cursor = Cursor {
                    done: true,
                    ..cursor
                };
                Some((Err(error), cursor))
            };
            let rows = match records::records(&db, &actor, &query).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::error!(%error, "streaming leads failed");
                    return ended(std::io::Error::other("database error"));
                }
            };
            let mut text = Vec::new();
            if cursor.first {
                text.push(b'[');
            }
            for (i, row) in rows.iter().enumerate() {
                if !(cursor.first && i == 0) {
                    text.push(b',');
                }
                if let Err(error) = serde_json::to_writer(&mut text, &lead_row(row)) {
                    return ended(std::io::Error::other(error));
                }
            }
            let last = rows.len() < STREAM_CHUNK as usize;
            if last {
                text.push(b']');
            }
            let next = Cursor {
                before: rows.last().map(|r| r.lead.id).or(cursor.before),
                first: cursor.first && rows.is_empty(),
                done: last,
            };
            Some((Ok::<_, std::io::Error>(text), next))
        }
    });
    let mut response = Response::new(Body::from_stream(chunks));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
