//! The search box's words as an indexed full-text condition, on either database: SQLite's
//! FTS5 table `leads_search`, PostgreSQL's GIN index over `leadline_search_vector(…)` (both
//! created by migration 0003). Never a `LIKE '%q%'` scan over the leads.

use super::db::{Backend, Db, Sql};
use crate::error::AppError;

/// Diacritics folded away, the same table as `leadline_search_vector` in the PostgreSQL
/// migration (SQLite's tokenizer folds them itself).
const FOLDS: &[(char, char)] = &[
    ('ă', 'a'),
    ('â', 'a'),
    ('î', 'i'),
    ('ș', 's'),
    ('ş', 's'),
    ('ț', 't'),
    ('ţ', 't'),
    ('á', 'a'),
    ('à', 'a'),
    ('ä', 'a'),
    ('ã', 'a'),
    ('å', 'a'),
    ('é', 'e'),
    ('è', 'e'),
    ('ë', 'e'),
    ('ê', 'e'),
    ('í', 'i'),
    ('ì', 'i'),
    ('ï', 'i'),
    ('ó', 'o'),
    ('ò', 'o'),
    ('ö', 'o'),
    ('ô', 'o'),
    ('õ', 'o'),
    ('ő', 'o'),
    ('ú', 'u'),
    ('ù', 'u'),
    ('ü', 'u'),
    ('û', 'u'),
    ('ű', 'u'),
    ('ç', 'c'),
    ('ñ', 'n'),
    ('ý', 'y'),
    ('ÿ', 'y'),
];
const MAX_WORDS: usize = 8;
const MAX_WORD: usize = 60;

/// What a search box asked for: words that must all match (the last one as a prefix, for
/// results as you type), or with a leading `#`, one tag by its exact name. The tag filter
/// asks for leads carrying any of several tags.
#[derive(Debug, Clone, PartialEq)]
pub enum Search {
    Words(Vec<String>),
    Tags(Vec<String>),
}

impl Search {
    /// `None` when the box holds nothing searchable (blank, or only punctuation).
    pub fn parse(raw: &str) -> Option<Search> {
        let raw = raw.trim();
        if let Some(tag) = raw.strip_prefix('#') {
            let tag = tag.trim();
            return (!tag.is_empty()).then(|| Search::Tags(vec![tag.to_string()]));
        }
        let words: Vec<String> = fold(raw)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(|w| w.chars().take(MAX_WORD).collect())
            .collect();
        (!words.is_empty()).then_some(Search::Words(words))
    }
}

fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| {
            FOLDS
                .iter()
                .find(|(from, _)| *from == c)
                .map_or(c, |(_, to)| *to)
        })
        .collect()
}

/// How a query meets a search's matches. It decides the shape of a tag's condition, which
/// SQLite's planner follows: it starts from the leads of an `IN` list, and tests an `EXISTS`
/// on each row it walks (PostgreSQL plans both alike).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every match is read (counts, totals, selections): start from the tag's leads.
    AllMatches,
    /// An ordered walk that stops after a page (cards, API pages): test each lead it reaches,
    /// instead of reading a big tag's 100k leads to sort them.
    FirstPage,
}

/// Leads a tag needs before a page walks the page's order testing each lead (`FirstPage`)
/// rather than reading and sorting the tag's leads: at 12 % of the leads, a page of 50 tests
/// ~400; a tag on 20 leads of a million would make that walk test them all.
const PROBED_TAG_LEADS: i64 = 5_000;

