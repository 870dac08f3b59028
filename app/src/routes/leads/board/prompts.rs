//! The board's dialogs: the fields a stage asks for on drop, the lost reason, and "Move to…".

use super::state::{BoardState, Prompt};
use crate::components::dialog::Dialog;
use crate::i18n::fill;
use crate::models::{Card, Closing, LeadInput, LeadStatus};
use crate::use_locale;
use leptos::prelude::*;

/// Whichever dialog the board has open.
#[component]
pub fn PromptHost() -> impl IntoView {
    let state = expect_context::<BoardState>();
    move || {
        state.prompt.get().map(|prompt| match prompt {
            Prompt::Required { card, errors, .. } => {
                view! { <RequiredFields card errors /> }.into_any()
            }
            Prompt::Lost { card, error, .. } => view! { <LostReason card error /> }.into_any(),
            Prompt::MoveTo { card } => view! { <MoveToMenu card /> }.into_any(),
        })
    }
}

/// The target stage's missing fields, asked for on drop; the move and the fields commit together.
#[component]
fn RequiredFields(card: Card, errors: Vec<(String, String)>) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let locale = use_locale();
    let t = locale.t();
    let stage = state
        .locate(card.id)
        .map(|(i, _)| state.stage_name(i))
        .unwrap_or_default();
    let fields: Vec<(String, String, RwSignal<String>)> = errors
        .into_iter()
        .map(|(field, message)| (field, message, RwSignal::new(String::new())))
        .collect();
    let values = fields
        .iter()
        .map(|(field, _, value)| (field.clone(), *value))
        .collect::<Vec<_>>();
    let lead = card.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut input = LeadInput::default();
        for (field, value) in &values {
            input.set(field, value.get_untracked());
        }
        if let Some(Prompt::Required { snapshot, .. }) = state.prompt.get_untracked() {
            state.commit(lead, snapshot, input);
        }
    };
    let cancel = move || state.cancel_prompt();
    view! {
        <Dialog title=fill(t.required_title, &[("stage", &stage)]) on_close=cancel>
            <form class="stack" on:submit=submit>
                <p class="muted">{fill(t.required_intro, &[("name", &card.name)])}</p>
                {fields
                    .into_iter()
                    .map(|(field, message, value)| view! { <RequiredField field message value /> })
                    .collect_view()}
                <div class="form-actions">
                    <button type="button" class="btn btn-ghost" on:click=move |_| cancel()>{t.cancel}</button>
                    <button type="submit" class="btn btn-primary">{t.move_action}</button>
                </div>
            </form>
        </Dialog>
    }
}

#[component]
fn RequiredField(field: String, message: String, value: RwSignal<String>) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let locale = use_locale();
    let t = locale.t();
    let id = format!("required-{field}");
    let error_id = format!("{id}-error");
    let label = locale.field_label(&field);
    let input = match field.as_str() {
        "source" | "assigned" => {
            let choices = if field == "source" {
                state.sources.get_value()
            } else {
                state.users.get_value()
            };
            view! {
                <select id=id.clone() bind:value=value aria-describedby=error_id.clone() required>
                    <option value="">{t.choose}</option>
                    {choices.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                </select>
            }
            .into_any()
        }
        "lead_value" => view! {
            <input id=id.clone() type="text" inputmode="decimal" bind:value=value aria-describedby=error_id.clone() required />
        }
        .into_any(),
        "description" => view! {
            <textarea id=id.clone() rows="3" bind:value=value aria-describedby=error_id.clone() required></textarea>
        }
        .into_any(),
        _ => view! {
            <input id=id.clone() type="text" bind:value=value aria-describedby=error_id.clone() required />
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

/// Why the lead was lost (from the managed list) and an optional note.
#[component]
fn LostReason(card: Card, error: Option<String>) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let locale = use_locale();
    let t = locale.t();
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let lead = card.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.close(
            lead,
            Closing::Lost {
                reason: reason.get_untracked().parse().ok(),
                note: note.get_untracked(),
            },
        );
    };
    let cancel = move || state.cancel_prompt();
    view! {
        <Dialog title=fill(t.mark_lost_title, &[("name", &card.name)]) on_close=cancel>
            <form class="stack" on:submit=submit>
                <div class="field">
                    <label for="lost-reason">{t.lost_reason}</label>
                    <select id="lost-reason" bind:value=reason required aria-describedby="lost-reason-error">
                        <option value="">{t.choose}</option>
                        {state.lost_reasons.get_value().into_iter()
                            .map(|c| view! { <option value=c.id.to_string()>{c.name}</option> })
                            .collect_view()}
                    </select>
                    {error.map(|e| view! { <p class="field-error" id="lost-reason-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="lost-note">{t.note}</label>
                    <textarea id="lost-note" rows="3" bind:value=note maxlength="5000"></textarea>
                </div>
                <div class="form-actions">
                    <button type="button" class="btn btn-ghost" on:click=move |_| cancel()>{t.cancel}</button>
                    <button type="submit" class="btn btn-danger">{t.mark_lost}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Every stage of the pipeline, then lost and junk (or reopen, on the lost and junk boards).
#[component]
fn MoveToMenu(card: Card) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let t = use_locale().t();
    let lead = card.id;
    let status = state.filter.with_value(|f| f.status);
    let close = move || state.prompt.set(None);
    let stages = state.columns.with_value(|columns| {
        columns
            .iter()
            .map(|c| c.stage.get_value())
            .collect::<Vec<_>>()
    });
    let current = card.stage_id;
    view! {
        <Dialog title=fill(t.move_name_to, &[("name", &card.name)]) on_close=close>
            <ul class="menu-list">
                {(status == LeadStatus::Open).then(|| stages.into_iter().map(|stage| {
                    let here = stage.id == current;
                    let id = stage.id;
                    view! {
                        <li>
                            <button type="button" class="menu-item" style=format!("--stage: {}", stage.color)
                                disabled=here aria-current=here.then_some("true")
                                on:click=move |_| {
                                    state.prompt.set(None);
                                    state.move_to_top(lead, id);
                                }>
                                <span class="stage-dot" aria-hidden="true"></span>
                                {stage.name}
                                {here.then(|| view! { <span class="muted">" · "{t.current_stage}</span> })}
                            </button>
                        </li>
                    }
                }).collect_view())}
                {match status {
                    LeadStatus::Open => view! {
                        <li class="menu-separator" role="separator"></li>
                        <li><button type="button" class="menu-item danger" on:click=move |_| {
                            state.prompt.set(None);
                            state.ask_lost(lead);
                        }>{t.mark_lost}</button></li>
                        <li><button type="button" class="menu-item" on:click=move |_| {
                            state.prompt.set(None);
                            state.close(lead, Closing::Junk);
                        }>{t.mark_junk}</button></li>
                        <li><a class="menu-item" href=format!("/admin/leads/{lead}?convert=1")>{t.convert}</a></li>
                    }.into_any(),
                    _ => view! {
                        <li><button type="button" class="menu-item" on:click=move |_| {
                            state.prompt.set(None);
                            state.close(lead, Closing::Reopen);
                        }>{t.reopen}</button></li>
                    }.into_any(),
                }}
            </ul>
            <div class="form-actions">
                <button type="button" class="btn btn-ghost" on:click=move |_| close()>{t.cancel}</button>
            </div>
        </Dialog>
    }
}
