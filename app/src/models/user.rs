//! Staff users, their roles and the signed-in user.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Manager,
    Sales,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Manager, Role::Sales];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Sales => "sales",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value.trim() {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            "sales" => Some(Role::Sales),
            _ => None,
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        let t = locale.t();
        match self {
            Role::Admin => t.role_admin,
            Role::Manager => t.role_manager,
            Role::Sales => t.role_sales,
        }
    }

    /// Admins and managers see every lead; a sales rep sees their own and public ones.
    pub fn sees_all_leads(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }
}

/// The signed-in staff user, as every page and server function knows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn initials(&self) -> String {
        initials(&self.name)
    }
}

pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A user row on the settings page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub active: bool,
    pub assigned_leads: i64,
}
