//! `/admin/leads/today`: the SDR's queue. Each item has its one-click actions — log a call
//! with its outcome, set the next action, snooze, mark done, open — and leaves the queue once
//! handled; the header says how many are left.

use crate::components::feedback::error_message;
use crate::error::AppError;
use crate::functions::{read_today, EditReminder, LogActivity, SaveLead};
use crate::i18n::{fill, Locale, Texts};
use crate::models::{
    ActivityInput, LeadInput, QueueItem, QueueKind, ReminderCommand, TodayQueue, CALL_OUTCOMES,
};
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

/// The actions an item can take; any of them finishing reads the queue again.
#[derive(Clone, Copy)]
struct QueueActions {
    log: ServerAction<LogActivity>,
    save: ServerAction<SaveLead>,
    reminder: ServerAction<EditReminder>,
    tomorrow_at: i64,
}

#[component]
pub fn TodayPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let log = ServerAction::<LogActivity>::new();
    let save = ServerAction::<SaveLead>::new();
    let reminder = ServerAction::<EditReminder>::new();
    let queue = Resource::new(
        move || {
            (
                log.version().get(),
                save.version().get(),
                reminder.version().get(),
            )
        },
        |_| read_today(),
    );
    let failed = move || {
        let log = log.value().get().and_then(Result::err);
        let save = save.value().get().and_then(Result::err);
        let reminder = reminder.value().get().and_then(Result::err);
        log.or(save).or(reminder)
    };
    view! {
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(queue) => {
                        let actions = QueueActions { log, save, reminder, tomorrow_at: queue.tomorrow_at };
                        view! { <Queue queue actions /> }.into_any()
                    }
                    Err(error) => view! {
                        <Title text=t.today />
                        <p class="alert alert-error" role="alert">{error_message(&error)}</p>
                    }.into_any(),
                }
            })}
        </Transition>
        {move || failed().map(|e| view! { <p class="alert alert-error" role="alert">{error_message(&e)}</p> })}
    }
}

#[component]
fn Queue(queue: TodayQueue, actions: QueueActions) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let left: i64 = queue.items.len() as i64
        + queue
            .overflow
            .iter()
            .map(|o| o.total - crate::models::QUEUE_SECTION_LIMIT)
            .sum::<i64>();
    view! {
        <Title text=t.today />
        <header class="page-header">
            <h1>{t.today}</h1>
            <span class="count-pill" role="status">{fill(t.items_left, &[("n", &left)])}</span>
        </header>
        {queue.overflow.iter().map(|o| view! {
            <p class="alert alert-info">{fill(t.queue_more, &[("n", &o.total), ("kind", &kind_label(t, o.kind))])}</p>
        }).collect_view()}
        {if queue.items.is_empty() {
            view! { <section class="card"><p class="empty">{t.queue_empty}</p></section> }.into_any()
        } else {
            view! {
                <ol class="queue">
                    {queue.items.into_iter().map(|item| view! { <QueueRow item actions locale /> }).collect_view()}
                </ol>
            }
            .into_any()
        }}
    }
}

fn kind_label(t: &Texts, kind: QueueKind) -> &'static str {
    match kind {
        QueueKind::Reminder => t.queue_reminder,
        QueueKind::NextAction => t.queue_next_action,
        QueueKind::NewLead => t.queue_new_lead,
        QueueKind::Stalled => t.stalled,
    }
}

/// Which inline form a row has open.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Nothing,
    Call,
    NextAction,
}

