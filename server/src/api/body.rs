//! Request bodies as the product doc's clients send them — JSON, urlencoded or multipart —
//! read into one list of (field, text) pairs, then into the domain's `LeadInput` by the
//! Perfex field names. Unknown fields are ignored; a body that cannot be read is a JSON error.

use super::error::ApiError;
use app::i18n::Locale;
use app::models::LeadInput;
use app::server::attachments::{Files, Received};
use app::server::AppState;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use serde_json::Value;

/// The most files one request may attach (multipart `file[]`).
pub const MAX_FILES: usize = 10;

/// The largest body without files: JSON, urlencoded, or a multipart body's text fields.
pub const TEXT_LIMIT: usize = 2 * 1024 * 1024;

/// The largest body the API reads at all: its files at their limit, plus the text.
pub fn body_limit(files: &Files) -> usize {
    usize::try_from(files.max_bytes())
        .unwrap_or(usize::MAX / 2)
        .saturating_mul(MAX_FILES)
        .saturating_add(TEXT_LIMIT)
}

/// The fields of a body in the order sent (a repeated field: the last one counts), the files
/// it carried (received to disk within the size limit, kept only if a lead records them), and
/// a digest of the body for `Idempotency-Key` checks.
#[derive(Debug, Default)]
pub struct Fields {
    pub pairs: Vec<(String, String)>,
    pub files: Vec<Received>,
    pub digest: String,
}

impl FromRequest<AppState> for Fields {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut files = Vec::new();
        let pairs = if content_type.starts_with("multipart/form-data") {
            let multipart = Multipart::from_request(request, state)
                .await
                .map_err(|rejection| bad_body(rejection.into_response().status(), "multipart"))?;
            let mut multipart = multipart;
            let parts = multipart_parts(&mut multipart, &state.store.files, &mut files).await;
            if parts.is_err() {
                crate::attachments::drain(&mut multipart).await;
            }
            parts?
        } else {
            let bytes = axum::body::to_bytes(request.into_body(), TEXT_LIMIT)
                .await
                .map_err(|error| {
                    let too_large = std::error::Error::source(&error)
                        .is_some_and(|source| source.is::<http_body_util::LengthLimitError>());
                    let status = if too_large {
                        StatusCode::PAYLOAD_TOO_LARGE
                    } else {
                        StatusCode::BAD_REQUEST
                    };
                    bad_body(status, "body")
                })?;
            if content_type.starts_with("application/json") {
                json_pairs(&bytes)?
            } else if content_type.starts_with("application/x-www-form-urlencoded")
                || (content_type.is_empty() && !looks_like_json(&bytes))
            {
                form_pairs(&bytes)
            } else if content_type.is_empty() {
                json_pairs(&bytes)?
            } else {
                return Err(ApiError::BadBody {
                    status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    message: format!(
                        "Unsupported Content-Type {content_type}: send application/json, \
                         application/x-www-form-urlencoded or multipart/form-data"
                    ),
                });
            }
        };
        let digest = app::server::auth::token_hash(
            &pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .chain(files.iter().map(|file| format!("file={}", file.name())))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        Ok(Fields {
            pairs,
            files,
            digest,
        })
    }
}

fn bad_body(status: StatusCode, what: &str) -> ApiError {
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "The request body is too large".to_string()
    } else {
        format!("The request {what} could not be read")
    };
    ApiError::BadBody { status, message }
}

fn looks_like_json(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

/// A JSON object's members as text: strings as they are, numbers and booleans written out,
/// arrays (tags) joined with commas, null as empty (clears the field).
fn json_pairs(bytes: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let malformed = |detail: String| ApiError::BadBody {
        status: StatusCode::BAD_REQUEST,
        message: detail,
    };
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|error| malformed(format!("Malformed JSON body: {error}")))?;
    let Value::Object(members) = value else {
        return Err(malformed(
            "The JSON body must be an object of lead fields".into(),
        ));
    };
    let mut pairs = Vec::new();
    for (key, value) in members {
        match (key.as_str(), value) {
            // `customfields: [{label, value}]`, as lead rows carry them.
            ("customfields", Value::Array(items)) => {
                for item in items {
                    if let (Some(label), Some(value)) = (
                        item.get("label").and_then(Value::as_str),
                        item.get("value").cloned().and_then(text_of),
                    ) {
                        pairs.push((format!("customfields[{label}]"), value));
                    }
                }
            }
            // `custom_fields: {"leads": {"<field id>": value}}`, Perfex's form names as JSON.
            ("custom_fields", Value::Object(groups)) => {
                for (group, fields) in groups {
                    let Value::Object(fields) = fields else {
                        continue;
                    };
                    for (id, value) in fields {
                        if let Some(text) = text_of(value) {
                            pairs.push((format!("custom_fields[{group}][{id}]"), text));
                        }
                    }
                }
            }
            (_, value) => {
                if let Some(text) = text_of(value) {
                    pairs.push((key, text));
                }
            }
        }
    }
    Ok(pairs)
}

fn text_of(value: Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::String(text) => Some(text),
        Value::Bool(flag) => Some(if flag { "1" } else { "0" }.into()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(text_of)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(_) => None,
    }
}

fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A multipart body's text parts, in order; its file parts (any part with a file name, e.g.
/// `file[]`) are received into `files`. At most `MAX_FILES` files, each within the size limit,
/// and `TEXT_LIMIT` bytes of text.
async fn multipart_parts(
    multipart: &mut Multipart,
    store: &Files,
    files: &mut Vec<Received>,
) -> Result<Vec<(String, String)>, ApiError> {
    let malformed = |error: axum::extract::multipart::MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            bad_body(error.status(), "body")
        } else {
            ApiError::BadBody {
                status: error.status(),
                message: format!("Malformed multipart body: {}", error.body_text()),
            }
        }
    };
    let mut pairs = Vec::new();
    let mut text_bytes = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            if files.len() == MAX_FILES {
                return Err(ApiError::from_app(app::error::AppError::field(
                    "file",
                    format!("At most {MAX_FILES} files may be attached in one request"),
                )));
            }
            let declared = field.content_type().map(str::to_string);
            let mut incoming = store
                .receive(&file_name, declared.as_deref(), Locale::En)
                .await
                .map_err(ApiError::from_app)?;
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                incoming.write(&chunk).await.map_err(ApiError::from_app)?;
            }
            files.push(incoming.finish().await.map_err(ApiError::from_app)?);
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            text_bytes += chunk.len();
            if text_bytes > TEXT_LIMIT {
                return Err(bad_body(StatusCode::PAYLOAD_TOO_LARGE, "body"));
            }
            text.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(text).map_err(|_| ApiError::BadBody {
            status: StatusCode::BAD_REQUEST,
            message: format!("Malformed multipart body: the field {name} is not UTF-8 text"),
        })?;
        if !name.is_empty() {
            pairs.push((name, text));
        }
    }
    Ok(pairs)
}

/// The lead fields of a body by their Perfex names (`status` is the stage, `source` and
/// `assigned` ids); `contacted_today` sets last contact to now, `custom_contact_date` to that
/// date. Returns the input and whether any lead field was sent.
pub fn lead_input(fields: &Fields, now: chrono::DateTime<chrono::Utc>) -> (LeadInput, bool) {
    let mut input = LeadInput::default();
    let mut any = false;
    let mut contacted_today = false;
    let mut contact_date: Option<String> = None;
    for (key, value) in &fields.pairs {
        let value = value.clone();
        let known = match key.as_str() {
            "status" => {
                input.stage = Some(value);
                true
            }
            "pipeline" => {
                input.pipeline = Some(value);
                true
            }
            "is_public" => {
                input.is_public = Some(value);
                true
            }
            "lastcontact" => {
                input.lastcontact = Some(value);
                true
            }
            "client_id" => {
                input.client_id = Some(value);
                true
            }
            "contacted_today" => {
                contacted_today = app::models::parse_flag(&value);
                true
            }
            "custom_contact_date" => {
                contact_date = Some(value).filter(|v| !v.trim().is_empty());
                true
            }
            other => match custom_key(other) {
                Some(field) => {
                    input.custom.insert(field.to_string(), value);
                    true
                }
                None => input.set(other, value),
            },
        };
        any |= known;
    }
    if contacted_today {
        input.lastcontact = Some(now.format("%Y-%m-%d %H:%M:%S").to_string());
    } else if let Some(date) = contact_date {
        input.lastcontact = Some(date);
    }
    (input, any)
}

/// The custom field a key names: `custom_fields[leads][12]` (Perfex's form name) gives "12",
/// `customfields[Budget]` gives "Budget".
fn custom_key(key: &str) -> Option<&str> {
    key.strip_prefix("custom_fields[leads][")
        .or_else(|| key.strip_prefix("customfields["))
        .and_then(|rest| rest.strip_suffix(']'))
        .filter(|field| !field.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields {
            pairs: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            files: Vec::new(),
            digest: String::new(),
        }
    }

    #[test]
    fn perfex_names_map_to_lead_fields_and_unknown_ones_are_ignored() {
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let (input, any) = lead_input(
            &fields(&[
                ("name", "Ana"),
                ("status", "3"),
                ("source", "2"),
                ("contacted_today", "on"),
                ("custom_contact_date", "2020-01-01 10:00:00"),
                ("no_such_field", "x"),
            ]),
            now,
        );
        assert!(any);
        assert_eq!(input.name.as_deref(), Some("Ana"));
        assert_eq!(input.stage.as_deref(), Some("3"));
        assert_eq!(input.source.as_deref(), Some("2"));
        assert_eq!(input.lastcontact.as_deref(), Some("2023-11-14 22:13:20"));
        let (_, any) = lead_input(&fields(&[("no_such_field", "x")]), now);
        assert!(!any, "only unknown fields is an empty update");
    }

    #[test]
    fn json_values_become_text() {
        let pairs = json_pairs(br#"{"name":"A","lead_value":1200.5,"is_public":true,"tags":["a","b"],"email":null,"x":{"y":1}}"#).unwrap();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("lead_value"), Some("1200.5"));
        assert_eq!(get("is_public"), Some("1"));
        assert_eq!(get("tags"), Some("a,b"));
        assert_eq!(get("email"), Some(""));
        assert_eq!(get("x"), None);
        let custom = json_pairs(
            br#"{"customfields":[{"label":"Budget","value":"1200"}],"custom_fields":{"leads":{"7":true}}}"#,
        )
        .unwrap();
        assert_eq!(custom.len(), 2);
        assert!(custom.contains(&("customfields[Budget]".to_string(), "1200".to_string())));
        assert!(custom.contains(&("custom_fields[leads][7]".to_string(), "1".to_string())));
        let (input, _) = lead_input(
            &fields(&[
                ("custom_fields[leads][7]", "on"),
                ("customfields[Budget]", "5"),
            ]),
            chrono::Utc::now(),
        );
        assert_eq!(input.custom.get("7").map(String::as_str), Some("on"));
        assert_eq!(input.custom.get("Budget").map(String::as_str), Some("5"));
        assert!(json_pairs(b"[1,2]").is_err());
        assert!(json_pairs(b"{\"name\":").is_err());
        assert!(json_pairs(b"  ").unwrap().is_empty());
    }
}
