//! `/admin/leads` as a pipeline board: one column per stage with exact totals, cards that move
//! by drag, keyboard or menu, filters in the URL, and live updates from everyone else.

mod card;
mod column;
mod dnd;
pub(crate) mod filters;
mod live;
mod prompts;
mod state;

use crate::components::feedback::error_message;
use crate::error::AppError;
use crate::functions::load_board;
use crate::models::{BoardData, BoardFilter, LeadStatus, LeadsView};
use crate::use_locale;
use column::StageColumn;
use filters::FilterBar;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use prompts::PromptHost;
use state::{BoardState, ColumnState, DropTarget};

/// The board's filters (from the URL) and its data, loaded while the page shows the board.
/// Made by the page above its Suspense: a resource created inside one is created — and its
/// data loaded — twice on the server.
#[derive(Clone, Copy)]
pub struct BoardLoad {
    filter: Memo<BoardFilter>,
    data: Resource<Option<Result<BoardData, AppError>>>,
}

impl BoardLoad {
    /// Loads once `view`, the page's choice, says board — again when the link asks for another
    /// view (`?view=` is part of the source: awaiting `view` alone is not tracked).
    pub fn new(view: Resource<Result<LeadsView, AppError>>) -> BoardLoad {
        let query = use_query_map();
        let filter = Memo::new(move |_| {
            BoardFilter::from_query(|key| query.read().get(key)).with_custom(query.read().clone())
        });
        let data = Resource::new(
            move || (query.read().get("view"), filter.get()),
            move |(_, filter)| async move {
                match view.await.unwrap_or_default() {
                    LeadsView::Board => Some(load_board(filter).await),
                    LeadsView::List => None,
                }
            },
        );
        BoardLoad { filter, data }
    }
}

#[component]
pub fn Board(load: BoardLoad) -> impl IntoView {
    let t = use_locale().t();
    let BoardLoad { filter, data } = load;
    view! {
        <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Some(Ok(board)) => view! {
                        <BoardView board filter=filter.get_untracked() resync=move || data.refetch() />
                    }.into_any(),
                    Some(Err(error)) => view! { <FilterError error /> }.into_any(),
                    None => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// Filters that do not parse: what is wrong, and a way back to the plain board.
#[component]
fn FilterError(error: AppError) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let message = match error.field_errors() {
        Some(fields) => format!(
            "{} {}",
            t.err_filter,
            fields
                .iter()
                .map(|(field, message)| format!("{field}: {message}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        None => error_message(&error),
    };
    view! {
        <p class="alert alert-error" role="alert">{message}</p>
        <a class="btn btn-secondary" href="/admin/leads">{t.clear_filters}</a>
    }
}

#[component]
fn BoardView(
    board: BoardData,
    filter: BoardFilter,
    resync: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let columns: Vec<ColumnState> = board
        .columns
        .into_iter()
        .map(|column| ColumnState {
            stage: StoredValue::new(column.stage),
            cards: RwSignal::new(column.page.cards),
            next: RwSignal::new(column.page.next),
            totals: RwSignal::new(column.totals),
            loading: RwSignal::new(false),
        })
        .collect();
    let status = filter.status;
    let state = BoardState::new(
        locale,
        board.pipeline,
        filter.clone(),
        columns.clone(),
        board.users.clone(),
        board.sources.clone(),
        board.lost_reasons,
    );
    provide_context(state);
    Effect::new(move |_| live::follow(state, resync));
    view! {
        <FilterBar filter pipeline=board.pipeline pipelines=board.pipelines users=board.users sources=board.sources />
        <p id="board-help" class="sr-only">{t.board_help}</p>
        <div class="sr-only" aria-live="assertive" aria-atomic="true">{move || state.announcement.get()}</div>
        <div class="board-columns" class:is-dragging=move || state.drag.with(|d| d.as_ref().is_some_and(|d| d.active))>
            {columns.into_iter().map(|column| view! { <StageColumn column /> }).collect_view()}
        </div>
        {(status == LeadStatus::Open).then(|| view! { <DropZones /> })}
        <DragGhost />
        <PromptHost />
        <NoticeToast />
    }
    .into_any()
}

/// Lost and Junk, shown while a card is dragged.
#[component]
fn DropZones() -> impl IntoView {
    let state = expect_context::<BoardState>();
    let t = use_locale().t();
    let active = move || state.drag.with(|d| d.as_ref().is_some_and(|d| d.active));
    let over = move |zone: DropTarget| move || state.target.get() == Some(zone);
    view! {
        <div class="drop-zones" class:visible=active aria-hidden="true">
            <div class="drop-zone drop-lost" data-drop="lost" class:over=over(DropTarget::Lost)>{t.drop_lost}</div>
            <div class="drop-zone drop-junk" data-drop="junk" class:over=over(DropTarget::Junk)>{t.drop_junk}</div>
            <div class="drop-zone drop-convert" data-drop="convert" class:over=over(DropTarget::Convert)>{t.drop_convert}</div>
        </div>
    }
}

/// The card's name following the pointer during a drag.
#[component]
fn DragGhost() -> impl IntoView {
    let state = expect_context::<BoardState>();
    move || {
        state.drag.get().filter(|d| d.active).map(|drag| {
            let style = move || {
                let (x, y) = state.pointer_at.get();
                format!("transform: translate({}px, {}px)", x + 12, y + 8)
            };
            view! { <div class="drag-ghost" style=style aria-hidden="true">{drag.name}</div> }
        })
    }
}

/// The last action's outcome, until dismissed or replaced.
#[component]
fn NoticeToast() -> impl IntoView {
    let state = expect_context::<BoardState>();
    let t = use_locale().t();
    move || {
        state.notice.get().map(|notice| {
            view! {
                <div class="toast" class:toast-error=notice.error>
                    <span>{notice.text}</span>
                    <button type="button" class="icon-btn" aria-label=t.dismiss on:click=move |_| state.notice.set(None)>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
            }
        })
    }
}