#[component]
fn QueueRow(item: QueueItem, actions: QueueActions, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let open = RwSignal::new(Open::Nothing);
    let lead = item.lead_id;
    let version = item.lead_version;
    let when = item.at.map(|at| match item.kind {
        QueueKind::Reminder | QueueKind::NextAction => locale.date_time(at),
        QueueKind::NewLead => fill(t.added_on, &[("date", &locale.date(at))]),
        QueueKind::Stalled => fill(t.last_activity_on, &[("date", &locale.date(at))]),
    });
    let reminder_id = item.reminder_id;
    let kind = item.kind;
    let tomorrow = actions.tomorrow_at;
    let snooze = move |_| match (kind, reminder_id) {
        (QueueKind::Reminder, Some(id)) => {
            actions.reminder.dispatch(EditReminder {
                command: ReminderCommand::Snooze {
                    id,
                    minutes: 24 * 60,
                },
            });
        }
        _ => {
            let at = chrono::DateTime::from_timestamp_millis(tomorrow)
                .map(|at| at.format("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default();
            save_next_action(actions.save, lead, version, None, at);
        }
    };
    let done = move |_| match (kind, reminder_id) {
        (QueueKind::Reminder, Some(id)) => {
            actions.reminder.dispatch(EditReminder {
                command: ReminderCommand::Done { id },
            });
        }
        _ => save_next_action(
            actions.save,
            lead,
            version,
            Some(String::new()),
            String::new(),
        ),
    };
    let timed = matches!(kind, QueueKind::Reminder | QueueKind::NextAction);
    let label = kind_label(t, kind);
    view! {
        <li class="queue-item" class:overdue=item.overdue>
            <div class="queue-main">
                <div class="queue-head">
                    <span class="tag" class:tag-danger=item.overdue>{if item.overdue { t.overdue } else { label }}</span>
                    <a class="strong queue-lead" href=format!("/admin/leads/{lead}")>{item.lead_name.clone()}</a>
                    {item.company.clone().map(|c| view! { <span class="muted">{c}</span> })}
                    <span class="stage-badge" style=format!("--stage: {}", item.stage_color)>{item.stage_name.clone()}</span>
                </div>
                {item.text.clone().map(|text| view! { <p class="queue-text">{text}</p> })}
                {when.map(|when| view! { <span class="sub">{when}</span> })}
            </div>
            <div class="queue-actions" role="group" aria-label=fill(t.actions_for, &[("name", &item.lead_name)])>
                <button type="button" class="btn btn-secondary btn-sm" aria-expanded=move || (open.get() == Open::Call).to_string()
                    on:click=move |_| open.update(|o| *o = if *o == Open::Call { Open::Nothing } else { Open::Call })>
                    {t.log_call}
                </button>
                <button type="button" class="btn btn-secondary btn-sm" aria-expanded=move || (open.get() == Open::NextAction).to_string()
                    on:click=move |_| open.update(|o| *o = if *o == Open::NextAction { Open::Nothing } else { Open::NextAction })>
                    {t.set_next_action}
                </button>
                {timed.then(|| view! {
                    <button type="button" class="btn btn-ghost btn-sm" on:click=snooze>{t.snooze_until_tomorrow}</button>
                    <button type="button" class="btn btn-ghost btn-sm" on:click=done>{t.mark_done}</button>
                })}
                <a class="btn btn-ghost btn-sm" href=format!("/admin/leads/{lead}")>{t.open}</a>
            </div>
            {move || match open.get() {
                Open::Call => Some(view! { <CallForm lead log=actions.log /> }.into_any()),
                Open::NextAction => Some(view! { <NextActionForm lead version save=actions.save /> }.into_any()),
                Open::Nothing => None,
            }}
        </li>
    }
}

/// Sets (or with `Some("")`, clears) the next action and its due time.
fn save_next_action(
    save: ServerAction<SaveLead>,
    lead: i64,
    version: i64,
    text: Option<String>,
    at: String,
) {
    save.dispatch(SaveLead {
        id: Some(lead),
        version: Some(version),
        input: LeadInput {
            next_action: text,
            next_action_at: Some(at),
            ..Default::default()
        },
        anyway: true,
    });
}

/// A call's outcome and an optional note.
#[component]
fn CallForm(lead: i64, log: ServerAction<LogActivity>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let outcome = RwSignal::new("connected".to_string());
    let note = RwSignal::new(String::new());
    let id = format!("call-{lead}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        log.dispatch(LogActivity {
            lead,
            input: ActivityInput {
                kind: "call".into(),
                body: note.get_untracked(),
                outcome: outcome.get_untracked(),
                duration_minutes: String::new(),
            },
        });
    };
    view! {
        <form class="queue-form" on:submit=submit novalidate>
            <div class="field">
                <label for=format!("{id}-outcome")>{t.outcome}</label>
                <select id=format!("{id}-outcome") bind:value=outcome>
                    {CALL_OUTCOMES.iter().map(|&o| view! {
                        <option value=o selected=o == "connected">{super::timeline::outcome_label(t, o)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field grow">
                <label for=format!("{id}-note")>{t.note}</label>
                <input id=format!("{id}-note") type="text" bind:value=note maxlength="5000" />
            </div>
            <button type="submit" class="btn btn-primary btn-sm">{t.log}</button>
        </form>
    }
}

#[component]
fn NextActionForm(lead: i64, version: i64, save: ServerAction<SaveLead>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let text = RwSignal::new(String::new());
    let at = RwSignal::new(String::new());
    let id = format!("next-{lead}");
    let local = RwSignal::new(None::<AppError>);
    let error = Signal::derive(move || {
        local
            .get()
            .or_else(|| save.value().get().and_then(Result::err))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if text.get_untracked().trim().is_empty() {
            local.set(Some(AppError::field("next_action", t.err_required)));
            return;
        }
        local.set(None);
        save_next_action(
            save,
            lead,
            version,
            Some(text.get_untracked()),
            at.get_untracked(),
        );
    };
    view! {
        <form class="queue-form" on:submit=submit novalidate>
            <div class="field grow">
                <label for=format!("{id}-text")>{locale.field_label("next_action")}</label>
                <input id=format!("{id}-text") type="text" bind:value=text maxlength="500" aria-describedby="next_action-error" />
                <crate::components::feedback::FieldError error field="next_action" />
            </div>
            <div class="field">
                <label for=format!("{id}-at")>{locale.field_label("next_action_at")}</label>
                <input id=format!("{id}-at") type="datetime-local" bind:value=at aria-describedby="next_action_at-error" />
                <crate::components::feedback::FieldError error field="next_action_at" />
            </div>
            <button type="submit" class="btn btn-primary btn-sm">{t.save}</button>
        </form>
    }
}
