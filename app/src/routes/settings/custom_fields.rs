//! Custom fields for leads on `/admin/settings/leads`: add, edit, reorder and delete them.
//! The definition form runs the server's own check (`parse_custom_field`) before sending.

use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::components::icons::Icon;
use crate::components::order_buttons::OrderButtons;
use crate::error::AppError;
use crate::functions::{list_custom_fields, CustomFieldCommand, EditCustomFields};
use crate::i18n::{fill, Locale};
use crate::models::{parse_custom_field, CustomField, CustomFieldForm, CustomFieldKind};
use crate::use_locale;
use leptos::prelude::*;

/// Which definition form is open: none, a new field's, or an existing field's.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Closed,
    New,
    Field(i64),
}

#[component]
pub fn CustomFieldsCard() -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let edit = ServerAction::<EditCustomFields>::new();
    let fields = Resource::new(move || edit.version().get(), |_| list_custom_fields());
    let open = RwSignal::new(Open::Closed);
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            open.set(Open::Closed);
        }
    });
    view! {
        <section class="card" aria-labelledby="custom-fields-title">
            <div class="card-header">
                <h2 id="custom-fields-title">{t.custom_fields}</h2>
                <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| open.set(Open::New)>
                    {format!("+ {}", t.add_custom_field)}
                </button>
            </div>
            <p class="muted pad-x">{t.custom_fields_intro}</p>
            <ErrorBanner error=Signal::derive(move || {
                (open.get() == Open::Closed).then(|| action_error(edit).get()).flatten()
            }) />
            <Show when=move || open.get() == Open::New>
                <FieldEditor existing=None edit open locale />
            </Show>
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let fields = fields.await.unwrap_or_default();
                    if fields.is_empty() {
                        return view! { <p class="empty">{t.no_custom_fields}</p> }.into_any();
                    }
                    let last = fields.len() - 1;
                    view! {
                        <ul class="entry-list">
                            {fields.into_iter().enumerate().map(|(index, field)| view! {
                                <FieldRow field edit open first=index == 0 last=index == last locale />
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn FieldRow(
    field: CustomField,
    edit: ServerAction<EditCustomFields>,
    open: RwSignal<Open>,
    first: bool,
    last: bool,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let id = field.id;
    let question = fill(
        t.delete_custom_field_confirm,
        &[("label", &field.label), ("n", &field.used_by)],
    );
    let on_delete = move |_| {
        if window().confirm_with_message(&question).unwrap_or(false) {
            edit.dispatch(EditCustomFields {
                command: CustomFieldCommand::Delete { id },
            });
        }
    };
    let summary = match field.kind {
        CustomFieldKind::Select => format!(
            "{} · {}",
            field.kind.label(locale),
            field.options.join(", ")
        ),
        kind => kind.label(locale).to_string(),
    };
    let stored = StoredValue::new(field.clone());
    view! {
        <Show
            when=move || open.get() == Open::Field(id)
            fallback=move || {
                let field = stored.get_value();
                view! {
                    <li class="entry">
                        <div class="entry-name">
                            <span class="strong">{field.label.clone()}</span>
                            <span class="sub">{summary.clone()}</span>
                        </div>
                        {field.required.then(|| view! { <span class="tag">{t.field_required}</span> })}
                        {field.show_in_list.then(|| view! { <span class="tag tag-muted">{t.in_list}</span> })}
                        <span class="count">{fill(t.with_value, &[("n", &field.used_by)])}</span>
                        <span class="row-actions">
                            <button type="button" class="icon-btn" title=t.edit
                                aria-label=format!("{} {}", t.edit, field.label) on:click=move |_| open.set(Open::Field(id))>
                                <Icon name="edit" />
                            </button>
                            <OrderButtons first last name=field.label.clone() asks_itself=true
                                on_move=move |direction| { edit.dispatch(EditCustomFields { command: CustomFieldCommand::Move { id, direction } }); }
                                on_delete=on_delete.clone() />
                        </span>
                    </li>
                }
            }
        >
            <li class="entry entry-editing"><FieldEditor existing=Some(stored.get_value()) edit open locale /></li>
        </Show>
    }
}

/// The definition form, for a new field or an existing one.
#[component]
fn FieldEditor(
    existing: Option<CustomField>,
    edit: ServerAction<EditCustomFields>,
    open: RwSignal<Open>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let id = existing.as_ref().map(|f| f.id);
    let label = RwSignal::new(
        existing
            .as_ref()
            .map(|f| f.label.clone())
            .unwrap_or_default(),
    );
    let kind = RwSignal::new(
        existing
            .as_ref()
            .map_or(CustomFieldKind::Text, |f| f.kind)
            .as_str()
            .to_string(),
    );
    let options = RwSignal::new(
        existing
            .as_ref()
            .map(|f| f.options.join("\n"))
            .unwrap_or_default(),
    );
    let required = RwSignal::new(existing.as_ref().is_some_and(|f| f.required));
    let in_list = RwSignal::new(existing.as_ref().is_some_and(|f| f.show_in_list));
    let local = RwSignal::new(None::<AppError>);
    let from_server = action_error(edit);
    let error = Signal::derive(move || local.get().or_else(|| from_server.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = CustomFieldForm {
            label: label.get_untracked(),
            kind: kind.get_untracked(),
            options: options.get_untracked(),
            required: required.get_untracked(),
            show_in_list: in_list.get_untracked(),
        };
        if let Err(error) = parse_custom_field(&form, locale) {
            local.set(Some(error));
            return;
        }
        local.set(None);
        let command = match id {
            Some(id) => CustomFieldCommand::Update { id, form },
            None => CustomFieldCommand::Create { form },
        };
        edit.dispatch(EditCustomFields { command });
    };
    let prefix = id.map_or_else(|| "cf-new".to_string(), |id| format!("cf-{id}"));
    let label_id = format!("{prefix}-label");
    let kind_id = format!("{prefix}-kind");
    let options_id = format!("{prefix}-options");
    view! {
        <form class="form-grid custom-field-form" novalidate on:submit=submit>
            <div class="field">
                <label for=label_id.clone()>{t.field_label_label}</label>
                <input id=label_id type="text" bind:value=label maxlength="100" />
                <FieldError error field="label" />
            </div>
            <div class="field">
                <label for=kind_id.clone()>{t.field_kind}</label>
                <select id=kind_id prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    {CustomFieldKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == k.as_str()>{k.label(locale)}</option>
                    }).collect_view()}
                </select>
                <FieldError error field="kind" />
            </div>
            <Show when=move || kind.get() == CustomFieldKind::Select.as_str()>
                <div class="field">
                    <label for=options_id.clone()>{t.field_options}</label>
                    <textarea id=options_id.clone() rows="4" prop:value=move || options.get()
                        on:input=move |ev| options.set(event_target_value(&ev))></textarea>
                    <FieldError error field="options" />
                </div>
            </Show>
            <div class="checks">
                <label class="check"><input type="checkbox" bind:checked=required />{t.field_required}</label>
                <label class="check"><input type="checkbox" bind:checked=in_list />{t.field_in_list}</label>
            </div>
            <div class="form-actions">
                <button type="button" class="btn btn-ghost" on:click=move |_| open.set(Open::Closed)>{t.cancel}</button>
                <button type="submit" class="btn btn-primary">{t.save}</button>
            </div>
        </form>
    }
}
