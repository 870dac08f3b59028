//! The list view's reads: a sorted page of the leads the board's filters select (plus one
//! stage, if asked), its exact total, open leads per stage and the lost share — in the
//! reader's scope, with a constant number of queries per page.

use super::board::{
    kept_status, kept_totals, push_conditions, push_filter, push_kept_filter, Kept, Stalled,
};
use super::custom_fields::PageValues;
use super::db::{now_ms, Backend, Db, Sql};
use super::leads::tags_for;
use super::search::{
    page_reach, push_tag_names, rank_expression, ranked_matches, tag_only_matches, Reach, Search,
};
use super::settings;
use super::state::Actor;
use crate::error::AppError;
use crate::models::{
    parse_columns, CustomField, CustomFieldKind, ListColumn, ListPage, ListQuery, ListRow,
    ManagedList, ParsedFilter, SortKey, Stage, StageCount, TrashPage, TrashedLead,
};
use sqlx::FromRow;

#[derive(FromRow)]
struct Row {
    id: i64,
    name: String,
    company: Option<String>,
    email: Option<String>,
    phonenumber: Option<String>,
    stage_id: i64,
    stage_name: String,
    stage_color: String,
    assigned: Option<i64>,
    assigned_name: Option<String>,
    source_name: Option<String>,
    lead_value: Option<i64>,
    lastcontact: Option<i64>,
    dateadded: i64,
    next_action: Option<String>,
    next_action_at: Option<i64>,
    in_stage_since: i64,
    lost: i64,
    junk: i64,
    version: i64,
    /// Which of the sort's runs the row came from.
    sort_run: i64,
}

/// `FROM … WHERE` for the selected leads of `pipeline` (without their status when `any_status`).
fn selected(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
    any_status: bool,
    select: &str,
) -> Sql {
    selected_after("", db, actor, filter, pipeline, stage, any_status, select)
}

/// `selected` behind `head` (e.g. `INSERT INTO … ` to copy the selection set-wise).
#[allow(clippy::too_many_arguments)]
fn selected_after(
    head: &str,
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
    any_status: bool,
    select: &str,
) -> Sql {
    let mut sql = Sql::new(head);
    push_selected(
        &mut sql,
        db,
        actor,
        filter,
        pipeline,
        stage,
        any_status,
        select,
        "",
        Reach::AllMatches,
        "leads l",
    );
    sql
}

/// Appends `SELECT {select} FROM {leads} … {join} WHERE …` for the selected leads to `sql`
/// (`leads`: `leads l`, with an index to walk named or not).
#[allow(clippy::too_many_arguments)]
fn push_selected(
    sql: &mut Sql,
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
    any_status: bool,
    select: &str,
    join: &str,
    reach: Reach,
    leads: &str,
) {
    sql.push(&format!(
        "SELECT {select} FROM {leads} {ROW_JOINS}{join} WHERE l.pipeline_id = "
    ));
    sql.bind(pipeline);
    let now = now_ms();
    if any_status {
        push_conditions(sql, db.backend, actor, filter, now, reach);
    } else {
        push_filter(sql, db.backend, actor, filter, now, reach);
    }
    if let Some(stage) = stage {
        sql.push(" AND l.stage_id = ").bind(stage);
    }
}

/// One stretch of a sort's order: the selected leads that match `condition`, by `expression`
/// (or by id alone) in the sort's direction, ties by id. A sort is its runs one after
/// another — leads with a value, then those without; or one stage, assignee or source after
/// another, in the order of their names — so that each run walks one index in one direction
/// (migration 0011) and stops after the page, instead of sorting every selected lead.
struct Run {
    condition: String,
    expression: Option<String>,
    /// What the run selects as its `sort_value`: of one type in every run of a sort (a run of
    /// empty values selects the empty column itself, not an untyped NULL).
    value: String,
    /// A table the expression reads, joined to the leads (the full-text matches' ranks, a
    /// custom field's values).
    join: String,
    /// The lead's id as the run's order ends with it (ties): `l.id`, or the joined table's
    /// copy of it when that table's index holds the order.
    tie: &'static str,
}

impl Run {
    /// The leads that match `condition`, by id alone.
    fn when(condition: String) -> Run {
        Run {
            condition,
            expression: None,
            value: "NULL".into(),
            join: String::new(),
            tie: "l.id",
        }
    }

    fn all_by(expression: &str) -> Vec<Run> {
        vec![Run {
            condition: "1 = 1".into(),
            expression: Some(expression.into()),
            value: expression.into(),
            join: String::new(),
            tie: "l.id",
        }]
    }

