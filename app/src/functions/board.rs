//! The board: its data, more cards, live refreshes, and the moves a user makes on it.

use crate::error::AppError;
use crate::models::{
    BoardData, BoardFilter, CardCursor, CardPage, Closing, ColumnTotals, LeadsView, LiveCard,
    MoveRequest,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/rpc", endpoint = "board", input = Json)]
pub async fn load_board(filter: BoardFilter) -> Result<BoardData, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    let filter = filter.parse(actor.locale)?;
    crate::server::board::board(&state.store.db, &actor, &filter).await
}

#[server(prefix = "/rpc", endpoint = "board/more", input = Json)]
pub async fn load_more_cards(
    filter: BoardFilter,
    stage: i64,
    after: CardCursor,
) -> Result<CardPage, AppError> {
    use crate::models::CARDS_PER_PAGE;
    let (state, _, actor) = super::ctx::signed_in()?;
    let filter = filter.parse(actor.locale)?;
    crate::server::board::cards(
        &state.store.db,
        &actor,
        &filter,
        stage,
        Some(after),
        CARDS_PER_PAGE,
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "board/totals", input = Json)]
pub async fn board_totals(
    filter: BoardFilter,
    pipeline: i64,
) -> Result<Vec<ColumnTotals>, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    let filter = filter.parse(actor.locale)?;
    use crate::server::board::{columns, Stalled};
    columns(&state.store.db, &actor, &filter, pipeline, Stalled::Counted).await
}

/// A lead as this board should show it now, after a live event or a refused move.
#[server(prefix = "/rpc", endpoint = "board/card", input = Json)]
pub async fn board_card(
    filter: BoardFilter,
    pipeline: i64,
    lead: i64,
) -> Result<LiveCard, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    let filter = filter.parse(actor.locale)?;
    crate::server::board::live_card(&state.store.db, &actor, &filter, pipeline, lead).await
}

/// A drop on the board (or a keyboard move, or "Move to…"): the lead's new card.
#[server(prefix = "/rpc", endpoint = "board/move", input = Json)]
pub async fn move_card(request: MoveRequest) -> Result<LiveCard, AppError> {
    use crate::server::leads::{move_to_stage, StageMove, Via};
    let (state, _, actor) = super::ctx::signed_in()?;
    let stage_move = StageMove {
        lead: request.lead,
        to: request.to,
        before: request.before,
        after: request.after,
        expected_version: Some(request.version),
        fields: request.fields,
    };
    let lead = move_to_stage(&state.store, &actor, &stage_move, Via::Board).await?;
    card_of(&state, &actor, lead.pipeline_id, lead.id).await
}

/// Lost (with a reason), junk, or reopened.
#[server(prefix = "/rpc", endpoint = "leads/close", input = Json)]
pub async fn close_lead(lead: i64, version: i64, closing: Closing) -> Result<(), AppError> {
    use crate::server::leads::{close, Via};
    let (state, _, actor) = super::ctx::signed_in()?;
    close(
        &state.store,
        &actor,
        lead,
        &closing,
        Some(version),
        Via::Board,
    )
    .await
    .map(drop)
}

/// "Quick add" in a column: a lead with a name and a company, at the top of that stage.
#[server(prefix = "/rpc", endpoint = "board/quick-add", input = Json)]
pub async fn quick_add(stage: i64, name: String, company: String) -> Result<LiveCard, AppError> {
    use crate::models::LeadInput;
    use crate::server::leads::{create, Via};
    let (state, _, actor) = super::ctx::signed_in()?;
    let input = LeadInput {
        name: Some(name),
        company: Some(company),
        stage: Some(stage.to_string()),
        ..LeadInput::default()
    };
    let lead = create(&state.store, &actor, &input, Via::Board).await?;
    card_of(&state, &actor, lead.pipeline_id, lead.id).await
}

#[cfg(feature = "ssr")]
async fn card_of(
    state: &crate::server::AppState,
    actor: &crate::server::Actor,
    pipeline: i64,
    lead: i64,
) -> Result<LiveCard, AppError> {
    let open = BoardFilter::default().parse(actor.locale)?;
    crate::server::board::live_card(&state.store.db, actor, &open, pipeline, lead).await
}

/// Board or list: the one asked for (and remembered for next time), else the remembered one.
#[server(prefix = "/rpc", endpoint = "leads/view", input = Json)]
pub async fn choose_leads_view(requested: Option<LeadsView>) -> Result<LeadsView, AppError> {
    use crate::server::users;
    const KEY: &str = "leads_view";
    let (state, user, _) = super::ctx::signed_in()?;
    let db = &state.store.db;
    if let Some(view) = requested {
        users::remember(db, user.id, KEY, view.as_str()).await?;
        return Ok(view);
    }
    let stored = users::setting(db, user.id, KEY).await?;
    Ok(stored
        .as_deref()
        .and_then(LeadsView::parse)
        .unwrap_or_default())
}
