//! The list's selection and bulk actions: tick rows, the whole page, or every lead matching
//! the filters; choose an action; see how many leads it will change; watch it run; read the
//! summary (changed, already so, skipped and why) and undo it.

use crate::components::dialog::Dialog;
use crate::components::feedback::{error_message, FieldError};
use crate::error::AppError;
use crate::functions::{preview_bulk, read_bulk_run, start_bulk, undo_bulk};
use crate::i18n::{fill, Locale};
use crate::models::{
    BulkAction, BulkKind, BulkPreview, BulkRun, Choice, ListQuery, Selection, SkipGroup,
};
use crate::use_locale;
use leptos::prelude::*;

/// What is selected and what the last bulk action is doing; it lives above the list's data,
/// so a refreshed page keeps the summary of the action that changed it.
#[derive(Clone, Copy)]
pub struct BulkState {
    /// Rows ticked one by one.
    pub picked: RwSignal<Vec<i64>>,
    /// Every lead the filters select, on every page.
    pub all: RwSignal<bool>,
    pub run: RwSignal<Option<BulkRun>>,
    pub error: RwSignal<Option<AppError>>,
    /// Bumped when a run finishes (or the columns change): the list reads its page again.
    pub reload: RwSignal<u32>,
    /// The columns menu stays open across the refresh its own change causes.
    pub columns_open: RwSignal<bool>,
}

impl Default for BulkState {
    fn default() -> Self {
        BulkState::new()
    }
}

impl BulkState {
    pub fn new() -> BulkState {
        BulkState {
            picked: RwSignal::new(Vec::new()),
            all: RwSignal::new(false),
            run: RwSignal::new(None),
            error: RwSignal::new(None),
            reload: RwSignal::new(0),
            columns_open: RwSignal::new(false),
        }
    }

    pub fn clear(&self) {
        self.picked.set(Vec::new());
        self.all.set(false);
    }

    fn selection(&self, query: &ListQuery) -> Selection {
        if self.all.get_untracked() {
            Selection::Matching(Box::new(query.clone()))
        } else {
            Selection::Leads(self.picked.get_untracked())
        }
    }

    /// How many leads are selected, given the list's total.
    fn count(&self, total: i64) -> i64 {
        if self.all.get() {
            total
        } else {
            self.picked.with(Vec::len) as i64
        }
    }

    /// Follows a run until it finishes, then refreshes the list.
    fn follow(self, run: i64) {
        leptos::task::spawn_local(async move {
            match read_bulk_run(run).await {
                Ok(status) => {
                    let finished = status.finished;
                    self.run.set(Some(status));
                    if finished {
                        self.clear();
                        self.reload.update(|n| *n += 1);
                    } else {
                        set_timeout(
                            move || self.follow(run),
                            std::time::Duration::from_millis(400),
                        );
                    }
                }
                Err(error) => self.error.set(Some(error)),
            }
        });
    }
}

/// The tick box of one row.
#[component]
pub fn RowCheck(id: i64, name: String, state: BulkState) -> impl IntoView {
    let t = use_locale().t();
    let checked = move || state.all.get() || state.picked.with(|p| p.contains(&id));
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        state.all.set(false);
        state.picked.update(|picked| {
            picked.retain(|&p| p != id);
            if on {
                picked.push(id);
            }
        });
    };
    view! {
        <td class="check-cell">
            <input type="checkbox" aria-label=fill(t.select_row, &[("name", &name)])
                prop:checked=checked on:change=toggle />
        </td>
    }
}

/// The heading's tick box: the whole page.
#[component]
pub fn PageCheck(ids: Vec<i64>, state: BulkState) -> impl IntoView {
    let t = use_locale().t();
    let page = StoredValue::new(ids);
    let checked = move || {
        state.all.get()
            || page.with_value(|ids| {
                !ids.is_empty() && state.picked.with(|p| ids.iter().all(|id| p.contains(id)))
            })
    };
    let toggle = move |ev: leptos::ev::Event| {
        state.all.set(false);
        if event_target_checked(&ev) {
            state.picked.set(page.get_value());
        } else {
            state.picked.set(Vec::new());
        }
    };
    view! {
        <th scope="col" class="check-cell">
            <input type="checkbox" aria-label=t.select_page prop:checked=checked on:change=toggle />
        </th>
    }
}

