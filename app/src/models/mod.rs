//! Types shared by the server and the browser: what pages show and what forms send.

pub mod api;
pub mod attachment;
pub mod board;
pub mod bulk;
pub mod conversion;
pub mod custom_field;
pub mod form;
pub mod lead;
pub mod list;
pub mod notification;
pub mod queue;
pub mod reminder;
pub mod settings;
pub mod timeline;
pub mod user;
pub mod view;

pub use api::*;
pub use attachment::*;
pub use board::*;
pub use bulk::*;
pub use conversion::*;
pub use custom_field::*;
pub use form::*;
pub use lead::*;
pub use list::*;
pub use notification::*;
pub use queue::*;
pub use reminder::*;
pub use settings::*;
pub use timeline::*;
pub use user::*;
pub use view::*;
