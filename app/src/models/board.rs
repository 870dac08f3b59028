//! The pipeline board as the server computes it and the browser shows it: the filters of the
//! URL, per-stage totals, pages of cards, and the moves a user makes.

use super::lead::{parse_money, LeadInput};
use super::settings::Stage;
use crate::error::{AppError, Check};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// Cards in a column's first page and in each "Load more".
pub const CARDS_PER_PAGE: i64 = 50;

/// A column header's numbers, exact, for the cards the viewer may see with the filters applied.
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
    pub stage_id: i64,
    pub name: String,
    pub company: Option<String>,
    pub lead_value: Option<i64>,
    pub assigned: Option<i64>,
    pub assigned_name: Option<String>,
    pub source_name: Option<String>,
    pub tags: Vec<String>,
    /// When the lead entered its stage (ms).
    pub in_stage_since: i64,
    /// Whole days since then, counted by the server so the page reads the same everywhere.
    pub days_in_stage: i64,
    pub stalled: bool,
    pub next_action: Option<String>,
    pub next_action_at: Option<i64>,
    pub overdue: bool,
    /// Converted to a client: the card stays in its stage, labelled.
    pub converted: bool,
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

/// Which leads the board shows: open ones, or (by filter) the lost or junk ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LeadStatus {
    #[default]
    Open,
    Lost,
    Junk,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 3] = [LeadStatus::Open, LeadStatus::Lost, LeadStatus::Junk];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::Open => "open",
            LeadStatus::Lost => "lost",
            LeadStatus::Junk => "junk",
        }
    }

    pub fn parse(raw: &str) -> LeadStatus {
        match raw {
            "lost" => LeadStatus::Lost,
            "junk" => LeadStatus::Junk,
            _ => LeadStatus::Open,
        }
    }

    /// The status of a lead with these flags: lost wins over junk (as the board's filter,
    /// `server::board::push_filter`, reads them).
    pub fn of(lost: bool, junk: bool) -> LeadStatus {
        match (lost, junk) {
            (true, _) => LeadStatus::Lost,
            (false, true) => LeadStatus::Junk,
            (false, false) => LeadStatus::Open,
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        let t = locale.t();
        match self {
            LeadStatus::Open => t.status_open,
            LeadStatus::Lost => t.lost,
            LeadStatus::Junk => t.junk,
        }
    }
}

/// The most tags one tag filter may name.
pub const MAX_FILTER_TAGS: usize = 20;

/// The board's filters exactly as the URL holds them (a shareable link); the server parses
/// them with `parse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BoardFilter {
    pub pipeline: Option<String>,
    /// A user id, or `none` for unassigned leads.
    pub assignee: Option<String>,
    pub source: Option<String>,
    /// Tags, comma-separated: leads carrying any of them.
    pub tag: Option<String>,
    pub q: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    /// Created today (UTC, as the daily queue counts days).
    pub created_today: bool,
    /// Last contact, `YYYY-MM-DD`, inclusive.
    pub contacted_from: Option<String>,
    pub contacted_to: Option<String>,
    /// Last contact today (UTC).
    pub contacted_today: bool,
    pub value_min: Option<String>,
    pub value_max: Option<String>,
    /// `1`: public leads only; `0`: private ones only.
    pub public: Option<String>,
    /// Leads without a next action (neither its text nor its due date).
    pub no_next_action: bool,
    /// Leads with a reminder that is due and not done.
    pub overdue: bool,
    pub stalled: bool,
    pub mine: bool,
    pub status: LeadStatus,
    /// Custom field values to match (`cf_<field id>=value` in the URL), by field id.
    pub custom: Vec<(i64, String)>,
}

