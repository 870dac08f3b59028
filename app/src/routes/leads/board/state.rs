//! The board in the browser: each column's cards and totals as signals, and the moves that
//! change them — optimistic first, then confirmed, refused (rolled back) or completed by the
//! server. Pointer drags, the keyboard and the "Move to…" menu all end in `commit`.

use crate::error::AppError;
use crate::functions::{board_card, board_totals, close_lead, load_more_cards, move_card};
use crate::i18n::{fill, Locale};
use crate::models::{
    BoardFilter, Card, CardCursor, Choice, Closing, ColumnTotals, LeadInput, LiveCard, MoveRequest,
    Stage, REQUIRABLE_FIELDS,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One stage's column as the browser holds it.
#[derive(Clone, Copy)]
pub struct ColumnState {
    pub stage: StoredValue<Stage>,
    pub cards: RwSignal<Vec<Card>>,
    pub next: RwSignal<Option<CardCursor>>,
    pub totals: RwSignal<ColumnTotals>,
    pub loading: RwSignal<bool>,
}

/// Every column's cards and totals, to put back when a move is cancelled or refused.
#[derive(Clone)]
pub struct Snapshot(Vec<(Vec<Card>, ColumnTotals)>);

/// Where a dragged card would land if released now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DropTarget {
    /// Into a stage, before a card (or at the end of what is loaded).
    Stage {
        stage: i64,
        before: Option<i64>,
    },
    Lost,
    Junk,
    /// Convert the lead: its page opens with the conversion form.
    Convert,
}

/// A pointer drag in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Drag {
    pub lead: i64,
    pub name: String,
    pub pointer: i32,
    pub start: (i32, i32),
    pub active: bool,
}

/// A card picked up with the keyboard, and the board as it was before.
#[derive(Clone)]
pub struct Grab {
    pub lead: i64,
    pub snapshot: Snapshot,
}

/// The dialog open over the board, if any.
#[derive(Clone)]
pub enum Prompt {
    /// The target stage asks for fields the lead lacks; the card waits in its new place.
    Required {
        card: Card,
        errors: Vec<(String, String)>,
        snapshot: Snapshot,
    },
    /// A lost reason (and a note) for a card dropped on Lost.
    Lost {
        card: Card,
        error: Option<String>,
        snapshot: Snapshot,
    },
    /// "Move to…" for a card.
    MoveTo { card: Card },
}

/// A message shown after an action, also read out by screen readers.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Copy)]
pub struct BoardState {
    pub locale: Locale,
    pub pipeline: i64,
    pub filter: StoredValue<BoardFilter>,
    pub columns: StoredValue<Vec<ColumnState>>,
    pub users: StoredValue<Vec<Choice>>,
    pub sources: StoredValue<Vec<Choice>>,
    pub lost_reasons: StoredValue<Vec<Choice>>,
    pub drag: RwSignal<Option<Drag>>,
    pub pointer_at: RwSignal<(i32, i32)>,
    pub target: RwSignal<Option<DropTarget>>,
    pub grab: RwSignal<Option<Grab>>,
    pub prompt: RwSignal<Option<Prompt>>,
    /// What the aria-live region says.
    pub announcement: RwSignal<String>,
    pub notice: RwSignal<Option<Notice>>,
    /// Live events only arrive in the browser.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    totals_due: StoredValue<bool>,
}

impl BoardState {
    pub fn new(
        locale: Locale,
        pipeline: i64,
        filter: BoardFilter,
        columns: Vec<ColumnState>,
        users: Vec<Choice>,
        sources: Vec<Choice>,
        lost_reasons: Vec<Choice>,
    ) -> BoardState {
        BoardState {
            locale,
            pipeline,
            filter: StoredValue::new(filter),
            columns: StoredValue::new(columns),
            users: StoredValue::new(users),
            sources: StoredValue::new(sources),
            lost_reasons: StoredValue::new(lost_reasons),
            drag: RwSignal::new(None),
            pointer_at: RwSignal::new((0, 0)),
            target: RwSignal::new(None),
            grab: RwSignal::new(None),
            prompt: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            notice: RwSignal::new(None),
            totals_due: StoredValue::new(false),
        }
    }

    pub fn column_count(&self) -> usize {
        self.columns.with_value(Vec::len)
    }

    pub fn column(&self, index: usize) -> Option<ColumnState> {
        self.columns.with_value(|c| c.get(index).copied())
    }

    pub fn column_of_stage(&self, stage: i64) -> Option<(usize, ColumnState)> {
        self.columns.with_value(|columns| {
            columns
                .iter()
                .enumerate()
                .find(|(_, c)| c.stage.with_value(|s| s.id) == stage)
                .map(|(i, c)| (i, *c))
        })
    }

