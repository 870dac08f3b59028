//! One module per page.

pub mod clients;
pub mod leads;
pub mod login;
pub mod not_found;
pub mod settings;

/// The `:id` of the current route as a number (0, which no record has, when it is not one).
pub fn use_id_param() -> impl Fn() -> i64 + Copy {
    let params = leptos_router::hooks::use_params_map();
    move || {
        use leptos::prelude::Read;
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    }
}
