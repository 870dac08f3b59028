//! Types shared by the server and the browser: what pages show and what forms send.

pub mod board;
pub mod lead;
pub mod settings;
pub mod user;

pub use board::*;
pub use lead::*;
pub use settings::*;
pub use user::*;
