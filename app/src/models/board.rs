//! The pipeline board as the server computes it: per-stage totals and pages of cards.

use serde::{Deserialize, Serialize};

/// A column header's numbers, exact, for the cards the viewer may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnTotals {
    pub stage_id: i64,
    pub leads: i64,
    /// Sum of lead values, minor units.
    pub value: i64,
    /// Sum of lead values × the stage's win probability, minor units.
    pub weighted_value: i64,
    pub stalled: i64,
}

/// One card of a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub lead_value: Option<i64>,
    pub assigned: Option<i64>,
    pub assigned_name: Option<String>,
    pub source_name: Option<String>,
    pub tags: Vec<String>,
    /// When the lead entered its stage (ms).
    pub in_stage_since: i64,
    pub stalled: bool,
    pub next_action: Option<String>,
    pub next_action_at: Option<i64>,
    pub position: f64,
    pub version: i64,
}

/// Where the next page of a column starts: after this card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CardCursor {
    pub position: f64,
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardPage {
    pub cards: Vec<Card>,
    /// `Some` when more cards follow ("Load more").
    pub next: Option<CardCursor>,
}