/// How a query that stops after a page should meet `search`'s matches: `FirstPage` for a tag
/// on many leads (as the kept tag totals count them, the trash aside), else `AllMatches`.
pub async fn page_reach(db: &Db, search: Option<&Search>) -> Result<Reach, AppError> {
    let Some(Search::Tags(tags)) = search else {
        return Ok(Reach::AllMatches);
    };
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
    // A lead with two of the tags counts twice: a bound, enough to choose the shape.
    let mut sql = Sql::new(
        "SELECT CAST(COALESCE(SUM(leads), 0) AS BIGINT) FROM tag_totals \
         WHERE tag_id IN (SELECT t.id FROM tags t WHERE ",
    );
    push_tag_names(&mut sql, tags);
    sql.push(")");
    let leads: i64 = sql.scalar(&db.pool).await?;
    Ok(if leads >= PROBED_TAG_LEADS {
        Reach::FirstPage
    } else {
        Reach::AllMatches
    })
}

/// Appends ` AND …` keeping the leads (aliased `l`) that `search` finds: by the full-text
/// index, or — for words — also by a tag starting with them. Each database gets the shape its
/// planner starts from the matches with, instead of testing every lead: SQLite one `IN` over a
/// `UNION ALL` (the `IN` keeps each id once: a `UNION` would sort them out twice); PostgreSQL
/// the indexed vector `OR` the ids of tags starting with the words, as one array (a bitmap OR;
/// such tags are few). A `#tag` is an `IN` on both (a hashed semi-join: an array of a big tag's
/// 100k ids would be searched linearly for every card), or, for a page, an `EXISTS` (see
/// `Reach`).
pub fn push_search(sql: &mut Sql, backend: Backend, search: &Search, reach: Reach) {
    match (backend, search) {
        (_, Search::Tags(tags)) if reach == Reach::FirstPage => {
            sql.push(" AND EXISTS (").push(TAGGED);
            push_tag_names(sql, tags);
            sql.push(" AND lt.lead_id = l.id)");
        }
        (_, Search::Tags(tags)) => {
            sql.push(" AND l.id IN (").push(TAGGED);
            push_tag_names(sql, tags);
            sql.push(")");
        }
        (Backend::Sqlite, Search::Words(words)) => {
            sql.push(" AND l.id IN (SELECT rowid FROM leads_search WHERE leads_search MATCH ")
                .bind(text_query(backend, words))
                .push(" UNION ALL ");
            let tagged = prefixed(sql, words);
            sql.push(&tagged);
            sql.push(")");
        }
        (Backend::Postgres, Search::Words(words)) => {
            sql.push(" AND (l.search_vector @@ to_tsquery('simple', ")
                .bind(text_query(backend, words))
                .push(") OR l.id = ANY(ARRAY(");
            let tagged = prefixed(sql, words);
            sql.push(&tagged);
            sql.push(")))");
        }
    }
}

/// PostgreSQL: `SELECT {columns} FROM lead_words w …`, the word rows (`w`) of the leads (not in
/// the trash) holding every word, the last one as a prefix, from the word table (migrations
/// 0021, 0022): a range of its index per word, the same leads as the full-text condition of
/// `push_search`. A lead holding several words that start with the prefix comes once per word.
fn push_word_leads(sql: &mut Sql, words: &[String], columns: &str) {
    let (last, exact) = words.split_last().expect("a search has words");
    sql.push(&format!("SELECT {columns} FROM lead_words w WHERE "));
    push_word_range(sql, "w", last);
    for word in exact {
        sql.push(" AND w.lead_id IN (SELECT e.lead_id FROM lead_words e WHERE e.word = ")
            .bind(word.clone())
            .push(")");
    }
}

/// ` {alias}.word >= … AND {alias}.word < …`: the word table's words starting with `prefix`.
fn push_word_range(sql: &mut Sql, alias: &str, prefix: &str) {
    sql.push(&format!("{alias}.word >= "))
        .bind(prefix.to_string());
    if let Some(end) = prefix_end(prefix) {
        sql.push(&format!(" AND {alias}.word < ")).bind(end);
    }
}