    pub fn stage_name(&self, index: usize) -> String {
        self.column(index)
            .map(|c| c.stage.with_value(|s| s.name.clone()))
            .unwrap_or_default()
    }

    /// Which column and place a lead's card is in now.
    pub fn locate(&self, lead: i64) -> Option<(usize, usize)> {
        self.columns.with_value(|columns| {
            columns.iter().enumerate().find_map(|(i, column)| {
                column
                    .cards
                    .with_untracked(|cards| cards.iter().position(|c| c.id == lead))
                    .map(|at| (i, at))
            })
        })
    }

    pub fn card(&self, lead: i64) -> Option<Card> {
        let (column, at) = self.locate(lead)?;
        self.column(column)?
            .cards
            .with_untracked(|cards| cards.get(at).cloned())
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot(self.columns.with_value(|columns| {
            columns
                .iter()
                .map(|c| (c.cards.get_untracked(), c.totals.get_untracked()))
                .collect()
        }))
    }

    pub fn restore(&self, snapshot: &Snapshot) {
        self.columns.with_value(|columns| {
            for (column, (cards, totals)) in columns.iter().zip(snapshot.0.iter()) {
                column.cards.set(cards.clone());
                column.totals.set(totals.clone());
            }
        });
    }

    /// Where a lead was in a snapshot: column and place.
    fn located_in(snapshot: &Snapshot, lead: i64) -> Option<(usize, usize)> {
        snapshot
            .0
            .iter()
            .enumerate()
            .find_map(|(i, (cards, _))| cards.iter().position(|c| c.id == lead).map(|at| (i, at)))
    }

    /// Takes a card off the board (its column's totals lose it).
    pub fn take(&self, lead: i64) -> Option<(usize, Card)> {
        let (index, at) = self.locate(lead)?;
        let column = self.column(index)?;
        let mut card = None;
        column.cards.update(|cards| card = Some(cards.remove(at)));
        let card = card?;
        self.shift_totals(&card, index, -1);
        Some((index, card))
    }

    /// Puts a card into a column at `at` (clamped), counting it in the column's totals.
    pub fn put(&self, index: usize, at: usize, mut card: Card) {
        let Some(column) = self.column(index) else {
            return;
        };
        card.stage_id = column.stage.with_value(|s| s.id);
        self.shift_totals(&card, index, 1);
        column.cards.update(|cards| {
            let at = at.min(cards.len());
            cards.insert(at, card);
        });
    }

    fn shift_totals(&self, card: &Card, index: usize, sign: i64) {
        let Some(column) = self.column(index) else {
            return;
        };
        let probability = column.stage.with_value(|s| s.probability);
        let value = card.lead_value.unwrap_or(0);
        column.totals.update(|t| {
            t.leads += sign;
            t.value += sign * value;
            t.weighted_value += sign * value * probability / 100;
            t.stalled += sign * i64::from(card.stalled);
        });
    }

    pub fn say(&self, text: String) {
        self.announcement.set(text);
    }

    /// Shows (and announces) an outcome; good news fades after a few seconds.
    pub fn tell(&self, text: String, error: bool) {
        self.say(text.clone());
        let notice = Notice { text, error };
        self.notice.set(Some(notice.clone()));
        if !error {
            let shown = self.notice;
            set_timeout(
                move || {
                    if shown.get_untracked().as_ref() == Some(&notice) {
                        shown.set(None);
                    }
                },
                std::time::Duration::from_secs(5),
            );
        }
    }

    /// "{name}: {stage}, position i of n" for a card where it is now.
    pub fn describe_place(&self, lead: i64, template: &str) -> String {
        let Some((index, at)) = self.locate(lead) else {
            return String::new();
        };
        let column = self.column(index).expect("located");
        let count = column.cards.with_untracked(Vec::len);
        let name = self.card(lead).map(|c| c.name).unwrap_or_default();
        fill(
            template,
            &[
                ("name", &name),
                ("stage", &self.stage_name(index)),
                ("i", &(at + 1)),
                ("n", &count),
            ],
        )
    }

