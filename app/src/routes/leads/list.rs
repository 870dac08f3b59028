//! `/admin/leads` as a list: the leads the board's filters select (plus a stage), sorted by
//! any column, a page at a time (25/50/100, remembered), with the total, open leads per stage
//! and the lost share. Everything is in the URL, rendered on the server, shareable.

use super::board::filters::FilterBar;
use crate::components::feedback::error_message;
use crate::functions::read_list;
use crate::i18n::{fill, Locale};
use crate::models::{CustomFieldKind, ListPage, ListQuery, ListRow, SortKey, PAGE_SIZES};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const DAY_MS: i64 = 86_400_000;

#[component]
pub fn LeadList() -> impl IntoView {
    let t = use_locale().t();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        ListQuery::from_query(|key| params.read().get(key)).with_custom(params.read().clone())
    });
    let data = Resource::new(move || query.get(), read_list);
    view! {
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                let page = data.await;
                let query = query.get_untracked();
                match page {
                    Ok(page) => view! { <ListBody page query /> }.into_any(),
                    Err(error) => view! { <p class="alert alert-error" role="alert">{error_message(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ListBody(page: ListPage, query: ListQuery) -> impl IntoView {
    let locale = use_locale();
    let mut hidden = vec![("view", "list".to_string())];
    if query.sort != SortKey::default() || query.desc != query.sort.default_desc() {
        hidden.push(("sort", query.sort.as_str().to_string()));
        hidden.push(("dir", if query.desc { "desc" } else { "asc" }.to_string()));
    }
    if let Some(per_page) = query.per_page {
        hidden.push(("per_page", per_page.to_string()));
    }
    let query = StoredValue::new(query);
    view! {
        <FilterBar filter=query.with_value(|q| q.filter.clone()) pipeline=page.pipeline
            pipelines=page.pipelines.clone() users=page.users.clone() sources=page.sources.clone() hidden
            custom_fields=page.custom_columns.clone() />
        <StageSummary page=page.clone() query locale />
        <section class="card">
            <LeadTable page query locale />
        </section>
    }
}

/// Open leads per stage (each a link that shows only that stage) and the lost share.
#[component]
fn StageSummary(page: ListPage, query: StoredValue<ListQuery>, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let current = query.with_value(|q| q.stage);
    let all_href = query.with_value(|q| q.href(&[("stage", None), ("page", None)]));
    let tenths = if page.all > 0 {
        page.lost * 1000 / page.all
    } else {
        0
    };
    let decimal = if locale == Locale::Ro { "," } else { "." };
    let lost_pct = format!("{}{decimal}{}", tenths / 10, tenths % 10);
    view! {
        <nav class="stage-summary" aria-label=t.stage_summary>
            <a class="summary-item" href=all_href aria-current=current.is_none().then_some("page")>
                <span>{t.all_stages}</span>
            </a>
            {page.summary.into_iter().map(|stage| {
                let href = query.with_value(|q| q.href(&[("stage", Some(stage.stage_id.to_string())), ("page", None)]));
                view! {
                    <a class="summary-item" href=href style=format!("--stage: {}", stage.color)
                        aria-current=(current == Some(stage.stage_id)).then_some("page")>
                        <span class="stage-dot" aria-hidden="true"></span>
                        <span>{stage.name}</span>
                        <span class="summary-count">{stage.leads}</span>
                    </a>
                }
            }).collect_view()}
            <span class="summary-lost muted">
                {fill(t.lost_share, &[("pct", &lost_pct), ("n", &page.lost), ("all", &page.all)])}
            </span>
            <a class="btn btn-secondary btn-sm" href=query.with_value(ListQuery::export_href) download="" rel="external">
                {t.export_csv}
            </a>
        </nav>
    }
}

#[component]
fn LeadTable(page: ListPage, query: StoredValue<ListQuery>, locale: Locale) -> impl IntoView {
    let t = locale.t();
    if page.rows.is_empty() {
        let narrowed = query.with_value(|q| q.stage.is_some() || q.filter.narrows());
        let text = if narrowed {
            t.no_matching_leads
        } else {
            t.no_leads
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    let numeric: Vec<bool> = page
        .custom_columns
        .iter()
        .map(|field| field.kind == CustomFieldKind::Number)
        .collect();
    let me = page.me;
    let now = chrono_now();
    view! {
        <div class="table-wrap">
            <table class="table list-table">
                <thead>
                    <tr>
                        <SortHeader key=SortKey::Name query locale />
                        <SortHeader key=SortKey::Stage query locale />
                        <SortHeader key=SortKey::Assigned query locale class="hide-xs" />
                        <SortHeader key=SortKey::Source query locale class="hide-sm" />
                        <SortHeader key=SortKey::Value query locale class="num" />
                        <SortHeader key=SortKey::LastContact query locale class="hide-sm" />
                        <SortHeader key=SortKey::NextAction query locale class="hide-sm" />
                        <SortHeader key=SortKey::TimeInStage query locale class="num hide-sm" />
                        <SortHeader key=SortKey::Created query locale class="hide-sm" />
                        {page.custom_columns.iter().map(|field| view! {
                            <th scope="col" class=if field.kind == CustomFieldKind::Number { "num hide-sm" } else { "hide-sm" }>
                                {field.label.clone()}
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {page.rows.clone().into_iter().map(|row| view! {
                        <ListRowView row me now numeric=numeric.clone() locale />
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager page query locale />
    }
    .into_any()
}

/// Now, for "time in stage" (the browser's clock after hydration; the same minute either way).
fn chrono_now() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys_now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().timestamp_millis()
    }
}

#[cfg(feature = "hydrate")]
fn js_sys_now() -> i64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| (p.time_origin() + p.now()) as i64)
        .unwrap_or(0)
}

/// A column heading that sorts by its column (again: the other way round).
#[component]
fn SortHeader(
    key: SortKey,
    query: StoredValue<ListQuery>,
    locale: Locale,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let t = locale.t();
    let (current, desc) = query.with_value(|q| (q.sort == key, q.desc));
    let href = query.with_value(|q| q.sort_href(key));
    let aria = current.then_some(if desc { "descending" } else { "ascending" });
    let arrow = match (current, desc) {
        (false, _) => "",
        (true, true) => " ↓",
        (true, false) => " ↑",
    };
    let hint = current.then_some(if desc { t.sorted_desc } else { t.sorted_asc });
    view! {
        <th scope="col" class=class aria-sort=aria>
            <a class="sort-link" href=href title=hint>{key.label(locale)}{arrow}</a>
        </th>
    }
}

#[component]
fn ListRowView(
    row: ListRow,
    me: Option<i64>,
    now: i64,
    numeric: Vec<bool>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let status = if row.lost {
        Some(t.lost)
    } else if row.junk {
        Some(t.junk)
    } else {
        None
    };
    let mine = me.is_some() && row.assigned == me;
    let overdue = row.next_action_at.is_some_and(|at| at < now);
    let next = match (row.next_action.clone(), row.next_action_at) {
        (Some(action), Some(at)) => Some(format!("{action} · {}", locale.date(at))),
        (Some(action), None) => Some(action),
        (None, Some(at)) => Some(locale.date(at)),
        (None, None) => None,
    };
    let days = ((now - row.in_stage_since) / DAY_MS).max(0);
    view! {
        <tr class:mine=mine>
            <td>
                <a class="strong" href=format!("/admin/leads/{}", row.id)>{row.name}</a>
                {row.company.map(|c| view! { <span class="sub">{c}</span> })}
                {(!row.tags.is_empty()).then(|| view! {
                    <span class="row-tags">{row.tags.into_iter().map(|tag| view! { <span class="tag">{tag}</span> }).collect_view()}</span>
                })}
            </td>
            <td>
                <span class="stage-badge" style=format!("--stage: {}", row.stage_color)>{row.stage_name}</span>
                {status.map(|s| view! { <span class="tag tag-muted">{s}</span> })}
            </td>
            <td class="hide-xs">{row.assigned_name.unwrap_or_else(|| t.unassigned.to_string())}</td>
            <td class="hide-sm">{row.source_name.unwrap_or_default()}</td>
            <td class="num">{row.lead_value.map(|v| locale.money(v)).unwrap_or_default()}</td>
            <td class="hide-sm nowrap">{row.lastcontact.map(|at| locale.date(at)).unwrap_or_default()}</td>
            <td class="hide-sm" class:overdue=overdue>{next.unwrap_or_default()}</td>
            <td class="num hide-sm nowrap">{fill(t.days_count, &[("n", &days)])}</td>
            <td class="hide-sm nowrap">{locale.date(row.dateadded)}</td>
            {row.custom.into_iter().zip(numeric).map(|(value, numeric)| view! {
                <td class=if numeric { "num hide-sm" } else { "hide-sm" }>{value}</td>
            }).collect_view()}
        </tr>
    }
}

/// "51–100 of 201", previous and next pages, and the page size.
#[component]
fn Pager(page: ListPage, query: StoredValue<ListQuery>, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let pages = page.page_count();
    let current = page.page;
    let from = (current - 1) * page.per_page + 1;
    let to = (from + page.rows.len() as i64 - 1).max(from);
    let link = move |page: i64| query.with_value(|q| q.href(&[("page", Some(page.to_string()))]));
    view! {
        <nav class="pager" aria-label=t.page>
            <span class="muted">{fill(t.showing_range, &[("from", &from), ("to", &to), ("total", &page.total)])}</span>
            <span class="pager-sizes">
                <span class="muted">{t.per_page}</span>
                {PAGE_SIZES.into_iter().map(|size| {
                    let href = query.with_value(|q| q.href(&[("per_page", Some(size.to_string())), ("page", None)]));
                    view! {
                        <a class="size-link" href=href aria-current=(size == page.per_page).then_some("true")>{size}</a>
                    }
                }).collect_view()}
            </span>
            <span class="pager-links">
                {(current > 1).then(|| view! { <a class="btn btn-ghost" rel="prev" href=link(current - 1)>{t.previous}</a> })}
                <span>{format!("{} {current} / {pages}", t.page)}</span>
                {(current < pages).then(|| view! { <a class="btn btn-ghost" rel="next" href=link(current + 1)>{t.next}</a> })}
            </span>
        </nav>
    }
}
