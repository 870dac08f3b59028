//! API tokens: created by an admin (or the CLI) for a staff user, with capabilities and an
//! optional expiry; shown once, stored as a SHA-256 hash, revocable at once. A request with a
//! token acts as its user, in that user's visibility scope.

use super::auth::{random_token, token_hash};
use super::db::{now_ms, Backend, Db, Tx};
use super::state::{Actor, Store};
use super::users::UserRecord;
use crate::error::{AppError, Check};
use crate::i18n::fill;
use crate::models::{parse_text, ApiToken, CreatedToken, CurrentUser, TokenForm, CAPABILITIES};
use sqlx::FromRow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

const DAY_MS: i64 = 86_400_000;
/// `last_used_at` is written at most this often per token, so reads stay reads.
const LAST_USED_EVERY_MS: i64 = 60_000;
/// Every token starts with this, so a leaked one is recognisable (e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "ll_";

/// The user a valid token acts as, and what it may do.
#[derive(Debug, Clone)]
pub struct TokenUser {
    pub token_id: i64,
    pub user: CurrentUser,
    pub capabilities: Vec<String>,
}

impl TokenUser {
    pub fn may(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }

    pub fn actor(&self) -> Actor {
        Actor::user(&self.user)
    }
}

/// Checks the form and creates the token; the secret is in the answer and nowhere else.
pub async fn create(db: &Db, actor: &Actor, form: &TokenForm) -> Result<CreatedToken, AppError> {
    actor.require_admin()?;
    let t = actor.locale.t();
    let mut check = Check::default();
    let name = match parse_text(&form.name, 100, actor.locale) {
        Ok(Some(name)) => Some(name),
        Ok(None) => {
            check.add("name", t.err_required);
            None
        }
        Err(message) => {
            check.add("name", message);
            None
        }
    };
    let user: Option<i64> = match form.user.trim().parse::<i64>() {
        Ok(id) => {
            let active: Option<i64> =
                sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND active = 1")
                    .bind(id)
                    .fetch_optional(&db.pool)
                    .await?;
            if active.is_none() {
                check.add("user", t.err_missing_ref);
            }
            active
        }
        Err(_) => {
            check.add("user", t.err_required);
            None
        }
    };
    let expires_days = match form.expires_days.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(days) if (1..=3650).contains(&days) => Some(days),
            _ => {
                check.add(
                    "expires_days",
                    fill(t.err_range, &[("min", &"1"), ("max", &"3650")]),
                );
                None
            }
        },
    };
    let mut capabilities: Vec<String> = Vec::new();
    for capability in &form.capabilities {
        if !CAPABILITIES.contains(&capability.as_str()) {
            check.add(
                "capabilities",
                fill(t.err_unknown_capability, &[("name", capability)]),
            );
        } else if !capabilities.contains(capability) {
            capabilities.push(capability.clone());
        }
    }
    if form.capabilities.is_empty() {
        check.add("capabilities", t.err_required);
    }
    check.finish()?;
    let (Some(name), Some(user)) = (name, user) else {
        unreachable!("a missing name or user is a field error above");
    };
    // Stored in the documented order, whatever order they were ticked in.
    let capabilities: Vec<&str> = CAPABILITIES
        .iter()
        .copied()
        .filter(|c| capabilities.iter().any(|chosen| chosen == c))
        .collect();
    let now = now_ms();
    let token = format!("{TOKEN_PREFIX}{}", random_token());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (name, user_id, token_hash, capabilities, expires_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(name)
    .bind(user)
    .bind(token_hash(&token))
    .bind(capabilities.join(","))
    .bind(expires_days.map(|days| now + days * DAY_MS))
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    Ok(CreatedToken { id, token })
}

/// Every token, newest first, with the user it acts as.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
    actor.require_admin()?;
    #[derive(FromRow)]
    struct Row {
        id: i64,
        name: String,
        user_id: i64,
        user_name: String,
        capabilities: String,
        expires_at: Option<i64>,
        revoked_at: Option<i64>,
        last_used_at: Option<i64>,
        created_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.name, t.user_id, u.name AS user_name, t.capabilities, t.expires_at, t.revoked_at, \
         t.last_used_at, t.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         ORDER BY t.created_at DESC, t.id DESC",
    )
    .fetch_all(&db.pool)
    .await?;
    let now = now_ms();
    Ok(rows
        .into_iter()
        .map(|r| ApiToken {
            expired: r.expires_at.is_some_and(|at| at <= now),
            id: r.id,
            name: r.name,
            user_id: r.user_id,
            user_name: r.user_name,
            capabilities: split(&r.capabilities),
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            last_used_at: r.last_used_at,
            created_at: r.created_at,
        })
        .collect())
}