    /// Sends the move of a card that already stands in its new place; on refusal the board goes
    /// back to `snapshot`. A stage that asks for fields opens the prompt instead.
    pub fn commit(&self, lead: i64, snapshot: Snapshot, fields: LeadInput) {
        let state = *self;
        let t = self.locale.t();
        let Some((index, at)) = self.locate(lead) else {
            return;
        };
        let column = self.column(index).expect("located");
        let (card, before, after) = column.cards.with_untracked(|cards| {
            (
                cards[at].clone(),
                cards.get(at + 1).map(|c| c.id),
                at.checked_sub(1).map(|i| cards[i].id),
            )
        });
        let unchanged = Self::located_in(&snapshot, lead).is_some_and(|(i, was)| {
            i == index
                && snapshot.0[i].0.get(was + 1).map(|c| c.id) == before
                && was.checked_sub(1).map(|p| snapshot.0[i].0[p].id) == after
        });
        if unchanged && fields.is_empty() {
            self.restore(&snapshot);
            self.say(fill(t.drop_unchanged, &[("name", &card.name)]));
            return;
        }
        let stage_name = self.stage_name(index);
        let request = MoveRequest {
            lead,
            to: column.stage.with_value(|s| s.id),
            before,
            after,
            version: card.version,
            fields,
        };
        // Moving resets the stalled clock.
        column.cards.update(|cards| {
            if let Some(moving) = cards.iter_mut().find(|c| c.id == lead) {
                if moving.stalled {
                    moving.stalled = false;
                    column.totals.update(|t| t.stalled -= 1);
                }
            }
        });
        spawn_local(async move {
            match move_card(request).await {
                Ok(live) => {
                    state.replace(live);
                    state.prompt.set(None);
                    state.say(fill(
                        t.dropped,
                        &[("name", &card.name), ("stage", &stage_name)],
                    ));
                }
                Err(AppError::Validation(errors))
                    if errors
                        .keys()
                        .all(|f| REQUIRABLE_FIELDS.contains(&f.as_str())) =>
                {
                    state.prompt.set(Some(Prompt::Required {
                        card,
                        errors: errors.into_iter().collect(),
                        snapshot,
                    }));
                }
                Err(error) => {
                    state.refused(&card.name, &snapshot, &error);
                    // A stale board: show where the lead really is now.
                    if matches!(error, AppError::Conflict { .. }) {
                        state.refresh_lead(lead);
                    }
                }
            }
        });
    }

    /// Moves a card to the top of another column (the "Move to…" menu).
    pub fn move_to_top(&self, lead: i64, stage: i64) {
        let snapshot = self.snapshot();
        let Some((to, _)) = self.column_of_stage(stage) else {
            return;
        };
        if let Some((_, card)) = self.take(lead) {
            self.put(to, 0, card);
            self.commit(lead, snapshot, LeadInput::default());
        }
    }

    /// Drops a dragged card where the pointer left it.
    pub fn drop_at(&self, lead: i64, target: DropTarget) {
        match target {
            DropTarget::Stage { stage, before } => {
                let snapshot = self.snapshot();
                let Some((to, column)) = self.column_of_stage(stage) else {
                    return;
                };
                if before == Some(lead) {
                    return;
                }
                let Some((_, card)) = self.take(lead) else {
                    return;
                };
                let at = match before {
                    Some(before) => column
                        .cards
                        .with_untracked(|cards| cards.iter().position(|c| c.id == before))
                        .unwrap_or(usize::MAX),
                    None => usize::MAX,
                };
                self.put(to, at, card);
                self.commit(lead, snapshot, LeadInput::default());
            }
            DropTarget::Lost => self.ask_lost(lead),
            DropTarget::Junk => self.close(lead, Closing::Junk),
            DropTarget::Convert => {
                let _ = window()
                    .location()
                    .set_href(&format!("/admin/leads/{lead}?convert=1"));
            }
        }
    }

    /// Takes the card off the board and asks why the lead was lost.
    pub fn ask_lost(&self, lead: i64) {
        let snapshot = self.snapshot();
        if let Some((_, card)) = self.take(lead) {
            self.prompt.set(Some(Prompt::Lost {
                card,
                error: None,
                snapshot,
            }));
        }
    }

    /// Lost, junk or reopened: the card leaves this board view at once; a refusal puts it back.
    pub fn close(&self, lead: i64, closing: Closing) {
        let snapshot = match &self.prompt.get_untracked() {
            Some(Prompt::Lost { snapshot, .. }) => snapshot.clone(),
            _ => self.snapshot(),
        };
        let card = match self.take(lead) {
            Some((_, card)) => card,
            None => match self.prompt.get_untracked() {
                Some(Prompt::Lost { card, .. }) => card,
                _ => return,
            },
        };
        let state = *self;
        let t = self.locale.t();
        spawn_local(async move {
            let done = match &closing {
                Closing::Lost { .. } => t.marked_lost,
                Closing::Junk => t.marked_junk,
                Closing::Reopen => t.reopened,
            };
            match close_lead(card.id, card.version, closing.clone()).await {
                Ok(()) => {
                    state.prompt.set(None);
                    state.tell(fill(done, &[("name", &card.name)]), false);
                }
                Err(AppError::Validation(errors)) => {
                    let error = errors.values().cloned().collect::<Vec<_>>().join(" ");
                    state.prompt.set(Some(Prompt::Lost {
                        card,
                        error: Some(error),
                        snapshot,
                    }));
                }
                Err(error) => {
                    state.refused(&card.name, &snapshot, &error);
                }
            }
        });
    }