    /// The leads with a value by that value, then the leads without one (empty values last,
    /// whichever the direction).
    fn valued(expression: &str) -> Vec<Run> {
        vec![
            Run {
                condition: format!("{expression} IS NOT NULL"),
                expression: Some(expression.into()),
                value: expression.into(),
                join: String::new(),
                tie: "l.id",
            },
            // Ordered by the (empty) expression too, so that the run walks the empty end of
            // the expression's index in id order. For an expression index (`LOWER(l.email)`)
            // PostgreSQL guesses that 0.5 % of the leads are empty, and for `ORDER BY l.id`
            // alone walked every lead by id looking for them (0.9 s at a million leads).
            Run {
                condition: format!("{expression} IS NULL"),
                expression: Some(expression.into()),
                value: expression.into(),
                join: String::new(),
                tie: "l.id",
            },
        ]
    }

    /// One run per id of `column`, in the given order (reversed for a descending sort), then
    /// the leads without one.
    fn each(column: &str, ids: Vec<i64>, desc: bool, empty_last: bool) -> Vec<Run> {
        let mut runs: Vec<Run> = ids
            .into_iter()
            .map(|id| Run::when(format!("{column} = {id}")))
            .collect();
        if desc {
            runs.reverse();
        }
        if empty_last {
            runs.push(Run::when(format!("{column} IS NULL")));
        }
        runs
    }

    /// The leads with a value of `field`, by it — joined to the values, so that the run walks
    /// the index of the field's values in order (a number's by amount: 900 before 1200) —
    /// then the leads without one.
    fn by_field(backend: Backend, field: &CustomField) -> Vec<Run> {
        let id = field.id;
        let (value, empty) = match (field.kind, backend) {
            (CustomFieldKind::Number, Backend::Sqlite) => ("sv.number_value", "CAST(NULL AS REAL)"),
            (CustomFieldKind::Number, Backend::Postgres) => {
                ("sv.number_value", "CAST(NULL AS DOUBLE PRECISION)")
            }
            _ => ("sv.value", "CAST(NULL AS TEXT)"),
        };
        vec![
            Run {
                // Names the number index's condition, so that the planner may walk it.
                condition: format!("{value} IS NOT NULL"),
                expression: Some(value.into()),
                value: value.into(),
                join: format!(
                    " JOIN lead_custom_values sv ON sv.lead_id = l.id AND sv.field_id = {id}"
                ),
                tie: "sv.lead_id",
            },
            Run {
                condition: format!(
                    "NOT EXISTS (SELECT 1 FROM lead_custom_values sv \
                     WHERE sv.lead_id = l.id AND sv.field_id = {id})"
                ),
                expression: None,
                value: empty.into(),
                join: String::new(),
                tie: "l.id",
            },
        ]
    }

    /// The leads whose first tag (A–Z, case aside) is each of `names` — given in that order,
    /// each with the ids of the tags that share it — one run each, walking the tag's index in
    /// lead order and skipping the leads that carry a tag named earlier; then, if `untagged`,
    /// the untagged.
    fn by_first_tag(names: &[Vec<i64>], desc: bool, untagged: bool) -> Vec<Run> {
        // Tag ids as SQL text (numbers only) for an `IN (…)`.
        let listed = |ids: &[Vec<i64>]| {
            let ids: Vec<String> = ids.iter().flatten().map(i64::to_string).collect();
            ids.join(", ")
        };
        let mut runs: Vec<Run> = names
            .iter()
            .enumerate()
            .map(|(i, ids)| {
                let earlier = match listed(&names[..i]) {
                    before if before.is_empty() => "1 = 1".to_string(),
                    before => format!(
                        "NOT EXISTS (SELECT 1 FROM lead_tags e WHERE e.lead_id = l.id \
                         AND e.tag_id IN ({before}))"
                    ),
                };
                match &ids[..] {
                    [id] => Run {
                        condition: earlier,
                        expression: None,
                        value: "NULL".into(),
                        join: format!(
                            " JOIN lead_tags st ON st.lead_id = l.id AND st.tag_id = {id}"
                        ),
                        tie: "st.lead_id",
                    },
                    // Tags differing in case only (rare): a lead may carry several of them.
                    _ => Run::when(format!(
                        "l.id IN (SELECT lead_id FROM lead_tags WHERE tag_id IN ({})) \
                         AND {earlier}",
                        listed(std::slice::from_ref(ids))
                    )),
                }
            })
            .collect();
        if desc {
            runs.reverse();
        }
        if untagged {
            runs.push(Run::when(
                "NOT EXISTS (SELECT 1 FROM lead_tags e WHERE e.lead_id = l.id)".into(),
            ));
        }
        runs
    }
}

