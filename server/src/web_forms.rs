//! The public web-to-lead form, `/forms/wtl/{key}`: a plain HTML page (no script needed, so
//! it works embedded in any website's iframe) whose POST becomes a lead through the lead
//! door. A refused submission comes back with every value kept and a message under each
//! field; a sent one redirects to its thank-you page (a reload sends nothing twice). A hidden
//! trap field catches most bots (they are thanked and nothing is stored), and each client
//! address may send `SUBMISSIONS_PER_MINUTE` a minute.

use app::error::AppError;
use app::i18n::Locale;
use app::server::web_forms::{self, InputKind, ShownField};
use app::server::{AppState, Store};
use axum::extract::{ConnectInfo, Path, Query, RawForm, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// The field a person never sees and a form-filling bot fills in.
const TRAP: &str = "website_url";

pub fn router() -> Router<AppState> {
    Router::new().route("/forms/wtl/{key}", get(show).post(receive))
}

/// `?sent=1`: where a successful submission lands (a reload there sends nothing again).
#[derive(Deserialize)]
struct Shown {
    #[serde(default)]
    sent: Option<String>,
}

async fn show(
    State(store): State<Store>,
    Path(key): Path<String>,
    Query(shown): Query<Shown>,
) -> Response {
    let form = match web_forms::by_key(&store.db, &key).await {
        Ok(form) => form,
        Err(error) => return unavailable(error),
    };
    if shown.sent.is_some() {
        return page(&form, &[], &BTreeMap::new(), Outcome::Sent);
    }
    match web_forms::shown_fields(&store.db, &form).await {
        Ok(fields) => page(&form, &fields, &BTreeMap::new(), Outcome::Blank),
        Err(error) => unavailable(error),
    }
}

async fn receive(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    RawForm(body): RawForm,
) -> Response {
    let store = &state.store;
    let form = match web_forms::by_key(&store.db, &key).await {
        Ok(form) => form,
        Err(error) => return unavailable(error),
    };
    let sent: BTreeMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let fields = match web_forms::shown_fields(&store.db, &form).await {
        Ok(fields) => fields,
        Err(error) => return unavailable(error),
    };
    let thanks = Redirect::to(&format!("/forms/wtl/{key}?sent=1")).into_response();
    if sent.get(TRAP).is_some_and(|v| !v.is_empty()) {
        return thanks;
    }
    if let Err(retry_after) = state.form_limiter.check(&client.ip().to_string()) {
        let mut response = page(&form, &fields, &sent, Outcome::TooMany);
        if let Ok(value) = header::HeaderValue::from_str(&retry_after.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    match web_forms::submit(store, &form, &fields, &sent).await {
        Ok(_) => thanks,
        Err(AppError::Validation(errors)) => {
            let shown = |key: &String| fields.iter().any(|f| &f.key == key);
            if errors.keys().all(shown) {
                page(&form, &fields, &sent, Outcome::Refused(errors))
            } else {
                // A rule the visitor cannot meet (the form and the lead rules disagree since
                // the form was saved): say so, keep what they typed, log it for the admin.
                tracing::warn!(
                    form = form.id,
                    ?errors,
                    "web form refused by rules not on it"
                );
                page(&form, &fields, &sent, Outcome::CannotTake)
            }
        }
        Err(error) => {
            tracing::error!(form = form.id, %error, "web form submission failed");
            page(&form, &fields, &sent, Outcome::CannotTake)
        }
    }
}

enum Outcome {
    Blank,
    Sent,
    Refused(BTreeMap<String, String>),
    CannotTake,
    TooMany,
}

fn unavailable(error: AppError) -> Response {
    let status = crate::http::status_of(&error);
    if status != StatusCode::NOT_FOUND {
        tracing::error!(%error, "web form unavailable");
    }
    let t = Locale::En.t();
    let body = view! {
        <main class="public-form">
            <p class="alert alert-error">{t.form_not_found}</p>
        </main>
    };
    (
        status,
        document(Locale::En, t.form_not_found, body.to_html()),
    )
        .into_response()
}

fn page(
    form: &app::models::WebForm,
    fields: &[ShownField],
    sent: &BTreeMap<String, String>,
    outcome: Outcome,
) -> Response {
    let locale = form.language;
    let t = locale.t();
    let (status, body) = match outcome {
        Outcome::Sent => {
            let thanks = if form.success_message.is_empty() {
                t.form_thanks.to_string()
            } else {
                form.success_message.clone()
            };
            let body = view! {
                <main class="public-form">
                    <h1>{form.name.clone()}</h1>
                    <p class="alert alert-success" role="status">{thanks}</p>
                </main>
            };
            (StatusCode::OK, body.to_html())
        }
        outcome => {
            let (status, banner, errors) = match outcome {
                Outcome::Refused(errors) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(t.form_check_fields),
                    errors,
                ),
                Outcome::CannotTake => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Some(t.form_cannot_take),
                    BTreeMap::new(),
                ),
                Outcome::TooMany => (
                    StatusCode::TOO_MANY_REQUESTS,
                    Some(t.form_too_many),
                    BTreeMap::new(),
                ),
                _ => (StatusCode::OK, None, BTreeMap::new()),
            };
            let submit = if form.submit_label.is_empty() {
                t.form_send.to_string()
            } else {
                form.submit_label.clone()
            };
            let inputs = fields
                .iter()
                .map(|field| {
                    let value = sent.get(&field.key).cloned().unwrap_or_default();
                    let error = errors.get(&field.key).cloned();
                    input(field, value, error, locale)
                })
                .collect_view();
            let body = view! {
                <main class="public-form">
                    <h1>{form.name.clone()}</h1>
                    {banner.map(|banner| view! { <p class="alert alert-error" role="alert">{banner}</p> })}
                    <form method="post" novalidate>
                        {inputs}
                        <div class="trap" aria-hidden="true">
                            <label for=TRAP>"Leave this field empty"</label>
                            <input id=TRAP name=TRAP type="text" tabindex="-1" autocomplete="off" />
                        </div>
                        <button type="submit" class="btn btn-primary">{submit}</button>
                    </form>
                </main>
            };
            (status, body.to_html())
        }
    };
    (status, document(locale, &form.name, body)).into_response()
}

/// One labelled input with its value and its message.
fn input(field: &ShownField, value: String, error: Option<String>, locale: Locale) -> AnyView {
    let t = locale.t();
    let id = format!("f-{}", field.key);
    let error_id = format!("{id}-error");
    let described = error.as_ref().map(|_| error_id.clone());
    let invalid = error.as_ref().map(|_| "true");
    let key = field.key.clone();
    let required = field.required;
    let label = view! {
        <label for=id.clone()>
            {field.label.clone()}
            {required.then(|| view! { <span class="required" title=t.form_required_mark>" *"</span> })}
        </label>
    };
    let message = error.map(|message| view! { <p class="field-error" id=error_id>{message}</p> });
    let control = match &field.input {
        InputKind::Checkbox => {
            return view! {
                <div class="field field-check">
                    <label class="check">
                        <input id=id type="checkbox" name=key value="1" checked=!value.is_empty()
                            required=required aria-invalid=invalid aria-describedby=described />
                        {field.label.clone()}
                        {required.then(|| view! { <span class="required" title=t.form_required_mark>" *"</span> })}
                    </label>
                    {message}
                </div>
            }
            .into_any()
        }
        InputKind::LongText => view! {
            <textarea id=id name=key rows="4" required=required aria-invalid=invalid aria-describedby=described>{value}</textarea>
        }
        .into_any(),
        InputKind::Select(options) => {
            let options = options
                .iter()
                .map(|option| {
                    let chosen = *option == value;
                    view! { <option value=option.clone() selected=chosen>{option.clone()}</option> }
                })
                .collect_view();
            view! {
                <select id=id name=key required=required aria-invalid=invalid aria-describedby=described>
                    <option value="">{t.form_choose}</option>
                    {options}
                </select>
            }
            .into_any()
        }
        kind => {
            let (kind, autocomplete) = match kind {
                InputKind::Email => ("email", Some("email")),
                InputKind::Tel => ("tel", Some("tel")),
                InputKind::Url => ("url", Some("url")),
                InputKind::Number => ("text", None),
                InputKind::Date => ("date", None),
                _ => ("text", autocomplete_of(&field.key)),
            };
            view! {
                <input id=id type=kind name=key value=value required=required autocomplete=autocomplete
                    inputmode=matches!(field.input, InputKind::Number).then_some("decimal")
                    aria-invalid=invalid aria-describedby=described />
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            {label}
            {control}
            {message}
        </div>
    }
    .into_any()
}

fn autocomplete_of(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "name",
        "company" => "organization",
        "title" => "organization-title",
        "city" => "address-level2",
        "state" => "address-level1",
        "zip" => "postal-code",
        "country" => "country-name",
        _ => return None,
    })
}

/// The whole page around `body`: the app's stylesheet, nothing to run.
fn document(locale: Locale, title: &str, body: String) -> Html<String> {
    let head = view! {
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="robots" content="noindex" />
            <title>{title.to_string()}</title>
            <link rel="stylesheet" href="/pkg/leadline.css" />
        </head>
    }
    .to_html();
    Html(format!(
        "<!DOCTYPE html><html lang=\"{}\">{head}<body class=\"public\">{body}</body></html>",
        locale.code()
    ))
}

/// Public form pages may be framed by any site (that is how they are embedded); every other
/// page of Leadline refuses to be framed, so no site can trick a signed-in user into clicks.
pub async fn frame_policy(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let public = request.uri().path().starts_with("/forms/");
    let mut response = next.run(request).await;
    if !public {
        response.headers_mut().insert(
            header::X_FRAME_OPTIONS,
            header::HeaderValue::from_static("DENY"),
        );
    }
    response
}
