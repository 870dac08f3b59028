//! API tokens as the settings page shows and creates them.

use serde::{Deserialize, Serialize};

/// What a token may do with leads, as the product doc names the permissions.
pub const CAPABILITIES: &[&str] = &["get", "search_get", "post", "put", "delete"];

/// A token as listed (never its secret: only a hash is stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub user_id: i64,
    pub user_name: String,
    pub capabilities: Vec<String>,
    pub expires_at: Option<i64>,
    /// Past its expiry when listed (the browser has no reliable clock of ours).
    pub expired: bool,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
}

/// The create-token form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenForm {
    pub name: String,
    /// The staff user the token acts as (id).
    pub user: String,
    /// Days until it expires; empty for never.
    pub expires_days: String,
    pub capabilities: Vec<String>,
}

/// A token just created: the secret is shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub id: i64,
    pub token: String,
}
