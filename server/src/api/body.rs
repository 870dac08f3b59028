//! Request bodies as the product doc's clients send them — JSON, urlencoded or multipart —
//! read into one list of (field, text) pairs, then into the domain's `LeadInput` by the
//! Perfex field names. Unknown fields are ignored; a body that cannot be read is a JSON error.

use super::error::ApiError;
use app::models::LeadInput;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use serde_json::Value;

/// The fields of a body in the order sent (a repeated field: the last one counts), and a
/// digest of the body for `Idempotency-Key` checks.
#[derive(Debug, Default)]
pub struct Fields {
    pub pairs: Vec<(String, String)>,
    pub digest: String,
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let pairs = if content_type.starts_with("multipart/form-data") {
            let multipart = Multipart::from_request(request, state)
                .await
                .map_err(|rejection| bad_body(rejection.into_response().status(), "multipart"))?;
            multipart_pairs(multipart).await?
        } else {
            let bytes = axum::body::Bytes::from_request(request, state)
                .await
                .map_err(|rejection| bad_body(rejection.into_response().status(), "body"))?;
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
                .collect::<Vec<_>>()
                .join("\n"),
        );
        Ok(Fields { pairs, digest })
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
    Ok(members
        .into_iter()
        .filter_map(|(key, value)| text_of(value).map(|text| (key, text)))
        .collect())
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

/// Text parts of a multipart body. File parts (`file[]`) are read past: attachments belong to
/// the lead record's attachments, which this API does not store yet.
async fn multipart_pairs(mut multipart: Multipart) -> Result<Vec<(String, String)>, ApiError> {
    let mut pairs = Vec::new();
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(|error| ApiError::BadBody {
                status: error.status(),
                message: format!("Malformed multipart body: {}", error.body_text()),
            })?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let text = field.text().await.map_err(|error| ApiError::BadBody {
            status: error.status(),
            message: format!("Malformed multipart body: {}", error.body_text()),
        })?;
        if !is_file && !name.is_empty() {
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
            other => input.set(other, value),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields {
            pairs: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
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
        assert!(json_pairs(b"[1,2]").is_err());
        assert!(json_pairs(b"{\"name\":").is_err());
        assert!(json_pairs(b"  ").unwrap().is_empty());
    }
}
