//! The list view: a sorted, paged table of the leads the board's filters select, with a
//! summary per stage. Sort, page and page size live in the URL with the filters.

use super::{encode_query, BoardFilter, CustomField};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// Page sizes the list offers.
pub const PAGE_SIZES: [i64; 3] = [25, 50, 100];

/// A column the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SortKey {
    Name,
    Company,
    Email,
    Phone,
    Stage,
    Assigned,
    Source,
    Value,
    /// By the lead's first tag in A–Z order (untagged leads last).
    Tags,
    LastContact,
    #[default]
    Created,
    NextAction,
    TimeInStage,
    /// Best match first, for a text search: the default while the search box holds words.
    Relevance,
    /// A custom field's value (`cf_<field id>` in the URL); numbers by their amount.
    Field(i64),
}

impl SortKey {
    /// The list's own columns' keys (custom fields' are `Field`).
    pub const ALL: [SortKey; 14] = [
        SortKey::Name,
        SortKey::Company,
        SortKey::Email,
        SortKey::Phone,
        SortKey::Stage,
        SortKey::Assigned,
        SortKey::Source,
        SortKey::Value,
        SortKey::Tags,
        SortKey::LastContact,
        SortKey::Created,
        SortKey::NextAction,
        SortKey::TimeInStage,
        SortKey::Relevance,
    ];

    /// The key as the URL holds it (`sort=`).
    pub fn param(self) -> String {
        if let SortKey::Field(id) = self {
            return format!("cf_{id}");
        }
        self.built_in().to_string()
    }

    fn built_in(self) -> &'static str {
        match self {
            SortKey::Field(_) => "",
            SortKey::Name => "name",
            SortKey::Company => "company",
            SortKey::Email => "email",
            SortKey::Phone => "phone",
            SortKey::Tags => "tags",
            SortKey::Stage => "stage",
            SortKey::Assigned => "assigned",
            SortKey::Source => "source",
            SortKey::Value => "value",
            SortKey::LastContact => "last_contact",
            SortKey::Created => "created",
            SortKey::NextAction => "next_action",
            SortKey::TimeInStage => "time_in_stage",
            SortKey::Relevance => "relevance",
        }
    }

    pub fn parse(raw: &str) -> Option<SortKey> {
        if let Some(id) = raw.strip_prefix("cf_") {
            return id.parse().ok().filter(|id| *id > 0).map(SortKey::Field);
        }
        SortKey::ALL.into_iter().find(|key| key.built_in() == raw)
    }

    /// The column's heading (a custom field's is its label, which the list has).
    pub fn label(self, locale: Locale) -> &'static str {
        let t = locale.t();
        match self {
            SortKey::Field(_) => "",
            SortKey::Name => t.name,
            SortKey::Company => locale.field_label("company"),
            SortKey::Email => locale.field_label("email"),
            SortKey::Phone => locale.field_label("phonenumber"),
            SortKey::Tags => locale.field_label("tags"),
            SortKey::Stage => t.stage,
            SortKey::Assigned => t.assigned,
            SortKey::Source => t.source,
            SortKey::Value => t.value,
            SortKey::LastContact => t.last_contact,
            SortKey::Created => t.created,
            SortKey::NextAction => locale.field_label("next_action"),
            SortKey::TimeInStage => t.time_in_stage,
            SortKey::Relevance => t.best_match,
        }
    }

    /// The direction a first click sorts in: newest, largest and latest first; names A–Z.
    pub fn default_desc(self) -> bool {
        matches!(
            self,
            SortKey::Value | SortKey::LastContact | SortKey::Created | SortKey::TimeInStage
        )
    }
}

/// A column the list may show beside the lead's name (each user picks theirs; custom fields
/// marked "show in list" are offered too, as `cf_<id>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListColumn {
    Company,
    Email,
    Phone,
    Stage,
    Assigned,
    Source,
    Value,
    Tags,
    LastContact,
    NextAction,
    TimeInStage,
    Created,
}

impl ListColumn {
    pub const ALL: [ListColumn; 12] = [
        ListColumn::Company,
        ListColumn::Email,
        ListColumn::Phone,
        ListColumn::Stage,
        ListColumn::Assigned,
        ListColumn::Source,
        ListColumn::Value,
        ListColumn::Tags,
        ListColumn::LastContact,
        ListColumn::NextAction,
        ListColumn::TimeInStage,
        ListColumn::Created,
    ];

