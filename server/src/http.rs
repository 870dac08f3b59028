//! The HTTP side: start-up (connect, migrate, first admin), the router, the session and
//! cross-site middleware, and the few plain form endpoints (sign-out, language).

use crate::config::Settings;
use app::error::AppError;
use app::i18n::Locale;
use app::server::attachments::Files;
use app::server::mail::Mailer;
use app::server::{auth, settings, tokens, users, AppState, Config, Db, Store};
use app::{shell, App};
use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Connects, migrates, makes sure there is a pipeline and an admin, and builds the state.
pub async fn prepare(
    settings: &Settings,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    let db = Db::connect(&settings.database_url).await?;
    bootstrap(&db, settings).await?;
    let files = Files::new(&settings.data_dir, settings.max_upload_mb * 1024 * 1024);
    let store = Store::new(db, files);
    store.events.relay(&store.db).await?;
    store.tokens.follow(&store.db).await?;
    let mailer = match &settings.smtp_url {
        Some(url) => {
            let base = settings
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", settings.site_addr));
            Some(Mailer::new(url, &settings.smtp_from, &base).map_err(anyhow::Error::msg)?)
        }
        None => None,
    };
    Ok(AppState {
        leptos_options,
        store,
        config: Arc::new(Config {
            secure_cookies: settings.secure_cookies,
            session_days: 14,
            public_url: settings.public_url.clone(),
        }),
        login_limiter: Arc::new(auth::LoginLimiter::new(settings.login_per_minute)),
        api_limiter: Arc::new(tokens::ApiLimiter::new(settings.api_per_minute)),
        form_limiter: Arc::new(auth::Limiter::new(
            app::server::web_forms::SUBMISSIONS_PER_MINUTE,
        )),
        mailer,
    })
}

/// What every start does before anything else touches the database: migrations, the default
/// pipeline and lists, and — on an empty database — the first admin, with how to sign in.
pub async fn bootstrap(db: &Db, settings: &Settings) -> anyhow::Result<()> {
    db.migrate().await?;
    settings::ensure_defaults(db)
        .await
        .map_err(|e| anyhow::anyhow!("creating defaults: {e}"))?;
    let bootstrap = users::ensure_admin(
        db,
        settings.admin_email.clone(),
        settings.admin_password.clone(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("creating the first admin: {e}"))?;
    if let users::Bootstrap::Created {
        email,
        generated_password,
    } = bootstrap
    {
        let url = format!("http://{}/admin/login", settings.site_addr);
        match generated_password {
            Some(password) => {
                tracing::warn!("first start: created admin {email} with password {password} (shown once; change it)");
                // On stderr: stdout belongs to commands' output (`leadline token create`).
                eprintln!("\n  Leadline is ready. Sign in at {url}\n  email:    {email}\n  password: {password}\n");
            }
            None => eprintln!("\n  Leadline is ready. Sign in at {url} as {email}\n"),
        }
    }
    Ok(())
}

/// The app's routes, generated once per process. Generating them renders the app with every
/// resource load suppressed by a process-wide flag (leptos_server's `SuppressResourceLoad`):
/// a page another server in the process starts rendering meanwhile would wait forever for a
/// resource first polled under that flag (leptos-rs/leptos#4773) — which is what stalled a
/// page now and then when tests started servers side by side.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn build_router(state: AppState) -> Router {
    let routes = routes();
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    let pages = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/admin/logout", post(logout))
        .route("/admin/language", post(set_language))
        .route("/admin/events", get(crate::live::lead_events))
        .route("/admin/leads/{id}/export", get(crate::privacy::export_lead))
        .route("/admin/leads/export.csv", get(crate::export::export_csv))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(RequestBodyLimitLayer::new(2 * 1024 * 1024));
    // The API reads bodies through axum's extractors, whose own 2 MiB limit it answers in JSON.
    pages
        .merge(crate::attachments::router(&state.store))
        .merge(crate::web_forms::router())
        .merge(crate::import::router())
        .merge(crate::api::router(crate::api::body_limit(
            &state.store.files,
        )))
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(crate::web_forms::frame_policy))
        .layer(middleware::from_fn_with_state(state.clone(), session))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A running server: where it listens, and the task serving it.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    pub task: tokio::task::JoinHandle<()>,
}

