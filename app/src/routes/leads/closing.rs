//! The lead page's way out and back: mark lost (a reason from the managed list, a note), mark
//! junk, or reopen into the stage the lead left — the same domain door as the board's.

use crate::components::dialog::Dialog;
use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::functions::{list_entries, CloseLead};
use crate::i18n::fill;
use crate::models::{Closing, Lead, ManagedList};
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn CloseActions(lead: Lead, close: ServerAction<CloseLead>) -> impl IntoView {
    let t = use_locale().t();
    let asking = RwSignal::new(false);
    let (id, version) = (lead.id, lead.version);
    let run = move |closing: Closing| {
        close.dispatch(CloseLead {
            lead: id,
            version,
            closing,
        });
    };
    let closed = lead.lost || lead.junk;
    view! {
        <div class="header-actions">
            {if closed {
                view! {
                    <button type="button" class="btn btn-secondary" on:click=move |_| run(Closing::Reopen)>{t.reopen}</button>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="btn btn-ghost" on:click=move |_| run(Closing::Junk)>{t.mark_junk}</button>
                    <button type="button" class="btn btn-danger" on:click=move |_| asking.set(true)>{t.mark_lost}</button>
                }.into_any()
            }}
        </div>
        <ErrorBanner error=action_error(close) />
        <Show when=move || asking.get()>
            <LostDialog name=lead.name.clone() close run=move |closing| run(closing) on_close=move || asking.set(false) />
        </Show>
    }
    .into_any()
}

#[component]
fn LostDialog(
    name: String,
    close: ServerAction<CloseLead>,
    #[prop(into)] run: Callback<Closing>,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_locale().t();
    let reasons = OnceResource::new(list_entries(ManagedList::LostReasons));
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = action_error(close);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run.run(Closing::Lost {
            reason: reason.get_untracked().parse().ok(),
            note: note.get_untracked(),
        });
    };
    view! {
        <Dialog title=fill(t.mark_lost_title, &[("name", &name)]) on_close>
            <form class="stack" on:submit=submit novalidate>
                <div class="field">
                    <label for="lead-lost-reason">{t.lost_reason}</label>
                    <select id="lead-lost-reason" bind:value=reason required>
                        <option value="">{t.choose}</option>
                        <Transition>
                            {move || Suspend::new(async move {
                                reasons.await.unwrap_or_default().into_iter()
                                    .map(|r| view! { <option value=r.id.to_string()>{r.name}</option> })
                                    .collect_view()
                            })}
                        </Transition>
                    </select>
                    <FieldError error field="lost_reason" />
                </div>
                <div class="field">
                    <label for="lead-lost-note">{t.note}</label>
                    <textarea id="lead-lost-note" rows="3" bind:value=note maxlength="5000"></textarea>
                    <FieldError error field="note" />
                </div>
                <div class="form-actions">
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close()>{t.cancel}</button>
                    <button type="submit" class="btn btn-danger">{t.mark_lost}</button>
                </div>
            </form>
        </Dialog>
    }
    .into_any()
}
