//! The API's answers when something is wrong: the product doc's `status`/`message` envelope
//! with the right HTTP status (401/403/404/406/409/413/415/422/429), never a 500 for anything
//! a client can send.

use app::error::{AppError, FieldErrors};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub const NO_DATA: &str = "No data were found";
pub const INVALID_ID: &str = "Invalid Lead ID";
pub const UPDATE_FAILED: &str = "Lead Update Fail.";
pub const DELETE_FAILED: &str = "Lead Delete Fail.";
pub const NOT_ACCEPTABLE: &str = "Data Not Acceptable OR Not Provided";
pub const TOKEN_MISSING: &str = "Token is not defined.";
pub const NO_PERMISSION: &str =
    "Your API token does not have the necessary permissions for the requested operation";

#[derive(Debug)]
pub enum ApiError {
    /// No token, or one that is unknown, revoked, expired or whose user was deactivated.
    Unauthorized,
    MissingCapability,
    /// The lead does not exist or the token's user may not see it (`message` per endpoint).
    NotFound(&'static str),
    /// No such API route.
    NoRoute,
    /// An update without any lead field.
    NotAcceptable,
    Validation(FieldErrors),
    /// A request the current state refuses (a stale version, a lead already converted…).
    Refused(String),
    /// The body could not be read: malformed JSON or form data, a wrong content type, too large.
    BadBody {
        status: StatusCode,
        message: String,
    },
    TooManyRequests {
        retry_after: u64,
    },
    /// Something on our side; logged, not shown.
    Internal,
}

impl ApiError {
    /// The API error for a domain error, reading "not found" as `NO_DATA`.
    pub fn from_app(error: AppError) -> ApiError {
        ApiError::from_app_or(error, NO_DATA)
    }

    /// The API error for a domain error, with the endpoint's own "not found" message.
    pub fn from_app_or(error: AppError, not_found: &'static str) -> ApiError {
        match error {
            AppError::Unauthorized => ApiError::Unauthorized,
            AppError::Forbidden => ApiError::MissingCapability,
            AppError::NotFound => ApiError::NotFound(not_found),
            AppError::Validation(fields) => ApiError::Validation(perfex_names(fields)),
            AppError::Conflict { message } | AppError::Refused(message) => {
                ApiError::Refused(message)
            }
            AppError::TooManyRequests { retry_after_secs } => ApiError::TooManyRequests {
                retry_after: retry_after_secs,
            },
            AppError::Internal(message) => {
                tracing::error!(%message, "API request failed");
                ApiError::Internal
            }
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::MissingCapability => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Refused(_) => StatusCode::CONFLICT,
            ApiError::BadBody { status, .. } => *status,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> serde_json::Value {
        let message = |text: &str| json!({"status": false, "message": text});
        match self {
            ApiError::Unauthorized => message(TOKEN_MISSING),
            ApiError::MissingCapability => message(NO_PERMISSION),
            ApiError::NotFound(text) => message(text),
            ApiError::NoRoute => message("No such API endpoint; see /api/openapi.json"),
            ApiError::NotAcceptable => message(NOT_ACCEPTABLE),
            ApiError::Validation(fields) => json!({
                "status": false,
                "error": fields,
                "message": fields.values().cloned().collect::<Vec<_>>().join(" "),
            }),
            ApiError::Refused(text) => message(text),
            ApiError::BadBody { message: text, .. } => message(text),
            ApiError::TooManyRequests { retry_after } => message(&format!(
                "Too many requests for this token; retry in {retry_after} s"
            )),
            ApiError::Internal => message("Internal error; it has been logged"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if let ApiError::TooManyRequests { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after));
        }
        response
    }
}

/// Field errors under the names the API's clients send: the stage is `status` there.
fn perfex_names(fields: FieldErrors) -> FieldErrors {
    fields
        .into_iter()
        .map(|(field, message)| match field.as_str() {
            "stage" => ("status".to_string(), message),
            _ => (field, message),
        })
        .collect()
}
