//! The board's reads: exact column totals and keyset-paged cards, in the viewer's scope and
//! with the URL's filters. A constant number of queries per request, whatever the number of
//! cards (one for the totals, one per column for its first page, one for the page's tags).

use super::db::{now_ms, Backend, Db, Sql};
use super::leads::push_scope_of;
use super::search::{
    facet_matches, page_reach, push_search, word_table_serves, Facet, Reach, Search,
};
use super::settings;
use super::state::Actor;
use crate::error::AppError;
use crate::models::{
    BoardData, Card, CardCursor, CardPage, Column, ColumnTotals, LeadStatus, LiveCard, ManagedList,
    ParsedFilter, Stage, CARDS_PER_PAGE,
};
use futures_util::future::try_join_all;
use sqlx::FromRow;

pub(super) const DAY_MS: i64 = 86_400_000;

/// Everything the board page needs for `filter`: pipelines, columns with totals and first
/// pages, and the names its pickers offer.
pub async fn board(db: &Db, actor: &Actor, filter: &ParsedFilter) -> Result<BoardData, AppError> {
    let pipeline = settings::board_pipeline(db, filter.pipeline).await?;
    let stages = settings::stages_of(db, pipeline).await?;
    // The totals, each column's first page and the pickers' names, on connections of their own
    // at once: the page waits for the slowest of them, not for their sum.
    let first_pages =
        async {
            if words_searched(filter) {
                return first_pages_searched(db, actor, filter, pipeline, &stages).await;
            }
            let reach = CardReach::of(db, filter).await?;
            try_join_all(stages.iter().map(|stage| {
                cards_reached(db, actor, filter, reach, stage.id, None, CARDS_PER_PAGE)
            }))
            .await
        };
    let (mut totals, pages, users, pipelines, sources, lost_reasons) = tokio::try_join!(
        columns(db, actor, filter, pipeline, Stalled::Counted),
        first_pages,
        super::users::active_names(db),
        settings::pipeline_choices(db),
        settings::choices(db, ManagedList::Sources),
        settings::choices(db, ManagedList::LostReasons),
    )?;
    let columns = stages
        .into_iter()
        .zip(pages)
        .map(|(stage, page)| {
            let at = totals.iter().position(|t| t.stage_id == stage.id);
            let totals = at.map(|i| totals.swap_remove(i)).unwrap_or(ColumnTotals {
                stage_id: stage.id,
                leads: 0,
                value: 0,
                weighted_value: 0,
                stalled: 0,
            });
            Column {
                stage,
                totals,
                page,
            }
        })
        .collect();
    Ok(BoardData {
        pipelines,
        pipeline,
        columns,
        users,
        sources,
        lost_reasons,
    })
}

/// Which leads a board's filters select, for the lead aliased `l` in the stage aliased `s`.
pub(super) fn push_filter(
    sql: &mut Sql,
    backend: Backend,
    actor: &Actor,
    filter: &ParsedFilter,
    now: i64,
    reach: Reach,
) {
    sql.push(" AND ").push(status_condition(filter.status));
    push_conditions(sql, backend, actor, filter, now, reach);
}

/// True for a lead (`l`) of `status`.
pub(super) fn status_condition(status: LeadStatus) -> &'static str {
    match status {
        LeadStatus::Open => "l.lost = 0 AND l.junk = 0",
        LeadStatus::Lost => "l.lost = 1",
        LeadStatus::Junk => "l.junk = 1 AND l.lost = 0",
    }
}

/// The filters but the status (open, lost, junk): live leads of the actor's scope that match
/// the owner, source, visibility, tag, text, date, last contact, value, next action, reminder
/// and stalled filters.
pub(super) fn push_conditions(
    sql: &mut Sql,
    backend: Backend,
    actor: &Actor,
    filter: &ParsedFilter,
    now: i64,
    reach: Reach,
) {
    sql.push(" AND l.deleted_at IS NULL");
    push_kept_filter(sql, actor, filter, "l");
    if !filter.tags.is_empty() {
        push_search(sql, backend, &Search::Tags(filter.tags.clone()), reach);
    }
    if let Some(search) = filter.text.as_deref().and_then(Search::parse) {
        push_search(sql, backend, &search, reach);
    }
    push_day_range(sql, DayRange::created(filter, now), "l.dateadded");
    // Today as the daily queue counts it: since midnight UTC.
    let midnight = now / DAY_MS * DAY_MS;
    if let Some(from) = filter.contacted_from {
        sql.push(" AND l.lastcontact >= ").bind(from);
    }
    if let Some(before) = filter.contacted_before {
        sql.push(" AND l.lastcontact < ").bind(before);
    }
    if filter.contacted_today {
        sql.push(" AND l.lastcontact >= ").bind(midnight);
    }
    if filter.no_next_action {
        sql.push(" AND l.next_action IS NULL AND l.next_action_at IS NULL");
    }
    if filter.overdue {
        // Whoever the reminder is for: the lead has one due and not done.
        sql.push(" AND l.id IN (SELECT r.lead_id FROM reminders r WHERE r.done_at IS NULL AND r.remind_at < ")
            .bind(now)
            .push(")");
    }
    push_value_range(sql, ValueRange::of(filter), "l");
    if filter.stalled {
        sql.push(" AND ");
        push_stalled(sql, now);
    }
    for (field, value) in &filter.custom {
        sql.push(" AND EXISTS (SELECT 1 FROM lead_custom_values v WHERE v.lead_id = l.id AND v.field_id = ")
            .bind(*field)
            .push(" AND lower(v.value) = lower(")
            .bind(value.clone())
            .push("))");
    }
}

