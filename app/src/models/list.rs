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
    Stage,
    Assigned,
    Source,
    Value,
    LastContact,
    #[default]
    Created,
    NextAction,
    TimeInStage,
}

impl SortKey {
    pub const ALL: [SortKey; 10] = [
        SortKey::Name,
        SortKey::Company,
        SortKey::Stage,
        SortKey::Assigned,
        SortKey::Source,
        SortKey::Value,
        SortKey::LastContact,
        SortKey::Created,
        SortKey::NextAction,
        SortKey::TimeInStage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Company => "company",
            SortKey::Stage => "stage",
            SortKey::Assigned => "assigned",
            SortKey::Source => "source",
            SortKey::Value => "value",
            SortKey::LastContact => "last_contact",
            SortKey::Created => "created",
            SortKey::NextAction => "next_action",
            SortKey::TimeInStage => "time_in_stage",
        }
    }

    pub fn parse(raw: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|key| key.as_str() == raw)
    }

    /// The column's heading.
    pub fn label(self, locale: Locale) -> &'static str {
        let t = locale.t();
        match self {
            SortKey::Name => t.name,
            SortKey::Company => locale.field_label("company"),
            SortKey::Stage => t.stage,
            SortKey::Assigned => t.assigned,
            SortKey::Source => t.source,
            SortKey::Value => t.value,
            SortKey::LastContact => t.last_contact,
            SortKey::Created => t.created,
            SortKey::NextAction => locale.field_label("next_action"),
            SortKey::TimeInStage => t.time_in_stage,
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
        let sort = get("sort")
            .as_deref()
            .and_then(SortKey::parse)
            .unwrap_or_default();
        let desc = match get("dir").as_deref() {
            Some("asc") => false,
            Some("desc") => true,
            _ => sort.default_desc(),
        };
        ListQuery {
            filter: BoardFilter::from_query(&get),
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
        if self.sort != SortKey::default() || self.desc != self.sort.default_desc() {
            pairs.push(("sort".into(), self.sort.as_str().into()));
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
            ("sort", Some(key.as_str().into())),
            ("dir", Some(if desc { "desc" } else { "asc" }.into())),
            ("page", None),
        ])
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
    pub custom_columns: Vec<CustomField>,
    /// The signed-in user (their rows are highlighted).
    pub me: Option<i64>,
    /// The filter bar's pickers.
    pub pipelines: Vec<super::Choice>,
    pub pipeline: i64,
    pub users: Vec<super::Choice>,
    pub sources: Vec<super::Choice>,
}

impl ListPage {
    pub fn page_count(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
