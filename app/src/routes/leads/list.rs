//! `/admin/leads` as a list: the leads the board's filters select (plus a stage), sorted by
//! any column, a page at a time (25/50/100, remembered), with the total, open leads per stage
//! and the lost share. Everything is in the URL, rendered on the server, shareable.

use super::board::filters::FilterBar;
use super::bulk::{
    BulkBar, BulkChoices, BulkProgress, BulkState, PageCheck, RowCheck, SelectAllBanner,
};
use super::progress::StageCell;
use super::views::ViewsMenu;
use crate::components::feedback::error_message;
use crate::error::AppError;
use crate::functions::{choose_list_columns, read_list};
use crate::i18n::{fill, Locale};
use crate::models::Choice;
use crate::models::{
    CustomFieldKind, LeadsView, ListColumn, ListPage, ListQuery, ListRow, SortKey, PAGE_SIZES,
};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const DAY_MS: i64 = 86_400_000;

/// The list's query (from the URL), its selection and its page, loaded while the page shows
/// the list. Made by the page above its Suspense: a resource created inside one is created —
/// and its data loaded — twice on the server.
#[derive(Clone, Copy)]
pub struct ListLoad {
    query: Memo<ListQuery>,
    bulk: BulkState,
    data: Resource<Option<Result<ListPage, AppError>>>,
}

impl ListLoad {
    /// Loads once `view`, the page's choice, says list — again when the link asks for another
    /// view (`?view=` is part of the source: awaiting `view` alone is not tracked).
    pub fn new(view: Resource<Result<LeadsView, AppError>>) -> ListLoad {
        let params = use_query_map();
        let query = Memo::new(move |_| {
            ListQuery::from_query(|key| params.read().get(key)).with_custom(params.read().clone())
        });
        let bulk = BulkState::new();
        // Another filter, sort or page is another selection.
        Effect::watch(move || query.track(), move |_, _, _| bulk.clear(), false);
        // The counter is part of the source: an equal query alone would not read the page again.
        let data = Resource::new(
            move || (params.read().get("view"), bulk.reload.get(), query.get()),
            move |(_, _, query)| async move {
                match view.await.unwrap_or_default() {
                    LeadsView::List => Some(read_list(query).await),
                    LeadsView::Board => None,
                }
            },
        );
        ListLoad { query, bulk, data }
    }
}

#[component]
pub fn LeadList(load: ListLoad) -> impl IntoView {
    let t = use_locale().t();
    let ListLoad { query, bulk, data } = load;
    view! {
        <BulkProgress state=bulk />
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                let page = data.await;
                let query = query.get_untracked();
                match page {
                    Some(Ok(page)) => view! { <ListBody page query bulk /> }.into_any(),
                    Some(Err(error)) => view! { <p class="alert alert-error" role="alert">{error_message(&error)}</p> }.into_any(),
                    None => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ListBody(page: ListPage, query: ListQuery, bulk: BulkState) -> impl IntoView {
    let locale = use_locale();
    let mut hidden = vec![("view", "list".to_string())];
    if !query.sorts_by_default() {
        hidden.push(("sort", query.sort.param()));
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
        <StageSummary page=page.clone() query locale bulk />
        <section class="card">
            <BulkTools page=page.clone() query bulk />
            <LeadTable page query locale bulk />
        </section>
    }
}

/// Open leads per stage (each a link that shows only that stage) and the lost share.
#[component]
fn StageSummary(
    page: ListPage,
    query: StoredValue<ListQuery>,
    locale: Locale,
    bulk: BulkState,
) -> impl IntoView {
    let t = locale.t();
    let menu_page = page.clone();
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
            <ViewsMenu current=query.with_value(|q| q.href(&[("page", None)])).trim_start_matches("/admin/leads?").to_string() locale />
            <ColumnsMenu page=menu_page bulk locale />
            <a class="btn btn-ghost btn-sm" href="/admin/leads/trash">{t.trash}</a>
        </nav>
    }
}

/// Which columns the list shows, remembered per user.
#[component]
fn ColumnsMenu(page: ListPage, bulk: BulkState, locale: Locale) -> impl IntoView {
    let t = locale.t();
    let mut offered: Vec<(String, String)> = ListColumn::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), c.label(locale).to_string()))
        .collect();
    offered.extend(
        page.custom_offered
            .iter()
            .map(|field| (format!("cf_{}", field.id), field.label.clone())),
    );
    let mut shown: Vec<String> = page
        .columns
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    shown.extend(
        page.custom_columns
            .iter()
            .map(|field| format!("cf_{}", field.id)),
    );
    let shown = RwSignal::new(shown);
    let order = StoredValue::new(
        offered
            .iter()
            .map(|(key, _)| key.clone())
            .collect::<Vec<_>>(),
    );
    let toggle = move |key: String, on: bool| {
        shown.update(|shown| {
            shown.retain(|k| *k != key);
            if on {
                shown.push(key);
            }
            order.with_value(|order| shown.sort_by_key(|k| order.iter().position(|o| o == k)));
        });
        let columns = shown.get_untracked();
        leptos::task::spawn_local(async move {
            match choose_list_columns(columns).await {
                Ok(()) => bulk.reload.update(|n| *n += 1),
                Err(error) => bulk.error.set(Some(error)),
            }
        });
    };
    view! {
        <details class="columns-menu" prop:open=move || bulk.columns_open.get()
            on:toggle=move |ev| {
                use wasm_bindgen::JsCast;
                let open = ev.target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                    .is_some_and(|d| d.open());
                bulk.columns_open.set(open);
            }>
            <summary class="btn btn-ghost btn-sm">{t.columns}</summary>
            <div class="columns-panel" role="group" aria-label=t.columns>
                {offered.into_iter().map(|(key, label)| {
                    let checked = { let key = key.clone(); move || shown.with(|s| s.contains(&key)) };
                    let key = StoredValue::new(key);
                    view! {
                        <label>
                            <input type="checkbox" prop:checked=checked
                                on:change=move |ev| toggle(key.get_value(), event_target_checked(&ev)) />
                            {label}
                        </label>
                    }
                }).collect_view()}
            </div>
        </details>
    }
}