/// The lead's (`l`) first tag in A–Z order, case aside; NULL for an untagged lead.
const FIRST_TAG: &str =
    "(SELECT MIN(LOWER(t.name)) FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id \
    WHERE lt.lead_id = l.id)";

/// Up to this many tag names in use, a sort by tags is one run per name; past it (where the query
/// would grow too long for SQLite's compound selects), the first tag is found per lead.
const TAG_RUNS_MAX: usize = 200;

/// The runs of a sort and the direction inside them.
struct Sorted {
    runs: Vec<Run>,
    desc: bool,
    /// The runs find the searched words themselves (the selection leaves them out).
    find_words: bool,
    /// The first run reads only the first `probe` matches (see `ranked_matches`).
    probed: bool,
    /// The index of `leads` whose order the runs follow, where one does (see `walk_pays`).
    index: Option<&'static str>,
}

impl Sorted {
    fn by(runs: Vec<Run>, desc: bool) -> Sorted {
        Sorted {
            runs,
            desc,
            find_words: false,
            probed: false,
            index: None,
        }
    }

    fn walking(self, index: &'static str) -> Sorted {
        Sorted {
            index: Some(index),
            ..self
        }
    }
}

/// The runs of `sort` (binding into `sql` what they need); `stages` are the pipeline's stages
/// in order; `probe` bounds a ranked search's matches.
async fn runs(
    db: &Db,
    sql: &mut Sql,
    sort: SortKey,
    desc: bool,
    filter: &ParsedFilter,
    stages: &[Stage],
    probe: Option<i64>,
) -> Result<Sorted, AppError> {
    let ids = |query: &'static str| sqlx::query_scalar::<_, i64>(query);
    let words = match filter.text.as_deref().and_then(Search::parse) {
        Some(Search::Words(words)) => Some(words),
        _ => None,
    };
    Ok(match sort {
        // Best first, ties newest first; without words to rank by, newest first.
        // The ranked matches, then the leads only a tag found — or, where the database ranks
        // better by it, every match's rank as an expression.
        SortKey::Relevance => match words {
            Some(words) => match ranked_matches(sql, db.backend, &words, probe) {
                Some(join) => {
                    let ranked = Run {
                        condition: "1 = 1".into(),
                        expression: Some("m.match_rank".into()),
                        value: "m.match_rank".into(),
                        join,
                        tie: "m.match_id",
                    };
                    // Rank 0, typed as the ranks are (an untyped NULL is text to PostgreSQL).
                    let tagged = Run {
                        value: "0".into(),
                        ..Run::when(tag_only_matches(sql, db.backend, &words))
                    };
                    Sorted {
                        runs: vec![ranked, tagged],
                        desc: true,
                        find_words: true,
                        probed: probe.is_some(),
                        index: None,
                    }
                }
                None => Sorted::by(Run::all_by(&rank_expression(sql, &words)), true),
            },
            None => Sorted::by(Run::all_by("l.dateadded"), true).walking("leads_dateadded"),
        },
        // Text case aside, as people read a list ("alice" beside "Alice", not after "Zoe").
        SortKey::Name => Sorted::by(Run::all_by("LOWER(l.name)"), desc).walking("leads_sort_name"),
        SortKey::Created => Sorted::by(Run::all_by("l.dateadded"), desc).walking("leads_dateadded"),
        // Longest in stage first is the earliest stage change first.
        SortKey::TimeInStage => Sorted::by(
            Run::all_by("COALESCE(l.last_status_change, l.dateadded)"),
            !desc,
        )
        .walking("leads_sort_in_stage"),
        SortKey::Company => {
            Sorted::by(Run::valued("LOWER(l.company)"), desc).walking("leads_sort_company")
        }
        SortKey::Email => {
            Sorted::by(Run::valued("LOWER(l.email)"), desc).walking("leads_sort_email")
        }
        SortKey::Phone => Sorted::by(Run::valued("l.phonenumber"), desc).walking("leads_phone"),
        // A lead's tags read A–Z, by the first: the leads of one tag after another.
        SortKey::Tags => Sorted::by(tag_runs(db, filter, desc).await?, desc),
        SortKey::Value => Sorted::by(Run::valued("l.lead_value"), desc).walking("leads_sort_value"),
        SortKey::LastContact => {
            Sorted::by(Run::valued("l.lastcontact"), desc).walking("leads_sort_lastcontact")
        }
        SortKey::NextAction => {
            Sorted::by(Run::valued("l.next_action_at"), desc).walking("leads_sort_next_action")
        }
        SortKey::Stage => {
            let stages = stages.iter().map(|stage| stage.id).collect();
            Sorted::by(Run::each("l.stage_id", stages, desc, false), desc)
        }
        SortKey::Assigned => {
            let users = ids("SELECT id FROM users ORDER BY name, id")
                .fetch_all(&db.pool)
                .await?;
            Sorted::by(Run::each("l.assigned", users, desc, true), desc)
        }
        SortKey::Source => {
            let sources = ids("SELECT id FROM sources ORDER BY name, id")
                .fetch_all(&db.pool)
                .await?;
            Sorted::by(Run::each("l.source_id", sources, desc, true), desc)
        }
        SortKey::Field(id) => {
            let fields = super::custom_fields::definitions(&db.pool).await?;
            match fields.iter().find(|field| field.id == id) {
                Some(field) => Sorted::by(Run::by_field(db.backend, field), desc),
                // A field deleted since the link was made: newest first.
                None => Sorted::by(Run::all_by("l.dateadded"), true),
            }
        }
    })
}

