//! `/admin/leads/new` and `/admin/leads/:id/edit`: every field of a lead on one form. The
//! browser runs the server's own parsing (`parse_lead`) before it sends, so both say the same
//! thing per field; the server checks again and saves all or nothing. While the user types an
//! email (or another compared field) the form looks for leads that may be the same one.

use crate::components::feedback::{error_message, FieldError};
use crate::error::Check;
use crate::error::{AppError, FieldErrors};
use crate::functions::{find_duplicates, read_form_choices, read_lead, SaveLead};
use crate::i18n::{fill, Locale};
use crate::models::{
    parse_custom_value, parse_custom_values, parse_lead, parse_tags, CustomField, CustomFieldKind,
    CustomValue, Duplicate, DuplicateProbe, Lead, LeadFormChoices, LeadInput, SaveOutcome,
};
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Every field the form edits, by its API name.
const FORM_FIELDS: &[&str] = &[
    "name",
    "title",
    "company",
    "email",
    "phonenumber",
    "website",
    "pipeline",
    "stage",
    "assigned",
    "source",
    "lead_value",
    "tags",
    "is_public",
    "next_action",
    "next_action_at",
    "address",
    "city",
    "state",
    "zip",
    "country",
    "default_language",
    "description",
];

/// Fields whose change asks again whether the lead already exists.
const PROBED_FIELDS: &[&str] = &["email", "phonenumber", "website", "company"];

