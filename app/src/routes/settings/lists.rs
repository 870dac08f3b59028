//! Sources and lost reasons: one editor for both managed lists.

use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::components::icons::Icon;
use crate::components::order_buttons::OrderButtons;
use crate::functions::{list_entries, EditEntries, EntryCommand};
use crate::models::{ListEntry, ManagedList};
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn ListPage(list: ManagedList) -> impl IntoView {
    let t = use_locale().t();
    let edit = ServerAction::<EditEntries>::new();
    let error = action_error(edit);
    let entries = Resource::new(move || edit.version().get(), move |_| list_entries(list));
    let (title, new_label) = match list {
        ManagedList::Sources => (t.sources, t.new_source),
        ManagedList::LostReasons => (t.lost_reasons, t.new_lost_reason),
    };
    let name = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.dispatch(EditEntries {
            list,
            command: EntryCommand::Create {
                name: name.get_untracked(),
            },
        });
    };
    // Clear the input once the new entry is saved.
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            name.set(String::new());
        }
    });
    view! {
        <section class="card">
            <div class="card-header">
                <h2>{title}</h2>
            </div>
            <ErrorBanner error />
            <form class="inline-form" on:submit=add>
                <label class="sr-only" for="new-entry">{new_label}</label>
                <input id="new-entry" type="text" placeholder=new_label bind:value=name maxlength="100" />
                <button type="submit" class="btn btn-primary">{t.add}</button>
            </form>
            <FieldError error field="name" />
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let entries = entries.await.unwrap_or_default();
                    if entries.is_empty() {
                        return view! { <p class="empty">{t.empty_list}</p> }.into_any();
                    }
                    let last = entries.len() - 1;
                    view! {
                        <ul class="entry-list">
                            {entries
                                .into_iter()
                                .enumerate()
                                .map(|(index, entry)| view! { <EntryRow list entry edit first=index == 0 last=index == last /> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EntryRow(
    list: ManagedList,
    entry: ListEntry,
    edit: ServerAction<EditEntries>,
    first: bool,
    last: bool,
) -> impl IntoView {
    let t = use_locale().t();
    let id = entry.id;
    let editing = RwSignal::new(false);
    let name = RwSignal::new(entry.name.clone());
    let run = move |command: EntryCommand| {
        edit.dispatch(EditEntries { list, command });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run(EntryCommand::Rename {
            id,
            name: name.get_untracked(),
        });
        editing.set(false);
    };
    let can_default = list == ManagedList::Sources && !entry.is_default;
    view! {
        <li class="entry">
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    <span class="entry-name">{name.get()}</span>
                }
            >
                <form class="inline-form grow" on:submit=save>
                    <input type="text" bind:value=name maxlength="100" aria-label=t.rename />
                    <button type="submit" class="btn btn-primary btn-sm">{t.save}</button>
                    <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| editing.set(false)>{t.cancel}</button>
                </form>
            </Show>
            {entry.is_default.then(|| view! { <span class="tag">{t.default_label}</span> })}
            <span class="count" title=t.leads>{format!("{} {}", entry.lead_count, t.leads_total)}</span>
            <span class="row-actions">
                {can_default.then(|| view! {
                    <button type="button" class="icon-btn" title=t.make_default aria-label=t.make_default
                        on:click=move |_| run(EntryCommand::MakeDefault { id })>
                        <Icon name="star" />
                    </button>
                })}
                <button type="button" class="icon-btn" title=t.rename aria-label=t.rename on:click=move |_| editing.set(true)>
                    <Icon name="edit" />
                </button>
                <OrderButtons first last name=entry.name.clone()
                    on_move=move |direction| run(EntryCommand::Move { id, direction })
                    on_delete=move |_| run(EntryCommand::Delete { id }) />
            </span>
        </li>
    }
}
