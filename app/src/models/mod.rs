//! Types shared by the server and the browser: what pages show and what forms send.

pub mod api;
pub mod board;
pub mod lead;
pub mod settings;
pub mod timeline;
pub mod user;

pub use api::*;
pub use board::*;
pub use lead::*;
pub use settings::*;
pub use timeline::*;
pub use user::*;
