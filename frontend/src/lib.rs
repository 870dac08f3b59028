//! The browser entry point: hydrates the server-rendered page with the same `App`.

// The view types of the pages nest deeply; the default limit is too low for their layout.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A mark for tests and scripts that must wait until clicks reach the app's handlers.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
