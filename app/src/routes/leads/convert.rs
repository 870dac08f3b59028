//! Converting a lead from its page (or from the board's Convert zone, which opens the page
//! with `?convert=1`): a client with its primary contact and an opportunity, in one step, or
//! the lead added to a client that already exists.

use crate::components::dialog::Dialog;
use crate::components::feedback::{error_message, ErrorBanner, FieldError};
use crate::error::AppError;
use crate::functions::{read_conversion_draft, ConvertLead};
use crate::i18n::fill;
use crate::models::{parse_conversion, ConversionDraft, ConvertInput};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The Convert button, and its dialog (open at once when the link asks for it).
#[component]
pub fn ConvertAction(lead: i64) -> impl IntoView {
    let t = use_locale().t();
    let query = use_query_map();
    let asked = query.read_untracked().get("convert").as_deref() == Some("1");
    let open = RwSignal::new(asked);
    view! {
        <button type="button" class="btn btn-success" on:click=move |_| open.set(true)>{t.convert}</button>
        <Show when=move || open.get()>
            <ConvertDialog lead on_close=move || open.set(false) />
        </Show>
    }
}

#[component]
fn ConvertDialog(lead: i64, on_close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let t = use_locale().t();
    let draft = Resource::new(move || lead, read_conversion_draft);
    view! {
        <Dialog title=t.convert_title.to_string() on_close>
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match draft.await {
                        Ok(draft) => view! { <ConvertForm draft on_close /> }.into_any(),
                        Err(error) => view! { <p class="alert alert-error" role="alert">{error_message(&error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Dialog>
    }
}

#[component]
fn ConvertForm(
    draft: ConversionDraft,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let ConvertInput {
        company,
        first_name,
        last_name,
        email,
        phonenumber,
        opportunity,
        value,
        expected_close,
        ..
    } = draft.input.clone();
    // "" for a new client, else the id of the existing one.
    let client = RwSignal::new(String::new());
    let fields = [
        ("company", RwSignal::new(company)),
        ("first_name", RwSignal::new(first_name)),
        ("last_name", RwSignal::new(last_name)),
        ("email", RwSignal::new(email)),
        ("phonenumber", RwSignal::new(phonenumber)),
        ("opportunity", RwSignal::new(opportunity)),
        ("value", RwSignal::new(value)),
        ("expected_close", RwSignal::new(expected_close)),
    ];
    let get = move |name: &str| {
        fields
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| *value)
            .expect("a conversion field")
    };
    let convert = ServerAction::<ConvertLead>::new();
    let local = RwSignal::new(None::<AppError>);
    let error = Signal::derive(move || {
        local
            .get()
            .or_else(|| convert.value().get().and_then(Result::err))
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(done)) = convert.value().get() {
            navigate(
                &format!("/admin/clients/{}", done.client_id),
                Default::default(),
            );
        }
    });
    let (lead, version) = (draft.lead_id, draft.version);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |name: &str| get(name).get_untracked();
        let input = ConvertInput {
            client: client.get_untracked().parse().ok(),
            company: text("company"),
            first_name: text("first_name"),
            last_name: text("last_name"),
            email: text("email"),
            phonenumber: text("phonenumber"),
            opportunity: text("opportunity"),
            value: text("value"),
            expected_close: text("expected_close"),
        };
        if let Err(invalid) = parse_conversion(&input, locale) {
            local.set(Some(invalid));
            return;
        }
        local.set(None);
        convert.dispatch(ConvertLead {
            lead,
            version,
            input,
        });
    };
    let new_client = move || client.get().is_empty();
    let field = move |name: &'static str, label: &'static str, kind: &'static str| {
        let value = get(name);
        let id = format!("convert-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id type=kind bind:value=value aria-describedby=format!("{name}-error") />
                <FieldError error field=name />
            </div>
        }
    };
    view! {
        <form class="stack" on:submit=submit novalidate>
            <p class="muted">{fill(t.convert_intro, &[("name", &draft.lead_name)])}</p>
            <ErrorBanner error />
            {(!draft.matches.is_empty()).then(|| view! {
                <fieldset class="choice-group">
                    <legend>{t.client}</legend>
                    <label class="check">
                        <input type="radio" name="convert-client" value="" prop:checked=new_client
                            on:change=move |_| client.set(String::new()) />
                        {t.new_client}
                    </label>
                    {draft.matches.iter().map(|m| {
                        let id = m.id.to_string();
                        let chosen = id.clone();
                        view! {
                            <label class="check">
                                <input type="radio" name="convert-client" value=id.clone()
                                    prop:checked=move || client.get() == id
                                    on:change=move |_| client.set(chosen.clone()) />
                                {fill(t.add_to_client, &[("company", &m.company)])}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            <Show when=new_client>
                {field("company", locale.field_label("company"), "text")}
            </Show>
            <div class="form-grid compact">
                {field("first_name", t.first_name, "text")}
                {field("last_name", t.last_name, "text")}
                {field("email", locale.field_label("email"), "email")}
                {field("phonenumber", locale.field_label("phonenumber"), "tel")}
            </div>
            {field("opportunity", t.opportunity_name, "text")}
            <div class="form-grid compact">
                {field("value", t.value, "text")}
                {field("expected_close", t.expected_close, "date")}
            </div>
            <div class="form-actions">
                <button type="button" class="btn btn-ghost" on:click=move |_| on_close()>{t.cancel}</button>
                <button type="submit" class="btn btn-success" disabled=move || convert.pending().get()>{t.convert}</button>
            </div>
        </form>
    }
}