/// True when `filter` searches words and narrows by nothing that `leads_live_facets` (SQLite) or
/// the word table (PostgreSQL) does not hold (see `leads_by_facets`), for a reader who sees
/// every lead: its matches' pipeline, stage, status, value, last activity and board position
/// are all such a query reads.
pub(super) fn facets_cover(actor: &Actor, filter: &ParsedFilter) -> bool {
    // Every field named: a filter added later must be placed on one side or the other.
    let ParsedFilter {
        pipeline: _,
        status: _,
        value_min: _,
        value_max: _,
        stalled: _,
        assignee,
        source,
        tags,
        created_from,
        created_before,
        created_today,
        contacted_from,
        contacted_before,
        contacted_today,
        public,
        no_next_action,
        overdue,
        mine,
        custom,
        text: _,
    } = filter;
    words_searched(filter)
        && actor.sees_all()
        && assignee.is_none()
        && source.is_none()
        && public.is_none()
        && tags.is_empty()
        && created_from.is_none()
        && created_before.is_none()
        && contacted_from.is_none()
        && contacted_before.is_none()
        && custom.is_empty()
        && !(*created_today || *contacted_today || *no_next_action || *overdue || *mine)
}

/// `FROM … l` for counting or ordering the leads `filter` selects, with the filter whose
/// conditions the query still pushes. When `facets_cover` says the query reads only the
/// matches' facts: on SQLite each match is looked up in the index `leads_live_facets` instead
/// of the table (whose planner would read the table by id); on PostgreSQL the matches are the
/// word table's rows (`search::facet_matches`) with the `reads` facts the query reads besides
/// its pipeline, stage and status (and those the filter needs); they find the words
/// themselves — the filter left to push drops them. Otherwise the leads' table, and the whole
/// filter.
pub(super) fn leads_by_facets<'f>(
    sql: &mut Sql,
    db: &Db,
    actor: &Actor,
    filter: &'f ParsedFilter,
    reads: &[Facet],
) -> (String, std::borrow::Cow<'f, ParsedFilter>) {
    use std::borrow::Cow;
    // PostgreSQL reads several words by the full-text index (see `search::word_table_serves`).
    let words = match filter.text.as_deref().and_then(Search::parse) {
        Some(Search::Words(words))
            if facets_cover(actor, filter)
                && (db.backend == Backend::Sqlite || word_table_serves(&words)) =>
        {
            words
        }
        _ => return ("FROM leads l".into(), Cow::Borrowed(filter)),
    };
    match db.backend {
        Backend::Sqlite => (
            "FROM leads l INDEXED BY leads_live_facets".into(),
            Cow::Borrowed(filter),
        ),
        Backend::Postgres => (
            facet_matches(sql, &words, &filtered_facets(filter, reads)),
            Cow::Owned(ParsedFilter {
                text: None,
                ..filter.clone()
            }),
        ),
    }
}

/// `reads` with the facts `filter`'s own conditions read (`push_filter`: a value range, stalled).
fn filtered_facets(filter: &ParsedFilter, reads: &[Facet]) -> Vec<Facet> {
    let mut facets = reads.to_vec();
    let mut add = |facet: Facet| {
        if !facets.contains(&facet) {
            facets.push(facet);
        }
    };
    if filter.value_min.is_some() || filter.value_max.is_some() {
        add(Facet::Value);
    }
    if filter.stalled {
        add(Facet::LastActivity);
    }
    facets
}

/// True when `filter` searches words (not a `#tag`): its matches are read in full, wherever
/// they lie in each column's order.
pub(super) fn words_searched(filter: &ParsedFilter) -> bool {
    matches!(
        filter.text.as_deref().and_then(Search::parse),
        Some(Search::Words(_))
    )
}

/// The tags a filter narrows by — its tags, else a search for `#tag` — as a search.
pub(super) fn searched_tag(filter: &ParsedFilter) -> Option<Search> {
    match filter.text.as_deref().and_then(Search::parse) {
        _ if !filter.tags.is_empty() => Some(Search::Tags(filter.tags.clone())),
        Some(tags @ Search::Tags(_)) => Some(tags),
        _ => None,
    }
}

/// True for an open lead (`l`) whose stage (`s`) has a stalled-after limit that the lead's last
/// stage change or activity is older than. Lost and junk leads are closed, never stalled.
pub(super) fn push_stalled(sql: &mut Sql, now: i64) {
    sql.push("(l.lost = 0 AND l.junk = 0 AND ");
    push_stalled_open(sql, now);
    sql.push(")");
}

/// `push_stalled` for a lead the query keeps only when open: it reads no status column, so that
/// PostgreSQL can total a filtered board's open leads from `leads_stage_activity` alone (an
/// index-only scan) instead of every row of the table.
fn push_stalled_open(sql: &mut Sql, now: i64) {
    sql.push("(s.stalled_after_days IS NOT NULL AND l.last_activity_at < ")
        .bind(now)
        .push(" - s.stalled_after_days * ")
        .bind(DAY_MS)
        .push(")");
}

/// Whether column totals include how many of a column's leads are stalled (the board shows
/// it; the list's counts do not, and on the kept path it costs an index range per stage).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stalled {
    Counted,
    Skipped,
}

/// Per stage of `pipeline`, in stage order: how many leads the filters select, their value,
/// the value weighted by the stage's probability, and (when `stalled` says so) how many are
/// stalled.
pub async fn columns(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stalled: Stalled,
) -> Result<Vec<ColumnTotals>, AppError> {
    let kept = kept_totals(db, actor, filter).await?;
    columns_from(db, actor, filter, kept, pipeline, stalled).await
}

/// `columns`, with which kept rows answer the filter already known (`kept_totals`).
pub(super) async fn columns_from(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    kept: Option<Kept>,
    pipeline: i64,
    stalled: Stalled,
) -> Result<Vec<ColumnTotals>, AppError> {
    let now = now_ms();
    let rows = match kept {
        Some(kept) => kept_columns(db, actor, filter, &kept, pipeline, now, stalled).await?,
        None => scanned_columns(db, actor, filter, pipeline, now).await?,
    };
    Ok(rows
        .into_iter()
        .map(|r| ColumnTotals {
            stage_id: r.stage_id,
            leads: r.leads,
            value: r.value,
            weighted_value: r.weighted_value,
            stalled: r.stalled,
        })
        .collect())
}

