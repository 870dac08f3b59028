//! The lead page's reminders: set one for yourself or a colleague, then finish, snooze, edit
//! or delete it. Due reminders reach their owner's notifications and daily queue.

use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::error::AppError;
use crate::functions::{list_reminders, EditReminder};
use crate::i18n::{fill, Locale};
use crate::models::{parse_reminder, Choice, Reminder, ReminderCommand, ReminderInput};
use crate::use_locale;
use leptos::prelude::*;

/// Snooze choices in minutes.
const SNOOZES: &[i64] = &[60, 24 * 60, 7 * 24 * 60];

/// What the reminder form is doing: nothing, adding, or editing one.
#[derive(Clone, PartialEq)]
enum Editing {
    Closed,
    New,
    Existing(Reminder),
}

#[component]
pub fn Reminders(lead: i64) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let edit = ServerAction::<EditReminder>::new();
    let data = Resource::new(
        move || (lead, edit.version().get()),
        |(lead, _)| list_reminders(lead),
    );
    let editing = RwSignal::new(Editing::Closed);
    Effect::new(move |_| {
        if let Some(Ok(_)) = edit.value().get() {
            editing.set(Editing::Closed);
        }
    });
    view! {
        <section class="card reminders" aria-labelledby="reminders-title">
            <div class="card-header">
                <h2 id="reminders-title">{t.reminders}</h2>
                <button type="button" class="btn btn-secondary btn-sm"
                    on:click=move |_| editing.set(Editing::New)>{format!("+ {}", t.add_reminder)}</button>
            </div>
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => {
                            let users = StoredValue::new(data.users);
                            let me = data.me;
                            let suggested = data.suggested_at;
                            view! {
                                {move || match editing.get() {
                                    Editing::Closed => None,
                                    Editing::New => Some(view! {
                                        <ReminderForm lead existing=None users me suggested edit editing />
                                    }),
                                    Editing::Existing(r) => Some(view! {
                                        <ReminderForm lead existing=Some(r) users me suggested edit editing />
                                    }),
                                }}
                                <ErrorBanner error=Signal::derive(move || {
                                    (editing.get() == Editing::Closed).then(|| action_error(edit).get()).flatten()
                                }) />
                                <ReminderList reminders=data.reminders edit editing locale />
                            }
                            .into_any()
                        }
                        Err(error) => view! {
                            <p class="alert alert-error">{crate::components::feedback::error_message(&error)}</p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn ReminderList(
    reminders: Vec<Reminder>,
    edit: ServerAction<EditReminder>,
    editing: RwSignal<Editing>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    if reminders.is_empty() {
        return view! { <p class="muted pad">{t.no_reminders}</p> }.into_any();
    }
    view! {
        <ul class="reminder-list">
            {reminders
                .into_iter()
                .map(|reminder| view! { <ReminderRow reminder edit editing locale /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ReminderRow(
    reminder: Reminder,
    edit: ServerAction<EditReminder>,
    editing: RwSignal<Editing>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let id = reminder.id;
    let done = reminder.done_at.is_some();
    let when = locale.date_time(reminder.remind_at);
    let whom = fill(t.for_name, &[("name", &reminder.user_name)]);
    let snooze = move |ev: leptos::ev::Event| {
        if let Ok(minutes) = event_target_value(&ev).parse::<i64>() {
            edit.dispatch(EditReminder {
                command: ReminderCommand::Snooze { id, minutes },
            });
        }
    };
    let actions = (reminder.editable && !done).then(|| {
        let editable = reminder.clone();
        view! {
            <div class="reminder-actions">
                <button type="button" class="btn btn-secondary btn-sm"
                    on:click=move |_| { edit.dispatch(EditReminder { command: ReminderCommand::Done { id } }); }>
                    {t.mark_done}
                </button>
                <label class="sr-only" for=format!("snooze-{id}")>{t.snooze}</label>
                <select id=format!("snooze-{id}") class="select-sm" on:change=snooze>
                    <option value="" selected>{t.snooze}</option>
                    {SNOOZES.iter().map(|&m| view! { <option value=m.to_string()>{snooze_label(locale, m)}</option> }).collect_view()}
                </select>
                <button type="button" class="btn btn-ghost btn-sm"
                    on:click=move |_| editing.set(Editing::Existing(editable.clone()))>{t.edit}</button>
                <button type="button" class="btn btn-ghost btn-sm danger"
                    on:click=move |_| { edit.dispatch(EditReminder { command: ReminderCommand::Delete { id } }); }>
                    {t.delete}
                </button>
            </div>
        }
    });
    view! {
        <li class="reminder" class:overdue=reminder.overdue class:done=done>
            <div class="reminder-when">
                <span class="strong">{when}</span>
                <span class="sub">
                    {whom}
                    {reminder.overdue.then(|| format!(" · {}", t.overdue))}
                    {done.then(|| format!(" · {}", t.done))}
                </span>
            </div>
            <p class="reminder-body">{reminder.body}</p>
            {actions}
        </li>
    }
}

fn snooze_label(locale: Locale, minutes: i64) -> String {
    let t = locale.t();
    match minutes {
        60 => t.snooze_hour.to_string(),
        1440 => t.snooze_day.to_string(),
        _ => t.snooze_week.to_string(),
    }
}

/// When, for whom, what; checked in the browser with the server's own rules.
#[component]
fn ReminderForm(
    lead: i64,
    existing: Option<Reminder>,
    users: StoredValue<Vec<Choice>>,
    me: Option<i64>,
    suggested: i64,
    edit: ServerAction<EditReminder>,
    editing: RwSignal<Editing>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let input_time = |millis: i64| {
        chrono::DateTime::from_timestamp_millis(millis)
            .map(|at| at.format("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default()
    };
    let at = RwSignal::new(input_time(
        existing.as_ref().map_or(suggested, |r| r.remind_at),
    ));
    let owner = existing.as_ref().map(|r| r.user_id).or(me);
    let user = RwSignal::new(owner.map(|u| u.to_string()).unwrap_or_default());
    let body = RwSignal::new(
        existing
            .as_ref()
            .map(|r| r.body.clone())
            .unwrap_or_default(),
    );
    let id = existing.as_ref().map(|r| r.id);
    let server_error = action_error(edit);
    let local = RwSignal::new(None::<AppError>);
    let error = Signal::derive(move || local.get().or_else(|| server_error.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ReminderInput {
            remind_at: at.get_untracked(),
            user: user.get_untracked(),
            body: body.get_untracked(),
        };
        if let Err(invalid) = parse_reminder(&input, locale) {
            local.set(Some(invalid));
            return;
        }
        local.set(None);
        let command = match id {
            Some(id) => ReminderCommand::Edit { id, input },
            None => ReminderCommand::Create { lead, input },
        };
        edit.dispatch(EditReminder { command });
    };
    view! {
        <form class="reminder-form" on:submit=submit novalidate>
            <ErrorBanner error />
            <div class="field">
                <label for="reminder-at">{t.remind_at}</label>
                <input id="reminder-at" type="datetime-local" bind:value=at aria-describedby="remind_at-error" />
                <FieldError error field="remind_at" />
            </div>
            <div class="field">
                <label for="reminder-user">{t.remind_whom}</label>
                <select id="reminder-user" bind:value=user aria-describedby="user-error">
                    {users.get_value().into_iter().map(|c| {
                        let value = c.id.to_string();
                        let label = if Some(c.id) == me { format!("{} ({})", c.name, t.me) } else { c.name };
                        view! { <option value=value.clone() selected=user.get_untracked() == value>{label}</option> }
                    }).collect_view()}
                </select>
                <FieldError error field="user" />
            </div>
            <div class="field">
                <label for="reminder-body">{t.remind_what}</label>
                <textarea id="reminder-body" rows="2" bind:value=body aria-describedby="body-error"></textarea>
                <FieldError error field="body" />
            </div>
            <div class="form-actions">
                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| editing.set(Editing::Closed)>{t.cancel}</button>
                <button type="submit" class="btn btn-primary btn-sm">{t.save}</button>
            </div>
        </form>
    }
}
