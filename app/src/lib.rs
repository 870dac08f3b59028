//! Leadline's web app: pages, components and server functions shared by the server (SSR)
//! and the browser (hydration), plus the server-only domain in `server`.

pub mod components;
pub mod error;
pub mod functions;
pub mod i18n;
pub mod models;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use components::shell::AdminShell;
use i18n::Locale;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, SsrMode};
use routes::{leads::LeadsPage, login::LoginPage, settings};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = i18n::request_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(i18n::request_locale());
    let t = use_locale().t();
    view! {
        <Stylesheet id="leptos" href="/pkg/leadline.css" />
        <Title formatter=move |text: String| if text.is_empty() { t.app_name.to_string() } else { format!("{text} · {}", t.app_name) } />
        <Router>
            <Routes fallback=routes::not_found::NotFound>
                <Route path=path!("/") view=|| view! { <Redirect path="/admin/leads" /> } />
                <Route path=path!("/admin/login") view=LoginPage />
                <ParentRoute path=path!("/admin") view=AdminShell>
                    <Route path=path!("") view=|| view! { <Redirect path="/admin/leads" /> } />
                    // Whole pages at once: their data loads in nested steps (view, then board;
                    // a settings page inside its layout), and out-of-order streaming can send a
                    // nested step's chunk before the one it belongs in, which then never shows
                    // and breaks hydration.
                    <Route path=path!("leads") view=LeadsPage ssr=SsrMode::Async />
                    <Route path=path!("leads/new") view=routes::leads::form::NewLeadPage ssr=SsrMode::Async />
                    <Route path=path!("leads/today") view=routes::leads::today::TodayPage ssr=SsrMode::Async />
                    <Route path=path!("leads/trash") view=routes::leads::trash::TrashListPage ssr=SsrMode::Async />
                    <Route path=path!("leads/forms") view=routes::leads::forms::WebFormsPage ssr=SsrMode::Async />
                    <Route path=path!("leads/import") view=routes::leads::import::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("leads/:id") view=routes::leads::record::LeadRecordPage ssr=SsrMode::Async />
                    <Route path=path!("leads/:id/edit") view=routes::leads::form::EditLeadPage ssr=SsrMode::Async />
                    <Route path=path!("clients") view=routes::clients::ClientsPage ssr=SsrMode::Async />
                    <Route path=path!("clients/:id") view=routes::clients::ClientPage ssr=SsrMode::Async />
                    <Route path=path!("opportunities") view=routes::clients::OpportunitiesPage ssr=SsrMode::Async />
                    <Route path=path!("opportunities/:id") view=routes::clients::OpportunityPage ssr=SsrMode::Async />
                    <ParentRoute path=path!("settings") view=settings::SettingsLayout>
                        <Route path=path!("") view=|| view! { <Redirect path="/admin/settings/pipelines" /> } />
                        <Route path=path!("pipelines") view=settings::pipelines::PipelinesPage ssr=SsrMode::Async />
                        <Route path=path!("sources") view=|| view! { <settings::lists::ListPage list=models::ManagedList::Sources /> } ssr=SsrMode::Async />
                        <Route path=path!("lost-reasons") view=|| view! { <settings::lists::ListPage list=models::ManagedList::LostReasons /> } ssr=SsrMode::Async />
                        <Route path=path!("users") view=settings::users::UsersPage ssr=SsrMode::Async />
                        <Route path=path!("leads") view=settings::leads::LeadSettingsPage ssr=SsrMode::Async />
                    </ParentRoute>
                    <ParentRoute path=path!("api") view=settings::SettingsLayout>
                        <Route path=path!("") view=|| view! { <Redirect path="/admin/api/api_management" /> } />
                        <Route path=path!("api_management") view=settings::api_tokens::ApiTokensPage ssr=SsrMode::Async />
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The language of the page being shown (the signed-in user's, else the browser's).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}