/// The kept rows (counted by triggers in every writing transaction, per stage, visibility
/// bucket, status and source) that a filter's totals can be summed from.
#[derive(Clone)]
pub(super) enum Kept {
    /// `stage_totals`: the filter narrows by nothing but assignee, status, source, visibility
    /// and stalled.
    Stages,
    /// `tag_totals` of leads carrying any of these tags (`[0]`: no tag has the filter's
    /// names, so no bucket matches). With several, a lead carrying k of them is in k tags'
    /// totals, so each lead of a later tag that carries an earlier one is counted from the
    /// leads as a bucket of minus one lead: the union's totals read only the leads of two or
    /// more of the tags, not every lead of each (inclusion–exclusion).
    Tags(Vec<i64>),
    /// `value_totals`: the filter narrows by a value range, and besides by
    /// nothing but status, source and stalled, for a reader who sees every lead. The bands
    /// inside the range are added up; the leads of the bands it cuts are counted.
    Values(ValueRange),
    /// `day_totals`: the filter narrows by a created range whose bounds are midnights, and
    /// besides by nothing but status, source and stalled, for a reader who sees every lead.
    /// The range's days are added up.
    Days(DayRange),
}

/// A range of creation times, `[from, before)` in ms (either side open), as the created
/// filters select it (`created_from`, `created_to`, `created_today`).
#[derive(Clone, Copy)]
pub(super) struct DayRange {
    from: Option<i64>,
    before: Option<i64>,
}

impl DayRange {
    /// The created range `filter` selects, `now` placing today.
    fn created(filter: &ParsedFilter, now: i64) -> DayRange {
        let today = filter.created_today.then_some(now / DAY_MS * DAY_MS);
        DayRange {
            from: filter.created_from.max(today),
            before: filter.created_before,
        }
    }

    /// True when the range selects whole days of `day_totals` (its bounds are midnights, as
    /// the filter's dates and today always are).
    fn whole_days(self) -> bool {
        [self.from, self.before]
            .into_iter()
            .flatten()
            .all(|bound| bound.rem_euclid(DAY_MS) == 0)
    }
}

/// True for a row whose `column` (a lead's creation time, or the day of a `day_totals` row)
/// lies inside `range`.
fn push_day_range(sql: &mut Sql, range: DayRange, column: &str) {
    if let Some(from) = range.from {
        sql.push(&format!(" AND {column} >= ")).bind(from);
    }
    if let Some(before) = range.before {
        sql.push(&format!(" AND {column} < ")).bind(before);
    }
}

/// A value range's bounds, both inclusive (`value_min`, `value_max`).
#[derive(Clone, Copy)]
pub(super) struct ValueRange {
    min: Option<i64>,
    max: Option<i64>,
}

/// The band of `value_totals` holding `value`, as `[start, end)`: the values sharing its
/// first two digits and its number of digits (a value under 10 is a band of its own) — as
/// the databases compute it (PostgreSQL's `leadline_value_band` and `leadline_value_band_end`;
/// SQLite's triggers spell the same out).
fn value_band(value: i64) -> (i64, i64) {
    if value < 10 {
        return (value, value + 1);
    }
    let digits = value.ilog10(); // 1 for 10..=99
    let scale = 10_i64.pow(digits - 1);
    let lead = value / scale;
    (lead * scale, (lead + 1) * scale)
}

impl ValueRange {
    fn of(filter: &ParsedFilter) -> ValueRange {
        ValueRange {
            min: filter.value_min,
            max: filter.value_max,
        }
    }

    /// The part of the range made of whole bands, `[start, end)` (either side open when the
    /// range is), or `None` when the range lies within the bands it cuts.
    fn whole_bands(self) -> Option<(Option<i64>, Option<i64>)> {
        let start = self.min.map(|min| match value_band(min) {
            (band, _) if band == min => min,
            (_, end) => end,
        });
        let end = self.max.map(|max| match value_band(max) {
            (_, end) if end == max.saturating_add(1) => end,
            (band, _) => band,
        });
        match (start, end) {
            (Some(start), Some(end)) if start >= end => None,
            bounds => Some(bounds),
        }
    }

    /// The parts of the range outside its whole bands: none, one or two value ranges, each
    /// within a band.
    fn cuts(self) -> Vec<ValueRange> {
        let Some((start, end)) = self.whole_bands() else {
            return vec![self];
        };
        let below = match (self.min, start) {
            (Some(min), Some(start)) if min < start => Some(ValueRange {
                min: Some(min),
                max: Some(start - 1),
            }),
            _ => None,
        };
        let above = match (self.max, end) {
            (Some(max), Some(end)) if end <= max => Some(ValueRange {
                min: Some(end),
                max: Some(max),
            }),
            _ => None,
        };
        below.into_iter().chain(above).collect()
    }
}

/// Tags a filter's kept totals may add up (each further tag is one more walk of its leads).
const KEPT_TAGS_MAX: usize = 8;

/// Which kept rows answer `filter`'s totals — `None` when only reading the leads can (words
/// searched, last contact, next action, reminders, custom fields; a value or created range
/// with an owner, visibility or tag filter, or for a reader who sees only some leads; a value
/// range and a created range together; more than `KEPT_TAGS_MAX` tags, or a tag filter and a
/// different `#tag` searched; or a tag name that several tags differing in case share, since a
/// lead carrying two of them would count twice). A search for `#tag` is a tag filter.
pub(super) async fn kept_totals(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
) -> Result<Option<Kept>, AppError> {
    let searched = filter.text.as_deref().and_then(Search::parse);
    let searched_tag = match &searched {
        Some(Search::Tags(tags)) => tags.first(),
        Some(Search::Words(_)) => return Ok(None),
        None => None,
    };
    let kept_dimensions_only = filter.contacted_from.is_none()
        && filter.contacted_before.is_none()
        && !filter.contacted_today
        && !filter.no_next_action
        && !filter.overdue
        && filter.custom.is_empty();
    if !kept_dimensions_only {
        return Ok(None);
    }
    let valued = filter.value_min.is_some() || filter.value_max.is_some();
    let dated =
        filter.created_from.is_some() || filter.created_before.is_some() || filter.created_today;
    if valued || dated {
        // The value bands and the days keep no owner, visibility or tag, nor each other.
        let by_facts_only = actor.sees_all()
            && filter.assignee.is_none()
            && !filter.mine
            && filter.public.is_none()
            && filter.tags.is_empty()
            && searched_tag.is_none();
        return Ok(match (valued, dated) {
            _ if !by_facts_only => None,
            (true, true) => None,
            (true, false) => Some(Kept::Values(ValueRange::of(filter))),
            (false, _) => {
                let days = DayRange::created(filter, now_ms());
                days.whole_days().then_some(Kept::Days(days))
            }
        });
    }
    let names: &[String] = match (&filter.tags[..], searched_tag) {
        ([], None) => return Ok(Some(Kept::Stages)),
        ([], Some(tag)) => std::slice::from_ref(tag),
        // ASCII case only: what both databases' LOWER() fold alike.
        ([tag], Some(other)) if tag.eq_ignore_ascii_case(other) => std::slice::from_ref(tag),
        (tags, None) if tags.len() <= KEPT_TAGS_MAX => tags,
        _ => return Ok(None),
    };
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        match kept_tag(db, name).await? {
            Some(0) => {}
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => return Ok(None),
        }
    }
    if ids.is_empty() {
        ids.push(0);
    }
    Ok(Some(Kept::Tags(ids)))
}

