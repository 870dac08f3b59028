//! `/admin/login`: email and password.

use crate::components::feedback::{action_error, error_message};
use crate::error::AppError;
use crate::functions::Login;
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_locale().t();
    let login = ServerAction::<Login>::new();
    let error = action_error(login);
    // A full page load after signing in, so every page renders in the user's own language.
    Effect::new(move |_| {
        if let Some(Ok(next)) = login.value().get() {
            let _ = window().location().set_href(&next);
        }
    });
    view! {
        <Title text=t.sign_in />
        <main class="login-page">
            <div class="login-card">
                <div class="brand brand-dark">
                    <span class="brand-mark">"L"</span>
                    <span class="brand-name">{t.app_name}</span>
                </div>
                <h1>{t.sign_in_title}</h1>
                <ActionForm action=login attr:class="stack" attr:novalidate=true>
                    <label class="field">
                        <span>{t.email}</span>
                        <input type="email" name="email" required autocomplete="username" autofocus />
                    </label>
                    <label class="field">
                        <span>{t.password}</span>
                        <input type="password" name="password" required autocomplete="current-password" />
                    </label>
                    {move || error.get().map(|error| {
                        let message = match error {
                            AppError::Unauthorized => t.wrong_credentials.to_string(),
                            other => error_message(&other),
                        };
                        view! { <p class="alert alert-error" role="alert">{message}</p> }
                    })}
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || login.pending().get()>
                        {t.sign_in}
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}
