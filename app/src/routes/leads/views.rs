//! The list's saved views: reopen one from the menu, save the current filters and sort under
//! a name (private, or shared with the team), delete your own.

use crate::components::feedback::FieldError;
use crate::error::AppError;
use crate::functions::{delete_view, read_saved_views, save_view};
use crate::i18n::Locale;
use crate::models::{SavedView, MAX_VIEW_NAME};
use leptos::prelude::*;

#[component]
pub fn ViewsMenu(
    /// The current list's query string (without the page).
    current: String,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let error = RwSignal::new(None::<AppError>);
    // Read when the menu first opens (and after each change), never while the page renders.
    let views = RwSignal::new(None::<Vec<SavedView>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            match read_saved_views().await {
                Ok(list) => views.set(Some(list)),
                Err(refused) => error.set(Some(refused)),
            }
        });
    };
    let name = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let current = StoredValue::new(current);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (view_name, view_shared) = (name.get_untracked(), shared.get_untracked());
        leptos::task::spawn_local(async move {
            match save_view(view_name, view_shared, current.get_value()).await {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    saved.set(true);
                    load();
                }
                Err(refused) => error.set(Some(refused)),
            }
        });
    };
    let remove = move |id: i64| {
        leptos::task::spawn_local(async move {
            if let Err(refused) = delete_view(id).await {
                error.set(Some(refused));
            }
            load();
        });
    };
    view! {
        <details class="columns-menu views-menu" on:toggle=move |_| {
            if views.with_untracked(Option::is_none) {
                load();
            }
        }>
            <summary class="btn btn-ghost btn-sm">{t.saved_views}</summary>
            <div class="columns-panel views-panel">
                {move || match views.get() {
                    None => view! { <p class="muted pad-sm">{t.loading}</p> }.into_any(),
                    Some(list) if list.is_empty() => view! { <p class="muted pad-sm">{t.no_saved_views}</p> }.into_any(),
                    Some(list) => view! {
                        <ul class="views-list">
                            {list.into_iter().map(|v| view! { <ViewItem view=v locale remove /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
                <form class="view-save" on:submit=save novalidate>
                    <label for="view-name">{t.save_view_as}</label>
                    <input id="view-name" type="text" bind:value=name maxlength=MAX_VIEW_NAME.to_string()
                        on:input=move |_| saved.set(false) />
                    <FieldError error=error field="name" />
                    <label class="check">
                        <input type="checkbox" bind:checked=shared />
                        {t.share_with_team}
                    </label>
                    <button type="submit" class="btn btn-primary btn-sm">{t.save_view}</button>
                    {move || saved.get().then(|| view! { <p class="muted" role="status">{t.view_saved}</p> })}
                </form>
            </div>
        </details>
    }
}

#[component]
fn ViewItem(
    view: SavedView,
    locale: Locale,
    remove: impl Fn(i64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = locale.t();
    let id = view.id;
    let note = if view.mine {
        view.shared.then_some(t.shared)
    } else {
        None
    };
    let owner = (!view.mine).then(|| view.owner.clone());
    view! {
        <li>
            <a href=view.href()>{view.name.clone()}</a>
            {note.map(|n| view! { <span class="tag tag-muted">{n}</span> })}
            {owner.map(|o| view! { <span class="muted sub-inline">{o}</span> })}
            {view.mine.then(|| view! {
                <button type="button" class="btn btn-ghost btn-xs" aria-label=format!("{} {}", t.delete, view.name)
                    on:click=move |_| remove(id)>"×"</button>
            })}
        </li>
    }
}
