//! `/admin/settings/leads`: workspace rules for leads — which fields the duplicate check
//! compares when someone creates or edits a lead, the leads' custom fields, and whether
//! notifications are emailed.

use crate::components::feedback::{action_error, ErrorBanner};
use crate::functions::{read_duplicate_fields, SaveDuplicateFields};
use crate::models::DUPLICATE_FIELDS;
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn LeadSettingsPage() -> impl IntoView {
    let t = use_locale().t();
    let save = ServerAction::<SaveDuplicateFields>::new();
    let fields = Resource::new(move || save.version().get(), |_| read_duplicate_fields());
    view! {
        <section class="card" aria-labelledby="duplicates-title">
            <div class="card-header"><h2 id="duplicates-title">{t.duplicate_check}</h2></div>
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let chosen = fields.await.unwrap_or_default();
                    view! { <DuplicateFields chosen save /> }
                })}
            </Transition>
        </section>
        <super::custom_fields::CustomFieldsCard />
        <super::email::EmailCard />
    }
}

#[component]
fn DuplicateFields(chosen: Vec<String>, save: ServerAction<SaveDuplicateFields>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let boxes: Vec<(&'static str, RwSignal<bool>)> = DUPLICATE_FIELDS
        .iter()
        .map(|&field| (field, RwSignal::new(chosen.iter().any(|c| c == field))))
        .collect();
    let values = boxes.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = values
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(field, _)| field.to_string())
            .collect();
        save.dispatch(SaveDuplicateFields { fields });
    };
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <form class="stack pad" on:submit=submit>
            <p class="muted">{t.duplicate_check_help}</p>
            <ErrorBanner error=action_error(save) />
            <div class="checks">
                {boxes.into_iter().map(|(field, on)| {
                    let always = field == "email";
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || always || on.get() disabled=always
                                on:change=move |ev| on.set(event_target_checked(&ev)) />
                            {locale.field_label(field)}
                            {always.then(|| view! { <span class="muted">{format!(" ({})", t.always)}</span> })}
                        </label>
                    }
                }).collect_view()}
            </div>
            <div class="form-actions">
                {move || saved().then(|| view! { <span class="muted" role="status">{t.saved}</span> })}
                <button type="submit" class="btn btn-primary">{t.save}</button>
            </div>
        </form>
    }
}
