//! The lead page's timeline: log a note, call, email or meeting in two clicks, say "I contacted
//! this lead", and read everything that happened, newest first.

use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::error::AppError;
use crate::functions::{read_timeline, LogActivity, MarkContacted};
use crate::i18n::{fill, Locale, Texts};
use crate::models::{
    parse_activity, ActivityInput, Change, TimelineEntry, ACTIVITY_KINDS, CALL_OUTCOMES,
};
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn Timeline(lead: i64) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let log = ServerAction::<LogActivity>::new();
    let contacted = ServerAction::<MarkContacted>::new();
    let entries = Resource::new(
        move || (lead, log.version().get(), contacted.version().get()),
        |(lead, _, _)| read_timeline(lead),
    );
    view! {
        <section class="card timeline" aria-labelledby="timeline-title">
            <div class="card-header">
                <h2 id="timeline-title">{t.timeline}</h2>
                <button type="button" class="btn btn-secondary btn-sm"
                    on:click=move |_| { contacted.dispatch(MarkContacted { lead }); }>
                    {t.i_contacted}
                </button>
            </div>
            <ErrorBanner error=action_error(contacted) />
            <ActivityForm lead log />
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let entries = entries.await.unwrap_or_default();
                    if entries.is_empty() {
                        return view! { <p class="muted pad">{t.nothing_logged}</p> }.into_any();
                    }
                    view! {
                        <ol class="entries">
                            {entries.into_iter().map(|entry| view! { <Entry entry locale /> }).collect_view()}
                        </ol>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
    .into_any()
}

fn kind_label(t: &Texts, kind: &str) -> &'static str {
    match kind {
        "call" => t.activity_call,
        "email" => t.activity_email,
        "meeting" => t.activity_meeting,
        _ => t.activity_note,
    }
}

pub(super) fn outcome_label(t: &Texts, outcome: &str) -> &'static str {
    match outcome {
        "connected" => t.outcome_connected,
        "voicemail" => t.outcome_voicemail,
        "no_answer" => t.outcome_no_answer,
        "busy" => t.outcome_busy,
        _ => t.outcome_wrong_number,
    }
}

/// The kind as a row of toggle buttons, the text, and for calls the outcome and duration.
#[component]
fn ActivityForm(lead: i64, log: ServerAction<LogActivity>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let server_error = action_error(log);
    let local = RwSignal::new(None::<AppError>);
    let error = Signal::derive(move || local.get().or_else(|| server_error.get()));
    let kind = RwSignal::new("call".to_string());
    let body = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ActivityInput {
            kind: kind.get_untracked(),
            body: body.get_untracked(),
            outcome: if kind.get_untracked() == "call" {
                outcome.get_untracked()
            } else {
                String::new()
            },
            duration_minutes: minutes.get_untracked(),
        };
        // The same checks as the server's, before the round trip.
        match parse_activity(&input, locale) {
            Ok(_) => {
                local.set(None);
                log.dispatch(LogActivity { lead, input });
            }
            Err(invalid) => local.set(Some(invalid)),
        }
    };
    Effect::new(move |_| {
        if let Some(Ok(())) = log.value().get() {
            body.set(String::new());
            outcome.set(String::new());
            minutes.set(String::new());
        }
    });
    view! {
        <form class="activity-form" on:submit=submit novalidate>
            <div class="segmented" role="group" aria-label=t.activity_kind>
                {ACTIVITY_KINDS
                    .iter()
                    .map(|&k| view! {
                        <button type="button" class="segment" aria-pressed=move || (kind.get() == k).to_string()
                            on:click=move |_| kind.set(k.to_string())>
                            {kind_label(t, k)}
                        </button>
                    })
                    .collect_view()}
            </div>
            <label class="field">
                <span class="sr-only">{t.what_happened}</span>
                <textarea rows="2" bind:value=body placeholder=t.what_happened maxlength="5000"></textarea>
                <FieldError error field="body" />
            </label>
            <div class="activity-extra">
                <Show when=move || kind.get() == "call">
                    <label class="field">
                        <span>{t.outcome}</span>
                        <select bind:value=outcome>
                            <option value="">"—"</option>
                            {CALL_OUTCOMES.iter().map(|&o| view! { <option value=o>{outcome_label(t, o)}</option> }).collect_view()}
                        </select>
                        <FieldError error field="outcome" />
                    </label>
                </Show>
                <Show when=move || kind.get() != "note">
                    <label class="field">
                        <span>{t.duration_minutes}</span>
                        <input type="number" min="0" max="1440" class="narrow-input" bind:value=minutes />
                        <FieldError error field="duration_minutes" />
                    </label>
                </Show>
                <button type="submit" class="btn btn-primary">{t.log}</button>
            </div>
            <FieldError error field="kind" />
            <ErrorBanner error />
        </form>
    }
    .into_any()
}