/// The one tag the name `tag` picks out, case aside, for `tag_totals` (0 when none does);
/// `None` when several do.
pub(super) async fn kept_tag(db: &Db, tag: &str) -> Result<Option<i64>, AppError> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM tags WHERE LOWER(name) = LOWER($1) LIMIT 2")
            .bind(tag.to_string())
            .fetch_all(&db.pool)
            .await?;
    Ok(match ids[..] {
        [] => Some(0),
        [id] => Some(id),
        _ => None,
    })
}

/// The viewer's scope and the assignee filters, for a row with `assigned`, `addedfrom` and
/// `is_public` columns under `alias` (0 stands for nobody in `stage_totals`).
fn push_owner_filter(
    sql: &mut Sql,
    actor: &Actor,
    filter: &ParsedFilter,
    alias: &str,
    nobody: &str,
) {
    push_scope_of(sql, actor, alias);
    let assigned = format!(" AND {alias}.assigned");
    match filter.assignee {
        Some(Some(user)) => {
            sql.push(&assigned).push(" = ").bind(user);
        }
        Some(None) => {
            sql.push(&assigned).push(nobody);
        }
        None => {}
    }
    if filter.mine {
        // A caller without a user (the system) has no leads of its own.
        sql.push(&assigned)
            .push(" = ")
            .bind(actor.user_id.unwrap_or(-1));
    }
}

/// Leads not in the trash per value of one kept dimension (`stage_id`, `assigned`,
/// `source_id`; 0 stands for none), as a subquery of `kept_key` and `kept_leads`. SUM of a
/// BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
pub(super) fn kept_leads_by(dimension: &str) -> String {
    format!(
        "SELECT {dimension} AS kept_key, CAST(SUM(leads) AS BIGINT) AS kept_leads \
         FROM stage_totals GROUP BY {dimension}"
    )
}

/// The dimensions `stage_totals` keeps, narrowed as the filters say, for a row under `alias`
/// (a kept bucket or a lead).
pub(super) fn push_kept_filter(sql: &mut Sql, actor: &Actor, filter: &ParsedFilter, alias: &str) {
    let nobody = if alias == "t" { " = 0" } else { " IS NULL" };
    push_owner_filter(sql, actor, filter, alias, nobody);
    if let Some(source) = filter.source {
        sql.push(&format!(" AND {alias}.source_id = ")).bind(source);
    }
    if let Some(public) = filter.public {
        sql.push(&format!(" AND {alias}.is_public = "))
            .bind(i64::from(public));
    }
}

/// Totals from the kept counts, plus (for open leads) one index range per stage for the
/// stalled counts: a stage's stalled leads are its open leads less those with activity inside
/// its limit. Stalled only is the same subtraction for the counts and values.
async fn kept_columns(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    kept: &Kept,
    pipeline: i64,
    now: i64,
    stalled: Stalled,
) -> Result<Vec<TotalsRow>, AppError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
    let mut sql = Sql::new(
        "SELECT s.id AS stage_id, CAST(COALESCE(SUM(t.leads), 0) AS BIGINT) AS leads, \
         CAST(COALESCE(SUM(t.value), 0) AS BIGINT) AS value, \
         CAST(COALESCE(SUM(t.value), 0) * s.probability AS BIGINT) / 100 AS weighted_value, \
         0 AS stalled FROM stages s LEFT JOIN ",
    );
    push_kept_rows(&mut sql, db.backend, kept);
    push_kept_filter(&mut sql, actor, filter, "t");
    sql.push(" AND t.status = ")
        .bind(kept_status(filter.status));
    sql.push(" WHERE s.pipeline_id = ").bind(pipeline);
    sql.push(" AND s.deleted_at IS NULL GROUP BY s.id, s.position, s.probability ORDER BY s.position, s.id");
    // The stalled counts' recent activity (open leads only: closed ones never stall) is read
    // beside the totals, on a connection of its own.
    let open = filter.status == LeadStatus::Open;
    let counts_stalled = open && (stalled == Stalled::Counted || filter.stalled);
    let (mut rows, recent) = tokio::try_join!(
        async { Ok::<Vec<TotalsRow>, AppError>(sql.fetch_all(&db.pool).await?) },
        async {
            if counts_stalled {
                recent_activity(db, actor, filter, kept, pipeline, now).await
            } else {
                Ok(Vec::new())
            }
        },
    )?;
    if !open {
        if filter.stalled {
            rows.iter_mut().for_each(TotalsRow::clear); // closed leads are never stalled
        }
        return Ok(rows);
    }
    if !counts_stalled {
        return Ok(rows);
    }
    for row in &mut rows {
        match recent.iter().find(|r| r.stage_id == row.stage_id) {
            Some(active) if filter.stalled => {
                row.leads -= active.leads;
                row.value -= active.value;
                row.weighted_value = row.value * active.probability / 100;
                row.stalled = row.leads;
            }
            Some(active) => row.stalled = row.leads - active.leads,
            None if filter.stalled => row.clear(), // a stage without a limit stalls nothing
            None => {}
        }
    }
    Ok(rows)
}