/// Offers "all N matching" once the whole page is ticked (and says so once chosen).
#[component]
pub fn SelectAllBanner(page_ids: Vec<i64>, total: i64, state: BulkState) -> impl IntoView {
    let t = use_locale().t();
    let rows = page_ids.len() as i64;
    let whole_page = move || {
        !page_ids.is_empty()
            && state
                .picked
                .with(|p| page_ids.iter().all(|id| p.contains(id)))
    };
    move || {
        if state.all.get() {
            Some(view! {
                <div class="select-banner" role="status">
                    <span>{fill(t.all_matching_selected, &[("n", &total)])}</span>
                    <button type="button" class="btn btn-link" on:click=move |_| state.clear()>{t.clear_selection}</button>
                </div>
            }.into_any())
        } else if whole_page() && total > rows {
            Some(view! {
                <div class="select-banner" role="status">
                    <span>{fill(t.selected_count, &[("n", &rows)])}</span>
                    <button type="button" class="btn btn-link" on:click=move |_| state.all.set(true)>
                        {fill(t.select_all_matching, &[("n", &total)])}
                    </button>
                </div>
            }.into_any())
        } else {
            None
        }
    }
}

/// The choices an action may ask for.
#[derive(Clone)]
pub struct BulkChoices {
    pub users: Vec<Choice>,
    pub stages: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub lost_reasons: Vec<Choice>,
}

/// Shown while something is selected: how many, the action and what it needs, Apply.
#[component]
pub fn BulkBar(
    state: BulkState,
    query: StoredValue<ListQuery>,
    total: i64,
    choices: BulkChoices,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let kind = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let asking = RwSignal::new(None::<(BulkAction, BulkPreview)>);
    let busy = RwSignal::new(false);
    let choices = StoredValue::new(choices);
    let count = move || state.count(total);

    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(action) = BulkKind::parse(&kind.get_untracked())
            .map(|kind| action_of(kind, value.get_untracked(), note.get_untracked()))
        else {
            return;
        };
        if let Err(refused) = action.check(locale) {
            error.set(Some(refused));
            return;
        }
        error.set(None);
        busy.set(true);
        let selection = state.selection(&query.get_value());
        leptos::task::spawn_local(async move {
            match preview_bulk(selection, action.clone()).await {
                Ok(preview) => asking.set(Some((action, preview))),
                Err(refused) => error.set(Some(refused)),
            }
            busy.set(false);
        });
    };
    let confirm = move || {
        let Some((action, _)) = asking.get_untracked() else {
            return;
        };
        asking.set(None);
        busy.set(true);
        let selection = state.selection(&query.get_value());
        leptos::task::spawn_local(async move {
            match start_bulk(selection, action).await {
                Ok(run) => {
                    state.error.set(None);
                    kind.set(String::new());
                    state.follow(run);
                }
                Err(refused) => error.set(Some(refused)),
            }
            busy.set(false);
        });
    };
    let general_error = move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Validation(_)))
            .map(|e| view! { <p class="alert alert-error" role="alert">{error_message(&e)}</p> })
    };
    let export_href = move || {
        if state.all.get() {
            query.with_value(ListQuery::export_href)
        } else {
            let ids: Vec<String> = state
                .picked
                .with(|p| p.iter().map(i64::to_string).collect());
            let base = query.with_value(ListQuery::export_href);
            let joiner = if base.ends_with('?') { "" } else { "&" };
            format!("{base}{joiner}ids={}", ids.join(","))
        }
    };
    view! {
        <Show when=move || { count() > 0 }>
            <form class="bulk-bar" aria-label=t.bulk_actions on:submit=apply novalidate>
                <strong class="bulk-count">{move || fill(t.selected_count, &[("n", &count())])}</strong>
                <label class="sr-only" for="bulk-kind">{t.bulk_actions}</label>
                <select id="bulk-kind" bind:value=kind on:change=move |_| { value.set(String::new()); error.set(None); }>
                    <option value="">{t.bulk_choose_action}</option>
                    {BulkKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label(locale)}</option> }).collect_view()}
                </select>
                {move || BulkKind::parse(&kind.get()).map(|k| view! {
                    <ActionInput kind=k value note choices=choices.get_value() error=error.into() />
                })}
                <button type="submit" class="btn btn-primary" disabled=move || busy.get() || kind.with(String::is_empty)>
                    {t.bulk_apply}
                </button>
                <a class="btn btn-secondary" href=export_href download="" rel="external">{t.export_csv}</a>
                <button type="button" class="btn btn-ghost" on:click=move |_| state.clear()>{t.clear_selection}</button>
            </form>
            {general_error}
        </Show>
        {move || asking.get().map(|(action, preview)| view! {
            <ConfirmDialog action preview on_confirm=confirm on_close=move || asking.set(None) />
        })}
    }
}

