//! Bulk actions: one change applied to many leads of the list at once — which change, which
//! leads (ticked rows, or every lead the list's filters select), and how a run went.

use super::{parse_datetime, parse_tags, ListQuery, MAX_TAG_CHARS};
use crate::error::{AppError, Check};
use crate::i18n::{fill, Locale};
use serde::{Deserialize, Serialize};

/// How long after a bulk action its Undo stays offered.
pub const UNDO_MINUTES: i64 = 30;

/// The most rows a selection may name one by one (a page holds at most 100); beyond that the
/// selection is "every lead matching the filters".
pub const MAX_PICKED: usize = 1000;

/// Refuses more than `MAX_PICKED` rows named one by one (field `field`).
pub fn check_picked(field: &str, picked: usize, locale: Locale) -> Result<(), AppError> {
    if picked > MAX_PICKED {
        return Err(AppError::field(
            field,
            fill(locale.t().err_too_many_picked, &[("max", &MAX_PICKED)]),
        ));
    }
    Ok(())
}

/// The change a bulk action makes to each selected lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkAction {
    /// `None`: unassigned.
    Assign {
        user: Option<i64>,
    },
    Stage {
        stage: i64,
    },
    Source {
        source: Option<i64>,
    },
    /// Comma-separated, as the lead form takes them.
    AddTags {
        tags: String,
    },
    RemoveTags {
        tags: String,
    },
    /// A date or date and time (`parse_datetime`).
    LastContact {
        at: String,
    },
    Public {
        public: bool,
    },
    Lost {
        reason: Option<i64>,
        note: String,
    },
    Junk,
    Delete,
}

/// The kinds of bulk action, in the order the menu offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BulkKind {
    Assign,
    Stage,
    Source,
    AddTags,
    RemoveTags,
    LastContact,
    Public,
    Private,
    Lost,
    Junk,
    Delete,
}

impl BulkKind {
    pub const ALL: [BulkKind; 11] = [
        BulkKind::Assign,
        BulkKind::Stage,
        BulkKind::Source,
        BulkKind::AddTags,
        BulkKind::RemoveTags,
        BulkKind::LastContact,
        BulkKind::Public,
        BulkKind::Private,
        BulkKind::Lost,
        BulkKind::Junk,
        BulkKind::Delete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BulkKind::Assign => "assign",
            BulkKind::Stage => "stage",
            BulkKind::Source => "source",
            BulkKind::AddTags => "add_tags",
            BulkKind::RemoveTags => "remove_tags",
            BulkKind::LastContact => "last_contact",
            BulkKind::Public => "public",
            BulkKind::Private => "private",
            BulkKind::Lost => "lost",
            BulkKind::Junk => "junk",
            BulkKind::Delete => "delete",
        }
    }

    pub fn parse(raw: &str) -> Option<BulkKind> {
        BulkKind::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    /// The menu entry ("Reassign…").
    pub fn label(self, locale: Locale) -> &'static str {
        let t = locale.t();
        match self {
            BulkKind::Assign => t.bulk_assign,
            BulkKind::Stage => t.bulk_stage,
            BulkKind::Source => t.bulk_source,
            BulkKind::AddTags => t.bulk_add_tags,
            BulkKind::RemoveTags => t.bulk_remove_tags,
            BulkKind::LastContact => t.bulk_last_contact,
            BulkKind::Public => t.bulk_public,
            BulkKind::Private => t.bulk_private,
            BulkKind::Lost => t.bulk_lost,
            BulkKind::Junk => t.bulk_junk,
            BulkKind::Delete => t.bulk_delete,
        }
    }
}

impl BulkAction {
    pub fn kind(&self) -> BulkKind {
        match self {
            BulkAction::Assign { .. } => BulkKind::Assign,
            BulkAction::Stage { .. } => BulkKind::Stage,
            BulkAction::Source { .. } => BulkKind::Source,
            BulkAction::AddTags { .. } => BulkKind::AddTags,
            BulkAction::RemoveTags { .. } => BulkKind::RemoveTags,
            BulkAction::LastContact { .. } => BulkKind::LastContact,
            BulkAction::Public { public: true } => BulkKind::Public,
            BulkAction::Public { public: false } => BulkKind::Private,
            BulkAction::Lost { .. } => BulkKind::Lost,
            BulkAction::Junk => BulkKind::Junk,
            BulkAction::Delete => BulkKind::Delete,
        }
    }