/// A status as the kept rows' `status` column holds it.
pub(super) fn kept_status(status: LeadStatus) -> i64 {
    match status {
        LeadStatus::Open => 0,
        LeadStatus::Lost => 1,
        LeadStatus::Junk => 2,
    }
}

/// The kept rows `kept` names, as `t` joined to their stage `s` (the `ON` clause left open for
/// more conditions on `t`).
fn push_kept_rows(sql: &mut Sql, backend: Backend, kept: &Kept) {
    match kept {
        Kept::Stages => {
            sql.push("stage_totals t ON t.stage_id = s.id");
        }
        Kept::Tags(tags) if tags.len() == 1 => {
            sql.push("tag_totals t ON t.stage_id = s.id AND t.tag_id = ")
                .bind(tags[0]);
        }
        Kept::Tags(tags) => {
            sql.push(
                "(SELECT stage_id, assigned, addedfrom, is_public, status, source_id, leads, value \
                 FROM tag_totals WHERE tag_id IN ",
            )
            .push_ids(tags);
            for (i, &tag) in tags.iter().enumerate().skip(1) {
                push_overlaps(sql, backend, tag, &tags[..i]);
            }
            sql.push(") t ON t.stage_id = s.id");
        }
        Kept::Values(range) => {
            sql.push("(SELECT stage_id, status, source_id, leads, value FROM value_totals WHERE ");
            match range.whole_bands() {
                Some((start, end)) => {
                    sql.push("1 = 1");
                    if let Some(start) = start {
                        sql.push(" AND band >= ").bind(start);
                    }
                    if let Some(end) = end {
                        sql.push(" AND band_end <= ").bind(end);
                    }
                }
                None => {
                    sql.push("1 = 0");
                }
            }
            // The leads of the bands the range cuts, each a bucket of one lead: an arm per cut,
            // each one index range (as one condition with an `OR`, a generic plan walked the
            // whole range between them).
            for cut in range.cuts() {
                sql.push(
                    " UNION ALL SELECT l.stage_id, \
                     CASE WHEN l.lost = 1 THEN 1 WHEN l.junk = 1 THEN 2 ELSE 0 END, \
                     COALESCE(l.source_id, 0), 1, l.lead_value FROM leads l \
                     WHERE l.deleted_at IS NULL",
                );
                push_value_range(sql, cut, "l");
            }
            sql.push(") t ON t.stage_id = s.id");
        }
        Kept::Days(range) => {
            sql.push(
                "(SELECT stage_id, status, source_id, leads, value FROM day_totals WHERE 1 = 1",
            );
            push_day_range(sql, *range, "day");
            sql.push(") t ON t.stage_id = s.id");
        }
    }
}

/// Earlier tags of a kept union up to which PostgreSQL finds the leads of a later tag carrying
/// one of them as overlaps of single tags (see `push_overlaps`).
const OVERLAPS_EXPANDED_MAX: usize = 2;

/// `UNION ALL` arms that take out of a union of kept tags the leads of `tag` carrying any of
/// the `earlier` tags (counted already), each such lead a bucket of minus one.
///
/// An arm's leads carry `tag` and each tag of a set, every tag an equality whose entries come
/// in lead order: PostgreSQL merges the tags' entries instead of hashing them (at a million
/// leads, 120k each: 14 against 25–43 ms). The leads carrying either of two earlier tags are
/// those carrying the first, plus those carrying the second, less those carrying both
/// (inclusion–exclusion: an arm per non-empty set of earlier tags, with the sign of its size;
/// a board of three tags 241–258 against 328–374 ms, BENCHMARKS.md). Past
/// `OVERLAPS_EXPANDED_MAX` the arms would double with each tag, and SQLite, which probes each
/// lead's tags by the key of `lead_tags` instead of merging, would walk the later tag's leads
/// once per arm: one arm then tests the earlier tags together.
fn push_overlaps(sql: &mut Sql, backend: Backend, tag: i64, earlier: &[i64]) {
    let arm = |sql: &mut Sql, carried: &[i64], any_of: Option<&[i64]>, sign: &str| {
        sql.push(&format!(
            " UNION ALL SELECT l.stage_id, COALESCE(l.assigned, 0), \
             COALESCE(l.addedfrom, 0), l.is_public, \
             CASE WHEN l.lost = 1 THEN 1 WHEN l.junk = 1 THEN 2 ELSE 0 END, \
             COALESCE(l.source_id, 0), {sign}1, {sign}COALESCE(l.lead_value, 0) \
             FROM lead_tags a CROSS JOIN leads l WHERE a.tag_id = "
        ))
        .bind(tag);
        for &other in carried {
            sql.push(" AND EXISTS (SELECT 1 FROM lead_tags b WHERE b.lead_id = a.lead_id AND b.tag_id = ")
                .bind(other)
                .push(")");
        }
        if let Some(any_of) = any_of {
            sql.push(" AND EXISTS (SELECT 1 FROM lead_tags b WHERE b.lead_id = a.lead_id AND b.tag_id IN ")
                .push_ids(any_of)
                .push(")");
        }
        sql.push(" AND l.id = a.lead_id AND l.deleted_at IS NULL");
    };
    if earlier.len() > 1 && (backend == Backend::Sqlite || earlier.len() > OVERLAPS_EXPANDED_MAX) {
        arm(sql, &[], Some(earlier), "-");
        return;
    }
    // Each non-empty set of the earlier tags, as the bits of a number.
    for set in 1_usize..(1 << earlier.len()) {
        let carried: Vec<i64> = earlier
            .iter()
            .enumerate()
            .filter(|(bit, _)| set & (1 << bit) != 0)
            .map(|(_, &id)| id)
            .collect();
        arm(
            sql,
            &carried,
            None,
            if carried.len() % 2 == 1 { "-" } else { "" },
        );
    }
}

/// True for a lead (`alias`) whose value lies in `range`.
fn push_value_range(sql: &mut Sql, range: ValueRange, alias: &str) {
    if let Some(min) = range.min {
        sql.push(&format!(" AND {alias}.lead_value >= ")).bind(min);
    }
    if let Some(max) = range.max {
        sql.push(&format!(" AND {alias}.lead_value <= ")).bind(max);
    }
}

