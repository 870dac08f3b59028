//! Server-only code: the data store, the domain rules (the one door every entry point uses),
//! authentication and the live-event bus. Nothing here compiles into the browser bundle.

pub mod attachments;
pub mod auth;
pub mod board;
pub mod bulk;
pub mod conversion;
pub mod custom_fields;
pub mod db;
pub mod events;
pub mod form;
pub mod import;
mod inline_read;
pub mod leads;
pub mod list;
pub mod mail;
pub mod notifications;
pub mod privacy;
pub mod queue;
mod record_batches;
pub mod records;
pub mod reminders;
pub mod search;
pub mod settings;
pub mod state;
pub mod timeline;
pub mod tokens;
pub mod users;
pub mod views;
pub mod web_forms;

pub use db::{now_ms, Backend, Db, Sql, Tx};
pub use state::{Actor, AppState, Config, Store};
