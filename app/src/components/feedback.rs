//! How errors and confirmations are shown: a banner for the whole form, a line under a field.

use crate::error::AppError;
use crate::use_locale;
use leptos::prelude::*;

/// The message a user reads for an error, in their language where it is ours.
pub fn error_message(error: &AppError) -> String {
    let t = use_locale().t();
    match error {
        AppError::TooManyRequests { .. } => t.too_many_attempts.to_string(),
        AppError::Unauthorized => format!("{} — /admin/login", t.sign_in),
        AppError::Forbidden => t.admin_only.to_string(),
        other => other.to_string(),
    }
}

/// A banner with the error of the last action, if it failed with anything but field errors.
#[component]
pub fn ErrorBanner(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Validation(_)))
            .map(|error| {
                view! { <p class="alert alert-error" role="alert">{error_message(&error)}</p> }
            })
    }
}

/// The message for one field of a failed form, under that field.
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|e| e.field_errors().and_then(|fields| fields.get(field).cloned()))
            .map(|message| view! { <p class="field-error" id=format!("{field}-error")>{message}</p> })
    }
}

/// The error of the last run of a server action, as a signal.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}
