//! The `leadline` server: configuration, the HTTP router (pages, server functions, health),
//! session middleware, the CLI and demo data. The domain itself lives in `app::server`.

#![recursion_limit = "256"] // serde_json::json! of a whole lead row (api/row.rs)

pub mod api;
pub mod attachments;
pub mod cli;
pub mod config;
pub mod demo;
pub mod export;
pub mod http;
pub mod import;
pub mod live;
pub mod privacy;
pub mod telemetry;
pub mod web_forms;

pub use config::Settings;
pub use http::{build_router, start};