/// Per stage of `pipeline` and status (as `kept_status` codes it), from the kept rows: how many
/// leads `filter` selects, its status aside — every status's counts in one query (the list's
/// summary reads them all).
pub(super) async fn kept_leads_by_status(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    kept: &Kept,
    pipeline: i64,
) -> Result<Vec<(i64, i64, i64)>, AppError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
    let mut sql = Sql::new(
        "SELECT s.id, CAST(t.status AS BIGINT), CAST(SUM(t.leads) AS BIGINT) \
         FROM stages s LEFT JOIN ",
    );
    push_kept_rows(&mut sql, db.backend, kept);
    push_kept_filter(&mut sql, actor, filter, "t");
    sql.push(" WHERE s.pipeline_id = ")
        .bind(pipeline)
        .push(" AND s.deleted_at IS NULL AND t.status IS NOT NULL GROUP BY s.id, t.status");
    Ok(sql.fetch_all(&db.pool).await?)
}

/// Per stage of `pipeline` that has a stalled-after limit: how many of the open leads the
/// kept dimensions (and tag) select had activity inside it, and their value. Without a tag,
/// one query per such stage, all at once on connections of their own: each walks its own
/// stage's recent leads, and the board waits for the biggest stage, not for the sum. With a
/// tag, one query for them all: it hashes the tags' leads once (once per stage costs more
/// than the walks) — on PostgreSQL as a join (`recent_tagged_activity`).
async fn recent_activity(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    kept: &Kept,
    pipeline: i64,
    now: i64,
) -> Result<Vec<RecentRow>, AppError> {
    if let Kept::Tags(tags) = kept {
        let sql = match db.backend {
            Backend::Sqlite => {
                recent_activity_of(actor, filter, kept, Stages::Pipeline(pipeline), now)
            }
            Backend::Postgres => recent_tagged_activity(actor, filter, tags, pipeline, now),
        };
        return Ok(sql.fetch_all(&db.pool).await?);
    }
    let limited: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM stages WHERE pipeline_id = $1 AND deleted_at IS NULL \
         AND stalled_after_days IS NOT NULL",
    )
    .bind(pipeline)
    .fetch_all(&db.pool)
    .await?;
    let rows = try_join_all(limited.into_iter().map(|stage| {
        let sql = recent_activity_of(actor, filter, kept, Stages::One(stage), now);
        sql.fetch_one::<RecentRow, _>(&db.pool)
    }))
    .await?;
    Ok(rows)
}

/// Which stages a `recent_activity` query answers for.
#[derive(Clone, Copy)]
enum Stages {
    /// Those of the pipeline that have a stalled-after limit.
    Pipeline(i64),
    /// This one.
    One(i64),
}

/// `recent_activity` of `stages`.
fn recent_activity_of(
    actor: &Actor,
    filter: &ParsedFilter,
    kept: &Kept,
    stages: Stages,
    now: i64,
) -> Sql {
    // A correlated aggregate walks one index range (`leads_stage_activity`, which covers it);
    // the same count as a LEFT JOIN made SQLite read 40x slower at a million leads.
    let recent = |sql: &mut Sql, aggregate: &str| {
        sql.push("CAST((SELECT ")
            .push(aggregate)
            .push(" FROM leads l WHERE ");
        push_recent_activity(sql, actor, filter, now);
        // A membership test on the tags' leads, hashed once: as a bare `IN`, SQLite walks the
        // tags' leads and PostgreSQL hashes them, instead of testing the stage's few recent
        // leads.
        match kept {
            Kept::Stages => {}
            Kept::Values(range) => push_value_range(sql, *range, "l"),
            Kept::Days(range) => push_day_range(sql, *range, "l.dateadded"),
            Kept::Tags(tags) => {
                sql.push(" AND (l.id IN (SELECT lt.lead_id FROM lead_tags lt WHERE lt.tag_id IN ")
                    .push_ids(tags)
                    .push(")) IS TRUE");
            }
        }
        sql.push(") AS BIGINT)");
    };
    let mut sql = Sql::new("SELECT s.id AS stage_id, s.probability, ");
    recent(&mut sql, "COUNT(*)");
    sql.push(" AS leads, ");
    if filter.stalled {
        recent(&mut sql, "COALESCE(SUM(l.lead_value), 0)");
    } else {
        sql.push("0"); // the stalled counts need no values
    }
    sql.push(" AS value FROM stages s WHERE ");
    match stages {
        Stages::Pipeline(pipeline) => {
            sql.push("s.pipeline_id = ")
                .bind(pipeline)
                .push(" AND s.deleted_at IS NULL AND s.stalled_after_days IS NOT NULL");
        }
        Stages::One(stage) => {
            sql.push("s.id = ").bind(stage);
        }
    }
    sql
}

/// True for an open lead (`l`) of stage `s`, selected by the kept dimensions of `filter`, with
/// a stage change or activity inside the stage's stalled-after limit.
fn push_recent_activity(sql: &mut Sql, actor: &Actor, filter: &ParsedFilter, now: i64) {
    sql.push(
        "l.stage_id = s.id AND l.deleted_at IS NULL AND l.lost = 0 AND l.junk = 0 \
         AND l.last_activity_at >= ",
    )
    .bind(now)
    .push(" - s.stalled_after_days * ")
    .bind(DAY_MS);
    push_kept_filter(sql, actor, filter, "l");
}

/// PostgreSQL: `recent_activity_of` the stages of `pipeline` for leads carrying one of `tags`,
/// as a join of each stage's recent leads with the tags' leads, which PostgreSQL hashes once
/// for every stage (a hash join's table), where the membership test of `recent_activity_of`
/// builds a hashed subplan, slower to fill: for two tags on 239k leads at a million leads,
/// 58–73 against 72–112 ms in psql (two runs each, the second warm).
fn recent_tagged_activity(
    actor: &Actor,
    filter: &ParsedFilter,
    tags: &[i64],
    pipeline: i64,
    now: i64,
) -> Sql {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
    let mut sql = Sql::new(
        "SELECT s.id AS stage_id, s.probability, CAST(COUNT(l.id) AS BIGINT) AS leads, \
         CAST(COALESCE(SUM(l.lead_value), 0) AS BIGINT) AS value \
         FROM stages s LEFT JOIN leads l ON ",
    );
    push_recent_activity(&mut sql, actor, filter, now);
    sql.push(" AND l.id IN (SELECT lt.lead_id FROM lead_tags lt WHERE lt.tag_id IN ")
        .push_ids(tags)
        .push(") WHERE s.pipeline_id = ")
        .bind(pipeline)
        .push(
            " AND s.deleted_at IS NULL AND s.stalled_after_days IS NOT NULL \
             GROUP BY s.id, s.probability",
        );
    sql
}

