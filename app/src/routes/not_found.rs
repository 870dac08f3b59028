//! The page for an address that does not exist.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="centered-page">
            <div class="card narrow">
                <h1>"404"</h1>
                <p>"This page does not exist. / Această pagină nu există."</p>
                <a class="btn btn-primary" href="/admin/leads">"Leadline"</a>
            </div>
        </main>
    }
}
