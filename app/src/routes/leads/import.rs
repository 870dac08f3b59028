//! `/admin/leads/import`: choose a CSV file, see its columns with their first values and what
//! each will fill (guessed from the header, changeable), set what every lead gets, check the
//! file, then import — all rows or none, or the valid ones with the others listed.

use crate::components::choice_options::{ChoiceOptions, StageOptions};
use crate::components::feedback::{ErrorBanner, FieldError};
use crate::components::upload::{post_multipart, Part};
use crate::error::AppError;
use crate::functions::read_form_choices;
use crate::i18n::{fill, Locale};
use crate::models::{ImportPlan, ImportPreview, ImportReport, LeadFormChoices, IMPORT_FIELDS};
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

const IMPORT_URL: &str = "/admin/leads/import";

#[component]
pub fn ImportPage() -> impl IntoView {
    let t = use_locale().t();
    let choices = Resource::new(|| (), |_| read_form_choices());
    view! {
        <Title text=t.import_leads />
        <header class="page-header">
            <h1>{t.import_leads}</h1>
        </header>
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match choices.await {
                    Ok(choices) => view! { <Importer choices /> }.into_any(),
                    Err(error) => view! { <ErrorBanner error=Signal::stored(Some(error)) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Importer(choices: LeadFormChoices) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let file = RwSignal::new_local(None::<web_sys::File>);
    let preview = RwSignal::new(None::<ImportPreview>);
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let plan = RwSignal::new(ImportPlan {
        stage: choices.first_stage_value(),
        source: choices.default_source_value(),
        assigned: choices.me.map(|me| me.to_string()).unwrap_or_default(),
        ..ImportPlan::default()
    });
    let choose = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let picked = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        preview.set(None);
        report.set(None);
        error.set(None);
        let Some(picked) = picked else {
            file.set(None);
            return;
        };
        file.set(Some(picked.clone()));
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer: Result<ImportPreview, AppError> =
                post_multipart(IMPORT_URL, &[("file", Part::File(&picked))]).await;
            busy.set(false);
            match answer {
                Ok(answer) => {
                    plan.update(|p| {
                        p.mapping = answer.columns.iter().map(|c| c.target.clone()).collect()
                    });
                    preview.set(Some(answer));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let send = move |check_only: bool| {
        let Some(picked) = file.get_untracked() else {
            return;
        };
        let mut sent = plan.get_untracked();
        sent.check_only = check_only;
        let json = serde_json::to_string(&sent).expect("a plan serialises");
        busy.set(true);
        error.set(None);
        report.set(None);
        leptos::task::spawn_local(async move {
            let answer: Result<ImportReport, AppError> = post_multipart(
                IMPORT_URL,
                &[("file", Part::File(&picked)), ("plan", Part::Text(json))],
            )
            .await;
            busy.set(false);
            match answer {
                Ok(answer) => report.set(Some(answer)),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let error_signal = Signal::derive(move || error.get());
    let choices = StoredValue::new(choices);
    view! {
        <section class="card">
            <p class="muted pad">{t.import_intro}</p>
            <div class="pad-x import-file">
                <div class="field">
                    <label for="import-file">{t.import_file}</label>
                    <input id="import-file" type="file" accept=".csv,text/csv,text/plain" on:change=choose />
                    <FieldError error=error_signal field="file" />
                </div>
                {move || busy.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
            </div>
            <ErrorBanner error=error_signal />
        </section>
        {move || preview.get().map(|shown| view! {
            <Mapping preview=shown plan choices error=error_signal locale />
            <section class="card">
                <div class="form-actions import-actions pad">
                    <label class="check">
                        <input type="checkbox" prop:checked=move || plan.with(|p| p.skip_refused)
                            on:change=move |ev| plan.update(|p| p.skip_refused = event_target_checked(&ev)) />
                        {t.import_skip_invalid}
                    </label>
                    <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=move |_| send(true)>
                        {t.import_check}
                    </button>
                    <button type="button" class="btn btn-primary" disabled=move || busy.get() on:click=move |_| send(false)>
                        {t.import_run}
                    </button>
                </div>
            </section>
        })}
        {move || report.get().map(|report| view! { <Report report locale /> })}
    }
}

/// The columns, what each fills, and what every lead gets where its row says nothing.
#[component]
fn Mapping(
    preview: ImportPreview,
    plan: RwSignal<ImportPlan>,
    choices: StoredValue<LeadFormChoices>,
    error: Signal<Option<AppError>>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let mut targets: Vec<(String, String)> = IMPORT_FIELDS
        .iter()
        .map(|f| (f.to_string(), locale.field_label(f).to_string()))
        .collect();
    choices
        .with_value(|c| targets.extend(c.custom_fields.iter().map(|f| (f.key(), f.label.clone()))));
    let targets = StoredValue::new(targets);
    let select = move |get: fn(&ImportPlan) -> &String, set: fn(&mut ImportPlan, String)| {
        (
            move || plan.with(|p| get(p).clone()),
            move |value: String| plan.update(|p| set(p, value)),
        )
    };
    let (stage, set_stage) = select(|p| &p.stage, |p, v| p.stage = v);
    let (source, set_source) = select(|p| &p.source, |p, v| p.source = v);
    let (assigned, set_assigned) = select(|p| &p.assigned, |p, v| p.assigned = v);
    let (tags, set_tags) = select(|p| &p.tags, |p, v| p.tags = v);
    let c = choices.get_value();
    view! {
        <section class="card" aria-labelledby="import-columns">
            <div class="card-header">
                <h2 id="import-columns">{t.columns}</h2>
                <span class="muted">{fill(t.import_rows, &[("n", &preview.rows)])}</span>
            </div>
            <div class="table-wrap">
                <table class="table import-mapping">
                    <thead>
                        <tr>
                            <th scope="col">{t.import_column}</th>
                            <th scope="col">{t.import_sample}</th>
                            <th scope="col">{t.import_target}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {preview.columns.into_iter().enumerate().map(|(i, column)| {
                            let header = column.header.clone();
                            let current = move || plan.with(|p| p.mapping.get(i).cloned().unwrap_or_default());
                            let change = move |value: String| {
                                plan.update(|p| {
                                    if let Some(slot) = p.mapping.get_mut(i) {
                                        *slot = value;
                                    }
                                })
                            };
                            view! {
                                <tr>
                                    <th scope="row" class="strong">{header.clone()}</th>
                                    <td class="muted samples">{column.samples.join(" · ")}</td>
                                    <td>
                                        <select aria-label=format!("{} {header}", t.import_target) prop:value=current on:change=move |ev| change(event_target_value(&ev))>
                                            <option value="">{t.import_skip_column}</option>
                                            {targets.get_value().into_iter().map(|(key, label)| {
                                                let chosen = key.clone();
                                                view! { <option value=key selected=move || current() == chosen>{label}</option> }
                                            }).collect_view()}
                                        </select>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FieldError error field="mapping" />
            <h3 class="pad-x section-title">{t.import_defaults}</h3>
            <div class="form-grid">
                <div class="field">
                    <label for="import-stage">{t.import_default_stage}</label>
                    <select id="import-stage" prop:value=stage on:change=move |ev| set_stage(event_target_value(&ev))>
                        <StageOptions pipelines=c.pipelines.clone() current=Signal::derive(stage) />
                    </select>
                </div>
                <div class="field">
                    <label for="import-source">{t.import_default_source}</label>
                    <select id="import-source" prop:value=source on:change=move |ev| set_source(event_target_value(&ev))>
                        <option value="">{t.none}</option>
                        <ChoiceOptions choices=c.sources.clone() current=Signal::derive(source) />
                    </select>
                </div>
                <div class="field">
                    <label for="import-assigned">{t.import_default_assigned}</label>
                    <select id="import-assigned" prop:value=assigned on:change=move |ev| set_assigned(event_target_value(&ev))>
                        <option value="">{t.unassigned}</option>
                        <ChoiceOptions choices=c.users.clone() current=Signal::derive(assigned) />
                    </select>
                </div>
                <div class="field">
                    <label for="import-tags">{t.import_tags}</label>
                    <input id="import-tags" type="text" prop:value=tags on:input=move |ev| set_tags(event_target_value(&ev)) />
                </div>
            </div>
        </section>
    }
}

/// What a check or an import found, and the rows it refused.
#[component]
fn Report(report: ImportReport, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let n = report.rows.to_string();
    let summary = if report.checked_only {
        if report.refused_count == 0 {
            (true, fill(t.import_ready, &[("n", &n)]))
        } else {
            (
                false,
                fill(
                    t.import_refused,
                    &[("bad", &report.refused_count), ("n", &n)],
                ),
            )
        }
    } else if report.imported > 0 && report.refused_count == 0 {
        (true, fill(t.import_done, &[("n", &report.imported)]))
    } else if report.imported > 0 {
        (
            true,
            fill(
                t.import_done_skipped,
                &[("n", &report.imported), ("skipped", &report.refused_count)],
            ),
        )
    } else {
        (
            false,
            format!(
                "{} {}",
                t.import_nothing_written,
                fill(
                    t.import_refused,
                    &[("bad", &report.refused_count), ("n", &n)]
                )
            ),
        )
    };
    let (ok, message) = summary;
    let more = report.refused_count.saturating_sub(report.refused.len());
    let done = !report.checked_only && report.imported > 0;
    view! {
        <section class="card import-report" aria-live="polite">
            <p class=if ok { "alert alert-success" } else { "alert alert-error" } role="status">
                {message}
                {done.then(|| view! { " " <a href="/admin/leads?view=list&sort=created&dir=desc">{t.import_see}</a> })}
            </p>
            {(!report.refused.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table">
                        <tbody>
                            {report.refused.into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row" class="nowrap">{fill(t.import_row, &[("n", &row.line)])}</th>
                                    <td>
                                        {row.problems.into_iter().map(|(column, message)| view! {
                                            <span class="problem">
                                                {(!column.is_empty()).then(|| view! { <strong>{column}": "</strong> })}
                                                {message}
                                            </span>
                                        }).collect_view()}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(more > 0).then(|| view! { <p class="muted pad">{fill(t.import_more_rows, &[("n", &more)])}</p> })}
        </section>
    }
}