    /// Shown until a user picks their own. Company and tags not picked as columns are shown
    /// under the name.
    pub const DEFAULT: [ListColumn; 8] = [
        ListColumn::Stage,
        ListColumn::Assigned,
        ListColumn::Source,
        ListColumn::Value,
        ListColumn::LastContact,
        ListColumn::NextAction,
        ListColumn::TimeInStage,
        ListColumn::Created,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListColumn::Company => "company",
            ListColumn::Email => "email",
            ListColumn::Phone => "phone",
            ListColumn::Stage => "stage",
            ListColumn::Assigned => "assigned",
            ListColumn::Source => "source",
            ListColumn::Value => "value",
            ListColumn::Tags => "tags",
            ListColumn::LastContact => "last_contact",
            ListColumn::NextAction => "next_action",
            ListColumn::TimeInStage => "time_in_stage",
            ListColumn::Created => "created",
        }
    }

    pub fn parse(raw: &str) -> Option<ListColumn> {
        ListColumn::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// The sort a heading click asks for.
    pub fn sort_key(self) -> SortKey {
        match self {
            ListColumn::Company => SortKey::Company,
            ListColumn::Email => SortKey::Email,
            ListColumn::Phone => SortKey::Phone,
            ListColumn::Tags => SortKey::Tags,
            ListColumn::Stage => SortKey::Stage,
            ListColumn::Assigned => SortKey::Assigned,
            ListColumn::Source => SortKey::Source,
            ListColumn::Value => SortKey::Value,
            ListColumn::LastContact => SortKey::LastContact,
            ListColumn::NextAction => SortKey::NextAction,
            ListColumn::TimeInStage => SortKey::TimeInStage,
            ListColumn::Created => SortKey::Created,
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        self.sort_key().label(locale)
    }

    /// The cell's classes: numbers right-aligned; on a phone only name, stage and value stay.
    pub fn class(self) -> &'static str {
        match self {
            ListColumn::Value => "num",
            ListColumn::TimeInStage => "num hide-sm nowrap",
            ListColumn::Stage => "",
            ListColumn::Assigned => "hide-xs",
            ListColumn::LastContact | ListColumn::Created => "hide-sm nowrap",
            _ => "hide-sm",
        }
    }
}

/// The columns a user picked, as remembered (`company,stage,cf_12`): known built-in columns
/// and custom field ids, in the list's order; `None` when nothing usable is remembered.
pub fn parse_columns(raw: &str) -> Option<(Vec<ListColumn>, Vec<i64>)> {
    let mut columns = Vec::new();
    let mut custom = Vec::new();
    for key in raw.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        if let Some(column) = ListColumn::parse(key) {
            columns.push(column);
        } else if let Some(id) = key.strip_prefix("cf_").and_then(|id| id.parse().ok()) {
            custom.push(id);
        }
    }
    columns.sort_by_key(|c| ListColumn::ALL.iter().position(|a| a == c));
    columns.dedup();
    (!raw.trim().is_empty()).then_some((columns, custom))
}

/// What the list shows: the board's filters, plus stage, sort and paging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListQuery {
    pub filter: BoardFilter,
    /// One stage (the summary strip's links).
    pub stage: Option<i64>,
    pub sort: SortKey,
    pub desc: bool,
    pub page: i64,
    /// `None`: the user's remembered size (else 50).
    pub per_page: Option<i64>,
}

impl ListQuery {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> ListQuery {
        let filter = BoardFilter::from_query(&get);
        let sort = get("sort")
            .as_deref()
            .and_then(SortKey::parse)
            .unwrap_or_else(|| default_sort(&filter));
        let desc = match get("dir").as_deref() {
            Some("asc") => false,
            Some("desc") => true,
            _ => sort.default_desc(),
        };
        ListQuery {
            filter,
            stage: get("stage").and_then(|s| s.parse().ok()).filter(|s| *s > 0),
            sort,
            desc,
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1),
            per_page: get("per_page")
                .and_then(|p| p.parse().ok())
                .filter(|p| PAGE_SIZES.contains(p)),
        }
    }

    /// Adds the custom field filters among the URL's parameters (`cf_<field id>=value`).
    pub fn with_custom<K: AsRef<str>, V: AsRef<str>>(
        mut self,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> ListQuery {
        self.filter = self.filter.with_custom(params);
        self
    }

    /// The URL of this list with some parameters changed (`None` removes one).
    pub fn href(&self, changes: &[(&str, Option<String>)]) -> String {
        let mut pairs: Vec<(String, String)> = vec![("view".into(), "list".into())];
        pairs.extend(self.filter.pairs());
        if let Some(stage) = self.stage {
            pairs.push(("stage".into(), stage.to_string()));
        }
        if !self.sorts_by_default() {
            pairs.push(("sort".into(), self.sort.param()));
            pairs.push(("dir".into(), if self.desc { "desc" } else { "asc" }.into()));
        }
        if self.page > 1 {
            pairs.push(("page".into(), self.page.to_string()));
        }
        if let Some(per_page) = self.per_page {
            pairs.push(("per_page".into(), per_page.to_string()));
        }
        for (key, value) in changes {
            pairs.retain(|(k, _)| k != key);
            if let Some(value) = value {
                pairs.push((key.to_string(), value.clone()));
            }
        }
        format!("/admin/leads?{}", encode_query(&pairs))
    }

    /// Whether the list is in the order it has without a `sort` in the URL: best match first
    /// while searching for words, else newest first.
    pub fn sorts_by_default(&self) -> bool {
        self.sort == default_sort(&self.filter) && self.desc == self.sort.default_desc()
    }

    /// The CSV export of everything this list selects (all pages).
    pub fn export_href(&self) -> String {
        let mut pairs = self.filter.pairs();
        if let Some(stage) = self.stage {
            pairs.push(("stage".into(), stage.to_string()));
        }
        format!("/admin/leads/export.csv?{}", encode_query(&pairs))
    }

    /// The link a column heading points to: this column, flipped if it is the current one.
    pub fn sort_href(&self, key: SortKey) -> String {
        let desc = if key == self.sort {
            !self.desc
        } else {
            key.default_desc()
        };
        self.href(&[
            ("sort", Some(key.param())),
            ("dir", Some(if desc { "desc" } else { "asc" }.into())),
            ("page", None),
        ])
    }
}

