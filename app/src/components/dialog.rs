//! A modal dialog, for the questions an action asks before it runs.

use leptos::html;
use leptos::prelude::*;

/// A modal dialog: focus moves into it, Escape or the backdrop closes it.
#[component]
pub fn Dialog(
    title: String,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if let Ok(Some(first)) =
                dialog.query_selector("input, select, textarea, button:not([disabled])")
            {
                if let Ok(first) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(first) {
                    let _ = first.focus();
                }
            }
        }
    });
    view! {
        <div class="modal-backdrop" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                on_close();
            }
        }>
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="dialog-title" node_ref=dialog
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        on_close();
                    }
                }>
                <h2 id="dialog-title">{title}</h2>
                {children()}
            </div>
        </div>
    }
}
