//! Passwords (argon2id), database-backed sessions, the login rate limit, and finding the
//! signed-in user of the current request.

use super::db::{now_ms, Db};
use super::users;
use crate::error::AppError;
use crate::models::CurrentUser;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};
use std::num::NonZeroU32;

pub const SESSION_COOKIE: &str = "leadline_session";

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AppError::Internal(format!("password hashing failed: {error}")))
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A stored hash to verify against when the email is unknown, so a wrong email takes as long
/// as a wrong password and does not reveal which accounts exist.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that never matches").expect("hashing works"))
}

/// A random secret of 32 bytes as 64 hex characters (session cookies, API tokens, passwords).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Secrets are stored only as their SHA-256: a leaked table grants nothing.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn create_session(db: &Db, user_id: i64, days: i64) -> Result<String, AppError> {
    let token = random_token();
    let now = now_ms();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(now)
        .bind(now + days * 86_400_000)
        .execute(&db.pool)
        .await?;
    Ok(token)
}

/// The active user behind a session cookie, if the session exists and has not expired.
pub async fn session_user(db: &Db, token: &str) -> Result<Option<CurrentUser>, AppError> {
    users::by_session(db, &token_hash(token), now_ms()).await
}

pub async fn end_session(db: &Db, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub fn session_cookie(token: &str, days: i64, secure: bool) -> String {
    cookie::Cookie::build((SESSION_COOKIE, token.to_string()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::days(days))
        .build()
        .to_string()
}

pub fn cleared_session_cookie(secure: bool) -> String {
    cookie::Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// The session token from a `Cookie` header.
pub fn session_token(cookie_header: &str) -> Option<String> {
    cookie::Cookie::split_parse(cookie_header)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// A quota of requests per minute per key (a token, an email address, a client address), all
/// of which may come at once; over it, `check` says how many seconds to wait.
pub struct Limiter<K: std::hash::Hash + Eq + Clone> {
    keyed: DefaultKeyedRateLimiter<K>,
}

impl<K: std::hash::Hash + Eq + Clone> Limiter<K> {
    pub fn new(per_minute: u32) -> Limiter<K> {
        let per_minute = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        Limiter {
            keyed: RateLimiter::keyed(Quota::per_minute(per_minute)),
        }
    }

    /// `Err(seconds to wait)` when `key` is over its quota.
    pub fn check(&self, key: &K) -> Result<(), u64> {
        self.keyed.check_key(key).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}

/// Sign-in attempts per email address and per client address, so neither one account nor
/// one machine can guess passwords quickly. A client address gets five times the quota of an
/// email address: a whole office may sign in from behind one address.
pub struct LoginLimiter {
    per_email: Limiter<String>,
    per_client: Limiter<String>,
}

impl LoginLimiter {
    /// `per_minute` attempts per email address, all of which may come at once.
    pub fn new(per_minute: u32) -> LoginLimiter {
        LoginLimiter {
            per_email: Limiter::new(per_minute),
            per_client: Limiter::new(per_minute.saturating_mul(5)),
        }
    }

    /// `Err(seconds to wait)` when the email or the client address is over its quota.
    pub fn check(&self, email: &str, client: &str) -> Result<(), u64> {
        self.per_email.check(&email.to_string())?;
        self.per_client.check(&client.to_string())
    }
}

/// The signed-in user of the request being handled (page render or server function),
/// as the session middleware found it.
pub fn current_user() -> Option<CurrentUser> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
}

pub fn require_user() -> Result<CurrentUser, AppError> {
    current_user().ok_or(AppError::Unauthorized)
}

pub fn require_admin() -> Result<CurrentUser, AppError> {
    let user = require_user()?;
    if user.is_admin() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}