/// The runs of a sort by tags: one per tag name in use (at most `TAG_RUNS_MAX`), A–Z, then
/// the untagged.
async fn tag_runs(db: &Db, filter: &ParsedFilter, desc: bool) -> Result<Vec<Run>, AppError> {
    // With a tag filter, which tags it names: a lead carrying one of them has its first
    // tag at or before the last of them, and a tag.
    let filtered = super::board::searched_tag(filter);
    let mut tags = Sql::new("SELECT t.id, LOWER(t.name) AS name, ");
    match &filtered {
        Some(Search::Tags(names)) => {
            tags.push("CASE WHEN ");
            push_tag_names(&mut tags, names);
            tags.push(" THEN 1 ELSE 0 END")
        }
        _ => tags.push("0"),
    };
    tags.push(
        " AS filtered FROM tags t \
         WHERE EXISTS (SELECT 1 FROM lead_tags lt WHERE lt.tag_id = t.id) \
         ORDER BY LOWER(t.name), t.id",
    );
    let tags: Vec<(i64, String, i64)> = tags.fetch_all(&db.pool).await?;
    // One run per name, with the ids that share it and whether the filter names it.
    let mut names: Vec<(String, Vec<i64>, bool)> = Vec::new();
    for (id, name, named) in tags {
        match names.last_mut() {
            Some((last, ids, any)) if *last == name => {
                ids.push(id);
                *any |= named == 1;
            }
            _ => names.push((name, vec![id], named == 1)),
        }
    }
    if filtered.is_some() {
        let last = names.iter().rposition(|(_, _, named)| *named);
        names.truncate(last.map_or(0, |i| i + 1));
    }
    Ok(if names.is_empty() || names.len() > TAG_RUNS_MAX {
        Run::valued(FIRST_TAG)
    } else {
        let names: Vec<Vec<i64>> = names.into_iter().map(|(_, ids, _)| ids).collect();
        Run::by_first_tag(&names, desc, filtered.is_none())
    })
}

/// The tables a lead's (`l`) row and the filters read besides the lead.
const ROW_JOINS: &str = "JOIN stages s ON s.id = l.stage_id \
    LEFT JOIN users u ON u.id = l.assigned LEFT JOIN sources src ON src.id = l.source_id";

/// The list's columns of a lead row.
const ROW_COLUMNS: &str = "l.id, l.name, l.company, l.email, l.phonenumber, l.stage_id, \
    s.name AS stage_name, s.color AS stage_color, l.assigned, u.name AS assigned_name, \
    src.name AS source_name, l.lead_value, l.lastcontact, l.dateadded, l.next_action, \
    l.next_action_at, COALESCE(l.last_status_change, l.dateadded) AS in_stage_since, l.lost, l.junk, \
    l.version";

/// Matches a ranked search reads at least, before filtering them: with the
/// list's own filters most matches pass, so a page is found among the best few hundred.
const RANK_PROBE: i64 = 500;

