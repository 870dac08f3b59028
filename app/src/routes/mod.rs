//! One module per page.

pub mod clients;
pub mod leads;
pub mod login;
pub mod not_found;
pub mod settings;