impl BoardFilter {
    /// Adds the custom field filters among a URL's parameters (`cf_12=Enterprise`).
    pub fn with_custom<K: AsRef<str>, V: AsRef<str>>(
        mut self,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> BoardFilter {
        self.custom = params
            .into_iter()
            .filter_map(|(key, value)| {
                let id = key.as_ref().strip_prefix("cf_")?.parse::<i64>().ok()?;
                let value = value.as_ref().trim();
                (id > 0 && !value.is_empty()).then(|| (id, value.to_string()))
            })
            .collect();
        self.custom.sort();
        self.custom.dedup_by_key(|(id, _)| *id);
        self
    }

    /// The tag filter's tags: comma-separated, each once (case aside), in the order given.
    fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for tag in self.tag.as_deref().unwrap_or_default().split(',') {
            let tag = tag.trim();
            if !tag.is_empty() && !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                tags.push(tag.to_string());
            }
        }
        tags
    }

    /// Reads the filters from URL query values (`get` returns a key's value).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> BoardFilter {
        let text = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let flag = |key: &str| text(key).is_some_and(|v| v != "0" && v != "false");
        BoardFilter {
            pipeline: text("pipeline"),
            assignee: text("assignee"),
            source: text("source"),
            tag: text("tag"),
            q: text("q"),
            created_from: text("created_from"),
            created_to: text("created_to"),
            created_today: flag("created_today"),
            contacted_from: text("contacted_from"),
            contacted_to: text("contacted_to"),
            contacted_today: flag("contacted_today"),
            value_min: text("value_min"),
            value_max: text("value_max"),
            public: text("public"),
            no_next_action: flag("no_next_action"),
            overdue: flag("overdue"),
            stalled: flag("stalled"),
            mine: flag("mine"),
            status: text("status")
                .map(|s| LeadStatus::parse(&s))
                .unwrap_or_default(),
            custom: Vec::new(),
        }
    }

    /// The filters as URL query pairs, without empty ones.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let texts = [
            ("pipeline", &self.pipeline),
            ("assignee", &self.assignee),
            ("source", &self.source),
            ("tag", &self.tag),
            ("q", &self.q),
            ("created_from", &self.created_from),
            ("created_to", &self.created_to),
            ("contacted_from", &self.contacted_from),
            ("contacted_to", &self.contacted_to),
            ("value_min", &self.value_min),
            ("value_max", &self.value_max),
            ("public", &self.public),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                pairs.push((key.to_string(), value.clone()));
            }
        }
        let flags = [
            ("created_today", self.created_today),
            ("contacted_today", self.contacted_today),
            ("no_next_action", self.no_next_action),
            ("overdue", self.overdue),
            ("stalled", self.stalled),
            ("mine", self.mine),
        ];
        for (key, set) in flags {
            if set {
                pairs.push((key.to_string(), "1".into()));
            }
        }
        if self.status != LeadStatus::Open {
            pairs.push(("status".into(), self.status.as_str().into()));
        }
        for (field, value) in &self.custom {
            pairs.push((format!("cf_{field}"), value.clone()));
        }
        pairs
    }

    /// Whether anything narrows the board beyond the pipeline choice.
    pub fn narrows(&self) -> bool {
        self.pairs().iter().any(|(key, _)| key != "pipeline")
    }

    /// Checks every filter value; a bad one is a field error named after its URL key.
    pub fn parse(&self, locale: Locale) -> Result<ParsedFilter, AppError> {
        let mut check = Check::default();
        let id = |raw: &str| match raw.parse::<i64>() {
            Ok(id) if id > 0 => Ok(id),
            _ => Err(locale.t().err_missing_ref.to_string()),
        };
        let day = |raw: &str| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| {
                    d.and_hms_opt(0, 0, 0)
                        .expect("midnight exists")
                        .and_utc()
                        .timestamp_millis()
                })
                .map_err(|_| locale.t().err_date.to_string())
        };
        let pipeline = self
            .pipeline
            .as_deref()
            .and_then(|p| check.take("pipeline", id(p)));
        let assignee = match self.assignee.as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(user) => check.take("assignee", id(user)).map(Some),
        };
        let source = self
            .source
            .as_deref()
            .and_then(|s| check.take("source", id(s)));
        // A day range's bounds: from its first midnight to the midnight after its last day.
        let mut days =
            |from_key: &str, from: &Option<String>, to_key: &str, to: &Option<String>| {
                let from = from.as_deref().and_then(|d| check.take(from_key, day(d)));
                let before = to
                    .as_deref()
                    .and_then(|d| check.take(to_key, day(d)))
                    .map(|midnight| midnight + 86_400_000);
                (from, before)
            };
        let (created_from, created_before) = days(
            "created_from",
            &self.created_from,
            "created_to",
            &self.created_to,
        );
        let (contacted_from, contacted_before) = days(
            "contacted_from",
            &self.contacted_from,
            "contacted_to",
            &self.contacted_to,
        );
        let public = match self.public.as_deref() {
            None => None,
            Some("1") => Some(true),
            Some("0") => Some(false),
            Some(_) => check.take::<bool>(
                "public",
                Err(locale.t().err_not_an_option.replace("{options}", "1, 0")),
            ),
        };
        let value_min = self
            .value_min
            .as_deref()
            .and_then(|v| check.take("value_min", parse_money(v, locale)));
        let value_max = self
            .value_max
            .as_deref()
            .and_then(|v| check.take("value_max", parse_money(v, locale)));
        let tags = self.tags();
        if tags.len() > MAX_FILTER_TAGS {
            check.add(
                "tag",
                locale
                    .t()
                    .err_too_many_tags
                    .replace("{max}", &MAX_FILTER_TAGS.to_string()),
            );
        }
        check.finish()?;
        Ok(ParsedFilter {
            pipeline,
            assignee,
            source,
            tags,
            text: self.q.clone(),
            created_from,
            created_before,
            created_today: self.created_today,
            contacted_from,
            contacted_before,
            contacted_today: self.contacted_today,
            value_min,
            value_max,
            public,
            no_next_action: self.no_next_action,
            overdue: self.overdue,
            stalled: self.stalled,
            mine: self.mine,
            status: self.status,
            custom: self.custom.clone(),
        })
    }
}

