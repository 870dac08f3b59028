//! The filters above the board. They live in the URL (a GET form), so a filtered board renders
//! on the server and can be shared as a link.

use crate::models::{BoardFilter, Choice, CustomField, CustomFieldKind, LeadStatus};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Form;

/// The filter form's id: the search box in the page header belongs to it (`form=`).
pub const FILTER_FORM: &str = "lead-filters";

/// Submits the filter form when a select changes (pipeline, assignee, …).
fn submit_on_change(ev: leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    let form = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("form").ok().flatten())
        .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
    if let Some(form) = form {
        let _ = form.request_submit();
    }
}

#[component]
fn ChoiceSelect(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<Choice>,
    selected: Option<String>,
    #[prop(optional)] extra: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let id = format!("filter-{name}");
    let is = |value: &str| selected.as_deref() == Some(value);
    view! {
        <div class="filter">
            <label class="sr-only" for=id.clone()>{label}</label>
            <select id=id name=name on:change=submit_on_change>
                <option value="" selected=selected.is_none()>{any}</option>
                {extra.map(|(value, text)| view! { <option value=value selected=is(value)>{text}</option> })}
                {choices.into_iter().map(|c| {
                    let value = c.id.to_string();
                    let selected = is(&value);
                    view! { <option value=value selected=selected>{c.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn FilterBar(
    filter: BoardFilter,
    pipeline: i64,
    pipelines: Vec<Choice>,
    users: Vec<Choice>,
    sources: Vec<Choice>,
    /// Parameters the form keeps as they are (the list's view, sort and page size).
    #[prop(optional)]
    hidden: Vec<(&'static str, String)>,
    /// Custom fields offered as filters (the list's: those shown in it).
    #[prop(optional)]
    custom_fields: Vec<CustomField>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let pipeline_value = pipeline.to_string();
    let custom_values = filter.custom.clone();
    let more_open = !filter.custom.is_empty()
        || filter.created_from.is_some()
        || filter.created_to.is_some()
        || filter.created_today
        || filter.contacted_from.is_some()
        || filter.contacted_to.is_some()
        || filter.contacted_today
        || filter.value_min.is_some()
        || filter.value_max.is_some()
        || filter.public.is_some()
        || filter.no_next_action
        || filter.overdue;
    let public = filter.public.clone();
    let visibility = move |value: &str| public.as_deref().unwrap_or_default() == value;
    let clear = format!("/admin/leads?pipeline={pipeline}");
    let narrows = filter.narrows();
    view! {
        <Form method="GET" action="/admin/leads" attr:id=FILTER_FORM attr:class="board-filters" attr:aria-label=t.more_filters>
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <div class="filter">
                <label class="sr-only" for="filter-pipeline">{t.pipeline}</label>
                <select id="filter-pipeline" name="pipeline" class="pipeline-select" on:change=submit_on_change>
                    {pipelines.into_iter().map(|p| {
                        let value = p.id.to_string();
                        let selected = value == pipeline_value;
                        view! { <option value=value selected=selected>{p.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <ChoiceSelect name="assignee" label=t.assigned any=t.any_assignee choices=users
                selected=filter.assignee.clone() extra=("none", t.unassigned) />
            <ChoiceSelect name="source" label=t.source any=t.any_source choices=sources selected=filter.source.clone() />
            <div class="filter">
                <label class="sr-only" for="filter-tag">{t.filter_tags_hint}</label>
                <input id="filter-tag" type="text" name="tag" class="tags-filter" placeholder=t.filter_tags title=t.filter_tags_hint value=filter.tag.clone().unwrap_or_default() />
            </div>
            <div class="filter">
                <label class="sr-only" for="filter-status">{t.status}</label>
                <select id="filter-status" name="status" on:change=submit_on_change>
                    {LeadStatus::ALL.into_iter().map(|status| view! {
                        <option value=status.as_str() selected=status == filter.status>{status.label(locale)}</option>
                    }).collect_view()}
                </select>
            </div>
            <label class="check">
                <input type="checkbox" name="mine" value="1" checked=filter.mine on:change=submit_on_change />
                {t.my_leads}
            </label>
            <label class="check">
                <input type="checkbox" name="stalled" value="1" checked=filter.stalled on:change=submit_on_change />
                {t.stalled_only}
            </label>
            <details class="more-filters" open=more_open>
                <summary>{t.more_filters}</summary>
                <div class="more-filters-body">
                    <DayRange names=("created_from", "created_to", "created_today")
                        labels=(t.created_from, t.created_to, t.created_today)
                        values=(filter.created_from.clone(), filter.created_to.clone(), filter.created_today) />
                    <DayRange names=("contacted_from", "contacted_to", "contacted_today")
                        labels=(t.contacted_from, t.contacted_to, t.contacted_today)
                        values=(filter.contacted_from.clone(), filter.contacted_to.clone(), filter.contacted_today) />
                    <label>{t.value_min}<input type="text" inputmode="decimal" class="narrow" name="value_min" value=filter.value_min.clone().unwrap_or_default() /></label>
                    <label>{t.value_max}<input type="text" inputmode="decimal" class="narrow" name="value_max" value=filter.value_max.clone().unwrap_or_default() /></label>
                    <label>{t.visibility}
                        <select name="public">
                            <option value="" selected=visibility("")>{t.any_visibility}</option>
                            <option value="1" selected=visibility("1")>{t.public_only}</option>
                            <option value="0" selected=visibility("0")>{t.private_only}</option>
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" name="no_next_action" value="1" checked=filter.no_next_action />
                        {t.no_next_action}
                    </label>
                    <label class="check">
                        <input type="checkbox" name="overdue" value="1" checked=filter.overdue />
                        {t.overdue_reminders}
                    </label>
                    {custom_fields.into_iter().map(|field| {
                        let current = custom_values
                            .iter()
                            .find(|(id, _)| *id == field.id)
                            .map(|(_, value)| value.clone());
                        view! { <CustomFilter field current /> }
                    }).collect_view()}
                </div>
            </details>
            <button type="submit" class="btn btn-secondary">{t.apply}</button>
            {narrows.then(|| view! { <a class="btn btn-ghost" href=clear>{t.clear_filters}</a> })}
        </Form>
    }
}

/// A date range filter: first day, last day (both inclusive) and a "today" shortcut, named
/// and labelled in that order.
#[component]
fn DayRange(
    names: (&'static str, &'static str, &'static str),
    labels: (&'static str, &'static str, &'static str),
    values: (Option<String>, Option<String>, bool),
) -> impl IntoView {
    view! {
        <label>{labels.0}<input type="date" name=names.0 value=values.0.unwrap_or_default() /></label>
        <label>{labels.1}<input type="date" name=names.1 value=values.1.unwrap_or_default() /></label>
        <label class="check">
            <input type="checkbox" name=names.2 value="1" checked=values.2 />
            {labels.2}
        </label>
    }
}

/// One custom field as a filter: its options (a choice list, a checkbox) or a value to match.
#[component]
fn CustomFilter(field: CustomField, current: Option<String>) -> impl IntoView {
    let t = use_locale().t();
    let name = format!("cf_{}", field.id);
    let is = |value: &str| {
        current
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(value))
    };
    let options: Option<Vec<(String, String)>> = match field.kind {
        CustomFieldKind::Select => Some(
            field
                .options
                .iter()
                .map(|o| (o.clone(), o.clone()))
                .collect(),
        ),
        CustomFieldKind::Checkbox => Some(vec![("1".into(), t.yes.to_string())]),
        _ => None,
    };
    let input = match options {
        Some(options) => view! {
            <select name=name>
                <option value="" selected=current.is_none()>{t.any_value}</option>
                {options.into_iter().map(|(value, text)| {
                    let selected = is(&value);
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        }.into_any(),
        None => view! {
            <input type=if field.kind == CustomFieldKind::Date { "date" } else { "text" } class="narrow"
                name=name value=current.clone().unwrap_or_default() />
        }.into_any(),
    };
    view! { <label>{field.label.clone()}{input}</label> }
}
