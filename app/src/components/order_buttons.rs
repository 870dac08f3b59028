//! The buttons at the end of an ordered settings row: move up, move down, delete.

use super::icons::Icon;
use crate::models::Direction;
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn OrderButtons(
    first: bool,
    last: bool,
    /// The name of what the row holds, for the delete button's label and confirmation.
    name: String,
    #[prop(into)] on_move: Callback<Direction>,
    #[prop(into)] on_delete: Callback<()>,
    /// The caller asks its own question before deleting (a dialog), instead of a plain confirm.
    #[prop(optional)]
    asks_itself: bool,
) -> impl IntoView {
    let t = use_locale().t();
    let question = crate::i18n::fill(t.confirm_delete, &[("name", &name)]);
    let delete = move |_| {
        if asks_itself || window().confirm_with_message(&question).unwrap_or(false) {
            on_delete.run(());
        }
    };
    view! {
        <button type="button" class="icon-btn" title=t.move_up aria-label=t.move_up disabled=first
            on:click=move |_| on_move.run(Direction::Up)>
            <Icon name="up" />
        </button>
        <button type="button" class="icon-btn" title=t.move_down aria-label=t.move_down disabled=last
            on:click=move |_| on_move.run(Direction::Down)>
            <Icon name="down" />
        </button>
        <button type="button" class="icon-btn danger" title=t.delete aria-label=format!("{} {name}", t.delete)
            on:click=delete>
            <Icon name="trash" />
        </button>
    }
}