/// `key=value&…` with the values percent-encoded: a link's query.
pub fn encode_query(pairs: &[(String, String)]) -> String {
    let encode = |value: &str| -> String {
        value
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Board filters with every value checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFilter {
    pub pipeline: Option<i64>,
    /// `Some(None)`: unassigned leads only.
    pub assignee: Option<Option<i64>>,
    pub source: Option<i64>,
    /// Leads carrying any of these tags (none: no tag filter).
    pub tags: Vec<String>,
    pub text: Option<String>,
    pub created_from: Option<i64>,
    pub created_before: Option<i64>,
    /// Created since today's midnight (UTC).
    pub created_today: bool,
    pub contacted_from: Option<i64>,
    pub contacted_before: Option<i64>,
    /// Last contact since today's midnight (UTC).
    pub contacted_today: bool,
    pub value_min: Option<i64>,
    pub value_max: Option<i64>,
    /// `Some(true)`: public leads only; `Some(false)`: private ones only.
    pub public: Option<bool>,
    pub no_next_action: bool,
    /// Leads with a reminder due and not done.
    pub overdue: bool,
    pub stalled: bool,
    pub mine: bool,
    pub status: LeadStatus,
    /// (field id, value): leads whose custom field holds that value (any case).
    pub custom: Vec<(i64, String)>,
}

/// An id and a name, for pickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// One column of the board: its stage, its totals and its first page of cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub stage: Stage,
    pub totals: ColumnTotals,
    pub page: CardPage,
}

/// Everything the board page shows, in one server round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardData {
    pub pipelines: Vec<Choice>,
    pub pipeline: i64,
    pub columns: Vec<Column>,
    pub users: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub lost_reasons: Vec<Choice>,
}

/// A card put somewhere on the board: into `to`, before or after a card of that stage (or at
/// the top), with the fields the stage asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MoveRequest {
    pub lead: i64,
    pub to: i64,
    pub before: Option<i64>,
    pub after: Option<i64>,
    pub version: i64,
    pub fields: LeadInput,
}

/// A lead as the board should show it now: its card if it belongs on this board with these
/// filters, else `None` (it left the board or the viewer's sight).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveCard {
    pub lead: i64,
    pub card: Option<Card>,
}

/// What changed a lead, as live events carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeadEventKind {
    Created,
    Updated,
    Moved,
    Deleted,
}

/// A committed lead change, with enough of the lead for a subscriber to decide whether it may
/// see it. Sent to open boards as server-sent events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadEvent {
    pub kind: LeadEventKind,
    pub lead_id: i64,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub assigned: Option<i64>,
    pub addedfrom: Option<i64>,
    pub is_public: bool,
    pub version: i64,
    pub actor_id: Option<i64>,
}

/// How a lead leaves (or comes back to) the board without a stage move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Closing {
    Lost { reason: Option<i64>, note: String },
    Junk,
    Reopen,
}

/// The two ways `/admin/leads` shows leads; each user's last choice is remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LeadsView {
    #[default]
    Board,
    List,
}

impl LeadsView {
    pub fn as_str(self) -> &'static str {
        match self {
            LeadsView::Board => "board",
            LeadsView::List => "list",
        }
    }

    pub fn parse(raw: &str) -> Option<LeadsView> {
        match raw {
            "board" => Some(LeadsView::Board),
            "list" => Some(LeadsView::List),
            _ => None,
        }
    }
}
