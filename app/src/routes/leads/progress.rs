//! Moving a lead to another stage outside the board: the lead page's stage bar (the pipeline's
//! stages in order, the current one marked) and the list's stage cell. Both move by the
//! board's rules; a stage that requires fields asks for them (`StageNeeds`) and the move and
//! the fields commit together.

use crate::components::feedback::{action_error, error_message, ErrorBanner};
use crate::error::AppError;
use crate::functions::MoveCard;
use crate::models::{LeadInput, MoveRequest, Stage};
use crate::use_locale;
use leptos::prelude::*;

/// The move of `lead` (at `version`) to a stage, with the fields it asked for.
fn dispatch_move(
    moving: ServerAction<MoveCard>,
    lead: i64,
    version: i64,
    to: i64,
    fields: LeadInput,
) {
    moving.dispatch(MoveCard {
        request: MoveRequest {
            lead,
            to,
            before: None,
            after: None,
            version,
            fields,
        },
    });
}

#[component]
pub fn StageBar(
    lead: i64,
    version: i64,
    current: i64,
    stages: Vec<Stage>,
    moving: ServerAction<MoveCard>,
) -> impl IntoView {
    let t = use_locale().t();
    let target = RwSignal::new(None::<i64>);
    let error = action_error(moving);
    let reached = stages.iter().position(|s| s.id == current).unwrap_or(0);
    let go = move |to: i64, fields: LeadInput| {
        target.set(Some(to));
        dispatch_move(moving, lead, version, to, fields);
    };
    let retry = Callback::new(move |fields: LeadInput| {
        if let Some(to) = target.get_untracked() {
            go(to, fields);
        }
    });
    view! {
        <nav class="stage-bar" aria-label=t.stage>
            <ol>
                {stages
                    .into_iter()
                    .enumerate()
                    .map(|(i, stage)| {
                        let id = stage.id;
                        let here = id == current;
                        view! {
                            <li class:done=i < reached class:here=here style=format!("--stage: {}", stage.color)>
                                <button type="button" aria-current=here.then_some("step") disabled=here
                                    on:click=move |_| go(id, LeadInput::default())>
                                    {stage.name}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <StageNeeds error retry />
        <ErrorBanner error />
    }
    .into_any()
}

/// The list's stage cell: the lead's stage as a menu of the pipeline's stages; choosing one
/// moves the lead (and `moved` runs once it has). A refused move puts the menu back and says
/// why; a stage that requires fields asks for them under the menu.
#[component]
pub fn StageCell(
    lead: i64,
    version: i64,
    current: i64,
    /// The pipeline's stages in order: id, name and colour.
    stages: Vec<(i64, String, String)>,
    /// The lead's name, for the menu's accessible name.
    name: String,
    moved: Callback<()>,
) -> impl IntoView {
    let t = use_locale().t();
    let moving = ServerAction::<MoveCard>::new();
    let error = action_error(moving);
    let chosen = RwSignal::new(current);
    Effect::watch(
        move || moving.value().get(),
        move |value, _, _| match value {
            Some(Ok(_)) => moved.run(()),
            // Refused: unless it asks for fields, the menu shows where the lead really is.
            Some(Err(e)) if e.field_errors().is_none() => chosen.set(current),
            _ => {}
        },
        false,
    );
    let go = move |to: i64, fields: LeadInput| {
        chosen.set(to);
        dispatch_move(moving, lead, version, to, fields);
    };
    let retry = Callback::new(move |fields: LeadInput| go(chosen.get_untracked(), fields));
    let change = move |ev: leptos::ev::Event| {
        let Ok(to) = event_target_value(&ev).parse::<i64>() else {
            return;
        };
        if to == current {
            // Back where it is: nothing to move, nothing more to ask.
            chosen.set(to);
            moving.value().set(None);
        } else {
            go(to, LeadInput::default());
        }
    };
    let color_of = {
        let stages = stages.clone();
        move |id: i64| {
            stages
                .iter()
                .find(|(stage, _, _)| *stage == id)
                .map(|(_, _, color)| color.clone())
                .unwrap_or_default()
        }
    };
    let label = format!("{}: {name}", t.stage);
    let refused = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    view! {
        <div class="stage-cell" style=move || format!("--stage: {}", color_of(chosen.get()))>
            <select class="stage-select" aria-label=label on:change=change
                prop:value=move || chosen.get().to_string() disabled=move || moving.pending().get()>
                {stages.into_iter().map(|(id, name, _)| view! {
                    <option value=id.to_string() selected=id == current>{name}</option>
                }).collect_view()}
            </select>
            <StageNeeds error retry />
            {move || refused.get().map(|e| view! {
                <span class="field-error" role="alert">{error_message(&e)}</span>
            })}
        </div>
    }
}

/// The fields a refused move's target stage asked for (its field errors), as a small form
/// whose submit tries the move again with them.
#[component]
fn StageNeeds(error: Signal<Option<AppError>>, retry: Callback<LeadInput>) -> impl IntoView {
    let t = use_locale().t();
    let asked = Memo::new(move |_| {
        error
            .get()
            .and_then(|e| e.field_errors().cloned())
            .map(|fields| fields.into_iter().collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let values = RwSignal::new(Vec::<(String, RwSignal<String>)>::new());
    Effect::new(move |_| {
        values.set(
            asked
                .get()
                .into_iter()
                .map(|(field, _)| (field, RwSignal::new(String::new())))
                .collect(),
        );
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut fields = LeadInput::default();
        for (field, value) in values.get_untracked() {
            fields.set(&field, value.get_untracked());
        }
        retry.run(fields);
    };
    view! {
        <Show when=move || !asked.get().is_empty()>
            <form class="stage-needs card-lite" on:submit=submit novalidate>
                {move || {
                    let messages = asked.get();
                    values
                        .get()
                        .into_iter()
                        .map(|(field, value)| {
                            let message = messages
                                .iter()
                                .find(|(f, _)| *f == field)
                                .map(|(_, m)| m.clone())
                                .unwrap_or_default();
                            let label = use_locale().field_label(&field);
                            let label = if label.is_empty() { field.clone() } else { label.to_string() };
                            view! {
                                <label class="field">
                                    <span>{label}</span>
                                    <input type="text" bind:value=value />
                                    <span class="field-error">{message}</span>
                                </label>
                            }
                        })
                        .collect_view()
                }}
                <button type="submit" class="btn btn-primary">{t.move_action}</button>
            </form>
        </Show>
    }
}
