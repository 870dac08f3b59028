//! Staff users: creation with checked input, roles, activation, and the first admin.

use super::auth::hash_password;
use super::board;
use super::db::{now_ms, Db};
use super::state::{Actor, Store};
use crate::error::{AppError, Check};
use crate::i18n::Locale;
use crate::models::{is_email, Choice, CurrentUser, Role, StaffUser};
use sqlx::FromRow;

/// A user row as sessions and API tokens find it (`id, email, name, role, language`).
#[derive(FromRow)]
pub(crate) struct UserRecord {
    id: i64,
    email: String,
    name: String,
    role: String,
    language: String,
}

impl UserRecord {
    pub(crate) fn into_current(self) -> CurrentUser {
        CurrentUser {
            id: self.id,
            email: self.email,
            name: self.name,
            role: Role::parse(&self.role).unwrap_or(Role::Sales),
            locale: Locale::from_code(&self.language).unwrap_or_default(),
        }
    }
}

pub async fn by_session(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<CurrentUser>, AppError> {
    let record: Option<UserRecord> = sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.role, u.language FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    Ok(record.map(UserRecord::into_current))
}

/// An active user by id (e.g. to act again for whoever started a background job).
pub async fn by_id(db: &Db, id: i64) -> Result<Option<CurrentUser>, AppError> {
    let record: Option<UserRecord> = sqlx::query_as(
        "SELECT id, email, name, role, language FROM users WHERE id = $1 AND active = 1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(record.map(UserRecord::into_current))
}

/// An active user and their password hash, for signing in.
pub async fn for_login(db: &Db, email: &str) -> Result<Option<(CurrentUser, String)>, AppError> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRecord,
        password_hash: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, email, name, role, language, password_hash FROM users WHERE email = $1 AND active = 1",
    )
    .bind(normalize_email(email))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|row| (row.user.into_current(), row.password_hash)))
}

/// The id of the active user with this email.
pub async fn id_by_email(db: &Db, email: &str) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND active = 1")
            .bind(normalize_email(email))
            .fetch_optional(&db.pool)
            .await?,
    )
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// What the "new user" form and `leadline user add` send.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: String,
    pub password: String,
    pub language: String,
}

pub async fn create(db: &Db, actor: &Actor, input: NewUser) -> Result<i64, AppError> {
    actor.require_admin()?;
    let t = actor.locale.t();
    let mut check = Check::default();
    let email = normalize_email(&input.email);
    if !is_email(&email) {
        check.add("email", t.err_email);
    }
    let name = input.name.trim();
    if name.is_empty() {
        check.add("name", t.err_required);
    } else if name.chars().count() > 255 {
        check.add(
            "name",
            crate::i18n::fill(
                t.err_too_long,
                &[("max", &255), ("len", &name.chars().count())],
            ),
        );
    }
    let role = Role::parse(&input.role);
    if role.is_none() {
        check.add("role", t.err_required);
    }
    if input.password.chars().count() < 10 {
        check.add("password", t.err_password_short);
    }
    let locale = Locale::from_code(&input.language).unwrap_or_default();
    if check.is_empty() && exists(db, &email).await? {
        check.add("email", t.err_email_taken);
    }
    check.finish()?;
    let role = role.expect("checked above");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, role, language, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
    )
    .bind(email)
    .bind(name.to_string())
    .bind(hash_password(&input.password)?)
    .bind(role.as_str())
    .bind(locale.code())
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

async fn exists(db: &Db, email: &str) -> Result<bool, AppError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email.to_string())
        .fetch_one(&db.pool)
        .await?;
    Ok(count > 0)
}

