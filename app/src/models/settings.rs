//! Pipelines, stages, sources and lost reasons as the settings pages and the board see them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub lead_count: i64,
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub id: i64,
    pub pipeline_id: i64,
    pub name: String,
    pub color: String,
    pub probability: i64,
    pub stalled_after_days: Option<i64>,
    pub required_fields: Vec<String>,
    pub lead_count: i64,
}

/// What the stage form sends; every value as typed, parsed by the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageForm {
    pub name: String,
    pub color: String,
    pub probability: String,
    pub stalled_after_days: String,
    pub required_fields: Vec<String>,
}

/// A source or a lost reason: a named, ordered entry of a managed list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListEntry {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub lead_count: i64,
}

/// The managed lists that share one editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ManagedList {
    Sources,
    LostReasons,
}

/// Direction of a one-step reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Up,
    Down,
}