/// PostgreSQL: `SELECT …` of the ids (`lead_id`, each once) of the leads not in the trash that
/// `words` find, for a reader who may see every lead and narrows by nothing else (the API's
/// search): from the word table's index alone (which holds no lead in the trash), with the
/// leads a tag starting with the words finds. For a surname on 33k of a million leads, its
/// count takes 13 ms, where the full-text index's bitmap reads every match's page (116 ms).
pub fn push_all_matches(sql: &mut Sql, words: &[String]) {
    push_word_leads(sql, words, "w.lead_id");
    sql.push(" UNION ");
    let tagged = prefixed(sql, words);
    sql.push(&tagged).push(
        " AND EXISTS (SELECT 1 FROM leads l WHERE l.id = lt.lead_id AND l.deleted_at IS NULL)",
    );
}

/// PostgreSQL: whether the list and the board read `words`' matches from the word table
/// (`facet_matches`, `ranked_matches`) rather than by the full-text index: for one word. Each
/// word is a range of the table read whole, where the full-text index intersects the words'
/// leads: `ana pop` is 29k rows for `ana` and 33k for `pop*` to find 1k leads (list 58 against
/// 21 ms) — and several words rarely match many leads, which is when the index's visits to
/// each match's page cost most.
pub fn word_table_serves(words: &[String]) -> bool {
    words.len() == 1
}

/// A lead's facts that each word row repeats (migration 0022 on PostgreSQL; SQLite's index
/// `leads_live_facets` holds the same, keyed by id), as `facet_matches` may select them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Facet {
    Value,
    LastActivity,
    Position,
}

impl Facet {
    fn column(self) -> &'static str {
        match self {
            Facet::Value => "lead_value",
            Facet::LastActivity => "last_activity_at",
            Facet::Position => "position",
        }
    }
}

/// PostgreSQL: `FROM (…) l`, the leads not in the trash that `words` find, each once, with only
/// their id, pipeline, stage, status (`lost`, `junk`), `deleted_at` (empty) and the `facets`
/// asked for: from the word table's index alone, with the leads a tag starting with the words
/// finds. For a query that reads nothing else of the leads (`board::facets_cover`) and leaves
/// the words out of its own conditions: a surname's 33k matches at a million leads are 33k
/// entries of one index range, where the full-text condition visits every match's page of the
/// wide table (~140 ms). Each lead is kept once by hashing its selected columns, which costs
/// with their number: the fewer, the faster (a count of `carpathia`'s 50k leads from 100k word
/// rows, in psql: 73 ms with every fact, ~50 with none).
pub fn facet_matches(sql: &mut Sql, words: &[String], facets: &[Facet]) -> String {
    let columns = |alias: &str| {
        ["pipeline_id", "stage_id", "lost", "junk"]
            .into_iter()
            .chain(facets.iter().map(|facet| facet.column()))
            .map(|column| format!("{alias}.{column}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Written where `sql` binds its values, then taken back out as text.
    let start = sql.text.len();
    push_word_leads(
        sql,
        words,
        &format!(
            "w.lead_id AS id, {}, CAST(NULL AS BIGINT) AS deleted_at",
            columns("w")
        ),
    );
    let word_leads = sql.text.split_off(start);
    let tagged = prefixed(sql, words);
    format!(
        "FROM ({word_leads} UNION SELECT l.id, {}, l.deleted_at FROM leads l \
         WHERE l.id = ANY(ARRAY({tagged})) AND l.deleted_at IS NULL) l",
        columns("l")
    )
}

/// The least text after every text starting with `prefix`, bytewise (the words table's order;
/// UTF-8 orders code points): the prefix with its last character replaced by the next one.
/// `None` when nothing follows them all (a prefix of only `char::MAX`).
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

const TAGGED: &str = "SELECT lt.lead_id FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE ";

/// The leads carrying a tag whose name starts with the words (the database lowers both sides,
/// so they fold alike), as a `SELECT` of their ids, binding the pattern in `sql`.
fn prefixed(sql: &mut Sql, words: &[String]) -> String {
    let pattern = sql.placeholder(format!("{}%", escape_like(&words.join(" "))));
    format!("{TAGGED}LOWER(t.name) LIKE LOWER({pattern}) ESCAPE '\\'")
}

/// `LOWER(t.name) IN (…)`: a tag (aliased `t`) named one of `names`, case aside.
pub(super) fn push_tag_names(sql: &mut Sql, names: &[String]) {
    sql.push("LOWER(t.name) IN (");
    for (i, name) in names.iter().enumerate() {
        sql.push(if i == 0 { "LOWER(" } else { ", LOWER(" })
            .bind(name.clone())
            .push(")");
    }
    sql.push(")");
}

/// The words as the database's full-text query: all of them, the last one as a prefix.
fn text_query(backend: Backend, words: &[String]) -> String {
    match backend {
        // Each word quoted (no FTS syntax gets through).
        Backend::Sqlite => {
            words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" ")
                + "*"
        }
        Backend::Postgres => weighed_query(words, ""),
    }
}

/// PostgreSQL: all the words, the last one as a prefix, each found only in a part of the search
/// vector weighed one of `weights` (`"A"`, `"AB"`; `""`: anywhere). Words hold only letters and
/// digits, so they are safe tsquery operands.
fn weighed_query(words: &[String], weights: &str) -> String {
    let last = words.len() - 1;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let prefix = if i == last { "*" } else { "" };
            format!("{word}:{prefix}{weights}")
        })
        .collect();
    terms.join(" & ")
}