#[component]
pub fn NewLeadPage() -> impl IntoView {
    let t = use_locale().t();
    let query = use_query_map();
    let stage = query
        .read_untracked()
        .get("stage")
        .and_then(|s| s.parse::<i64>().ok());
    let choices = Resource::new(|| (), |_| read_form_choices());
    view! {
        <Title text=t.new_lead />
        <header class="page-header">
            <a class="btn btn-ghost" href="/admin/leads">{format!("← {}", t.back_to_leads)}</a>
            <h1>{t.new_lead}</h1>
        </header>
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match choices.await {
                    Ok(choices) => view! { <LeadForm choices lead=None custom=Vec::new() stage /> }.into_any(),
                    Err(error) => view! { <p class="alert alert-error" role="alert">{error_message(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn EditLeadPage() -> impl IntoView {
    let t = use_locale().t();
    let id = crate::routes::use_id_param();
    let data = Resource::new(id, |id| async move {
        let detail = read_lead(id).await?;
        let choices = read_form_choices().await?;
        Ok::<_, AppError>((detail.lead, detail.custom, choices))
    });
    view! {
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((lead, custom, choices)) => view! {
                        <Title text=fill(t.edit_name, &[("name", &lead.name)]) />
                        <header class="page-header">
                            <a class="btn btn-ghost" href=format!("/admin/leads/{}", lead.id)>{format!("← {}", lead.name)}</a>
                            <h1>{t.edit_lead}</h1>
                        </header>
                        <LeadForm choices lead=Some(lead) custom stage=None />
                    }.into_any(),
                    Err(error) => view! {
                        <Title text=t.leads />
                        <p class="alert alert-error" role="alert">{error_message(&error)}</p>
                        <a class="btn btn-secondary" href="/admin/leads">{t.back_to_leads}</a>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The form's values, one signal per field, and what they were when the form opened.
#[derive(Clone, Copy)]
struct Values {
    fields: StoredValue<Vec<(&'static str, RwSignal<String>, String)>>,
}

impl Values {
    fn new(initial: impl Fn(&str) -> String) -> Values {
        let fields = FORM_FIELDS
            .iter()
            .map(|&field| {
                let value = initial(field);
                (field, RwSignal::new(value.clone()), value)
            })
            .collect();
        Values {
            fields: StoredValue::new(fields),
        }
    }

    fn get(&self, field: &str) -> RwSignal<String> {
        self.fields.with_value(|fields| {
            fields
                .iter()
                .find(|(name, _, _)| *name == field)
                .map(|(_, value, _)| *value)
                .expect("a form field")
        })
    }

    /// What to send: every field when creating, only the changed ones when editing.
    fn input(&self, changed_only: bool) -> LeadInput {
        let mut input = LeadInput::default();
        self.fields.with_value(|fields| {
            for (field, value, initial) in fields {
                let value = value.get_untracked();
                if changed_only && value == *initial {
                    continue;
                }
                set_field(&mut input, field, value);
            }
        });
        input
    }

    fn probe(&self, except: Option<i64>) -> DuplicateProbe {
        let value = |field: &str| self.get(field).get_untracked();
        DuplicateProbe {
            email: value("email"),
            phonenumber: value("phonenumber"),
            website: value("website"),
            company: value("company"),
            except,
        }
    }
}

/// The custom fields' values, one signal per field, and what they were when the form opened.
#[derive(Clone, Copy)]
struct CustomValues {
    fields: StoredValue<Vec<(CustomField, RwSignal<String>, String)>>,
}

impl CustomValues {
    fn new(fields: &[CustomField], current: &[CustomValue]) -> CustomValues {
        let fields = fields
            .iter()
            .map(|field| {
                let value = current
                    .iter()
                    .find(|v| v.field.id == field.id)
                    .map(|v| v.value.clone())
                    .unwrap_or_default();
                (field.clone(), RwSignal::new(value.clone()), value)
            })
            .collect();
        CustomValues {
            fields: StoredValue::new(fields),
        }
    }

    /// Adds what to send to `input` (every field creating, the changed ones editing).
    fn fill(&self, input: &mut LeadInput, changed_only: bool) {
        self.fields.with_value(|fields| {
            for (field, value, initial) in fields {
                let value = value.get_untracked();
                if changed_only && value == *initial {
                    continue;
                }
                input.custom.insert(field.id.to_string(), value);
            }
        });
    }

    fn definitions(&self) -> Vec<CustomField> {
        self.fields
            .with_value(|fields| fields.iter().map(|(field, _, _)| field.clone()).collect())
    }
}

fn set_field(input: &mut LeadInput, field: &str, value: String) {
    match field {
        "pipeline" => input.pipeline = Some(value),
        "stage" => input.stage = Some(value),
        "is_public" => input.is_public = Some(value),
        "next_action_at" => input.next_action_at = Some(value),
        field => {
            input.set(field, value);
        }
    }
}

/// A stored lead's field as the form's text.
fn initial_of(lead: &Lead, field: &str) -> String {
    let id = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
    match field {
        "pipeline" => lead.pipeline_id.to_string(),
        "stage" => lead.stage_id.to_string(),
        "assigned" => id(lead.assigned),
        "source" => id(lead.source_id),
        "lead_value" => lead
            .lead_value
            .map(crate::models::money_text)
            .unwrap_or_default(),
        "tags" => lead.tags.join(", "),
        "is_public" => if lead.is_public { "1" } else { "" }.to_string(),
        "next_action_at" => lead.next_action_at.map(local_input).unwrap_or_default(),
        "name" => lead.name.clone(),
        "title" => lead.title.clone().unwrap_or_default(),
        "company" => lead.company.clone().unwrap_or_default(),
        "email" => lead.email.clone().unwrap_or_default(),
        "phonenumber" => lead.phonenumber.clone().unwrap_or_default(),
        "website" => lead.website.clone().unwrap_or_default(),
        "next_action" => lead.next_action.clone().unwrap_or_default(),
        "address" => lead.address.clone().unwrap_or_default(),
        "city" => lead.city.clone().unwrap_or_default(),
        "state" => lead.state.clone().unwrap_or_default(),
        "zip" => lead.zip.clone().unwrap_or_default(),
        "country" => lead.country.clone().unwrap_or_default(),
        "default_language" => lead.default_language.clone().unwrap_or_default(),
        "description" => lead.description.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// Milliseconds → the value of a `datetime-local` input (times are UTC throughout Leadline).
fn local_input(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|at| at.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// A new lead's starting values: the asked-for stage (or the default pipeline's first),
/// the default source, assigned to the user creating it.
fn initial_for_new(choices: &LeadFormChoices, stage: Option<i64>, field: &str) -> String {
    let pipeline = choices
        .pipelines
        .iter()
        .find(|p| stage.is_some_and(|s| p.stages.iter().any(|c| c.id == s)))
        .or(choices.pipelines.first());
    match field {
        "pipeline" => pipeline.map(|p| p.id.to_string()).unwrap_or_default(),
        "stage" => stage
            .filter(|_| pipeline.is_some())
            .or_else(|| pipeline.and_then(|p| p.stages.first()).map(|s| s.id))
            .map(|s| s.to_string())
            .unwrap_or_default(),
        "source" => choices
            .default_source
            .map(|s| s.to_string())
            .unwrap_or_default(),
        "assigned" => choices.me.map(|m| m.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

#[component]
fn LeadForm(
    choices: LeadFormChoices,
    lead: Option<Lead>,
    custom: Vec<CustomValue>,
    stage: Option<i64>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let editing = lead.as_ref().map(|l| (l.id, l.version));
    let values = match &lead {
        Some(lead) => Values::new(|field| initial_of(lead, field)),
        None => Values::new(|field| initial_for_new(&choices, stage, field)),
    };
    let custom_values = CustomValues::new(&choices.custom_fields, &custom);
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<AppError>);
    let field_errors = Signal::derive(move || {
        let fields = errors.get();
        (!fields.is_empty()).then_some(AppError::Validation(fields))
    });
    let duplicates = RwSignal::new(Vec::<Duplicate>::new());
    let blocked = RwSignal::new(false);
    let save = ServerAction::<SaveLead>::new();
    let navigate = use_navigate();
    let except = editing.map(|(id, _)| id);

    Effect::new(move |_| match save.value().get() {
        Some(Ok(SaveOutcome::Saved(id))) => {
            navigate(&format!("/admin/leads/{id}"), Default::default());
        }
        Some(Ok(SaveOutcome::Duplicates(found))) => {
            duplicates.set(found);
            blocked.set(true);
        }
        Some(Err(AppError::Validation(fields))) => {
            errors.set(fields);
            focus_first_invalid();
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });

    // A field with an error is checked again as the user types (the message goes as soon as
    // the value is right); new errors appear on save, so nothing moves under the pointer.
    let check_field = move |field: &'static str| {
        if !errors.with_untracked(|e| e.contains_key(field)) {
            return;
        }
        let mut input = LeadInput::default();
        set_field(&mut input, field, values.get(field).get_untracked());
        let message = parse_lead(&input, false, locale)
            .err()
            .and_then(|e| e.field_errors().and_then(|f| f.get(field).cloned()));
        errors.update(|errors| match message {
            Some(message) => {
                errors.insert(field.to_string(), message);
            }
            None => {
                errors.remove(field);
            }
        });
    };

    // Looks for duplicates a moment after the user stops typing in a compared field.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let asked = StoredValue::new(0_u32);
    let probe_soon = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                asked.update_value(|n| *n += 1);
                let mine = asked.get_value();
                let probe = values.probe(except);
                leptos::task::spawn_local(async move {
                    if let Ok(found) = find_duplicates(probe).await {
                        if asked.get_value() == mine {
                            duplicates.set(found);
                            blocked.set(false);
                        }
                    }
                });
            },
            std::time::Duration::from_millis(350),
        )
        .ok();
        pending.set_value(handle);
    };

    let tried = RwSignal::new(false);
    let submit = move |anyway: bool| {
        tried.set(true);
        failure.set(None);
        let mut input = values.input(editing.is_some());
        custom_values.fill(&mut input, editing.is_some());
        let mut found = match parse_lead(&input, editing.is_none(), locale) {
            Ok(_) => FieldErrors::new(),
            Err(AppError::Validation(fields)) => fields,
            Err(other) => {
                failure.set(Some(other));
                return;
            }
        };
        let mut check = Check::default();
        parse_custom_values(
            &custom_values.definitions(),
            &input.custom,
            editing.is_none(),
            locale,
            &mut check,
        );
        if let Err(AppError::Validation(custom)) = check.finish() {
            found.extend(custom);
        }
        if !found.is_empty() {
            errors.set(found);
            focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::new());
        save.dispatch(SaveLead {
            id: editing.map(|(id, _)| id),
            version: editing.map(|(_, version)| version),
            input,
            anyway,
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit(false);
    };
    let cancel_href = match editing {
        Some((id, _)) => format!("/admin/leads/{id}"),
        None => "/admin/leads".to_string(),
    };
    let ctx = FormCtx {
        values,
        errors: field_errors,
        check: Callback::new(move |field: &'static str| check_field(field)),
        probe: Callback::new(move |_: ()| probe_soon()),
    };
    let pipelines = StoredValue::new(choices.pipelines.clone());
    let pending_save = save.pending();
    view! {
        <form class="lead-form card" novalidate on:submit=on_submit>
            {move || failure.get().map(|e| view! { <p class="alert alert-error" role="alert">{error_message(&e)}</p> })}
            {move || (tried.get() && !errors.with(|e| e.is_empty())).then(|| view! {
                <p class="alert alert-error" role="alert">{t.fix_errors}</p>
            })}
            <fieldset class="form-section">
                <legend>{t.section_contact}</legend>
                <div class="form-grid">
                    <TextField ctx field="name" required=true autocomplete="name" />
                    <TextField ctx field="title" autocomplete="organization-title" />
                    <TextField ctx field="company" autocomplete="organization" />
                    <TextField ctx field="email" kind="email" autocomplete="email" />
                    <TextField ctx field="phonenumber" kind="tel" autocomplete="tel" />
                    <TextField ctx field="website" kind="url" autocomplete="url" />
                </div>
                <Duplicates duplicates blocked on_save_anyway=Callback::new(move |_: ()| submit(true)) />
            </fieldset>
            <fieldset class="form-section">
                <legend>{t.section_pipeline}</legend>
                <div class="form-grid">
                    <PipelineFields ctx pipelines />
                    <ChoiceField ctx field="assigned" choices=choices.users.clone() empty=t.unassigned />
                    <ChoiceField ctx field="source" choices=choices.sources.clone() empty=t.none />
                    <TextField ctx field="lead_value" inputmode="decimal" />
                    <PublicField ctx />
                    <TagField ctx known=choices.tags.clone() />
                </div>
            </fieldset>
            <fieldset class="form-section">
                <legend>{t.section_follow_up}</legend>
                <div class="form-grid">
                    <TextField ctx field="next_action" />
                    <TextField ctx field="next_action_at" kind="datetime-local" />
                </div>
            </fieldset>
            <fieldset class="form-section">
                <legend>{t.section_address}</legend>
                <div class="form-grid">
                    <TextField ctx field="address" autocomplete="street-address" />
                    <TextField ctx field="city" autocomplete="address-level2" />
                    <TextField ctx field="state" autocomplete="address-level1" />
                    <TextField ctx field="zip" autocomplete="postal-code" />
                    <TextField ctx field="country" autocomplete="country-name" />
                    <TextField ctx field="default_language" />
                </div>
            </fieldset>
            {(!choices.custom_fields.is_empty()).then(|| view! {
                <fieldset class="form-section">
                    <legend>{t.custom_fields}</legend>
                    <div class="form-grid">
                        {custom_values.fields.get_value().into_iter().map(|(field, value, _)| view! {
                            <CustomInput field value errors=errors />
                        }).collect_view()}
                    </div>
                </fieldset>
            })}
            <fieldset class="form-section">
                <legend>{locale.field_label("description")}</legend>
                <DescriptionField ctx />
            </fieldset>
            <div class="form-actions">
                <a class="btn btn-ghost" href=cancel_href>{t.cancel}</a>
                <button type="submit" class="btn btn-primary" disabled=pending_save>
                    {if editing.is_some() { t.save_changes } else { t.create_lead }}
                </button>
            </div>
        </form>
    }
}

/// One custom field's input, by its kind; an error under it goes as soon as the value is right.
#[component]
fn CustomInput(
    field: CustomField,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let key = field.key();
    let id = format!("lead-{key}");
    let error_id = format!("{key}-error");
    let error_key = key.clone();
    let error = Signal::derive(move || errors.with(|e| e.get(&error_key).cloned()));
    let invalid = move || error.get().map(|_| "true");
    let stored = StoredValue::new(field.clone());
    let recheck = move || {
        let key = stored.with_value(CustomField::key);
        if !errors.with_untracked(|e| e.contains_key(&key)) {
            return;
        }
        let field = stored.get_value();
        let fixed = match parse_custom_value(&field, &value.get_untracked(), locale) {
            Ok(None) => !field.required,
            Ok(Some(_)) => true,
            Err(_) => false,
        };
        if fixed {
            errors.update(|e| {
                e.remove(&key);
            });
        }
    };
    let label = view! {
        <label for=id.clone()>
            {field.label.clone()}
            {field.required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
        </label>
    };
    let input = match field.kind {
        CustomFieldKind::Checkbox => view! {
            <label class="check">
                <input id=id.clone() type="checkbox" prop:checked=move || value.get() == "1"
                    aria-invalid=invalid aria-describedby=error_id.clone()
                    on:change=move |ev| { value.set(if event_target_checked(&ev) { "1".into() } else { String::new() }); recheck(); } />
                {field.label.clone()}
            </label>
        }.into_any(),
        CustomFieldKind::Select => view! {
            <select id=id.clone() aria-invalid=invalid aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:change=move |ev| { value.set(event_target_value(&ev)); recheck(); }>
                <option value="">{t.none}</option>
                {field.options.iter().map(|option| {
                    let (shown, current) = (option.clone(), option.clone());
                    view! { <option value=option.clone() selected=move || value.get() == current>{shown}</option> }
                }).collect_view()}
            </select>
        }.into_any(),
        kind => {
            let (kind, mode) = match kind {
                CustomFieldKind::Number => ("text", Some("decimal")),
                CustomFieldKind::Date => ("date", None),
                _ => ("text", None),
            };
            view! {
                <input id=id.clone() type=kind inputmode=mode bind:value=value
                    aria-invalid=invalid aria-describedby=error_id.clone()
                    on:input=move |_| recheck() />
            }.into_any()
        }
    };
    let checkbox = field.kind == CustomFieldKind::Checkbox;
    view! {
        <div class="field">
            {(!checkbox).then_some(label)}
            {input}
            {move || error.get().map(|message| view! {
                <p class="field-error" id=error_id.clone()>{message}</p>
            })}
        </div>
    }
}

/// What every field of the form needs: the values, the errors, and the checks to run.
#[derive(Clone, Copy)]
struct FormCtx {
    values: Values,
    errors: Signal<Option<AppError>>,
    check: Callback<&'static str>,
    probe: Callback<()>,
}

impl FormCtx {
    fn invalid(&self, field: &'static str) -> Signal<Option<&'static str>> {
        let errors = self.errors;
        Signal::derive(move || {
            errors
                .get()
                .and_then(|e| e.field_errors().map(|f| f.contains_key(field)))
                .unwrap_or(false)
                .then_some("true")
        })
    }
}

/// A labelled input for one field, its error under it.
#[component]
fn TextField(
    ctx: FormCtx,
    field: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let locale = use_locale();
    let value = ctx.values.get(field);
    let id = format!("lead-{field}");
    let probed = PROBED_FIELDS.contains(&field);
    view! {
        <div class="field">
            <label for=id.clone()>
                {locale.field_label(field)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <input id=id type=kind bind:value=value required=required autocomplete=autocomplete
                inputmode=inputmode aria-invalid=ctx.invalid(field)
                aria-describedby=format!("{field}-error")
                on:input=move |_| {
                    ctx.check.run(field);
                    if probed {
                        ctx.probe.run(());
                    }
                } />
            <FieldError error=ctx.errors field />
        </div>
    }
}

#[component]
fn DescriptionField(ctx: FormCtx) -> impl IntoView {
    let value = ctx.values.get("description");
    view! {
        <div class="field">
            <label for="lead-description" class="sr-only">{use_locale().field_label("description")}</label>
            <textarea id="lead-description" rows="4" bind:value=value aria-invalid=ctx.invalid("description")
                aria-describedby="description-error" on:input=move |_| ctx.check.run("description")></textarea>
            <FieldError error=ctx.errors field="description" />
        </div>
    }
}

/// A select of named choices (assignee, source), with an empty first option.
#[component]
fn ChoiceField(
    ctx: FormCtx,
    field: &'static str,
    choices: Vec<crate::models::Choice>,
    empty: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let value = ctx.values.get(field);
    let id = format!("lead-{field}");
    view! {
        <div class="field">
            <label for=id.clone()>{locale.field_label(field)}</label>
            <select id=id bind:value=value aria-invalid=ctx.invalid(field) aria-describedby=format!("{field}-error")>
                <option value="">{empty}</option>
                {choices.into_iter().map(|c| {
                    let id = c.id.to_string();
                    view! { <option value=id.clone() selected=value.get_untracked() == id>{c.name}</option> }
                }).collect_view()}
            </select>
            <FieldError error=ctx.errors field />
        </div>
    }
}

/// The pipeline, and the stages of the chosen pipeline (a new pipeline starts at its first).
#[component]
fn PipelineFields(
    ctx: FormCtx,
    pipelines: StoredValue<Vec<crate::models::PipelineStages>>,
) -> impl IntoView {
    let locale = use_locale();
    let pipeline = ctx.values.get("pipeline");
    let stage = ctx.values.get("stage");
    let stages = move || {
        let chosen = pipeline.get();
        pipelines.with_value(|all| {
            all.iter()
                .find(|p| p.id.to_string() == chosen)
                .map(|p| p.stages.clone())
                .unwrap_or_default()
        })
    };
    let on_pipeline = move |_| {
        let first = stages()
            .first()
            .map(|s| s.id.to_string())
            .unwrap_or_default();
        stage.set(first);
    };
    view! {
        <div class="field">
            <label for="lead-pipeline">{locale.field_label("pipeline")}</label>
            <select id="lead-pipeline" bind:value=pipeline on:change=on_pipeline aria-describedby="pipeline-error">
                {pipelines.get_value().into_iter().map(|p| {
                    let id = p.id.to_string();
                    view! { <option value=id.clone() selected=pipeline.get_untracked() == id>{p.name}</option> }
                }).collect_view()}
            </select>
            <FieldError error=ctx.errors field="pipeline" />
        </div>
        <div class="field">
            <label for="lead-stage">{locale.field_label("stage")}</label>
            <select id="lead-stage" bind:value=stage aria-invalid=ctx.invalid("stage") aria-describedby="stage-error">
                {move || stages().into_iter().map(|s| {
                    let id = s.id.to_string();
                    view! { <option value=id.clone() selected=stage.get_untracked() == id>{s.name}</option> }
                }).collect_view()}
            </select>
            <FieldError error=ctx.errors field="stage" />
        </div>
    }
}

#[component]
fn PublicField(ctx: FormCtx) -> impl IntoView {
    let t = use_locale().t();
    let value = ctx.values.get("is_public");
    let checked = Signal::derive(move || !value.get().is_empty());
    view! {
        <div class="field field-check">
            <label>
                <input type="checkbox" prop:checked=checked
                    on:change=move |ev| value.set(if event_target_checked(&ev) { "1".into() } else { String::new() }) />
                {t.public_lead}
            </label>
            <p class="hint">{t.public_lead_hint}</p>
        </div>
    }
}

/// Tags as chips: type one and press Enter or a comma to add it (a new tag is created on
/// save); known tags are suggested.
#[component]
fn TagField(ctx: FormCtx, known: Vec<String>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let value = ctx.values.get("tags");
    let draft = RwSignal::new(String::new());
    let tags = move || parse_tags(&value.get());
    let add = move || {
        let typed = draft.get_untracked();
        if typed.trim().is_empty() {
            return;
        }
        let mut all = parse_tags(&value.get_untracked());
        all.extend(parse_tags(&typed));
        value.set(join_tags(&all));
        draft.set(String::new());
    };
    let remove = move |tag: String| {
        let kept: Vec<String> = parse_tags(&value.get_untracked())
            .into_iter()
            .filter(|t| *t != tag)
            .collect();
        value.set(join_tags(&kept));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" | "," => {
            ev.prevent_default();
            add();
        }
        "Backspace" if draft.get_untracked().is_empty() => {
            if let Some(last) = parse_tags(&value.get_untracked()).pop() {
                remove(last);
            }
        }
        _ => {}
    };
    view! {
        <div class="field field-wide">
            <label for="lead-tags">{locale.field_label("tags")}</label>
            <div class="tag-input">
                <ul class="chips" aria-live="polite">
                    {move || tags().into_iter().map(|tag| {
                        let label = fill(t.remove_tag, &[("tag", &tag)]);
                        let gone = tag.clone();
                        view! {
                            <li class="chip">
                                {tag}
                                <button type="button" class="chip-remove" aria-label=label
                                    on:click=move |_| remove(gone.clone())>"×"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <input id="lead-tags" type="text" list="known-tags" bind:value=draft
                    placeholder=t.tags_hint on:keydown=on_key on:blur=move |_| add()
                    aria-invalid=ctx.invalid("tags") aria-describedby="tags-error" />
            </div>
            <FieldError error=ctx.errors field="tags" />
            <datalist id="known-tags">
                {known.into_iter().map(|tag| view! { <option value=tag></option> }).collect_view()}
            </datalist>
        </div>
    }
}

fn join_tags(tags: &[String]) -> String {
    tags.join(", ")
}

/// Leads that may be the same one, with links; after a save that found them, a button to
/// save anyway.
#[component]
fn Duplicates(
    duplicates: RwSignal<Vec<Duplicate>>,
    blocked: RwSignal<bool>,
    on_save_anyway: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    move || {
        let found = duplicates.get();
        (!found.is_empty()).then(|| {
            view! {
                <div class="duplicates" role="status">
                    <p class="strong">{t.possible_duplicates}</p>
                    <ul>
                        {found.into_iter().map(|d| view! { <DuplicateRow duplicate=d locale /> }).collect_view()}
                    </ul>
                    {move || blocked.get().then(|| view! {
                        <p class="muted">{t.duplicates_intro}</p>
                        <button type="button" class="btn btn-secondary" on:click=move |_| on_save_anyway.run(())>
                            {t.save_anyway}
                        </button>
                    })}
                </div>
            }
        })
    }
}

#[component]
fn DuplicateRow(duplicate: Duplicate, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let field = locale.field_label(&duplicate.field).to_lowercase();
    match duplicate.name {
        Some(name) => {
            let detail: Vec<String> = [
                duplicate.company,
                duplicate
                    .assigned_name
                    .map(|a| fill(t.assigned_to_name, &[("name", &a)])),
            ]
            .into_iter()
            .flatten()
            .collect();
            view! {
                <li>
                    {fill(t.same_field_as, &[("field", &field)])}" "
                    <a href=if duplicate.client { format!("/admin/clients/{}", duplicate.id) } else { format!("/admin/leads/{}", duplicate.id) }
                        target="_blank">{name}</a>
                    {duplicate.client.then(|| view! { <span class="tag tag-ok">{t.client}</span> })}
                    {(!detail.is_empty()).then(|| format!(" · {}", detail.join(" · ")))}
                </li>
            }
            .into_any()
        }
        None => view! { <li>{fill(t.duplicate_hidden, &[("field", &field)])}</li> }.into_any(),
    }
}

/// Moves focus to the first field marked invalid, once the page has marked it.
fn focus_first_invalid() {
    set_timeout(
        || {
            use wasm_bindgen::JsCast;
            let found = document()
                .query_selector("[aria-invalid=true]")
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(element) = found {
                let _ = element.focus();
            }
        },
        std::time::Duration::from_millis(0),
    );
}