pub async fn list(db: &Db) -> Result<Vec<StaffUser>, AppError> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        email: String,
        name: String,
        role: String,
        language: String,
        active: i64,
        assigned_leads: i64,
    }
    // Leads per assignee (the trash aside) are kept in `stage_totals`.
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT u.id, u.email, u.name, u.role, u.language, u.active, COALESCE(c.kept_leads, 0) AS assigned_leads \
         FROM users u LEFT JOIN ({kept}) c ON c.kept_key = u.id ORDER BY u.active DESC, u.name",
        kept = board::kept_leads_by("assigned"),
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| StaffUser {
            id: row.id,
            email: row.email,
            name: row.name,
            role: Role::parse(&row.role).unwrap_or(Role::Sales),
            locale: Locale::from_code(&row.language).unwrap_or_default(),
            active: row.active == 1,
            assigned_leads: row.assigned_leads,
        })
        .collect())
}

/// Active users, by name, for assignee pickers.
pub async fn active_names(db: &Db) -> Result<Vec<Choice>, AppError> {
    let users: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM users WHERE active = 1 ORDER BY name")
            .fetch_all(&db.pool)
            .await?;
    Ok(users
        .into_iter()
        .map(|(id, name)| Choice { id, name })
        .collect())
}

/// Changes a user's role and active flag; refuses to leave Leadline without an active admin.
pub async fn update_access(
    store: &Store,
    actor: &Actor,
    id: i64,
    role: Role,
    active: bool,
) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = store.db.begin_write().await?;
    let changed = sqlx::query("UPDATE users SET role = $1, active = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if changed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if !active {
        // Their web forms' leads arrive unassigned rather than not at all.
        sqlx::query("UPDATE web_forms SET assigned = NULL WHERE assigned = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let admins: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1")
            .fetch_one(&mut *tx)
            .await?;
    if admins == 0 {
        return Err(AppError::Refused(actor.locale.t().err_last_admin.into()));
    }
    if !active {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    // The user's API tokens act with the new role from the next request on.
    store.tokens.forget_all(&store.db, tx).await
}

/// The user's language, also of the messages their API tokens get.
pub async fn set_language(store: &Store, user_id: i64, locale: Locale) -> Result<(), AppError> {
    let mut tx = store.db.begin_write().await?;
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
        .bind(locale.code())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    store.tokens.forget_all(&store.db, tx).await
}

pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?)
}

/// What the first start did to make sure someone can sign in.
pub enum Bootstrap {
    AlreadyHadUsers,
    Created {
        email: String,
        generated_password: Option<String>,
    },
}

/// On an empty database, creates the first admin from the given credentials, or with a
/// generated password that the caller prints once.
pub async fn ensure_admin(
    db: &Db,
    email: Option<String>,
    password: Option<String>,
) -> Result<Bootstrap, AppError> {
    if count(db).await? > 0 {
        return Ok(Bootstrap::AlreadyHadUsers);
    }
    let email = email.unwrap_or_else(|| "admin@leadline.local".into());
    let generated = password
        .is_none()
        .then(|| super::auth::random_token()[..20].to_string());
    let password = password
        .or_else(|| generated.clone())
        .expect("one of the two is set");
    let input = NewUser {
        email: email.clone(),
        name: "Administrator".into(),
        role: "admin".into(),
        password,
        language: "en".into(),
    };
    create(db, &Actor::system(), input).await?;
    Ok(Bootstrap::Created {
        email: normalize_email(&email),
        generated_password: generated,
    })
}

/// One of a user's remembered choices (e.g. board or list), if they made it.
pub async fn setting(db: &Db, user_id: i64, key: &str) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT value FROM user_settings WHERE user_id = $1 AND key = $2")
            .bind(user_id)
            .bind(key.to_string())
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Remembers a user's choice. A choice made again writes nothing: every page view with the
/// board or list asked for in its URL remembers it, and on SQLite each commit makes every other
/// connection drop its page cache and memory map (BENCHMARKS.md).
pub async fn remember(db: &Db, user_id: i64, key: &str, value: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO user_settings (user_id, key, value) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value \
         WHERE user_settings.value <> excluded.value",
    )
    .bind(user_id)
    .bind(key.to_string())
    .bind(value.to_string())
    .execute(&db.pool)
    .await?;
    Ok(())
}