/// Prepares and serves on `settings.site_addr` (port 0 picks a free one) until the task ends.
pub async fn start(settings: &Settings, leptos_options: LeptosOptions) -> anyhow::Result<Running> {
    let state = prepare(settings, leptos_options).await?;
    let listener = tokio::net::TcpListener::bind(settings.site_addr).await?;
    let addr = listener.local_addr()?;
    let app = build_router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let every = std::time::Duration::from_secs(settings.reminder_seconds.max(1));
    let reminders = app::server::reminders::run(state.store.clone(), every);
    let bulk = app::server::bulk::run(state.store.clone(), std::time::Duration::from_secs(30));
    let folds = app::server::board::keep_tag_totals_folded(
        state.store.db.clone(),
        std::time::Duration::from_secs(60),
    );
    let (db, mailer) = (state.store.db.clone(), state.mailer.clone());
    let emails = async move {
        match mailer {
            Some(mailer) => app::server::mail::run(db, mailer, every).await,
            None => std::future::pending().await,
        }
    };
    // One task serves and runs the background jobs: stopping the server stops them.
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal());
        tokio::select! {
            result = serve => if let Err(error) = result {
                tracing::error!(%error, "server stopped");
            },
            () = reminders => {}
            () = bulk => {}
            () = folds => {}
            () = emails => {}
        }
    });
    Ok(Running { addr, state, task })
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

async fn readyz(State(store): State<Store>) -> Response {
    match store.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(error) => {
            tracing::warn!(%error, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
        }
    }
}

/// The HTTP status of a domain error.
pub fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A domain error as a plain-text answer with its status (downloads, plain form posts).
pub fn plain_error(error: AppError) -> Response {
    (status_of(&error), error.to_string()).into_response()
}

/// Gives a failed server function the HTTP status of its `AppError` (leptos answers every
/// error with 500; a validation error is the client's 422, a missing session 401).
async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = status_of(&error);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Finds the signed-in user for every request, refuses cross-site writes, and sends
/// visitors without a session from `/admin` pages to the sign-in page.
async fn session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    // The REST API authenticates each request by its token, never by an ambient cookie, so a
    // cross-site request cannot borrow anyone's rights there. Public web forms take posts from
    // any site (that is what embedding means) and act as nobody: they need no session.
    if path.starts_with("/api/") || path == "/api" || path.starts_with("/forms/") {
        return next.run(request).await;
    }
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if writes && is_cross_site(request.headers()) {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    if path.starts_with("/pkg/") || path == "/healthz" || path == "/readyz" {
        return next.run(request).await;
    }
    let token = request
        .headers()
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(auth::session_token);
    let user = match token {
        Some(token) => auth::session_user(&state.store.db, &token)
            .await
            .unwrap_or_else(|error| {
                tracing::error!(%error, "session lookup failed");
                None
            }),
        None => None,
    };
    let page =
        *request.method() == Method::GET && (path == "/admin" || path.starts_with("/admin/"));
    match (&user, page, path.as_str()) {
        (Some(_), true, "/admin/login") => return Redirect::to("/admin/leads").into_response(),
        (None, true, login) if login != "/admin/login" => {
            return Redirect::to(&format!("/admin/login?next={}", urlencode(&path))).into_response()
        }
        _ => {}
    }
    if let Some(user) = user {
        request.extensions_mut().insert(user);
    }
    next.run(request).await
}

/// A browser write from another site: `Sec-Fetch-Site` says so, or `Origin` names another host.
/// (SameSite=Lax already keeps the cookie off such requests; this refuses them outright.)
fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let origin_host = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|origin| *origin != "null")
        .map(|origin| origin.split("://").nth(1).unwrap_or(origin).to_string());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin_host, host) {
        (Some(origin), Some(host)) => origin != host,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::session_token)
    {
        if let Err(error) = auth::end_session(&state.store.db, &token).await {
            tracing::error!(%error, "ending session failed");
        }
    }
    let mut response = Redirect::to("/admin/login").into_response();
    if let Ok(cookie) =
        header::HeaderValue::from_str(&auth::cleared_session_cookie(state.config.secure_cookies))
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(serde::Deserialize)]
struct LanguageForm {
    language: String,
}

/// Saves the signed-in user's language and returns to the page they were on.
async fn set_language(State(state): State<AppState>, request: Request) -> Response {
    let Some(user) = request
        .extensions()
        .get::<app::models::CurrentUser>()
        .cloned()
    else {
        return Redirect::to("/admin/login").into_response();
    };
    let back = request
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| referer.find("/admin").map(|at| referer[at..].to_string()))
        .unwrap_or_else(|| "/admin/leads".into());
    let Ok(Form(form)) = Form::<LanguageForm>::from_request(request, &state).await else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "language is required").into_response();
    };
    let Some(locale) = Locale::from_code(&form.language) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "unknown language").into_response();
    };
    if let Err(error) = users::set_language(&state.store, user.id, locale).await {
        return plain_error(error);
    }
    Redirect::to(&back).into_response()
}