/// Rows `offset..offset + limit` of the selected leads in the order of `sort`: the first
/// `offset + limit` of each run, put in order and cut to the page — as ids and sort values
/// only; the page's own rows are read afterwards (a deep page does not build thousands).
/// With `probe`, a ranked search reads only its best matches (`RANK_PROBE`, or four
/// times the rows up to the page's end) and says so (the `bool`); `page` reads it again
/// without the bound when the matches read turn out too few.
#[allow(clippy::too_many_arguments)]
async fn sorted_rows(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stages: &[Stage],
    stage: Option<i64>,
    sort: SortKey,
    desc: bool,
    offset: i64,
    limit: i64,
    probe: bool,
) -> Result<(Vec<Row>, bool), AppError> {
    let reach = page_reach(db, super::board::searched_tag(filter).as_ref()).await?;
    let mut sql = Sql::new(&format!(
        "SELECT {ROW_COLUMNS}, p.sort_run FROM (SELECT sort_run, sort_value, id FROM ("
    ));
    let probe = probe.then(|| RANK_PROBE.max(4 * (offset + limit)));
    let sorted = runs(db, &mut sql, sort, desc, filter, stages, probe).await?;
    let unsearched;
    let selection = if sorted.find_words {
        unsearched = ParsedFilter {
            text: None,
            ..filter.clone()
        };
        &unsearched
    } else {
        filter
    };
    let leads = match sorted.index {
        Some(index) if walk_pays(db, actor, filter, pipeline, stage, offset + limit).await? => {
            format!("leads l INDEXED BY {index}")
        }
        _ => "leads l".to_string(),
    };
    let direction = if sorted.desc { "DESC" } else { "ASC" };
    for (i, run) in sorted.runs.iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        let value = &run.value;
        sql.push("SELECT * FROM (");
        push_selected(
            &mut sql,
            db,
            actor,
            selection,
            pipeline,
            stage,
            false,
            &format!("CAST({i} AS BIGINT) AS sort_run, {value} AS sort_value, l.id AS id"),
            &run.join,
            reach,
            &leads,
        );
        sql.push(" AND ").push(&run.condition).push(" ORDER BY ");
        if let Some(expression) = &run.expression {
            sql.push(&format!("{expression} {direction}, "));
        }
        sql.push(&format!("{} {direction} LIMIT ", run.tie))
            .bind(offset + limit)
            .push(&format!(") AS run{i}"));
    }
    sql.push(&format!(
        ") AS runs ORDER BY sort_run, sort_value {direction}, id {direction} LIMIT "
    ))
    .bind(limit)
    .push(" OFFSET ")
    .bind(offset)
    .push(&format!(
        ") AS p JOIN leads l ON l.id = p.id {ROW_JOINS} \
         ORDER BY p.sort_run, p.sort_value {direction}, p.id {direction}"
    ));
    Ok((sql.fetch_all(&db.pool).await?, sorted.probed))
}

/// SQLite: whether a page of a sort is found sooner by walking the sort's index (`INDEXED BY`)
/// than by SQLite's own plan. Given an owner, source or stage to narrow by, SQLite reads every
/// lead of it through that column's index and sorts them all, even for a page of 25: an owner
/// with 142k of a million leads, 240–400 ms a page. Walking the sort's index and testing each
/// lead reads about `rows` × live ÷ selected entries before the page is full, where the other
/// way reads all selected leads; an entry walked costs about 1.5 leads read the other way (a
/// table row fetched to test it, at a million leads: 4.3 against 2.8 µs). The walk pays, with
/// room to spare, when 2 × `rows` × live < selected². The counts come from the kept totals, so
/// only filters they answer walk (owner, visibility, source, status, stage); PostgreSQL weighs
/// both ways by itself.
async fn walk_pays(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
    rows: i64,
) -> Result<bool, AppError> {
    if db.backend != Backend::Sqlite
        || filter.stalled
        || !matches!(kept_totals(db, actor, filter).await?, Some(Kept::Stages))
    {
        return Ok(false);
    }
    let mut sql = Sql::new("SELECT CAST(COALESCE(SUM(CASE WHEN s.pipeline_id = ");
    sql.bind(pipeline)
        .push(" AND t.status = ")
        .bind(kept_status(filter.status));
    if let Some(stage) = stage {
        sql.push(" AND t.stage_id = ").bind(stage);
    }
    push_kept_filter(&mut sql, actor, filter, "t");
    sql.push(
        " THEN t.leads ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(t.leads), 0) AS BIGINT) \
         FROM stage_totals t JOIN stages s ON s.id = t.stage_id",
    );
    let (selected, live): (i64, i64) = sql.fetch_one(&db.pool).await?;
    Ok(2 * i128::from(rows) * i128::from(live) < i128::from(selected) * i128::from(selected))
}

