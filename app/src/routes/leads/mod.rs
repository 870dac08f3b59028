//! `/admin/leads`: the leads as a pipeline board or as a list; each user's choice is
//! remembered, and `?view=` in a link overrides it.

pub mod attachments;
pub mod board;
pub mod bulk;
pub mod closing;
pub mod convert;
pub mod form;
pub mod forms;
pub mod import;
pub mod list;
pub mod privacy;
pub mod progress;
pub mod record;
pub mod reminders;
pub mod search_box;
pub mod timeline;
pub mod today;
pub mod trash;
pub mod views;

use crate::functions::choose_leads_view;
use crate::models::{encode_query, BoardFilter, LeadsView};
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LeadsPage() -> impl IntoView {
    let t = use_locale().t();
    let query = use_query_map();
    let requested = move || query.read().get("view").and_then(|v| LeadsView::parse(&v));
    let view = Resource::new(requested, choose_leads_view);
    // What each view shows is loaded beside the choice, not inside the Suspense below (see
    // `board::BoardLoad`); each waits for the choice, and only the chosen one reads anything.
    let board = board::BoardLoad::new(view);
    let list = list::ListLoad::new(view);
    view! {
        <Title text=t.leads />
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                let current = view.await.unwrap_or_default();
                view! {
                    <header class="page-header">
                        <h1>{t.leads}</h1>
                        <search_box::SearchBox />
                        <ViewToggle current />
                        <a class="btn btn-secondary" href="/admin/leads/import">{t.import_leads}</a>
                        <a class="btn btn-primary" href="/admin/leads/new">{format!("+ {}", t.new_lead)}</a>
                    </header>
                    {match current {
                        LeadsView::Board => view! { <board::Board load=board /> }.into_any(),
                        LeadsView::List => view! { <list::LeadList load=list /> }.into_any(),
                    }}
                }
            })}
        </Transition>
    }
}

/// Board | List, keeping the filters of the link.
#[component]
fn ViewToggle(current: LeadsView) -> impl IntoView {
    let t = use_locale().t();
    let query = use_query_map();
    let href = move |view: LeadsView| {
        let filter = BoardFilter::from_query(|key| query.read_untracked().get(key))
            .with_custom(query.read_untracked().clone());
        let mut pairs = vec![("view".to_string(), view.as_str().to_string())];
        pairs.extend(filter.pairs());
        format!("/admin/leads?{}", encode_query(&pairs))
    };
    let link = move |view: LeadsView, label: &'static str| {
        view! {
            <a class="segment" href=href(view) aria-current=(view == current).then_some("page")>{label}</a>
        }
    };
    view! {
        <nav class="segmented" aria-label=t.view_as>
            {link(LeadsView::Board, t.board)}
            {link(LeadsView::List, t.list)}
        </nav>
    }
}
