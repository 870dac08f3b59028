//! What every request handler and server function can reach: the store, config, limits.

use super::attachments::Files;
use super::auth::LoginLimiter;
use super::db::Db;
use super::events::EventBus;
use super::mail::Mailer;
use super::tokens::{ApiLimiter, TokenCache};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::models::{CurrentUser, Role};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// The one door to the data: the database, the bus its changes are announced on, and where
/// attached files are kept.
#[derive(Clone)]
pub struct Store {
    pub db: Db,
    pub events: EventBus,
    pub files: Files,
    /// API tokens presented lately (`tokens::authenticate`).
    pub tokens: TokenCache,
}

impl Store {
    pub fn new(db: Db, files: Files) -> Store {
        Store {
            tokens: TokenCache::new(db.backend),
            db,
            events: EventBus::default(),
            files,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Mark the session cookie `Secure` (set when Leadline is served over HTTPS).
    pub secure_cookies: bool,
    pub session_days: i64,
    /// The address users open Leadline at (`LEADLINE_PUBLIC_URL`), when set: links in emails
    /// and web forms' embed codes use it.
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            session_days: 14,
            public_url: None,
        }
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub config: Arc<Config>,
    pub login_limiter: Arc<LoginLimiter>,
    pub api_limiter: Arc<ApiLimiter>,
    /// Web form submissions per client address.
    pub form_limiter: Arc<super::auth::Limiter<String>>,
    /// Email delivery of notifications, when SMTP is configured.
    pub mailer: Option<Mailer>,
}

/// Who is acting, and so what they may see and change. Every domain function takes one.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub role: Role,
    pub locale: Locale,
}

impl Actor {
    pub fn user(user: &CurrentUser) -> Actor {
        Actor {
            user_id: Some(user.id),
            role: user.role,
            locale: user.locale,
        }
    }

    /// The system itself (CLI, demo data, background jobs): sees everything.
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            role: Role::Admin,
            locale: Locale::En,
        }
    }

    pub fn sees_all(&self) -> bool {
        self.user_id.is_none() || self.role.sees_all_leads()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// `Forbidden` unless the actor is an administrator.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}