/// The action a menu choice and its inputs make.
fn action_of(kind: BulkKind, value: String, note: String) -> BulkAction {
    let id = |raw: &str| raw.parse::<i64>().ok().filter(|id| *id > 0);
    match kind {
        BulkKind::Assign => BulkAction::Assign { user: id(&value) },
        BulkKind::Stage => BulkAction::Stage {
            stage: id(&value).unwrap_or(0),
        },
        BulkKind::Source => BulkAction::Source { source: id(&value) },
        BulkKind::AddTags => BulkAction::AddTags { tags: value },
        BulkKind::RemoveTags => BulkAction::RemoveTags { tags: value },
        BulkKind::LastContact => BulkAction::LastContact { at: value },
        BulkKind::Public => BulkAction::Public { public: true },
        BulkKind::Private => BulkAction::Public { public: false },
        BulkKind::Lost => BulkAction::Lost {
            reason: id(&value),
            note,
        },
        BulkKind::Junk => BulkAction::Junk,
        BulkKind::Delete => BulkAction::Delete,
    }
}

/// What the chosen action needs: a user, stage, source, tags, a date, or a lost reason.
#[component]
fn ActionInput(
    kind: BulkKind,
    value: RwSignal<String>,
    note: RwSignal<String>,
    choices: BulkChoices,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let select = |field: &'static str,
                  label: &'static str,
                  options: Vec<Choice>,
                  none: Option<&'static str>| {
        view! {
            <span class="bulk-input">
                <label class="sr-only" for="bulk-value">{label}</label>
                <select id="bulk-value" bind:value=value aria-label=label>
                    <option value="">{none.unwrap_or(t.choose)}</option>
                    {options.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                </select>
                <FieldError error field />
            </span>
        }
        .into_any()
    };
    match kind {
        BulkKind::Assign => select("assigned", locale.field_label("assigned"), choices.users, Some(t.unassigned)),
        BulkKind::Stage => select("stage", t.stage, choices.stages, None),
        BulkKind::Source => select("source", t.source, choices.sources, Some(t.none)),
        BulkKind::Lost => view! {
            {select("lost_reason", t.lost_reason, choices.lost_reasons, None)}
            <span class="bulk-input">
                <label class="sr-only" for="bulk-note">{t.note}</label>
                <input id="bulk-note" type="text" placeholder=t.note bind:value=note maxlength="5000" />
                <FieldError error field="note" />
            </span>
        }
        .into_any(),
        BulkKind::AddTags | BulkKind::RemoveTags => view! {
            <span class="bulk-input">
                <label class="sr-only" for="bulk-value">{locale.field_label("tags")}</label>
                <input id="bulk-value" type="text" placeholder=locale.field_label("tags") bind:value=value />
                <FieldError error field="tags" />
            </span>
        }
        .into_any(),
        BulkKind::LastContact => view! {
            <span class="bulk-input">
                <label class="sr-only" for="bulk-value">{t.last_contact}</label>
                <input id="bulk-value" type="date" bind:value=value />
                <FieldError error field="at" />
            </span>
        }
        .into_any(),
        BulkKind::Public | BulkKind::Private | BulkKind::Junk | BulkKind::Delete => ().into_any(),
    }
}