/// Revokes a token: the next request with it is refused, in every process.
pub async fn revoke(store: &Store, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = store.db.begin_write().await?;
    let done =
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    store.tokens.forget_all(&store.db, tx).await
}

/// Tokens presented lately, by hash, with the user each acts as: a request with a known token
/// costs no query. Whatever could change that answer — a revoked token; a user's role, active
/// flag or language — empties it as it commits (`forget_all`): in this process at once, in the
/// others on the same PostgreSQL through a NOTIFY sent in the changing transaction. A process
/// that is not listening (its listener is reconnecting) does not trust the cache meanwhile, so
/// revoking is immediate everywhere. Unknown tokens are never cached.
#[derive(Clone)]
pub struct TokenCache {
    entries: Arc<RwLock<HashMap<String, Known>>>,
    /// Whether every change made by another process reaches `entries` (always, on SQLite:
    /// one process).
    trusted: Arc<AtomicBool>,
    /// Counts the clearings: a token read from the database before a clearing is not kept
    /// after it (it may have been revoked in between).
    generation: Arc<AtomicU64>,
}

#[derive(Clone)]
struct Known {
    user: TokenUser,
    expires_at: Option<i64>,
    last_used_at: i64,
}

/// The PostgreSQL channel on which a change of tokens or users is announced.
const AUTH_CHANNEL: &str = "leadline_auth_changes";

impl TokenCache {
    pub fn new(backend: Backend) -> TokenCache {
        TokenCache {
            entries: Arc::default(),
            trusted: Arc::new(AtomicBool::new(backend == Backend::Sqlite)),
            generation: Arc::default(),
        }
    }

    fn get(&self, hash: &str) -> Option<Known> {
        if !self.trusted.load(Ordering::Acquire) {
            return None;
        }
        self.entries.read().ok()?.get(hash).cloned()
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps what was read from the database at `generation`, unless the cache was cleared since.
    fn keep(&self, hash: String, known: Known, generation: u64) {
        if let Ok(mut entries) = self.entries.write() {
            if self.generation() == generation {
                entries.insert(hash, known);
            }
        }
    }

    fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            entries.clear();
        }
    }

    /// Commits `tx`, a change to tokens or users, and empties this cache and every other
    /// process's.
    pub async fn forget_all(&self, db: &Db, mut tx: Tx) -> Result<(), AppError> {
        db.notify(&mut tx, AUTH_CHANNEL, &[String::new()]).await?;
        tx.commit().await?;
        self.clear();
        Ok(())
    }

    /// Follows the other processes' changes (PostgreSQL only) until the process ends: the
    /// cache is trusted only while the listener listens, and emptied whenever it (re)starts.
    pub async fn follow(&self, db: &Db) -> Result<(), sqlx::Error> {
        let Some(mut listener) = db.listen(AUTH_CHANNEL).await? else {
            return Ok(());
        };
        self.clear();
        self.trusted.store(true, Ordering::Release);
        let cache = self.clone();
        let db = db.clone();
        tokio::spawn(async move {
            loop {
                // `try_recv` says when the connection was lost (`recv` would reconnect silently,
                // and what was sent meanwhile would be missed unnoticed).
                match listener.try_recv().await {
                    Ok(Some(_)) => cache.clear(),
                    lost => {
                        let error = lost.err().map(|e| e.to_string()).unwrap_or_default();
                        tracing::warn!(%error, "token cache: listener lost, reconnecting");
                        cache.trusted.store(false, Ordering::Release);
                        cache.clear();
                        loop {
                            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                            if let Ok(Some(fresh)) = db.listen(AUTH_CHANNEL).await {
                                listener = fresh;
                                break;
                            }
                        }
                        // Changes made while nobody listened were missed: start empty.
                        cache.clear();
                        cache.trusted.store(true, Ordering::Release);
                    }
                }
            }
        });
        Ok(())
    }
}

