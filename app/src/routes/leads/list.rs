//! `/admin/leads` as a list: the leads the user may see, newest first, a page at a time.
//! (Sorting, search, filters and bulk actions are the list view's own issue.)

use crate::components::feedback::error_message;
use crate::functions::list_leads;
use crate::models::{CustomField, CustomFieldKind, LeadPage, LeadRow};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PER_PAGE: i64 = 50;

#[component]
pub fn LeadList() -> impl IntoView {
    let t = use_locale().t();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let leads = Resource::new(page, |page| list_leads(page, PER_PAGE));
    view! {
        <section class="card">
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match leads.await {
                        Ok(page) => view! { <LeadTable page /> }.into_any(),
                        Err(error) => view! { <p class="alert alert-error">{error_message(&error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn LeadTable(page: LeadPage) -> impl IntoView {
    let t = use_locale().t();
    if page.rows.is_empty() {
        return view! { <p class="empty">{t.no_leads}</p> }.into_any();
    }
    let classes: Vec<&'static str> = page.custom_columns.iter().map(column_class).collect();
    let pages = page.page_count();
    let current = page.page;
    let total = page.total;
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t.name}</th>
                        <th scope="col">{t.stage}</th>
                        <th scope="col" class="hide-xs">{t.assigned}</th>
                        <th scope="col" class="hide-sm">{t.source}</th>
                        <th scope="col" class="num">{t.value}</th>
                        <th scope="col" class="hide-sm">{t.created}</th>
                        {page.custom_columns.iter().map(|field| view! {
                            <th scope="col" class=column_class(field)>{field.label.clone()}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|row| view! { <LeadRowView row classes=classes.clone() /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=t.page>
            <span class="muted">{format!("{total} {}", t.leads_total)}</span>
            <span class="pager-links">
                {(current > 1).then(|| view! { <a class="btn btn-ghost" href=format!("?view=list&page={}", current - 1)>{t.previous}</a> })}
                <span>{format!("{} {current} / {pages}", t.page)}</span>
                {(current < pages).then(|| view! { <a class="btn btn-ghost" href=format!("?view=list&page={}", current + 1)>{t.next}</a> })}
            </span>
        </nav>
    }
    .into_any()
}

/// A custom field's column: numbers right-aligned; hidden on small screens like the others.
fn column_class(field: &CustomField) -> &'static str {
    if field.kind == CustomFieldKind::Number {
        "num hide-sm"
    } else {
        "hide-sm"
    }
}

#[component]
fn LeadRowView(row: LeadRow, classes: Vec<&'static str>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let status = if row.lost {
        Some(t.lost)
    } else if row.junk {
        Some(t.junk)
    } else {
        None
    };
    view! {
        <tr>
            <td>
                <span class="strong">{row.name}</span>
                {row.company.map(|c| view! { <span class="sub">{c}</span> })}
            </td>
            <td>
                <span class="stage-badge" style=format!("--stage: {}", row.stage_color)>{row.stage_name}</span>
                {status.map(|s| view! { <span class="tag tag-muted">{s}</span> })}
            </td>
            <td class="hide-xs">{row.assigned_name.unwrap_or_else(|| t.unassigned.to_string())}</td>
            <td class="hide-sm">{row.source_name.unwrap_or_default()}</td>
            <td class="num">{row.lead_value.map(|v| locale.money(v)).unwrap_or_default()}</td>
            <td class="hide-sm">{locale.date(row.dateadded)}</td>
            {row.custom.into_iter().zip(classes).map(|(value, class)| view! { <td class=class>{value}</td> }).collect_view()}
        </tr>
    }
}