/// How well a match ranks, higher is better: every word in the name counts most (3), then each
/// word in the name, company, email or phone (2), then anywhere else — title, address, city…
/// (1); leads found only by a tag rank last (0); ties newest first.
///
/// PostgreSQL: the rank of the lead (`l`) among those `push_search` found, as an expression —
/// the tiers are the weights stored in the search vector (migration 0012: A the name, B the
/// company, email and phone).
pub fn rank_expression(sql: &mut Sql, words: &[String]) -> String {
    let named = sql.placeholder(weighed_query(words, "A"));
    let known = sql.placeholder(weighed_query(words, "AB"));
    let all = sql.placeholder(text_query(Backend::Postgres, words));
    format!(
        "CASE WHEN l.search_vector @@ to_tsquery('simple', {named}) THEN 3 \
         WHEN l.search_vector @@ to_tsquery('simple', {known}) THEN 2 \
         WHEN l.search_vector @@ to_tsquery('simple', {all}) THEN 1 ELSE 0 END"
    )
}

/// The matches of `words` best first, as a join that gives the lead (`l`) its `m.match_rank`
/// and `m.match_id` — only the first `probe` of them when given. Best is where the words are,
/// in the tiers `rank_expression` weighs: 3 when every word is in the name, 2 when each is in
/// the name, company, email or phone, 1 elsewhere; ties newest first. The leads that a tag
/// found without a word are `tag_only_matches`. `None` where `rank_expression` ranks better.
///
/// SQLite: each tier is a full-text query of its own (a lead of a higher tier is found by the
/// lower ones too, and keeps its best), which FTS5 answers newest first from the index and
/// stops after `probe` matches: the best `probe` overall are among the first `probe` of each.
/// `bm25` instead scored every match (~1 µs each, 35 ms for a surname on 33k of a million
/// leads).
///
/// PostgreSQL, one word and a probe (`word_table_serves`): from the word table's rows, which
/// hold each word's tier. The best rows first, each lead at its best tier: the leads of the
/// first `2 × probe` rows are a true start of the order (a lead whose best row comes later
/// ranks after them all) — of `probe` leads or fewer, when some hold several words with the
/// prefix (the list then reads the page again unprobed). A top-N sort of the rows instead of
/// grouping every match by lead first (`carpathia`, 100k rows: ~35 against ~70 ms in psql).
/// Otherwise `rank_expression`, over the full-text index's matches: unbounded, joining every
/// match to the leads by id would cost more than reading each one's rank from its page.
pub fn ranked_matches(
    sql: &mut Sql,
    backend: Backend,
    words: &[String],
    probe: Option<i64>,
) -> Option<String> {
    let limit = |sql: &mut Sql| match probe {
        Some(probe) => format!(" LIMIT {}", sql.placeholder(probe)),
        None => String::new(),
    };
    match (backend, words, probe) {
        (Backend::Sqlite, _, _) => {
            let limit = limit(sql);
            let all = text_query(backend, words);
            let tiers = [
                (3, format!("{{name}} : ({all})")),
                (2, format!("{{name company email phonenumber}} : ({all})")),
                (1, all),
            ];
            let arms: Vec<String> = tiers
                .into_iter()
                .map(|(rank, query)| {
                    let query = sql.placeholder(query);
                    format!(
                        "SELECT * FROM (SELECT rowid AS match_id, {rank} AS match_rank \
                         FROM leads_search WHERE leads_search MATCH {query} \
                         ORDER BY rowid DESC{limit})"
                    )
                })
                .collect();
            Some(format!(
                " JOIN (SELECT match_id, MAX(match_rank) AS match_rank FROM ({}) \
                 GROUP BY match_id ORDER BY match_rank DESC, match_id DESC{limit}) m \
                 ON m.match_id = l.id",
                arms.join(" UNION ALL ")
            ))
        }
        (Backend::Postgres, [word], Some(probe)) if word_table_serves(words) => {
            let limit = limit(sql);
            let rows = sql.placeholder(2 * probe);
            let start = sql.text.len();
            push_word_range(sql, "w", word);
            let range = sql.text.split_off(start);
            Some(format!(
                " JOIN (SELECT lead_id AS match_id, MAX(tier) AS match_rank FROM \
                 (SELECT w.lead_id, w.tier FROM lead_words w WHERE {range} \
                 ORDER BY w.tier DESC, w.lead_id DESC LIMIT {rows}) AS r \
                 GROUP BY lead_id ORDER BY match_rank DESC, match_id DESC{limit}) m \
                 ON m.match_id = l.id"
            ))
        }
        (Backend::Postgres, _, _) => None,
    }
}