/// The user and capabilities of a presented token, or `Unauthorized` when it is unknown,
/// revoked, expired, or its user was deactivated.
pub async fn authenticate(store: &Store, token: &str) -> Result<TokenUser, AppError> {
    let hash = token_hash(token.trim());
    let now = now_ms();
    let cache = &store.tokens;
    if let Some(known) = cache.get(&hash) {
        if known.expires_at.is_some_and(|at| at <= now) {
            return Err(AppError::Unauthorized);
        }
        if now - known.last_used_at >= LAST_USED_EVERY_MS {
            let generation = cache.generation();
            touch(&store.db, known.user.token_id, now).await?;
            let used = Known {
                last_used_at: now,
                ..known.clone()
            };
            cache.keep(hash, used, generation);
        }
        return Ok(known.user);
    }
    let generation = cache.generation();
    let (user, expires_at) = look_up(&store.db, &hash, now).await?;
    let known = Known {
        user: user.clone(),
        expires_at,
        last_used_at: now,
    };
    cache.keep(hash, known, generation);
    Ok(user)
}

async fn touch(db: &Db, token: i64, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(token)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A token by its hash, from the database (and its last use recorded, at most once a minute).
async fn look_up(db: &Db, hash: &str, now: i64) -> Result<(TokenUser, Option<i64>), AppError> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRecord,
        token_id: i64,
        capabilities: String,
        last_used_at: Option<i64>,
        expires_at: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.role, u.language, t.id AS token_id, t.capabilities, t.last_used_at, \
         t.expires_at \
         FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) \
         AND u.active = 1",
    )
    .bind(hash.to_string())
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    let row = row.ok_or(AppError::Unauthorized)?;
    if row
        .last_used_at
        .is_none_or(|at| now - at >= LAST_USED_EVERY_MS)
    {
        touch(db, row.token_id, now).await?;
    }
    let user = TokenUser {
        token_id: row.token_id,
        user: row.user.into_current(),
        capabilities: split(&row.capabilities),
    };
    Ok((user, row.expires_at))
}

fn split(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Requests per minute per token; over it, the API answers 429 with `Retry-After`.
pub type ApiLimiter = super::auth::Limiter<i64>;

/// What an `Idempotency-Key` on a create says to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Replay {
    /// First use of the key: run the request, then `remember` its answer.
    Fresh,
    /// The key's request already ran: answer with what it answered.
    Done { status: u16, body: String },
    /// The key's first request is still running.
    InFlight,
    /// The key was used with a different request body.
    Mismatch,
}

const IDEMPOTENCY_KEEP_MS: i64 = DAY_MS;
/// A first request that has not answered in this long is taken to have died.
const IDEMPOTENCY_ABANDONED_MS: i64 = 60_000;

/// Claims `key` for this token's request (identified by `request_hash`), or finds its answer.
pub async fn claim_idempotency(
    db: &Db,
    token_id: i64,
    key: &str,
    request_hash: &str,
) -> Result<Replay, AppError> {
    let now = now_ms();
    sqlx::query(
        "DELETE FROM api_idempotency WHERE token_id = $1 AND key = $2 \
         AND (created_at < $3 OR (status = 0 AND created_at < $4))",
    )
    .bind(token_id)
    .bind(key.to_string())
    .bind(now - IDEMPOTENCY_KEEP_MS)
    .bind(now - IDEMPOTENCY_ABANDONED_MS)
    .execute(&db.pool)
    .await?;
    let claimed = sqlx::query(
        "INSERT INTO api_idempotency (token_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (token_id, key) DO NOTHING",
    )
    .bind(token_id)
    .bind(key.to_string())
    .bind(request_hash.to_string())
    .bind(now)
    .execute(&db.pool)
    .await?;
    if claimed.rows_affected() == 1 {
        return Ok(Replay::Fresh);
    }
    let (hash, status, body): (String, i64, Option<String>) = sqlx::query_as(
        "SELECT request_hash, status, body FROM api_idempotency WHERE token_id = $1 AND key = $2",
    )
    .bind(token_id)
    .bind(key.to_string())
    .fetch_one(&db.pool)
    .await?;
    Ok(if hash != request_hash {
        Replay::Mismatch
    } else if status == 0 {
        Replay::InFlight
    } else {
        Replay::Done {
            status: u16::try_from(status).unwrap_or(500),
            body: body.unwrap_or_default(),
        }
    })
}

/// Records the answer of a claimed key's request.
pub async fn remember_idempotency(
    db: &Db,
    token_id: i64,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE api_idempotency SET status = $1, body = $2 WHERE token_id = $3 AND key = $4",
    )
    .bind(i64::from(status))
    .bind(body.to_string())
    .bind(token_id)
    .bind(key.to_string())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Frees a claimed key whose request failed on our side, so a retry runs it again.
pub async fn release_idempotency(db: &Db, token_id: i64, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM api_idempotency WHERE token_id = $1 AND key = $2 AND status = 0")
        .bind(token_id)
        .bind(key.to_string())
        .execute(&db.pool)
        .await?;
    Ok(())
}
