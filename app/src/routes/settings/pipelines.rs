//! Pipelines and their stages: add, rename, reorder, colour, probability, stalled-after days,
//! required fields; delete a pipeline when nothing uses it, a stage after choosing where its
//! leads go.

use crate::components::dialog::Dialog;
use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::components::icons::Icon;
use crate::components::order_buttons::OrderButtons;
use crate::functions::{list_pipelines, EditPipelines, PipelineCommand};
use crate::i18n::fill;
use crate::models::{Choice, Pipeline, Stage, StageForm, REQUIRABLE_FIELDS};
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn PipelinesPage() -> impl IntoView {
    let t = use_locale().t();
    let edit = ServerAction::<EditPipelines>::new();
    let error = action_error(edit);
    let pipelines = Resource::new(move || edit.version().get(), |_| list_pipelines());
    let name = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.dispatch(EditPipelines {
            command: PipelineCommand::Create {
                name: name.get_untracked(),
            },
        });
        name.set(String::new());
    };
    view! {
        <ErrorBanner error />
        <form class="inline-form card-lite" on:submit=add>
            <label class="sr-only" for="new-pipeline">{t.new_pipeline}</label>
            <input id="new-pipeline" type="text" placeholder=t.new_pipeline bind:value=name maxlength="100" />
            <button type="submit" class="btn btn-primary">{t.add}</button>
        </form>
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                let pipelines = pipelines.await.unwrap_or_default();
                let last = pipelines.len().saturating_sub(1);
                pipelines
                    .into_iter()
                    .enumerate()
                    .map(|(index, pipeline)| view! { <PipelineCard pipeline edit error first=index == 0 last=index == last /> })
                    .collect_view()
            })}
        </Transition>
    }
}

