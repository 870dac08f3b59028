//! Small components named for what the user sees.

pub mod bell;
pub mod choice_options;
pub mod copy;
pub mod dialog;
pub mod feedback;
pub mod icons;
pub mod order_buttons;
pub mod shell;
pub mod upload;