#[derive(FromRow)]
struct RecentRow {
    stage_id: i64,
    probability: i64,
    leads: i64,
    value: i64,
}

#[derive(FromRow)]
struct TotalsRow {
    stage_id: i64,
    leads: i64,
    value: i64,
    weighted_value: i64,
    stalled: i64,
}

impl TotalsRow {
    fn clear(&mut self) {
        *self = TotalsRow {
            stage_id: self.stage_id,
            leads: 0,
            value: 0,
            weighted_value: 0,
            stalled: 0,
        };
    }
}

/// Totals by reading every lead the filters select. The leads are grouped in a subquery of
/// their own (joined to the pipeline's stages afterwards), so the database can start from a
/// selective filter — the search index's matches, say — instead of every lead of each stage.
async fn scanned_columns(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    now: i64,
) -> Result<Vec<TotalsRow>, AppError> {
    let mut sql = Sql::new(
        "SELECT st.id AS stage_id, COALESCE(g.leads, 0) AS leads, COALESCE(g.value, 0) AS value, \
         COALESCE(g.weighted_value, 0) AS weighted_value, COALESCE(g.stalled, 0) AS stalled \
         FROM stages st LEFT JOIN (SELECT l.stage_id, COUNT(*) AS leads, \
         CAST(COALESCE(SUM(l.lead_value), 0) AS BIGINT) AS value, \
         CAST(COALESCE(SUM(l.lead_value * s.probability), 0) AS BIGINT) / 100 AS weighted_value, \
         CAST(COALESCE(SUM(CASE WHEN ",
    );
    if filter.status == LeadStatus::Open {
        push_stalled_open(&mut sql, now);
    } else {
        push_stalled(&mut sql, now);
    }
    let reads = [Facet::Value, Facet::LastActivity]; // the sums, the stalled count
    let (from, filter) = leads_by_facets(&mut sql, db, actor, filter, &reads);
    sql.push(&format!(
        " THEN 1 ELSE 0 END), 0) AS BIGINT) AS stalled {from} \
         JOIN stages s ON s.id = l.stage_id WHERE s.pipeline_id = "
    ))
    .bind(pipeline);
    push_filter(&mut sql, db.backend, actor, &filter, now, Reach::AllMatches);
    sql.push(" GROUP BY l.stage_id) g ON g.stage_id = st.id WHERE st.pipeline_id = ")
        .bind(pipeline);
    sql.push(" AND st.deleted_at IS NULL ORDER BY st.position, st.id");
    Ok(sql.fetch_all(&db.pool).await?)
}

#[derive(FromRow)]
struct CardRow {
    id: i64,
    stage_id: i64,
    name: String,
    company: Option<String>,
    lead_value: Option<i64>,
    assigned: Option<i64>,
    assigned_name: Option<String>,
    source_name: Option<String>,
    in_stage_since: i64,
    stalled: i64,
    next_action: Option<String>,
    next_action_at: Option<i64>,
    converted: i64,
    position: f64,
    version: i64,
}

impl CardRow {
    fn into_card(self, now: i64) -> Card {
        Card {
            id: self.id,
            stage_id: self.stage_id,
            name: self.name,
            company: self.company,
            lead_value: self.lead_value,
            assigned: self.assigned,
            assigned_name: self.assigned_name,
            source_name: self.source_name,
            tags: Vec::new(),
            in_stage_since: self.in_stage_since,
            days_in_stage: ((now - self.in_stage_since) / DAY_MS).max(0),
            stalled: self.stalled == 1,
            next_action: self.next_action,
            overdue: self.next_action_at.is_some_and(|at| at < now),
            next_action_at: self.next_action_at,
            converted: self.converted == 1,
            position: self.position,
            version: self.version,
        }
    }
}

/// The card query up to its WHERE clause's first condition (the caller adds it).
fn card_query(now: i64) -> Sql {
    let mut sql = Sql::new(
        "SELECT l.id, l.stage_id, l.name, l.company, l.lead_value, l.assigned, u.name AS assigned_name, \
         src.name AS source_name, COALESCE(l.last_status_change, l.dateadded) AS in_stage_since, CASE WHEN ",
    );
    push_stalled(&mut sql, now);
    sql.push(
        " THEN 1 ELSE 0 END AS stalled, l.next_action, l.next_action_at, \
         CASE WHEN l.date_converted IS NULL THEN 0 ELSE 1 END AS converted, l.position, l.version \
         FROM leads l JOIN stages s ON s.id = l.stage_id \
         LEFT JOIN users u ON u.id = l.assigned LEFT JOIN sources src ON src.id = l.source_id WHERE ",
    );
    sql
}

/// Up to `limit` cards of a stage in board order, after `after` (keyset paging: the next page
/// costs the same as the first, however deep).
pub async fn cards(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    stage: i64,
    after: Option<CardCursor>,
    limit: i64,
) -> Result<CardPage, AppError> {
    let reach = CardReach::of(db, filter).await?;
    cards_reached(db, actor, filter, reach, stage, after, limit).await
}

/// How a page of cards meets its filter's matches (the same for every column).
#[derive(Clone, Copy)]
struct CardReach {
    /// A tag's leads (`page_reach`).
    tags: Reach,
    /// SQLite: a created range holding few leads, which the page starts from.
    created: Option<DayRange>,
}

/// The most leads a created range may hold for a page of cards on SQLite to start from them.
/// SQLite's planner walks the column in board order and reads each lead's creation time from
/// the table: for today's ~1,300 leads of a million, 40k leads a column (34–49 ms against 8 ms
/// from the range, each of seven columns at once).
const STARTED_RANGE_LEADS: i64 = 5_000;

