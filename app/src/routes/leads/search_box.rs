//! The leads' search box, in the page header: results follow as the user types. It belongs to
//! the filter form of the board or list below (`form=` names it), so Enter, Apply and the
//! other filters send it too; but it is rendered outside the part that each new page of
//! results replaces, so the box keeps its focus and every key typed while a page loads.

use super::board::filters::FILTER_FORM;
use crate::models::encode_query;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// How long typing pauses before the results follow.
const PAUSE_MS: u64 = 300;

#[component]
pub fn SearchBox() -> impl IntoView {
    let t = use_locale().t();
    let query = use_query_map();
    let input = NodeRef::<leptos::html::Input>::new();
    let navigate = use_navigate();
    let typed = query.read_untracked().get("q").unwrap_or_default();

    // A link, Back or "Clear filters" changes the search: the box shows it, unless the user
    // is typing in it (then the box is ahead of the address).
    Effect::new(move |_| {
        let searched = query.read().get("q").unwrap_or_default();
        if let Some(input) = input.get() {
            if !has_focus(&input) && input.value() != searched {
                input.set_value(&searched);
            }
        }
    });

    let pending = StoredValue::new(None::<TimeoutHandle>);
    let search_soon = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let navigate = navigate.clone();
        let handle = set_timeout_with_handle(
            move || {
                if let Some(href) = input.get_untracked().and_then(|input| filters_href(&input)) {
                    if href != current_href() {
                        navigate(
                            &href,
                            NavigateOptions {
                                replace: true,
                                scroll: false,
                                ..Default::default()
                            },
                        );
                    }
                }
            },
            std::time::Duration::from_millis(PAUSE_MS),
        )
        .ok();
        pending.set_value(handle);
    };

    view! {
        <div class="leads-search" role="search">
            <label class="sr-only" for="filter-q">{t.search_board}</label>
            <input id="filter-q" node_ref=input type="search" name="q" form=FILTER_FORM
                autocomplete="off" placeholder=t.search_board value=typed
                on:input=move |_| search_soon() />
        </div>
    }
}

fn has_focus(input: &web_sys::HtmlInputElement) -> bool {
    document()
        .active_element()
        .is_some_and(|active| active == ***input)
}

/// The leads link the filter form (with this box in it) would submit, empty fields left out;
/// without the form (filters that did not parse), the search alone.
fn filters_href(input: &web_sys::HtmlInputElement) -> Option<String> {
    let Some(form) = input.form() else {
        let pairs = [("q".to_string(), input.value())];
        return Some(format!("/admin/leads?{}", encode_query(&pairs)));
    };
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let encoded: String = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)
        .ok()?
        .to_string()
        .into();
    let kept: Vec<&str> = encoded
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.ends_with('='))
        .collect();
    Some(format!("/admin/leads?{}", kept.join("&")))
}

fn current_href() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}