/// Best match first while the search box holds words (not a `#tag`), else newest first.
fn default_sort(filter: &BoardFilter) -> SortKey {
    let words = filter
        .q
        .as_deref()
        .map(str::trim)
        .is_some_and(|q| !q.is_empty() && !q.starts_with('#'));
    if words {
        SortKey::Relevance
    } else {
        SortKey::Created
    }
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phonenumber: Option<String>,
    pub stage_id: i64,
    pub stage_name: String,
    pub stage_color: String,
    pub assigned: Option<i64>,
    pub assigned_name: Option<String>,
    pub source_name: Option<String>,
    pub lead_value: Option<i64>,
    pub lastcontact: Option<i64>,
    pub dateadded: i64,
    pub next_action: Option<String>,
    pub next_action_at: Option<i64>,
    pub in_stage_since: i64,
    pub tags: Vec<String>,
    pub lost: bool,
    pub junk: bool,
    /// For a move from the stage cell (refused when someone changed the lead since).
    pub version: i64,
    /// Values of `ListPage::custom_columns`, in order ("" for none).
    pub custom: Vec<String>,
}

/// How many of the selected leads are in a stage (open ones), for the summary strip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageCount {
    pub stage_id: i64,
    pub name: String,
    pub color: String,
    pub leads: i64,
}

/// A page of the list, its total, and the summary of everything the filters select.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    pub rows: Vec<ListRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Open leads per stage of the pipeline, in stage order.
    pub summary: Vec<StageCount>,
    /// Of the leads the filters select whatever their status: how many are lost, of how many.
    pub lost: i64,
    pub all: i64,
    /// The columns shown beside the name, in order (custom ones follow them).
    pub columns: Vec<ListColumn>,
    /// Custom fields shown as columns (of those marked "show in list", the ones picked).
    pub custom_columns: Vec<CustomField>,
    /// Every custom field marked "show in list": offered as columns and filters.
    pub custom_offered: Vec<CustomField>,
    /// The signed-in user (their rows are highlighted).
    pub me: Option<i64>,
    /// The filter bar's pickers.
    pub pipelines: Vec<super::Choice>,
    pub pipeline: i64,
    pub users: Vec<super::Choice>,
    pub sources: Vec<super::Choice>,
    /// For the bulk "mark lost".
    pub lost_reasons: Vec<super::Choice>,
}

impl ListPage {
    pub fn page_count(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// A lead in the trash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrashedLead {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub stage_name: String,
    pub stage_color: String,
    pub assigned_name: Option<String>,
    pub deleted_at: i64,
    /// Who moved it to the trash, when the timeline knows.
    pub deleted_by: Option<String>,
}

/// A page of the trash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrashPage {
    pub rows: Vec<TrashedLead>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Whether the reader may delete leads for good (administrators).
    pub can_purge: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_columns_keep_the_list_order_and_skip_unknown_ones() {
        let (columns, custom) = parse_columns("value, stage,bogus,cf_7,stage").unwrap();
        assert_eq!(columns, [ListColumn::Stage, ListColumn::Value]);
        assert_eq!(custom, [7]);
        assert_eq!(parse_columns(""), None);
        assert_eq!(
            parse_columns("cf_x"),
            Some((vec![], vec![])),
            "an empty pick is a pick"
        );
    }

    #[test]
    fn the_url_keeps_filters_sort_and_paging() {
        let query = ListQuery::from_query(|key| match key {
            "q" => Some("acme & co".into()),
            "sort" => Some("value".into()),
            "page" => Some("3".into()),
            "per_page" => Some("25".into()),
            _ => None,
        });
        assert_eq!(query.sort, SortKey::Value);
        assert!(query.desc, "values sort largest first");
        assert_eq!(
            query.href(&[("page", Some("4".into()))]),
            "/admin/leads?view=list&q=acme%20%26%20co&sort=value&dir=desc&per_page=25&page=4"
        );
        assert_eq!(
            query.sort_href(SortKey::Value),
            "/admin/leads?view=list&q=acme%20%26%20co&per_page=25&sort=value&dir=asc"
        );
        let odd = ListQuery::from_query(|key| (key == "per_page").then(|| "7".into()));
        assert_eq!(odd.per_page, None, "only the offered page sizes");
    }
}
