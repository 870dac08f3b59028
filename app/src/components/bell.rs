//! The notification bell: an unread count that follows the live event stream, the newest
//! notifications in a panel, and the count in the page title ("(3) Leads").

use crate::functions::{read_notifications, MarkNotificationsRead};
use crate::i18n::{fill, Locale};
use crate::models::Notification;
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Bell() -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let changed = RwSignal::new(0_u32);
    let read = ServerAction::<MarkNotificationsRead>::new();
    let data = Resource::new(
        move || (changed.get(), read.version().get()),
        |_| read_notifications(),
    );
    // The server formats the title after the page's render, outside its reactive arena (where
    // another request's may be current, or none): the formatter reads a reference-counted
    // signal, which lives outside the arena, the rest of the bell its arena handle.
    let unread_title = ArcRwSignal::new(0_i64);
    let unread = RwSignal::from(unread_title.clone());
    Effect::new(move |_| {
        if let Some(Ok(list)) = data.get() {
            unread.set(list.unread);
        }
    });
    follow(changed);
    let open = RwSignal::new(false);
    let label = move || fill(t.notifications_unread, &[("n", &unread.get())]);
    view! {
        <Title formatter=move |text: String| match unread_title.get() {
            0 => text,
            n => format!("({n}) {text}"),
        } />
        <div class="bell">
            <button type="button" class="bell-button" aria-label=label aria-expanded=move || open.get().to_string()
                aria-controls="notifications-panel" on:click=move |_| open.update(|o| *o = !*o)>
                <svg class="icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor"
                    stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
                    <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0" />
                </svg>
                {move || (unread.get() > 0).then(|| view! { <span class="bell-count" aria-hidden="true">{unread.get()}</span> })}
            </button>
            <div id="notifications-panel" class="bell-panel" role="region" aria-label=t.notifications hidden=move || !open.get()>
                <div class="bell-head">
                    <h2>{t.notifications}</h2>
                    <button type="button" class="btn btn-ghost btn-sm" disabled=move || unread.get() == 0
                        on:click=move |_| { read.dispatch(MarkNotificationsRead { id: None }); }>
                        {t.mark_all_read}
                    </button>
                </div>
                <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                    {move || Suspend::new(async move {
                        let items = data.await.map(|d| d.items).unwrap_or_default();
                        if items.is_empty() {
                            return view! { <p class="muted pad">{t.no_notifications}</p> }.into_any();
                        }
                        view! {
                            <ul class="bell-list">
                                {items.into_iter().map(|item| view! { <NotificationRow item read open locale /> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    })}
                </Transition>
            </div>
        </div>
    }
}

#[component]
fn NotificationRow(
    item: Notification,
    read: ServerAction<MarkNotificationsRead>,
    open: RwSignal<bool>,
    locale: Locale,
) -> impl IntoView {
    let text = item.text(locale);
    let id = item.id;
    let unread = !item.read;
    let href = item.lead_id.map(|lead| format!("/admin/leads/{lead}"));
    view! {
        <li class="bell-item" class:unread=unread>
            <a href=href on:click=move |_| {
                open.set(false);
                if unread {
                    read.dispatch(MarkNotificationsRead { id: Some(id) });
                }
            }>
                <span>{text}</span>
                <span class="sub">{locale.date_time(item.created_at)}</span>
            </a>
        </li>
    }
}

/// Bumps `changed` whenever the server says the unread count changed.
#[cfg(feature = "hydrate")]
fn follow(changed: RwSignal<u32>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    let Ok(source) = EventSource::new("/admin/events?topics=notifications") else {
        return;
    };
    let on_count = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
        changed.update(|n| *n += 1);
    });
    let _ =
        source.add_event_listener_with_callback("notifications", on_count.as_ref().unchecked_ref());
    let held = StoredValue::new_local((source, on_count));
    on_cleanup(move || held.with_value(|(source, _)| source.close()));
}

#[cfg(not(feature = "hydrate"))]
fn follow(_changed: RwSignal<u32>) {}
