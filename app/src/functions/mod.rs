//! Server functions: thin doors from the pages to the domain (`crate::server`). Each one finds
//! the signed-in user, calls one domain function and hands back its result or error.

pub mod api;
pub mod auth;
pub mod board;
pub mod clients;
pub mod leads;
pub mod settings;
pub mod web_forms;

pub use api::*;
pub use auth::*;
pub use board::*;
pub use clients::*;
pub use leads::*;
pub use settings::*;
pub use web_forms::*;

#[cfg(feature = "ssr")]
pub(crate) mod ctx {
    use crate::error::AppError;
    use crate::models::CurrentUser;
    use crate::server::{auth, Actor, AppState};

    pub fn state() -> Result<AppState, AppError> {
        leptos::prelude::use_context::<AppState>()
            .ok_or_else(|| AppError::Internal("no app state".into()))
    }

    /// The app state and the signed-in user acting, or `Unauthorized`.
    pub fn signed_in() -> Result<(AppState, CurrentUser, Actor), AppError> {
        let user = auth::require_user()?;
        let actor = Actor::user(&user);
        Ok((state()?, user, actor))
    }
}
