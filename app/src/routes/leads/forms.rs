//! `/admin/leads/forms`: web-to-lead forms (administrators) — create one, choose the fields a
//! visitor fills in and what their lead gets, copy its embed code, switch it off, delete it.
//! The editor runs the server's own check (`parse_web_form`) before sending.

use crate::components::choice_options::{ChoiceOptions, StageOptions};
use crate::components::copy::CopyInput;
use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::components::icons::Icon;
use crate::error::AppError;
use crate::functions::{
    list_web_forms, me, read_form_choices, EditWebForms, WebFormCommand, WebFormsList,
};
use crate::i18n::{fill, Locale};
use crate::models::{
    parse_web_form, FormField, LeadFormChoices, WebForm, WebFormInput, WEB_FORM_FIELDS,
};
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

/// Which editor is open: none, a new form's, or an existing form's.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Closed,
    New,
    Form(i64),
}

#[component]
pub fn WebFormsPage() -> impl IntoView {
    let t = use_locale().t();
    let user = OnceResource::new(me());
    let open = RwSignal::new(Open::Closed);
    view! {
        <Title text=t.web_forms />
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                if matches!(user.await, Ok(Some(user)) if user.is_admin()) {
                    view! {
                        <header class="page-header">
                            <h1>{t.web_forms}</h1>
                            <button type="button" class="btn btn-primary" on:click=move |_| open.set(Open::New)>
                                {format!("+ {}", t.new_web_form)}
                            </button>
                        </header>
                        <WebFormsCard open />
                    }
                    .into_any()
                } else {
                    view! {
                        <header class="page-header"><h1>{t.web_forms}</h1></header>
                        <p class="alert alert-error">{t.admin_only}</p>
                    }
                    .into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn WebFormsCard(open: RwSignal<Open>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let edit = ServerAction::<EditWebForms>::new();
    let forms = Resource::new(move || edit.version().get(), |_| list_web_forms());
    let choices = Resource::new(|| (), |_| read_form_choices());
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            open.set(Open::Closed);
        }
    });
    // Another editor opened (or this one closed): the last save's error is not its own.
    Effect::new(move |before: Option<Open>| {
        let now = open.get();
        if before.is_some_and(|before| before != now) {
            edit.value().set(None);
        }
        now
    });
    view! {
        <section class="card" aria-label=t.web_forms>
            <p class="muted pad-x">{t.web_forms_intro}</p>
            <ErrorBanner error=Signal::derive(move || {
                (open.get() == Open::Closed).then(|| action_error(edit).get()).flatten()
            }) />
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let (Ok(WebFormsList { forms, origin }), Ok(choices)) = (forms.await, choices.await) else {
                        return view! { <p class="alert alert-error">{t.admin_only}</p> }.into_any();
                    };
                    let choices = StoredValue::new(choices);
                    view! {
                        <Show when=move || open.get() == Open::New>
                            <div class="pad"><FormEditor existing=None choices=choices.get_value() edit open locale /></div>
                        </Show>
                        {forms.is_empty().then(|| view! { <p class="empty">{t.no_web_forms}</p> })}
                        <ul class="entry-list web-forms">
                            {forms.into_iter().map(|form| view! {
                                <FormRow form origin=origin.clone() choices edit open locale />
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

/// A stage's "Pipeline › Stage" name, for the form's summary.
fn stage_name(choices: &LeadFormChoices, stage: i64) -> String {
    choices
        .pipelines
        .iter()
        .find_map(|p| {
            p.stages
                .iter()
                .find(|s| s.id == stage)
                .map(|s| format!("{} › {}", p.name, s.name))
        })
        .unwrap_or_default()
}

#[component]
fn FormRow(
    form: WebForm,
    origin: String,
    choices: StoredValue<LeadFormChoices>,
    edit: ServerAction<EditWebForms>,
    open: RwSignal<Open>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let id = form.id;
    let question = fill(t.form_delete_confirm, &[("name", &form.name)]);
    let on_delete = move |_| {
        if window().confirm_with_message(&question).unwrap_or(false) {
            edit.dispatch(EditWebForms {
                command: WebFormCommand::Delete { id },
            });
        }
    };
    let stored = StoredValue::new(form);
    view! {
        <Show
            when=move || open.get() == Open::Form(id)
            fallback=move || {
                let form = stored.get_value();
                let summary = choices.with_value(|c| stage_name(c, form.stage_id));
                let embed = form.embed_code(&origin);
                let path = form.path();
                view! {
                    <li class="entry web-form">
                        <div class="entry-name">
                            <span class="strong">{form.name.clone()}</span>
                            <span class="sub">{summary}</span>
                        </div>
                        {if form.active {
                            view! { <span class="tag">{t.form_accepting}</span> }.into_any()
                        } else {
                            view! { <span class="tag tag-muted">{t.form_off}</span> }.into_any()
                        }}
                        <span class="count">{fill(t.form_submissions, &[("n", &form.submissions)])}</span>
                        <span class="row-actions">
                            <a class="btn btn-ghost btn-sm" href=path target="_blank" rel="noopener">{t.form_open}</a>
                            <button type="button" class="icon-btn" title=t.edit
                                aria-label=format!("{} {}", t.edit, form.name) on:click=move |_| open.set(Open::Form(id))>
                                <Icon name="edit" />
                            </button>
                            <button type="button" class="icon-btn danger" title=t.delete
                                aria-label=format!("{} {}", t.delete, form.name) on:click=on_delete.clone()>
                                <Icon name="trash" />
                            </button>
                        </span>
                        <div class="embed">
                            <span class="sub">{t.form_embed}</span>
                            <CopyInput value=embed label=t.form_embed />
                        </div>
                    </li>
                }
            }
        >
            <li class="entry entry-editing">
                <FormEditor existing=Some(stored.get_value()) choices=choices.get_value() edit open locale />
            </li>
        </Show>
    }
}

/// The definition form, for a new web form or an existing one.
#[component]
fn FormEditor(
    existing: Option<WebForm>,
    choices: LeadFormChoices,
    edit: ServerAction<EditWebForms>,
    open: RwSignal<Open>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let id = existing.as_ref().map(|f| f.id);
    let start = existing.as_ref().map_or_else(
        || WebFormInput {
            fields: ["name", "email", "phonenumber", "company"]
                .into_iter()
                .map(|field| FormField {
                    field: field.into(),
                    required: field == "name",
                })
                .collect(),
            stage: choices.first_stage_value(),
            source: choices.default_source_value(),
            language: locale.code().into(),
            active: true,
            ..WebFormInput::default()
        },
        WebFormInput::from_form,
    );
    let form = RwSignal::new(start);
    let local = RwSignal::new(None::<AppError>);
    let from_server = action_error(edit);
    let error = Signal::derive(move || local.get().or_else(|| from_server.get()));
    let mut offered: Vec<(String, String)> = WEB_FORM_FIELDS
        .iter()
        .map(|f| (f.to_string(), locale.field_label(f).to_string()))
        .collect();
    offered.extend(
        choices
            .custom_fields
            .iter()
            .map(|c| (c.key(), c.label.clone())),
    );
    let order = StoredValue::new(
        offered
            .iter()
            .map(|(key, _)| key.clone())
            .collect::<Vec<_>>(),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut input = form.get_untracked();
        // The visitor sees the fields in the order this table lists them.
        order.with_value(|order| {
            input
                .fields
                .sort_by_key(|f| order.iter().position(|key| *key == f.field))
        });
        if let Err(error) = parse_web_form(&input, locale) {
            local.set(Some(error));
            return;
        }
        local.set(None);
        let command = match id {
            Some(id) => WebFormCommand::Update { id, form: input },
            None => WebFormCommand::Create { form: input },
        };
        edit.dispatch(EditWebForms { command });
    };
    // The form's own language, for what a visitor sees when a text is left empty.
    let form_texts = move || {
        form.with(|f| Locale::from_code(&f.language))
            .unwrap_or(locale)
            .t()
    };
    let prefix = id.map_or_else(|| "wf-new".to_string(), |id| format!("wf-{id}"));
    let field_id = move |name: &str| format!("{prefix}-{name}");
    let text = move |get: fn(&WebFormInput) -> &String, set: fn(&mut WebFormInput, String)| {
        (
            move || form.with(|f| get(f).clone()),
            move |value: String| form.update(|f| set(f, value)),
        )
    };
    let (name, set_name) = text(|f| &f.name, |f, v| f.name = v);
    let (stage, set_stage) = text(|f| &f.stage, |f, v| f.stage = v);
    let (source, set_source) = text(|f| &f.source, |f, v| f.source = v);
    let (assigned, set_assigned) = text(|f| &f.assigned, |f, v| f.assigned = v);
    let (tags, set_tags) = text(|f| &f.tags, |f, v| f.tags = v);
    let (language, set_language) = text(|f| &f.language, |f, v| f.language = v);
    let (submit_label, set_submit_label) = text(|f| &f.submit_label, |f, v| f.submit_label = v);
    let (success, set_success) = text(|f| &f.success_message, |f, v| f.success_message = v);
    view! {
        <form class="form-grid web-form-editor" novalidate on:submit=submit>
            <div class="field">
                <label for=field_id("name")>{t.form_name}</label>
                <input id=field_id("name") type="text" prop:value=name on:input=move |ev| set_name(event_target_value(&ev)) maxlength="100" />
                <FieldError error field="name" />
            </div>
            <div class="field">
                <label for=field_id("language")>{t.form_language}</label>
                <select id=field_id("language") prop:value=language on:change=move |ev| set_language(event_target_value(&ev))>
                    {Locale::ALL.into_iter().map(|l| view! {
                        <option value=l.code() selected=move || form.with(|f| f.language == l.code())>{l.native_name()}</option>
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="field field-wide form-fields">
                <legend>{t.form_fields}</legend>
                <table class="table table-compact">
                    <thead>
                        <tr>
                            <th scope="col">{t.name}</th>
                            <th scope="col">{t.form_field_ask}</th>
                            <th scope="col">{t.field_required}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {offered.into_iter().map(|(key, label)| view! {
                            <FieldChoice key label form />
                        }).collect_view()}
                    </tbody>
                </table>
                <FieldError error field="fields" />
            </fieldset>
            <div class="field">
                <label for=field_id("stage")>{locale.field_label("stage")}</label>
                <select id=field_id("stage") prop:value=stage on:change=move |ev| set_stage(event_target_value(&ev))>
                    <StageOptions pipelines=choices.pipelines.clone() current=Signal::derive(stage) />
                </select>
                <FieldError error field="stage" />
            </div>
            <div class="field">
                <label for=field_id("source")>{locale.field_label("source")}</label>
                <select id=field_id("source") prop:value=source on:change=move |ev| set_source(event_target_value(&ev))>
                    <option value="">{t.none}</option>
                    <ChoiceOptions choices=choices.sources.clone() current=Signal::derive(source) />
                </select>
                <FieldError error field="source" />
            </div>
            <div class="field">
                <label for=field_id("assigned")>{locale.field_label("assigned")}</label>
                <select id=field_id("assigned") prop:value=assigned on:change=move |ev| set_assigned(event_target_value(&ev))>
                    <option value="">{t.unassigned}</option>
                    <ChoiceOptions choices=choices.users.clone() current=Signal::derive(assigned) />
                </select>
                <FieldError error field="assigned" />
            </div>
            <div class="field">
                <label for=field_id("tags")>{locale.field_label("tags")}</label>
                <input id=field_id("tags") type="text" prop:value=tags on:input=move |ev| set_tags(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for=field_id("submit")>{t.form_submit_label}</label>
                <input id=field_id("submit") type="text" prop:value=submit_label on:input=move |ev| set_submit_label(event_target_value(&ev))
                    placeholder=move || form_texts().form_send maxlength="60" />
                <FieldError error field="submit_label" />
            </div>
            <div class="field field-wide">
                <label for=field_id("success")>{t.form_success_message}</label>
                <textarea id=field_id("success") rows="2" prop:value=success on:input=move |ev| set_success(event_target_value(&ev))
                    placeholder=move || form_texts().form_thanks></textarea>
                <FieldError error field="success_message" />
            </div>
            <div class="checks">
                <label class="check">
                    <input type="checkbox" prop:checked=move || form.with(|f| f.active)
                        on:change=move |ev| form.update(|f| f.active = event_target_checked(&ev)) />
                    {t.form_accepting}
                </label>
            </div>
            <div class="form-actions">
                <button type="button" class="btn btn-ghost" on:click=move |_| open.set(Open::Closed)>{t.cancel}</button>
                <button type="submit" class="btn btn-primary">{t.save}</button>
            </div>
        </form>
    }
}

/// One offered field: asked or not, and required or not. The name is always both.
#[component]
fn FieldChoice(key: String, label: String, form: RwSignal<WebFormInput>) -> impl IntoView {
    let t = use_locale().t();
    let fixed = key == "name";
    let held = StoredValue::new(key);
    let asked =
        move || held.with_value(|key| form.with(|f| f.fields.iter().any(|x| &x.field == key)));
    let required = move || {
        held.with_value(|key| form.with(|f| f.fields.iter().any(|x| &x.field == key && x.required)))
    };
    let set_asked = move |ev| {
        let on = event_target_checked(&ev);
        held.with_value(|key| {
            form.update(|f| {
                f.fields.retain(|x| &x.field != key);
                if on {
                    f.fields.push(FormField {
                        field: key.clone(),
                        required: false,
                    });
                }
            })
        });
    };
    let set_required = move |ev| {
        let on = event_target_checked(&ev);
        held.with_value(|key| {
            form.update(|f| match f.fields.iter_mut().find(|x| &x.field == key) {
                Some(field) => field.required = on,
                None if on => f.fields.push(FormField {
                    field: key.clone(),
                    required: true,
                }),
                None => {}
            })
        });
    };
    let ask_label = format!("{} {label}", t.form_field_ask);
    let required_label = format!("{} {label}", t.field_required);
    view! {
        <tr>
            <td>{label}</td>
            <td>
                <input type="checkbox" aria-label=ask_label prop:checked=asked on:change=set_asked disabled=fixed />
            </td>
            <td>
                <input type="checkbox" aria-label=required_label prop:checked=required on:change=set_required disabled=fixed />
            </td>
        </tr>
    }
}