/// The list page for `query`, `per_page` rows a page, with the columns the reader picked
/// (`columns` as remembered, see `parse_columns`; `None`: the default ones).
pub async fn page(
    db: &Db,
    actor: &Actor,
    query: &ListQuery,
    per_page: i64,
    columns: Option<&str>,
) -> Result<ListPage, AppError> {
    let filter = query.filter.parse(actor.locale)?;
    let pipeline = settings::board_pipeline(db, filter.pipeline).await?;
    let per_page = per_page.clamp(1, 100);

    let stages = settings::stages_of(db, pipeline).await?;
    let rows_of = |page: i64, probe: bool| {
        sorted_rows(
            db,
            actor,
            &filter,
            pipeline,
            &stages,
            query.stage,
            query.sort,
            query.desc,
            (page - 1) * per_page,
            per_page,
            probe,
        )
    };
    // The counts and the asked-for page on two connections at once; a page past the end is
    // read again as the last page once the total says where that is. A probed search's page
    // holds the right rows if it is full of ranked matches (those read are the best ones);
    // short of the total, or reaching the leads only a tag found, it is read unprobed.
    let asked = query.page.max(1);
    let (counts, (mut rows, probed)) = tokio::try_join!(
        counts(db, actor, &filter, pipeline, &stages, query.stage),
        rows_of(asked, true),
    )?;
    let total = counts.total;
    let page = asked.min(((total + per_page - 1) / per_page).max(1));
    let due = per_page.min(total - (page - 1) * per_page).max(0);
    let incomplete =
        probed && ((rows.len() as i64) < due || rows.iter().any(|row| row.sort_run > 0));
    if page != asked || incomplete {
        rows = rows_of(page, false).await?.0;
    }

    let summary = stages
        .into_iter()
        .map(|stage| StageCount {
            leads: counts
                .by_stage
                .iter()
                .find(|(id, _)| *id == stage.id)
                .map_or(0, |(_, n)| *n),
            stage_id: stage.id,
            name: stage.name,
            color: stage.color,
        })
        .collect();
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let (tags, mut custom_offered, users, pipelines, sources, lost_reasons) = tokio::try_join!(
        super::leads::tags_by_lead(&db.pool, &ids),
        super::custom_fields::definitions(&db.pool),
        super::users::active_names(db),
        settings::pipeline_choices(db),
        settings::choices(db, ManagedList::Sources),
        settings::choices(db, ManagedList::LostReasons),
    )?;
    custom_offered.retain(|field| field.show_in_list);
    let (columns, custom_picked) = columns.and_then(parse_columns).unwrap_or_else(|| {
        let every_offered = custom_offered.iter().map(|field| field.id).collect();
        (ListColumn::DEFAULT.to_vec(), every_offered)
    });
    let custom_columns: Vec<_> = custom_offered
        .iter()
        .filter(|field| custom_picked.contains(&field.id))
        .cloned()
        .collect();
    let values = PageValues::read(db, &custom_columns, &ids).await?;
    let rows = rows
        .into_iter()
        .map(|row| ListRow {
            tags: tags_for(&tags, row.id),
            custom: values.shown(&custom_columns, row.id, actor.locale),
            id: row.id,
            name: row.name,
            company: row.company,
            email: row.email,
            phonenumber: row.phonenumber,
            stage_id: row.stage_id,
            stage_name: row.stage_name,
            stage_color: row.stage_color,
            assigned: row.assigned,
            assigned_name: row.assigned_name,
            source_name: row.source_name,
            lead_value: row.lead_value,
            lastcontact: row.lastcontact,
            dateadded: row.dateadded,
            next_action: row.next_action,
            next_action_at: row.next_action_at,
            in_stage_since: row.in_stage_since,
            lost: row.lost == 1,
            junk: row.junk == 1,
            version: row.version,
        })
        .collect();
    Ok(ListPage {
        rows,
        total,
        page,
        per_page,
        summary,
        lost: counts.lost,
        all: counts.all,
        columns,
        custom_columns,
        custom_offered,
        me: actor.user_id,
        pipelines,
        pipeline,
        users,
        sources,
        lost_reasons,
    })
}

/// How many leads the list selects: in all, per stage, and how many of them (whatever their
/// status) are lost, of how many.
struct Counts {
    total: i64,
    by_stage: Vec<(i64, i64)>,
    lost: i64,
    all: i64,
}

