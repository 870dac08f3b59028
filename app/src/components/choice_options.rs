//! The `<option>`s of a picker of ids — sources, users, or the stages of every pipeline —
//! with the current one marked `selected`, so the server-rendered page shows it too.

use crate::models::{Choice, PipelineStages};
use leptos::prelude::*;

#[component]
pub fn ChoiceOptions(choices: Vec<Choice>, current: Signal<String>) -> impl IntoView {
    choices
        .into_iter()
        .map(|choice| {
            let value = choice.id.to_string();
            let chosen = value.clone();
            view! { <option value=value selected=move || current.with(|v| *v == chosen)>{choice.name}</option> }
        })
        .collect_view()
}

/// One group per pipeline, its stages in order.
#[component]
pub fn StageOptions(pipelines: Vec<PipelineStages>, current: Signal<String>) -> impl IntoView {
    pipelines
        .into_iter()
        .map(|pipeline| {
            view! {
                <optgroup label=pipeline.name>
                    <ChoiceOptions choices=pipeline.stages current />
                </optgroup>
            }
        })
        .collect_view()
}
