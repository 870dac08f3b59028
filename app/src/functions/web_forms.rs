//! Web-to-lead forms on `/admin/leads/forms` (administrators).

use crate::error::AppError;
use crate::models::{WebForm, WebFormInput};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The forms, and the address the public pages are served from (for embed codes).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WebFormsList {
    pub forms: Vec<WebForm>,
    pub origin: String,
}

#[server(prefix = "/rpc", endpoint = "web-forms")]
pub async fn list_web_forms() -> Result<WebFormsList, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    let forms = crate::server::web_forms::list(&state.store.db, &actor).await?;
    Ok(WebFormsList {
        forms,
        origin: match &state.config.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => request_origin(state.config.secure_cookies),
        },
    })
}

/// `scheme://host` of the request being served, as the browser addressed this server (when
/// no public address is configured).
#[cfg(feature = "ssr")]
fn request_origin(secure: bool) -> String {
    let host = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::HOST)
                .and_then(|host| host.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "localhost".into());
    format!("{}://{host}", if secure { "https" } else { "http" })
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum WebFormCommand {
    Create { form: WebFormInput },
    Update { id: i64, form: WebFormInput },
    Delete { id: i64 },
}

#[server(prefix = "/rpc", endpoint = "web-forms/edit", input = Json)]
pub async fn edit_web_forms(command: WebFormCommand) -> Result<(), AppError> {
    use crate::server::web_forms as wf;
    let (state, _, actor) = super::ctx::signed_in()?;
    let db = &state.store.db;
    match command {
        WebFormCommand::Create { form } => wf::create(db, &actor, &form).await.map(drop),
        WebFormCommand::Update { id, form } => wf::update(db, &actor, id, &form).await,
        WebFormCommand::Delete { id } => wf::delete(db, &actor, id).await,
    }
}