/// The list's counts: read from the kept stage totals when the filters allow (a few rows
/// instead of a pass over every lead), else counted over the selected leads.
async fn counts(
    db: &Db,
    actor: &Actor,
    filter: &ParsedFilter,
    pipeline: i64,
    stages: &[Stage],
    stage: Option<i64>,
) -> Result<Counts, AppError> {
    use crate::models::LeadStatus;
    let in_stage = |id: i64| stage.is_none_or(|stage| stage == id);
    if let Some(kept) = super::board::kept_totals(db, actor, filter).await? {
        // Every status's counts from the same kept rows, in one query: (stage, status, leads).
        let kept: Vec<(i64, i64, i64)> = if filter.stalled {
            // Only open leads stall: the open columns, less their recent activity, are all.
            let open = ParsedFilter {
                status: LeadStatus::Open,
                ..filter.clone()
            };
            let columns = super::board::columns_from(
                db,
                actor,
                &open,
                Some(kept),
                pipeline,
                Stalled::Skipped,
            )
            .await?;
            columns
                .iter()
                .map(|c| (c.stage_id, kept_status(LeadStatus::Open), c.leads))
                .collect()
        } else {
            super::board::kept_leads_by_status(db, actor, filter, &kept, pipeline).await?
        };
        let sum = |status: Option<LeadStatus>| -> i64 {
            kept.iter()
                .filter(|(stage, code, _)| {
                    in_stage(*stage) && status.is_none_or(|s| kept_status(s) == *code)
                })
                .map(|(_, _, leads)| leads)
                .sum()
        };
        let shown = kept_status(filter.status);
        let by_stage = stages
            .iter()
            .map(|stage| {
                let leads = kept
                    .iter()
                    .filter(|(id, code, _)| *id == stage.id && *code == shown)
                    .map(|(_, _, leads)| leads)
                    .sum();
                (stage.id, leads)
            })
            .collect();
        return Ok(Counts {
            total: sum(Some(filter.status)),
            by_stage,
            lost: sum(Some(LeadStatus::Lost)),
            all: sum(None),
        });
    }
    // One pass over the selected leads of every status serves every count, each an aggregate
    // of its own (a GROUP BY would have SQLite sort the matches first).
    let mut sql = Sql::new("SELECT ");
    let shown = super::board::status_condition(filter.status);
    let in_stage = match stage {
        Some(stage) => format!("l.stage_id = {}", sql.placeholder(stage)),
        None => "1 = 1".into(),
    };
    sql.push(&format!(
        "COUNT(*) FILTER (WHERE {in_stage}), \
         COUNT(*) FILTER (WHERE {in_stage} AND l.lost = 1), \
         COUNT(*) FILTER (WHERE {in_stage} AND {shown})"
    ));
    for stage in stages {
        let id = sql.placeholder(stage.id);
        sql.push(&format!(
            ", COUNT(*) FILTER (WHERE l.stage_id = {id} AND {shown})"
        ));
    }
    let (from, filter) = super::board::leads_by_facets(&mut sql, db, actor, filter, &[]);
    sql.push(&format!(
        " {from} JOIN stages s ON s.id = l.stage_id WHERE l.pipeline_id = "
    ))
    .bind(pipeline);
    push_conditions(
        &mut sql,
        db.backend,
        actor,
        &filter,
        now_ms(),
        Reach::AllMatches,
    );
    let counted = sql.integers(&db.pool).await?;
    let [all, lost, total] = counted[..3] else {
        unreachable!("three counts precede the stages'")
    };
    Ok(Counts {
        total,
        by_stage: stages
            .iter()
            .map(|stage| stage.id)
            .zip(counted[3..].iter().copied())
            .collect(),
        lost,
        all,
    })
}

/// `{head}SELECT {select} FROM … WHERE …` over every lead the list for `query` selects, on
/// every page (a bulk action's "all N matching"); more conditions may be appended.
pub(super) async fn matching(
    db: &Db,
    actor: &Actor,
    query: &ListQuery,
    head: &str,
    select: &str,
) -> Result<Sql, AppError> {
    let filter = query.filter.parse(actor.locale)?;
    let pipeline = settings::board_pipeline(db, filter.pipeline).await?;
    Ok(selected_after(
        head,
        db,
        actor,
        &filter,
        pipeline,
        query.stage,
        false,
        select,
    ))
}

#[derive(FromRow)]
struct TrashedRow {
    id: i64,
    name: String,
    company: Option<String>,
    stage_name: String,
    stage_color: String,
    assigned_name: Option<String>,
    deleted_at: i64,
    deleted_by: Option<String>,
}