/// The bulk bar and the "select all matching" offer, above the table.
#[component]
fn BulkTools(page: ListPage, query: StoredValue<ListQuery>, bulk: BulkState) -> impl IntoView {
    let page_ids: Vec<i64> = page.rows.iter().map(|row| row.id).collect();
    let stages = page
        .summary
        .iter()
        .map(|stage| Choice {
            id: stage.stage_id,
            name: stage.name.clone(),
        })
        .collect();
    let choices = BulkChoices {
        users: page.users,
        stages,
        sources: page.sources,
        lost_reasons: page.lost_reasons,
    };
    view! {
        <BulkBar state=bulk query total=page.total choices />
        <SelectAllBanner page_ids total=page.total state=bulk />
    }
}

#[component]
fn LeadTable(
    page: ListPage,
    query: StoredValue<ListQuery>,
    locale: Locale,
    bulk: BulkState,
) -> impl IntoView {
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
    let best_first = query.with_value(|q| q.sort == SortKey::Relevance);
    let now = chrono_now();
    let columns = page.columns.clone();
    let stages: Vec<(i64, String, String)> = page
        .summary
        .iter()
        .map(|stage| (stage.stage_id, stage.name.clone(), stage.color.clone()))
        .collect();
    view! {
        {best_first.then(|| view! { <p class="sort-note">{t.sorted_best_match}</p> })}
        <div class="table-wrap">
            <table class="table list-table">
                <thead>
                    <tr>
                        <PageCheck ids=page.rows.iter().map(|row| row.id).collect() state=bulk />
                        <SortHeader key=SortKey::Name query locale />
                        {page.columns.iter().map(|&column| view! {
                            <SortHeader key=column.sort_key() query locale class=column.class() />
                        }).collect_view()}
                        {page.custom_columns.iter().map(|field| view! {
                            <SortHeader key=SortKey::Field(field.id) label=field.label.clone() query locale
                                class=if field.kind == CustomFieldKind::Number { "num hide-sm" } else { "hide-sm" } />
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {page.rows.clone().into_iter().map(|row| view! {
                        <ListRowView row columns=columns.clone() stages=stages.clone() me now numeric=numeric.clone() locale bulk />
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
    /// The heading, when the key has none of its own (a custom field's label).
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let t = locale.t();
    let label = label.unwrap_or_else(|| key.label(locale).to_string());
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
            <a class="sort-link" href=href title=hint>{label}{arrow}</a>
        </th>
    }
}

#[component]
fn ListRowView(
    row: ListRow,
    columns: Vec<ListColumn>,
    /// The pipeline's stages (id, name, colour), for the stage cell.
    stages: Vec<(i64, String, String)>,
    me: Option<i64>,
    now: i64,
    numeric: Vec<bool>,
    locale: Locale,
    bulk: BulkState,
) -> impl IntoView {
    let mine = me.is_some() && row.assigned == me;
    let company_under_name = !columns.contains(&ListColumn::Company);
    let tags_under_name = !columns.contains(&ListColumn::Tags) && !row.tags.is_empty();
    let moved = Callback::new(move |()| bulk.reload.update(|n| *n += 1));
    let cells = columns
        .into_iter()
        .map(|column| {
            let content = if column == ListColumn::Stage && !row.lost && !row.junk {
                view! {
                    <StageCell lead=row.id version=row.version current=row.stage_id
                        stages=stages.clone() name=row.name.clone() moved />
                }
                .into_any()
            } else {
                cell(&row, column, now, locale)
            };
            view! { <td class=column.class()>{content}</td> }
        })
        .collect_view();
    view! {
        <tr class:mine=mine>
            <RowCheck id=row.id name=row.name.clone() state=bulk />
            <td>
                <a class="strong" href=format!("/admin/leads/{}", row.id)>{row.name.clone()}</a>
                {company_under_name.then(|| row.company.clone().map(|c| view! { <span class="sub">{c}</span> })).flatten()}
                {tags_under_name.then(|| view! {
                    <span class="row-tags">{row.tags.iter().map(|tag| view! { <span class="tag">{tag.clone()}</span> }).collect_view()}</span>
                })}
                {row.lost.then(|| view! { <span class="tag tag-muted">{locale.t().lost}</span> })}
                {(row.junk && !row.lost).then(|| view! { <span class="tag tag-muted">{locale.t().junk}</span> })}
            </td>
            {cells}
            {row.custom.into_iter().zip(numeric).map(|(value, numeric)| view! {
                <td class=if numeric { "num hide-sm" } else { "hide-sm" }>{value}</td>
            }).collect_view()}
        </tr>
    }
}

/// What one column shows for a row.
fn cell(row: &ListRow, column: ListColumn, now: i64, locale: Locale) -> AnyView {
    let t = locale.t();
    let text = |value: Option<String>| value.unwrap_or_default().into_any();
    match column {
        ListColumn::Company => text(row.company.clone()),
        ListColumn::Email => row
            .email
            .clone()
            .map(|email| view! { <a href=format!("mailto:{email}")>{email.clone()}</a> }.into_any())
            .unwrap_or_else(|| ().into_any()),
        ListColumn::Phone => row
            .phonenumber
            .clone()
            .map(|phone| view! { <a class="nowrap" href=format!("tel:{phone}")>{phone.clone()}</a> }.into_any())
            .unwrap_or_else(|| ().into_any()),
        ListColumn::Stage => view! {
            <span class="stage-badge" style=format!("--stage: {}", row.stage_color)>{row.stage_name.clone()}</span>
        }
        .into_any(),
        ListColumn::Assigned => row
            .assigned_name
            .clone()
            .unwrap_or_else(|| t.unassigned.to_string())
            .into_any(),
        ListColumn::Source => text(row.source_name.clone()),
        ListColumn::Value => text(row.lead_value.map(|v| locale.money(v))),
        ListColumn::Tags => view! {
            <span class="row-tags">{row.tags.iter().map(|tag| view! { <span class="tag">{tag.clone()}</span> }).collect_view()}</span>
        }
        .into_any(),
        ListColumn::LastContact => text(row.lastcontact.map(|at| locale.date(at))),
        ListColumn::NextAction => {
            let overdue = row.next_action_at.is_some_and(|at| at < now);
            let next = match (row.next_action.clone(), row.next_action_at) {
                (Some(action), Some(at)) => Some(format!("{action} · {}", locale.date(at))),
                (Some(action), None) => Some(action),
                (None, Some(at)) => Some(locale.date(at)),
                (None, None) => None,
            };
            view! { <span class:overdue=overdue>{next.unwrap_or_default()}</span> }.into_any()
        }
        ListColumn::TimeInStage => {
            let days = ((now - row.in_stage_since) / DAY_MS).max(0);
            fill(t.days_count, &[("n", &days)]).into_any()
        }
        ListColumn::Created => locale.date(row.dateadded).into_any(),
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
