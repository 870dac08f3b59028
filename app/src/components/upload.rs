//! Posting files from the browser to one of the server's upload routes as multipart form
//! data; the answer's JSON is read back, a refusal as the `AppError` it carries.

use crate::error::AppError;
use serde::de::DeserializeOwned;

/// One part of the body: a file the user picked, or a text value.
pub enum Part<'a> {
    File(&'a web_sys::File),
    Text(String),
}

#[cfg(feature = "hydrate")]
pub async fn post_multipart<T: DeserializeOwned>(
    url: &str,
    parts: &[(&str, Part<'_>)],
) -> Result<T, AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| AppError::Internal("the upload did not reach the server".into());
    let form = web_sys::FormData::new().map_err(failed)?;
    for (name, part) in parts {
        match part {
            Part::File(file) => form.append_with_blob_and_filename(name, file, &file.name()),
            Part::Text(text) => form.append_with_str(name, text),
        }
        .map_err(failed)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form);
    let window = web_sys::window().ok_or_else(|| AppError::Internal("no window".into()))?;
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(failed)?;
    let response: web_sys::Response = response.dyn_into().map_err(failed)?;
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string()),
        Err(_) => None,
    }
    .unwrap_or_default();
    if response.ok() {
        return serde_json::from_str(&text)
            .map_err(|_| AppError::Internal("the server's answer was unreadable".into()));
    }
    Err(serde_json::from_str::<AppError>(&text)
        .unwrap_or_else(|_| AppError::Internal(format!("the server answered {status}"))))
}

#[cfg(not(feature = "hydrate"))]
pub async fn post_multipart<T: DeserializeOwned>(
    _url: &str,
    _parts: &[(&str, Part<'_>)],
) -> Result<T, AppError> {
    Err(AppError::Internal("uploads run in the browser".into()))
}
