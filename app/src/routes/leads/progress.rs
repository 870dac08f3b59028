//! The lead page's stage bar: the pipeline's stages in order, the current one marked; a click
//! moves the lead there by the board's rules. A stage that requires fields asks for them here
//! and the move and the fields commit together.

use crate::components::feedback::{action_error, ErrorBanner};
use crate::functions::MoveCard;
use crate::models::{LeadInput, MoveRequest, Stage};
use crate::use_locale;
use leptos::prelude::*;

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
    };
    // The fields the target stage asked for, from the refusal, with what the user types.
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
        if let Some(to) = target.get_untracked() {
            go(to, fields);
        }
    };
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
        <ErrorBanner error />
    }
    .into_any()
}