/// True for a lead (`l`) that `words` find by a tag only, not by its own words.
pub fn tag_only_matches(sql: &mut Sql, backend: Backend, words: &[String]) -> String {
    let tagged = prefixed(sql, words);
    let query = sql.placeholder(text_query(backend, words));
    match backend {
        Backend::Sqlite => format!(
            "l.id IN ({tagged}) AND l.id NOT IN \
             (SELECT rowid FROM leads_search WHERE leads_search MATCH {query})"
        ),
        Backend::Postgres => format!(
            "l.id = ANY(ARRAY({tagged})) AND NOT l.search_vector @@ to_tsquery('simple', {query})"
        ),
    }
}

/// `%`, `_` and `\` as literal characters in a LIKE pattern (with `ESCAPE '\'`).
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_split_and_capped() {
        assert_eq!(
            Search::parse("  Ștefan.Pop@ACME "),
            Some(Search::Words(vec![
                "stefan".into(),
                "pop".into(),
                "acme".into()
            ]))
        );
        assert_eq!(
            Search::parse("#VIP client"),
            Some(Search::Tags(vec!["VIP client".into()]))
        );
        assert_eq!(Search::parse(" \"*:&| "), None);
        assert_eq!(Search::parse("#"), None);
        let many = "a ".repeat(20);
        assert!(matches!(Search::parse(&many), Some(Search::Words(w)) if w.len() == MAX_WORDS));
    }

    #[test]
    fn a_prefix_ends_before_the_next_character() {
        assert_eq!(prefix_end("popescu").as_deref(), Some("popescv"));
        assert_eq!(prefix_end("z9").as_deref(), Some("z:"));
        assert_eq!(prefix_end("ab\u{d7ff}").as_deref(), Some("ab\u{e000}"));
        assert_eq!(prefix_end("a\u{10ffff}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10ffff}"), None);
    }
}
