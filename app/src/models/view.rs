//! Saved views: a filtered, sorted list under a name, private or shared with the team.

use serde::{Deserialize, Serialize};

/// The longest view name (characters).
pub const MAX_VIEW_NAME: usize = 80;

/// A saved view as its menu shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    /// Shown to every user, not only its owner.
    pub shared: bool,
    /// The leads page's query string (`view=list&source=3&sort=value&dir=desc`).
    pub query: String,
    /// Whether the reader saved it (and so may delete it).
    pub mine: bool,
    /// Who saved it, for a shared view of someone else.
    pub owner: String,
}

impl SavedView {
    pub fn href(&self) -> String {
        format!("/admin/leads?{}", self.query)
    }
}