    /// The same checks in the browser and on the server: tags present and not too long, a
    /// readable date, a lost reason chosen. References (user, stage, source, reason) are
    /// checked against the database by the server.
    pub fn check(&self, locale: Locale) -> Result<(), AppError> {
        let t = locale.t();
        let mut check = Check::default();
        match self {
            BulkAction::AddTags { tags } | BulkAction::RemoveTags { tags } => {
                let tags = parse_tags(tags);
                if tags.is_empty() {
                    check.add("tags", t.err_required);
                } else if let Some(long) =
                    tags.iter().find(|tag| tag.chars().count() > MAX_TAG_CHARS)
                {
                    check.add(
                        "tags",
                        fill(
                            t.err_tag_too_long,
                            &[("max", &MAX_TAG_CHARS), ("len", &long.chars().count())],
                        ),
                    );
                }
            }
            BulkAction::LastContact { at } => {
                if at.trim().is_empty() {
                    check.add("at", t.err_required);
                } else {
                    check.take("at", parse_datetime(at, locale));
                }
            }
            BulkAction::Lost { reason: None, .. } => check.add("lost_reason", t.err_required),
            BulkAction::Lost { note, .. } => {
                check.take("note", super::parse_text(note, 5000, locale));
            }
            _ => {}
        }
        check.finish()
    }

    /// The tags of a lead after this action, if it changes tags.
    pub fn tags_after(&self, current: &[String]) -> Option<Vec<String>> {
        match self {
            BulkAction::AddTags { tags } => {
                let mut after = current.to_vec();
                for tag in parse_tags(tags) {
                    if !after.iter().any(|have| have.eq_ignore_ascii_case(&tag)) {
                        after.push(tag);
                    }
                }
                Some(after)
            }
            BulkAction::RemoveTags { tags } => {
                let gone = parse_tags(tags);
                Some(
                    current
                        .iter()
                        .filter(|have| !gone.iter().any(|tag| tag.eq_ignore_ascii_case(have)))
                        .cloned()
                        .collect(),
                )
            }
            _ => None,
        }
    }
}

/// Which leads a bulk action applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selection {
    /// Rows ticked one by one (at most `MAX_PICKED`).
    Leads(Vec<i64>),
    /// Every lead the list with these filters selects, on every page.
    Matching(Box<ListQuery>),
}

/// What applying an action would do: how many leads are selected, and how many of them
/// already are as the action would make them (they are left alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreview {
    pub selected: i64,
    pub unchanged: i64,
}

impl BulkPreview {
    pub fn will_change(&self) -> i64 {
        self.selected - self.unchanged
    }
}

/// Leads a run skipped for the same reason, with the first few of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipGroup {
    pub reason: String,
    pub count: i64,
    /// Up to five (lead id, name).
    pub leads: Vec<(i64, String)>,
}

/// A bulk action (or the undo of one) as it runs and once it has run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkRun {
    pub id: i64,
    pub action: BulkAction,
    /// Set when this run undoes that one.
    pub undo_of: Option<i64>,
    pub total: i64,
    pub done: i64,
    /// The outcome, counted once the run has finished (0 and empty while it runs: the
    /// progress is `done` of `total`).
    pub changed: i64,
    pub unchanged: i64,
    pub skipped: Vec<SkipGroup>,
    pub finished: bool,
    /// Until when (UTC ms) Undo is offered; `None` when it is not (still running, an undo
    /// itself, already undone, nothing changed, or too late).
    pub undo_until: Option<i64>,
    /// The run that undid this one.
    pub undone_by: Option<i64>,
}

impl BulkRun {
    pub fn skipped_count(&self) -> i64 {
        self.skipped.iter().map(|group| group.count).sum()
    }

    /// Whole percent done, for the progress bar.
    pub fn percent(&self) -> i64 {
        if self.total == 0 {
            100
        } else {
            self.done * 100 / self.total
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_added_once_and_removed_whatever_their_case() {
        let have = vec!["VIP".to_string(), "expo".to_string()];
        let add = BulkAction::AddTags {
            tags: "vip, Hot".into(),
        };
        assert_eq!(add.tags_after(&have).unwrap(), ["VIP", "expo", "Hot"]);
        let remove = BulkAction::RemoveTags {
            tags: "Expo".into(),
        };
        assert_eq!(remove.tags_after(&have).unwrap(), ["VIP"]);
        assert_eq!(BulkAction::Junk.tags_after(&have), None);
    }

    #[test]
    fn the_browser_and_server_refuse_the_same_input() {
        let no_tags = BulkAction::AddTags { tags: " , ".into() };
        assert!(no_tags.check(Locale::En).is_err());
        let bad_date = BulkAction::LastContact { at: "soon".into() };
        assert!(bad_date.check(Locale::En).is_err());
        let no_reason = BulkAction::Lost {
            reason: None,
            note: String::new(),
        };
        assert!(no_reason.check(Locale::En).is_err());
        let fine = BulkAction::LastContact {
            at: "2026-11-30".into(),
        };
        assert!(fine.check(Locale::En).is_ok());
    }
}
