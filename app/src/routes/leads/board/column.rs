//! A stage's column: header with exact totals, its cards, "Load more", and quick add.

use super::card::LeadCard;
use super::state::{BoardState, ColumnState, DropTarget};
use crate::components::feedback::FieldError;
use crate::error::AppError;
use crate::functions::quick_add;
use crate::i18n::fill;
use crate::models::LeadStatus;
use crate::use_locale;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn StageColumn(column: ColumnState) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let locale = use_locale();
    let t = locale.t();
    let stage = column.stage.get_value();
    let stage_id = stage.id;
    let heading = format!("stage-{stage_id}-name");
    let labelled_by = heading.clone();
    let adding = RwSignal::new(false);
    let open_board = state.filter.with_value(|f| f.status == LeadStatus::Open);
    let targeted = move || matches!(state.target.get(), Some(DropTarget::Stage { stage, .. }) if stage == stage_id);
    let at_end = move || matches!(state.target.get(), Some(DropTarget::Stage { stage, before: None }) if stage == stage_id);
    let totals = column.totals;
    let shown = move || column.cards.with(Vec::len);
    view! {
        <section class="column" data-stage=stage_id role="region" aria-labelledby=labelled_by
            class:drop-target=targeted style=format!("--stage: {}", stage.color)>
            <header class="column-head">
                <div class="column-title">
                    <span class="stage-dot" aria-hidden="true"></span>
                    <h2 id=heading>{stage.name.clone()}</h2>
                    <span class="column-count">{move || totals.with(|t| t.leads)}</span>
                    {open_board.then(|| view! {
                        <button type="button" class="icon-btn" title=t.quick_add
                            aria-label=fill(t.quick_add_in, &[("stage", &stage.name)])
                            aria-expanded=move || adding.get().to_string()
                            on:click=move |_| adding.update(|a| *a = !*a)>
                            <span aria-hidden="true">"+"</span>
                        </button>
                    })}
                </div>
                <div class="column-totals">
                    <span class="column-value">{move || locale.money(totals.with(|t| t.value))}</span>
                    <span class="muted" title=format!("{} % · {}", stage.probability, t.weighted)>
                        {move || format!("{} {}", locale.money(totals.with(|t| t.weighted_value)), t.weighted)}
                    </span>
                    {move || {
                        let stalled = totals.with(|t| t.stalled);
                        (stalled > 0).then(|| view! {
                            <span class="badge badge-warn">{fill(t.stalled_count, &[("n", &stalled)])}</span>
                        })
                    }}
                </div>
            </header>
            <Show when=move || adding.get()>
                <QuickAdd stage=stage_id stage_name=stage.name.clone() on_done=move || adding.set(false) />
            </Show>
            <div class="column-cards">
                <For each=move || column.cards.get() key=|card| (card.id, card.version) let:card>
                    <LeadCard card />
                </For>
                <Show when=move || shown() == 0>
                    <p class="column-empty">{t.empty_column}</p>
                </Show>
                <div class="drop-end" class:active=at_end aria-hidden="true"></div>
            </div>
            <Show when=move || column.next.with(Option::is_some)>
                <button type="button" class="btn btn-ghost load-more" disabled=move || column.loading.get()
                    on:click=move |_| state.load_more(column)>
                    {t.load_more}
                    <span class="muted">
                        " · "{move || fill(t.shown_of, &[("shown", &shown()), ("total", &totals.with(|t| t.leads))])}
                    </span>
                </button>
            </Show>
        </section>
    }
    .into_any()
}

/// Name and company: a new lead at the top of this stage.
#[component]
fn QuickAdd(
    stage: i64,
    stage_name: String,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let t = use_locale().t();
    let name = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        let stage_name = stage_name.clone();
        spawn_local(async move {
            match quick_add(stage, name.get_untracked(), company.get_untracked()).await {
                Ok(live) => {
                    let lead = live
                        .card
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_default();
                    state.replace(live);
                    state.tell(
                        fill(t.lead_added, &[("name", &lead), ("stage", &stage_name)]),
                        false,
                    );
                    name.set(String::new());
                    company.set(String::new());
                    error.set(None);
                    on_done();
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let error_signal = Signal::derive(move || error.get());
    let input_id = format!("quick-add-{stage}");
    view! {
        <form class="quick-add" on:submit=submit>
            <label class="sr-only" for=input_id.clone()>{t.name}</label>
            <input id=input_id type="text" placeholder=t.name bind:value=name maxlength="600" required />
            <FieldError error=error_signal field="name" />
            <input type="text" placeholder=t.company aria-label=t.company bind:value=company maxlength="600" />
            <FieldError error=error_signal field="company" />
            {move || error.get().map(|e| {
                // Messages for fields this form has no input for (e.g. a stage's required value).
                let other = match e.field_errors() {
                    Some(fields) => fields
                        .iter()
                        .filter(|(field, _)| *field != "name" && *field != "company")
                        .map(|(field, message)| format!("{}: {message}", use_locale().field_label(field)))
                        .collect::<Vec<_>>()
                        .join(" "),
                    None => e.to_string(),
                };
                (!other.is_empty()).then(|| view! { <p class="field-error">{other}</p> })
            })}
            <div class="quick-add-actions">
                <button type="submit" class="btn btn-primary btn-sm" disabled=move || pending.get()>{t.add}</button>
                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| on_done()>{t.cancel}</button>
            </div>
        </form>
    }
}