    /// A change the server refused: the board goes back to `snapshot` and the user reads why.
    fn refused(&self, name: &str, snapshot: &Snapshot, error: &AppError) {
        self.prompt.set(None);
        self.restore(snapshot);
        let reason = error.to_string();
        self.tell(
            fill(
                self.locale.t().move_failed,
                &[("name", &name), ("reason", &reason)],
            ),
            true,
        );
    }

    /// Cancels whatever the open prompt was about, putting the board back.
    pub fn cancel_prompt(&self) {
        let t = self.locale.t();
        match self.prompt.get_untracked() {
            Some(Prompt::Required { card, snapshot, .. })
            | Some(Prompt::Lost { card, snapshot, .. }) => {
                self.restore(&snapshot);
                let stage = Self::located_in(&snapshot, card.id)
                    .map(|(i, _)| self.stage_name(i))
                    .unwrap_or_default();
                self.say(fill(
                    t.move_cancelled,
                    &[("name", &card.name), ("stage", &stage)],
                ));
            }
            _ => {}
        }
        self.prompt.set(None);
    }

    /// Puts a card the server sent in its place: replaces the lead's card, or removes it when
    /// it no longer belongs on this board. A card beyond what a column has loaded stays unloaded.
    pub fn replace(&self, live: LiveCard) {
        let Some(card) = live.card else {
            self.take(live.lead);
            return;
        };
        if let Some((index, at)) = self.locate(live.lead) {
            let column = self.column(index).expect("located");
            if column.stage.with_value(|s| s.id) == card.stage_id {
                let old = column.cards.with_untracked(|cards| cards[at].clone());
                self.shift_totals(&old, index, -1);
                self.shift_totals(&card, index, 1);
                let focused = super::dnd::card_has_focus(live.lead);
                column.cards.update(|cards| cards[at] = card);
                if focused {
                    super::dnd::focus_card_soon(live.lead);
                }
                return;
            }
            self.take(live.lead);
        }
        self.place_in_order(card);
    }

    /// A card that is new to this board goes where its position says, if that part of the
    /// column is loaded.
    fn place_in_order(&self, card: Card) {
        let Some((index, column)) = self.column_of_stage(card.stage_id) else {
            return;
        };
        let fully_loaded = column.next.get_untracked().is_none();
        let at = column.cards.with_untracked(|cards| {
            cards
                .iter()
                .position(|c| (c.position, c.id) > (card.position, card.id))
        });
        match at {
            Some(at) => self.put(index, at, card),
            None if fully_loaded => self.put(index, usize::MAX, card),
            // Further down than the loaded cards: "Load more" will bring it.
            None => {}
        }
    }

    /// Asks the server how the board should show a lead now, and shows it so.
    pub fn refresh_lead(&self, lead: i64) {
        let state = *self;
        let filter = self.filter.get_value();
        spawn_local(async move {
            if let Ok(live) = board_card(filter, state.pipeline, lead).await {
                // A card the user holds stays in their hand; its drop will meet the new version.
                let held = state.grab.with_untracked(|g| g.as_ref().map(|g| g.lead)) == Some(lead)
                    || state.drag.with_untracked(|d| d.as_ref().map(|d| d.lead)) == Some(lead);
                if !held {
                    state.replace(live);
                }
            }
        });
    }

    /// Exact totals from the server, at most about once a second however many events arrive.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn refresh_totals_soon(&self) {
        if self.totals_due.get_value() {
            return;
        }
        self.totals_due.set_value(true);
        let state = *self;
        set_timeout(
            move || {
                state.totals_due.set_value(false);
                let filter = state.filter.get_value();
                spawn_local(async move {
                    if let Ok(totals) = board_totals(filter, state.pipeline).await {
                        for total in totals {
                            if let Some((_, column)) = state.column_of_stage(total.stage_id) {
                                column.totals.set(total);
                            }
                        }
                    }
                });
            },
            std::time::Duration::from_millis(800),
        );
    }

    /// The next page of a column, after what it shows.
    pub fn load_more(&self, column: ColumnState) {
        let Some(after) = column.next.get_untracked() else {
            return;
        };
        let stage = column.stage.with_value(|s| s.id);
        let filter = self.filter.get_value();
        let state = *self;
        column.loading.set(true);
        spawn_local(async move {
            match load_more_cards(filter, stage, after).await {
                Ok(page) => {
                    column.cards.update(|cards| {
                        for card in page.cards {
                            if !cards.iter().any(|c| c.id == card.id) {
                                cards.push(card);
                            }
                        }
                    });
                    column.next.set(page.next);
                }
                Err(error) => state.tell(error.to_string(), true),
            }
            column.loading.set(false);
        });
    }
}