#[component]
fn PipelineCard(
    pipeline: Pipeline,
    edit: ServerAction<EditPipelines>,
    error: Signal<Option<crate::error::AppError>>,
    first: bool,
    last: bool,
) -> impl IntoView {
    let t = use_locale().t();
    let id = pipeline.id;
    let run = move |command: PipelineCommand| {
        edit.dispatch(EditPipelines { command });
    };
    let renaming = RwSignal::new(false);
    let name = RwSignal::new(pipeline.name.clone());
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run(PipelineCommand::Rename {
            id,
            name: name.get_untracked(),
        });
        renaming.set(false);
    };
    let stage_count = pipeline.stages.len();
    // The stage whose delete button was pressed: its dialog sits outside the table.
    let deleting = RwSignal::new(None::<Stage>);
    let all_stages: Vec<Choice> = pipeline
        .stages
        .iter()
        .map(|s| Choice {
            id: s.id,
            name: s.name.clone(),
        })
        .collect();
    let new_stage = RwSignal::new(String::new());
    let add_stage = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = StageForm {
            name: new_stage.get_untracked(),
            color: "#64748b".into(),
            probability: "10".into(),
            ..StageForm::default()
        };
        run(PipelineCommand::AddStage { pipeline: id, form });
        new_stage.set(String::new());
    };
    view! {
        <section class="card pipeline" aria-label=pipeline.name.clone()>
            <div class="card-header">
                <Show
                    when=move || renaming.get()
                    fallback=move || view! { <h2>{name.get()}</h2> }
                >
                    <form class="inline-form" on:submit=rename>
                        <input type="text" bind:value=name maxlength="100" aria-label=t.rename />
                        <button type="submit" class="btn btn-primary btn-sm">{t.save}</button>
                    </form>
                </Show>
                {pipeline.is_default.then(|| view! { <span class="tag">{t.default_label}</span> })}
                <span class="count">{format!("{} {}", pipeline.lead_count, t.leads_total)}</span>
                <span class="row-actions">
                    {(!pipeline.is_default).then(|| view! {
                        <button type="button" class="icon-btn" title=t.make_default aria-label=t.make_default
                            on:click=move |_| run(PipelineCommand::MakeDefault { id })>
                            <Icon name="star" />
                        </button>
                    })}
                    <button type="button" class="icon-btn" title=t.rename aria-label=t.rename on:click=move |_| renaming.set(true)>
                        <Icon name="edit" />
                    </button>
                    <OrderButtons first last name=pipeline.name.clone()
                        on_move=move |direction| run(PipelineCommand::Move { id, direction })
                        on_delete=move |_| run(PipelineCommand::Delete { id }) />
                </span>
            </div>
            <div class="table-wrap">
                <table class="table stages">
                    <thead>
                        <tr>
                            <th scope="col">{t.stage}</th>
                            <th scope="col">{t.color}</th>
                            <th scope="col">{t.probability}</th>
                            <th scope="col">{t.stalled_after_days}</th>
                            <th scope="col">{t.required_fields}</th>
                            <th scope="col" class="num">{t.leads}</th>
                            <th scope="col"><span class="sr-only">{t.save}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {pipeline
                            .stages
                            .into_iter()
                            .enumerate()
                            .map(|(index, stage)| view! {
                                <StageRow stage edit error deleting first=index == 0 last=index + 1 == stage_count />
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {move || deleting.get().map(|stage| {
                let others = all_stages.iter().filter(|s| s.id != stage.id).cloned().collect();
                view! {
                    <DeleteStageDialog id=stage.id name=stage.name leads=stage.lead_count others edit
                        on_close=move || deleting.set(None) />
                }
            })}
            <form class="inline-form" on:submit=add_stage>
                <label class="sr-only" for=format!("new-stage-{id}")>{t.new_stage}</label>
                <input id=format!("new-stage-{id}") type="text" placeholder=t.new_stage bind:value=new_stage maxlength="100" />
                <button type="submit" class="btn btn-secondary">{t.add}</button>
            </form>
        </section>
    }
}

#[component]
fn StageRow(
    stage: Stage,
    /// Set to this stage when its delete button is pressed (the card asks where its leads go).
    deleting: RwSignal<Option<Stage>>,
    edit: ServerAction<EditPipelines>,
    error: Signal<Option<crate::error::AppError>>,
    first: bool,
    last: bool,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let id = stage.id;
    let name = RwSignal::new(stage.name.clone());
    let color = RwSignal::new(stage.color.clone());
    let probability = RwSignal::new(stage.probability.to_string());
    let stalled = RwSignal::new(
        stage
            .stalled_after_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let required = RwSignal::new(stage.required_fields.clone());
    let run = move |command: PipelineCommand| {
        edit.dispatch(EditPipelines { command });
    };
    // Field errors belong to the stage row that was saved last.
    let saved_here = RwSignal::new(false);
    let row_error = Signal::derive(move || if saved_here.get() { error.get() } else { None });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved_here.set(true);
        let form = StageForm {
            name: name.get_untracked(),
            color: color.get_untracked(),
            probability: probability.get_untracked(),
            stalled_after_days: stalled.get_untracked(),
            required_fields: required.get_untracked(),
        };
        run(PipelineCommand::UpdateStage { id, form });
    };
    let form_id = format!("stage-form-{id}");
    let this = stage.clone();
    view! {
        <tr>
            <td>
                <form id=form_id.clone() on:submit=save></form>
                <input type="text" form=form_id.clone() bind:value=name maxlength="100" aria-label=t.stage />
                <FieldError error=row_error field="name" />
            </td>
            <td>
                <input type="color" form=form_id.clone() bind:value=color aria-label=t.color />
            </td>
            <td>
                <input type="number" min="0" max="100" class="narrow-input" form=form_id.clone() bind:value=probability aria-label=t.probability />
                <FieldError error=row_error field="probability" />
            </td>
            <td>
                <input type="number" min="1" max="3650" class="narrow-input" form=form_id.clone() bind:value=stalled aria-label=t.stalled_after_days />
                <FieldError error=row_error field="stalled_after_days" />
            </td>
            <td>
                <details class="picker">
                    <summary>
                        {move || {
                            let fields = required.get();
                            if fields.is_empty() {
                                "—".to_string()
                            } else {
                                fields.iter().map(|f| locale.field_label(f)).collect::<Vec<_>>().join(", ")
                            }
                        }}
                    </summary>
                    <div class="picker-menu">
                        {REQUIRABLE_FIELDS
                            .iter()
                            .map(|&field| {
                                let checked = move || required.get().iter().any(|f| f == field);
                                let toggle = move |_| {
                                    required.update(|fields| {
                                        if let Some(index) = fields.iter().position(|f| f == field) {
                                            fields.remove(index);
                                        } else {
                                            fields.push(field.to_string());
                                        }
                                    })
                                };
                                view! {
                                    <label class="check">
                                        <input type="checkbox" prop:checked=checked on:change=toggle />
                                        <span>{locale.field_label(field)}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                </details>
            </td>
            <td class="num">{stage.lead_count}</td>
            <td class="row-actions">
                <button type="submit" form=form_id class="btn btn-primary btn-sm">{t.save}</button>
                <OrderButtons first last name=stage.name.clone() asks_itself=true
                    on_move=move |direction| run(PipelineCommand::MoveStage { id, direction })
                    on_delete=move |_| deleting.set(Some(this.clone())) />
            </td>
        </tr>
    }
}

/// Asks where a stage's leads go before deleting it.
#[component]
fn DeleteStageDialog(
    id: i64,
    name: String,
    leads: i64,
    others: Vec<Choice>,
    edit: ServerAction<EditPipelines>,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_locale().t();
    let target = RwSignal::new(others.first().map(|s| s.id.to_string()).unwrap_or_default());
    let explain = if leads > 0 {
        fill(t.delete_stage_leads, &[("n", &leads.to_string())])
    } else {
        t.delete_stage_empty.to_string()
    };
    let delete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.dispatch(EditPipelines {
            command: PipelineCommand::DeleteStage {
                id,
                move_to: target.get_untracked().parse().ok(),
            },
        });
        on_close();
    };
    let select_id = format!("move-leads-{id}");
    view! {
        <Dialog title=fill(t.delete_stage_title, &[("name", &name)]) on_close>
            <form class="stack" on:submit=delete>
                <p class="muted">{explain}</p>
                <div class="field">
                    <label for=select_id.clone()>{t.move_leads_to}</label>
                    <select id=select_id bind:value=target>
                        {others
                            .into_iter()
                            .map(|s| view! { <option value=s.id.to_string()>{s.name}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="form-actions">
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close()>{t.cancel}</button>
                    <button type="submit" class="btn btn-danger">{t.delete}</button>
                </div>
            </form>
        </Dialog>
    }
}
