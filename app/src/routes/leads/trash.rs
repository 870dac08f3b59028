//! `/admin/leads/trash`: deleted leads, most recent first; restore one to where it was, or
//! (administrators) delete it for good after a confirmation.

use crate::components::dialog::Dialog;
use crate::components::feedback::error_message;
use crate::error::AppError;
use crate::functions::{purge_lead, read_trash, restore_lead};
use crate::i18n::{fill, Locale};
use crate::models::{TrashPage, TrashedLead};
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TrashListPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let params = use_query_map();
    let page = move || {
        params
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    };
    let changed = RwSignal::new(0u32);
    let data = Resource::new(
        move || (changed.get(), page()),
        |(_, page)| read_trash(page),
    );
    let message = RwSignal::new(None::<Result<String, AppError>>);
    view! {
        <Title text=fill("{trash} · {leads}", &[("trash", &t.trash), ("leads", &t.leads)]) />
        <header class="page-header">
            <h1>{t.trash_title}</h1>
            <a class="btn btn-ghost" href="/admin/leads?view=list">{format!("← {}", t.list)}</a>
        </header>
        {move || message.get().map(|outcome| match outcome {
            Ok(text) => view! { <p class="alert alert-info" role="status">{text}</p> }.into_any(),
            Err(error) => view! { <p class="alert alert-error" role="alert">{error_message(&error)}</p> }.into_any(),
        })}
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(trash) => view! { <TrashTable trash locale message changed /> }.into_any(),
                    Err(error) => view! { <p class="alert alert-error" role="alert">{error_message(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TrashTable(
    trash: TrashPage,
    locale: Locale,
    message: RwSignal<Option<Result<String, AppError>>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let t = locale.t();
    if trash.rows.is_empty() {
        return view! { <section class="card"><p class="empty">{t.trash_empty}</p></section> }
            .into_any();
    }
    let pages = ((trash.total + trash.per_page - 1) / trash.per_page).max(1);
    let current = trash.page;
    let from = (current - 1) * trash.per_page + 1;
    let to = from + trash.rows.len() as i64 - 1;
    let can_purge = trash.can_purge;
    let purging = RwSignal::new(None::<(i64, String)>);
    let purge = move || {
        let Some((id, name)) = purging.get_untracked() else {
            return;
        };
        purging.set(None);
        leptos::task::spawn_local(async move {
            let outcome = purge_lead(id).await;
            message.set(Some(
                outcome.map(|()| fill(t.trash_purged, &[("name", &name)])),
            ));
            changed.update(|n| *n += 1);
        });
    };
    view! {
        <section class="card">
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{t.name}</th>
                            <th scope="col" class="hide-xs">{t.stage}</th>
                            <th scope="col" class="hide-sm">{t.assigned}</th>
                            <th scope="col">{t.trash_deleted_at}</th>
                            <th scope="col"><span class="sr-only">{t.actions}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {trash.rows.into_iter().map(|lead| view! {
                            <TrashRow lead locale can_purge message changed purging />
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <nav class="pager" aria-label=t.page>
                <span class="muted">{fill(t.showing_range, &[("from", &from), ("to", &to), ("total", &trash.total)])}</span>
                <span class="pager-links">
                    {(current > 1).then(|| view! { <a class="btn btn-ghost" rel="prev" href=format!("/admin/leads/trash?page={}", current - 1)>{t.previous}</a> })}
                    <span>{format!("{} {current} / {pages}", t.page)}</span>
                    {(current < pages).then(|| view! { <a class="btn btn-ghost" rel="next" href=format!("/admin/leads/trash?page={}", current + 1)>{t.next}</a> })}
                </span>
            </nav>
        </section>
        {move || purging.get().map(|(_, name)| view! {
            <Dialog title=t.trash_purge.to_string() on_close=move || purging.set(None)>
                <p>{fill(t.trash_purge_confirm, &[("name", &name)])}</p>
                <div class="form-actions">
                    <button type="button" class="btn btn-ghost" on:click=move |_| purging.set(None)>{t.cancel}</button>
                    <button type="button" class="btn btn-danger" on:click=move |_| purge()>{t.trash_purge}</button>
                </div>
            </Dialog>
        })}
    }
    .into_any()
}

#[component]
fn TrashRow(
    lead: TrashedLead,
    locale: Locale,
    can_purge: bool,
    message: RwSignal<Option<Result<String, AppError>>>,
    changed: RwSignal<u32>,
    purging: RwSignal<Option<(i64, String)>>,
) -> impl IntoView {
    let t = locale.t();
    let id = lead.id;
    let name = StoredValue::new(lead.name.clone());
    let restore = move |_| {
        leptos::task::spawn_local(async move {
            let outcome = restore_lead(id).await;
            message.set(Some(outcome.map(|()| {
                name.with_value(|name| fill(t.trash_restored, &[("name", name)]))
            })));
            changed.update(|n| *n += 1);
        });
    };
    let deleted = match &lead.deleted_by {
        Some(by) => format!(
            "{} {}",
            locale.date_time(lead.deleted_at),
            fill(t.trash_deleted_by, &[("name", by)])
        ),
        None => locale.date_time(lead.deleted_at),
    };
    view! {
        <tr>
            <td>
                <span class="strong">{lead.name.clone()}</span>
                {lead.company.map(|c| view! { <span class="sub">{c}</span> })}
            </td>
            <td class="hide-xs">
                <span class="stage-badge" style=format!("--stage: {}", lead.stage_color)>{lead.stage_name}</span>
            </td>
            <td class="hide-sm">{lead.assigned_name.unwrap_or_else(|| t.unassigned.to_string())}</td>
            <td class="nowrap">{deleted}</td>
            <td class="row-actions">
                <button type="button" class="btn btn-secondary btn-sm" on:click=restore
                    aria-label=format!("{} {}", t.trash_restore, lead.name)>{t.trash_restore}</button>
                {can_purge.then(|| view! {
                    <button type="button" class="btn btn-danger btn-sm"
                        on:click=move |_| purging.set(Some((id, name.get_value())))>{t.trash_purge}</button>
                })}
            </td>
        </tr>
    }
}