#[component]
fn Entry(entry: TimelineEntry, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let who = entry
        .user_name
        .clone()
        .unwrap_or_else(|| t.someone.to_string());
    let headline = match entry.kind.as_str() {
        "system" => system_headline(&entry, locale),
        kind => {
            let mut parts = vec![kind_label(t, kind).to_string()];
            if let Some(outcome) = &entry.outcome {
                parts.push(outcome_label(t, outcome).to_string());
            }
            if let Some(minutes) = entry.duration_minutes {
                parts.push(fill(t.minutes_short, &[("n", &minutes)]));
            }
            parts.join(" · ")
        }
    };
    let edits: Vec<Change> = if entry.event.as_deref() == Some("updated")
        || entry.event.as_deref() == Some("assigned")
    {
        entry.changes.clone()
    } else {
        Vec::new()
    };
    view! {
        <li class=format!("entry-item kind-{}", entry.kind)>
            <span class="entry-dot" aria-hidden="true"></span>
            <div class="entry-body">
                <div class="entry-head">
                    <span class="strong">{headline}</span>
                    <span class="sub">{format!("{who} · {} · {}", locale.date_time(entry.created_at), locale.via_label(&entry.via))}</span>
                </div>
                {entry.body.clone().map(|body| view! { <p class="entry-text">{body}</p> })}
                {(!edits.is_empty()).then(|| view! {
                    <ul class="entry-changes">
                        {edits.into_iter().map(|c| view! { <ChangeRow change=c locale /> }).collect_view()}
                    </ul>
                })}
            </div>
        </li>
    }
}

#[component]
fn ChangeRow(change: Change, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let show = |value: Option<String>| {
        let value = value.unwrap_or_else(|| t.nobody.to_string());
        if change.field == "lead_value" {
            value
                .parse::<i64>()
                .map(|v| locale.money(v))
                .unwrap_or(value)
        } else {
            value
        }
    };
    let label = match (
        locale.field_label(&change.field),
        change.field.strip_prefix("custom:"),
    ) {
        (_, Some(custom)) => custom.to_string(),
        ("", None) => change.field.clone(),
        (label, None) => label.to_string(),
    };
    let old = show(change.old.clone());
    let new = show(change.new.clone());
    view! { <li><span class="muted">{label}</span>": "{old}" → "{new}</li> }
}

/// A system entry in words: "Moved it from New to Contacted after 3 d there".
fn system_headline(entry: &TimelineEntry, locale: Locale) -> String {
    let t = locale.t();
    let change = |field: &str| entry.changes.iter().find(|c| c.field == field);
    match entry.event.as_deref().unwrap_or("") {
        "created" => match entry.via.as_str() {
            "import" => t.ev_imported.into(),
            "web_form" => t.ev_web_form.into(),
            _ => t.ev_created.into(),
        },
        "stage_changed" => {
            let stage = change("stage");
            let from = stage.and_then(|c| c.old.clone()).unwrap_or_default();
            let to = stage.and_then(|c| c.new.clone()).unwrap_or_default();
            let mut text = fill(t.ev_stage_changed, &[("from", &from), ("to", &to)]);
            if let Some(ms) =
                change("time_in_stage_ms").and_then(|c| c.old.as_deref()?.parse::<i64>().ok())
            {
                text.push(' ');
                text.push_str(&fill(
                    t.ev_time_in_stage,
                    &[("time", &duration(ms, locale))],
                ));
            }
            text
        }
        "assigned" => t.ev_assigned.into(),
        "updated" => t.ev_updated.into(),
        "lost" => t.ev_lost.into(),
        "junk" => t.ev_junk.into(),
        "reopened" => t.ev_reopened.into(),
        "deleted" => t.ev_deleted.into(),
        "restored" => t.ev_restored.into(),
        "contacted" => t.ev_contacted.into(),
        "converted" => t.ev_converted.into(),
        "erased" => t.ev_erased.into(),
        "attachment_added" => {
            let name = change("file")
                .and_then(|c| c.new.clone())
                .unwrap_or_default();
            fill(t.ev_attachment_added, &[("name", &name)])
        }
        "attachment_removed" => {
            let name = change("file")
                .and_then(|c| c.old.clone())
                .unwrap_or_default();
            fill(t.ev_attachment_removed, &[("name", &name)])
        }
        other => other.replace('_', " "),
    }
}

fn duration(ms: i64, locale: Locale) -> String {
    let t = locale.t();
    let minutes = ms / 60_000;
    if minutes < 60 {
        fill(t.minutes_short, &[("n", &minutes)])
    } else if minutes < 48 * 60 {
        fill(t.hours_short, &[("n", &(minutes / 60))])
    } else {
        fill(t.days_short, &[("n", &(minutes / 1440))])
    }
}