/// "N leads will change (M already are so)", before anything is applied.
#[component]
fn ConfirmDialog(
    action: BulkAction,
    preview: BulkPreview,
    on_confirm: impl Fn() + Copy + Send + Sync + 'static,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let kind = action.kind();
    let danger = matches!(kind, BulkKind::Delete | BulkKind::Lost | BulkKind::Junk);
    let changing = preview.will_change();
    view! {
        <Dialog title=kind.label(locale).to_string() on_close>
            <p>{fill(t.bulk_preview, &[("n", &changing)])}</p>
            {(preview.unchanged > 0).then(|| view! {
                <p class="muted">{fill(t.bulk_preview_unchanged, &[("n", &preview.unchanged)])}</p>
            })}
            <div class="form-actions">
                <button type="button" class="btn btn-ghost" on:click=move |_| on_close()>{t.cancel}</button>
                <button type="button" class=if danger { "btn btn-danger" } else { "btn btn-primary" }
                    disabled=changing == 0 on:click=move |_| on_confirm()>
                    {t.bulk_confirm}
                </button>
            </div>
        </Dialog>
    }
}

/// The running action's progress bar, then its summary with Undo.
#[component]
pub fn BulkProgress(state: BulkState) -> impl IntoView {
    let locale = use_locale();
    move || {
        let error = state.error.get().map(|e| {
            view! { <p class="alert alert-error" role="alert">{error_message(&e)}</p> }
        });
        let run = state.run.get().map(|run| {
            if run.finished {
                view! { <BulkSummary run state locale /> }.into_any()
            } else {
                view! { <BulkRunning run locale /> }.into_any()
            }
        });
        view! { {error} {run} }
    }
}

#[component]
fn BulkRunning(run: BulkRun, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let template = if run.undo_of.is_some() {
        t.bulk_undoing
    } else {
        t.bulk_running
    };
    let text = fill(template, &[("done", &run.done), ("total", &run.total)]);
    view! {
        <section class="card bulk-progress" role="status" aria-live="polite">
            <p>{text.clone()}</p>
            <progress max=run.total.max(1) value=run.done aria-label=text></progress>
        </section>
    }
}

#[component]
fn BulkSummary(run: BulkRun, state: BulkState, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let id = run.id;
    let undo = move |_| {
        leptos::task::spawn_local(async move {
            match undo_bulk(id).await {
                Ok(undo) => {
                    state.error.set(None);
                    state.follow(undo);
                }
                Err(error) => state.error.set(Some(error)),
            }
        });
    };
    let heading = if run.undo_of.is_some() {
        fill(t.bulk_undone, &[("n", &run.changed)])
    } else {
        format!(
            "{} — {}",
            t.bulk_summary_title,
            run.action.kind().label(locale)
        )
    };
    let skipped = run.skipped_count();
    view! {
        <section class="card bulk-summary" role="status" aria-live="polite">
            <div class="bulk-summary-head">
                <h2>{heading}</h2>
                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| state.run.set(None)>{t.bulk_dismiss}</button>
            </div>
            <p class="bulk-counts">
                <span class="count-changed">{fill(t.bulk_done_changed, &[("n", &run.changed)])}</span>
                {(run.unchanged > 0).then(|| view! { <span>{fill(t.bulk_done_unchanged, &[("n", &run.unchanged)])}</span> })}
                {(skipped > 0).then(|| view! { <span class="count-skipped">{fill(t.bulk_done_skipped, &[("n", &skipped)])}</span> })}
            </p>
            {(!run.skipped.is_empty()).then(|| view! {
                <ul class="skip-reasons">
                    {run.skipped.into_iter().map(|group| view! { <SkipReason group locale /> }).collect_view()}
                </ul>
            })}
            {run.undo_until.map(|until| view! {
                <p class="bulk-undo">
                    <button type="button" class="btn btn-secondary" on:click=undo>{t.bulk_undo}</button>
                    <span class="muted">{fill(t.bulk_undo_until, &[("time", &locale.date_time(until))])}</span>
                </p>
            })}
        </section>
    }
}

#[component]
fn SkipReason(group: SkipGroup, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let more = group.count - group.leads.len() as i64;
    view! {
        <li>
            <strong>{format!("{} ({})", group.reason, group.count)}</strong>
            " "
            {group.leads.into_iter().map(|(id, name)| view! {
                <a class="skip-lead" href=format!("/admin/leads/{id}")>{name}</a>
            }).collect_view()}
            {(more > 0).then(|| view! { <span class="muted">{fill(t.bulk_and_more, &[("n", &more)])}</span> })}
        </li>
    }
}