/// The trash: deleted leads the actor may see, most recently deleted first, a page at a time.
pub async fn trash(db: &Db, actor: &Actor, page: i64) -> Result<TrashPage, AppError> {
    const PER_PAGE: i64 = 50;
    let from = |select: &str| {
        let mut sql = Sql::new(&format!(
            "SELECT {select} FROM leads l JOIN stages s ON s.id = l.stage_id \
             LEFT JOIN users u ON u.id = l.assigned WHERE l.deleted_at IS NOT NULL"
        ));
        super::leads::push_scope(&mut sql, actor);
        sql
    };
    let total: i64 = from("COUNT(*)").scalar(&db.pool).await?;
    let page = page.clamp(1, ((total + PER_PAGE - 1) / PER_PAGE).max(1));
    let mut rows = from(
        "l.id, l.name, l.company, s.name AS stage_name, s.color AS stage_color, \
         u.name AS assigned_name, l.deleted_at, \
         (SELECT d.name FROM activities a JOIN users d ON d.id = a.user_id \
          WHERE a.lead_id = l.id AND a.event = 'deleted' ORDER BY a.id DESC LIMIT 1) AS deleted_by",
    );
    rows.push(" ORDER BY l.deleted_at DESC, l.id DESC LIMIT ")
        .bind(PER_PAGE)
        .push(" OFFSET ")
        .bind((page - 1) * PER_PAGE);
    let rows: Vec<TrashedRow> = rows.fetch_all(&db.pool).await?;
    Ok(TrashPage {
        rows: rows
            .into_iter()
            .map(|row| TrashedLead {
                id: row.id,
                name: row.name,
                company: row.company,
                stage_name: row.stage_name,
                stage_color: row.stage_color,
                assigned_name: row.assigned_name,
                deleted_at: row.deleted_at,
                deleted_by: row.deleted_by,
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
        can_purge: actor.is_admin(),
    })
}

/// What an export of the list writes: the checked filters, the pipeline, the stage, and the
/// custom fields (one column each).
pub struct ExportPlan {
    filter: ParsedFilter,
    pipeline: i64,
    stage: Option<i64>,
    /// Only these leads (rows ticked in the list), when any.
    ids: Vec<i64>,
    pub fields: Vec<crate::models::CustomField>,
}

/// One exported lead.
#[derive(FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phonenumber: Option<String>,
    pub website: Option<String>,
    pub stage_name: String,
    pub assigned_name: Option<String>,
    pub source_name: Option<String>,
    pub lead_value: Option<i64>,
    pub lost: i64,
    pub junk: i64,
    pub lastcontact: Option<i64>,
    pub dateadded: i64,
    pub next_action: Option<String>,
    pub next_action_at: Option<i64>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
}

/// A chunk of exported leads with their tags and custom values (in `plan.fields` order).
pub struct ExportChunk {
    pub rows: Vec<(ExportRow, Vec<String>, Vec<String>)>,
    /// Where the next chunk starts (`None`: this was the last).
    pub next: Option<i64>,
}

/// Checks the list's filters for an export (of only the leads `ids`, when not empty).
pub async fn export_plan(
    db: &Db,
    actor: &Actor,
    query: &ListQuery,
    ids: Vec<i64>,
) -> Result<ExportPlan, AppError> {
    crate::models::check_picked("ids", ids.len(), actor.locale)?;
    let filter = query.filter.parse(actor.locale)?;
    let pipeline = settings::board_pipeline(db, filter.pipeline).await?;
    Ok(ExportPlan {
        filter,
        pipeline,
        stage: query.stage,
        ids,
        fields: super::custom_fields::definitions(&db.pool).await?,
    })
}

/// Up to `limit` of the leads the list selects, newest first, older than `before` (keyset:
/// every chunk costs the same, so an export of any size streams in constant memory).
pub async fn export_chunk(
    db: &Db,
    actor: &Actor,
    plan: &ExportPlan,
    before: Option<i64>,
    limit: i64,
) -> Result<ExportChunk, AppError> {
    let mut sql = selected(
        db,
        actor,
        &plan.filter,
        plan.pipeline,
        plan.stage,
        false,
        "l.id, l.name, l.title, l.company, l.email, l.phonenumber, l.website, s.name AS stage_name, \
         u.name AS assigned_name, src.name AS source_name, l.lead_value, l.lost, l.junk, l.lastcontact, \
         l.dateadded, l.next_action, l.next_action_at, l.address, l.city, l.state, l.zip, l.country",
    );
    if !plan.ids.is_empty() {
        sql.push(" AND l.id IN ").push_ids(&plan.ids);
    }
    if let Some(before) = before {
        sql.push(" AND l.id < ").bind(before);
    }
    sql.push(" ORDER BY l.id DESC LIMIT ").bind(limit);
    let rows: Vec<ExportRow> = sql.fetch_all(&db.pool).await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let tags = super::leads::tags_by_lead(&db.pool, &ids).await?;
    let values = PageValues::read(db, &plan.fields, &ids).await?;
    let next = (rows.len() as i64 == limit)
        .then(|| ids.last().copied())
        .flatten();
    let rows = rows
        .into_iter()
        .map(|row| {
            let own_tags = tags_for(&tags, row.id);
            let custom = values.shown(&plan.fields, row.id, actor.locale);
            (row, own_tags, custom)
        })
        .collect();
    Ok(ExportChunk { rows, next })
}
