//! A read-only value with a Copy button: an API token shown once, a form's embed code.

use crate::use_locale;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn CopyInput(value: String, label: &'static str) -> impl IntoView {
    let t = use_locale().t();
    let input = NodeRef::<leptos::html::Input>::new();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(input) = input.get() {
            input.select();
            let done = document()
                .dyn_into::<web_sys::HtmlDocument>()
                .ok()
                .and_then(|doc| doc.exec_command("copy").ok())
                .unwrap_or(false);
            copied.set(done);
        }
    };
    view! {
        <div class="inline-form copy-input">
            <input type="text" readonly value=value node_ref=input class="mono" aria-label=label
                on:focus=move |_| { if let Some(input) = input.get() { input.select(); } } />
            <button type="button" class="btn btn-secondary" on:click=copy>
                {move || if copied.get() { t.copied } else { t.copy }}
            </button>
        </div>
    }
}