impl CardReach {
    async fn of(db: &Db, filter: &ParsedFilter) -> Result<CardReach, AppError> {
        let created = DayRange::created(filter, now_ms());
        let bounded = created.from.is_some() || created.before.is_some();
        let tag = searched_tag(filter);
        let (tags, created) = tokio::try_join!(page_reach(db, tag.as_ref()), async {
            if db.backend != Backend::Sqlite || !bounded || !created.whole_days() {
                return Ok(None);
            }
            // Every lead of the range, whoever may see it: a bound, enough to choose the shape.
            let mut sql = Sql::new(
                "SELECT CAST(COALESCE(SUM(leads), 0) AS BIGINT) FROM day_totals WHERE 1 = 1",
            );
            push_day_range(&mut sql, created, "day");
            let leads: i64 = sql.scalar(&db.pool).await?;
            Ok::<_, AppError>((leads <= STARTED_RANGE_LEADS).then_some(created))
        })?;
        Ok(CardReach { tags, created })
    }
}

/// `cards`, with how the page meets a tag's leads already known (the same for every column).
async fn cards_reached(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    reach: CardReach,
    stage: i64,
    after: Option<CardCursor>,
    limit: i64,
) -> Result<CardPage, AppError> {
    let limit = limit.clamp(1, 200);
    let now = now_ms();
    let mut sql = card_query(now);
    sql.push("l.stage_id = ").bind(stage);
    push_filter(&mut sql, db.backend, actor, filter, now, reach.tags);
    if let Some(range) = reach.created {
        // The same range again, as the ids SQLite starts from.
        sql.push(" AND l.id IN (SELECT d.id FROM leads d WHERE d.deleted_at IS NULL");
        push_day_range(&mut sql, range, "d.dateadded");
        sql.push(")");
    }
    if let Some(cursor) = after {
        sql.push(" AND (l.position > ").bind(cursor.position);
        sql.push(" OR (l.position = ")
            .bind(cursor.position)
            .push(" AND l.id > ")
            .bind(cursor.id)
            .push("))");
    }
    // One more than asked tells whether another page follows.
    sql.push(" ORDER BY l.position, l.id LIMIT ")
        .bind(limit + 1);
    let cards = read_cards(db, sql.fetch_all(&db.pool).await?, now).await?;
    Ok(paged(cards, limit))
}

/// The first page of every stage's cards for a word search, in one pass over its matches: each
/// stage's first cards by position, numbered per stage — where a query per stage would read
/// every match once for each column.
async fn first_pages_searched(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stages: &[Stage],
) -> Result<Vec<CardPage>, AppError> {
    let now = now_ms();
    let mut sql = card_query(now);
    let (from, filter) = leads_by_facets(&mut sql, db, actor, filter, &[Facet::Position]);
    sql.push(&format!(
        "{}SELECT id FROM (SELECT l.id, \
         ROW_NUMBER() OVER (PARTITION BY l.stage_id ORDER BY l.position, l.id) AS place \
         {from} JOIN stages s ON s.id = l.stage_id WHERE l.pipeline_id = ",
        db.few_ids()
    ))
    .bind(pipeline);
    push_filter(&mut sql, db.backend, actor, &filter, now, Reach::AllMatches);
    // One more than a page tells whether another page follows.
    sql.push(") AS placed WHERE place <= ")
        .bind(CARDS_PER_PAGE + 1)
        .push(db.few_ids_end())
        .push(" ORDER BY l.stage_id, l.position, l.id");
    let cards = read_cards(db, sql.fetch_all(&db.pool).await?, now).await?;
    let mut by_stage: std::collections::HashMap<i64, Vec<Card>> = std::collections::HashMap::new();
    for card in cards {
        by_stage.entry(card.stage_id).or_default().push(card);
    }
    Ok(stages
        .iter()
        .map(|stage| {
            paged(
                by_stage.remove(&stage.id).unwrap_or_default(),
                CARDS_PER_PAGE,
            )
        })
        .collect())
}

/// A column's page of `limit` cards, from the cards read in order: one more than `limit`
/// when another page follows.
fn paged(mut cards: Vec<Card>, limit: i64) -> CardPage {
    let more = cards.len() as i64 > limit;
    cards.truncate(limit as usize);
    let next = more
        .then(|| {
            cards.last().map(|c| CardCursor {
                position: c.position,
                id: c.id,
            })
        })
        .flatten();
    CardPage { cards, next }
}

/// A lead as a board of `pipeline` with `filter` should show it now (after a live event):
/// its card, or `None` when it is not on that board for this viewer.
pub async fn live_card(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    lead: i64,
) -> Result<LiveCard, AppError> {
    let now = now_ms();
    let mut sql = card_query(now);
    sql.push("l.id = ")
        .bind(lead)
        .push(" AND l.pipeline_id = ")
        .bind(pipeline);
    push_filter(&mut sql, db.backend, actor, filter, now, Reach::FirstPage); // one lead
    let row: Option<CardRow> = sql.fetch_optional(&db.pool).await?;
    let mut cards = read_cards(db, row.into_iter().collect(), now).await?;
    Ok(LiveCard {
        lead,
        card: cards.pop(),
    })
}

/// The cards of `rows` as shown at `now`, with their tags (one query for all of them).
async fn read_cards(db: &Db, rows: Vec<CardRow>, now: i64) -> Result<Vec<Card>, AppError> {
    let mut cards: Vec<Card> = rows.into_iter().map(|r| r.into_card(now)).collect();
    let ids: Vec<i64> = cards.iter().map(|c| c.id).collect();
    for (lead, tag) in super::leads::tags_by_lead(&db.pool, &ids).await? {
        if let Some(card) = cards.iter_mut().find(|c| c.id == lead) {
            card.tags.push(tag);
        }
    }
    Ok(cards)
}

/// Folds the appended tag totals every `every` while the server runs, so that summing one
/// tag's rows stays a sum over a few rows per bucket.
pub async fn keep_tag_totals_folded(db: Db, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = db.fold_tag_totals().await {
            tracing::warn!(%error, "folding the tag totals failed; retrying");
        }
    }
}
