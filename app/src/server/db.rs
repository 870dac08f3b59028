//! The database handle, and the one small module where SQLite and PostgreSQL differ.
//!
//! Queries are written once, with `$1`-style placeholders (both backends accept them through
//! sqlx's `Any` driver) and only the types `Any` carries: BIGINT/INTEGER, DOUBLE/REAL, TEXT.
//! Everything dialect-specific — connect options, migrations, write-transaction start — is here.

use super::inline_read::InlineReader;
use super::record_batches::RecordBatches;
use sqlx::any::AnyRow;
use sqlx::any::{AnyArguments, AnyPoolOptions};
use sqlx::{Any, AnyPool, Arguments, Encode, Executor, FromRow, Row, Transaction, Type};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    /// Where write transactions run: on SQLite one connection of its own.
    writer: AnyPool,
    pub backend: Backend,
    pub url: String,
    /// On a SQLite file, reads of one row by key on the calling thread (`Sql::fetch_point`).
    pub(super) inline: Option<std::sync::Arc<InlineReader>>,
    /// On PostgreSQL, reads of one record queued to be read together (`record_batches`).
    pub(super) batches: std::sync::Arc<RecordBatches>,
}

pub type Tx = Transaction<'static, Any>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Connects to `sqlite://path` (file created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite:// or postgres:// (got {url:?})")
                    .into(),
            ));
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                // Reads on up to eight connections; writes on one of their own, which keeps
                // its page cache and memory map across its own commits (a connection drops
                // both whenever another one has committed since its last transaction).
                let pool = sqlite_pool(options.clone().max_connections(8), &url).await?;
                let writer = sqlite_pool(options.max_connections(1), &url).await?;
                tokio::spawn(checkpoints(pool.clone()));
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = options
                    .max_connections(16)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // Short queries only: JIT compiling them cost more than it saved
                            // (28 ms of a 310 ms search at a million leads).
                            conn.execute("SET jit = off").await?;
                            // A common word's matches, each once, are hashed from the word
                            // table (~50k leads): at the default 4 MB the hash spilled to disk
                            // in five batches (95 against 73 ms for a count).
                            conn.execute("SET work_mem = '16MB'").await?;
                            // No parallel workers for a range of an index: a page runs several
                            // such short queries at once, and the workers' start and their
                            // share of the cores cost more than they saved (a two-tag board, a
                            // list search for a company word: a fifth to a third slower with
                            // them at a million leads, BENCHMARKS.md). A scan of the whole
                            // table keeps them: a created-date board took 390 ms without.
                            conn.execute("SET min_parallel_index_scan_size = '1GB'")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?;
                (pool.clone(), pool)
            }
        };
        let inline = match backend {
            Backend::Sqlite => sqlite_file(&url)
                .map(|path| std::sync::Arc::new(InlineReader::new(path, SQLITE_READ_PRAGMAS))),
            Backend::Postgres => None,
        };
        Ok(Db {
            pool,
            writer,
            backend,
            url,
            inline,
            batches: Default::default(),
        })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => {
                SQLITE_MIGRATIONS.run(&self.pool).await?;
                self.refresh_stale_statistics().await?;
                Ok(())
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
    }

    /// SQLite's planner statistics, taken again in full for each table whose rows have doubled
    /// or halved since they were last measured (or that was never measured), so queries keep the
    /// index that serves their order; PostgreSQL's autovacuum does this by itself. Not `PRAGMA
    /// optimize`: it judges a table's size from the shape of its B-tree, which for the wide
    /// `leads` rows made it measure `leads` again at every start — sampled, with
    /// `analysis_limit`, into statistics that put ~1,000 leads in every stage, after which the
    /// list's newest-first page sorted every open lead (118 ms at 100k) instead of walking its
    /// index (0.9 ms).
    async fn refresh_stale_statistics(&self) -> Result<(), sqlx::Error> {
        let measured: Vec<(String, i64)> =
            sqlx::query_as("SELECT tbl, MAX(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl")
                .fetch_all(&self.pool)
                .await?;
        let tables: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND sql NOT LIKE 'CREATE VIRTUAL%'",
        )
        .fetch_all(&self.pool)
        .await?;
        for (table,) in tables {
            let quoted = format!("\"{}\"", table.replace('"', "\"\""));
            let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {quoted}"))
                .fetch_one(&self.pool)
                .await?;
            let known = measured.iter().find(|(t, _)| *t == table).map(|(_, n)| *n);
            // The slack keeps small tables from being measured at every start.
            let stale = known.is_none_or(|known| rows > 2 * known + 100 || known > 2 * rows + 100);
            if stale {
                self.analyze_sqlite(&quoted).await?;
            }
        }
        Ok(())
    }

    /// SQLite's `ANALYZE` of `target` (a quoted table, or empty for every table), in full:
    /// `analysis_limit` is a setting of the connection, and one that ran migration 0011 still
    /// samples 1,000 rows an index unless told otherwise.
    async fn analyze_sqlite(&self, target: &str) -> Result<(), sqlx::Error> {
        let mut connection = self.pool.acquire().await?;
        sqlx::query("PRAGMA analysis_limit = 0")
            .execute(&mut *connection)
            .await?;
        sqlx::query(&format!("ANALYZE {target}"))
            .execute(&mut *connection)
            .await?;
        Ok(())
    }

    /// A transaction that will write. On SQLite it runs on the writer connection (writers
    /// queue for it, up to the pool's 10 s) and takes the write lock at the start (BEGIN
    /// IMMEDIATE): a write outside this door waits on the busy timeout instead of one of
    /// them failing mid-way.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }

    /// `begin_write` for one batch of a bulk run, whose commit need not wait for the disk. On
    /// PostgreSQL the commit returns before its WAL is flushed (`synchronous_commit = off`, for
    /// this transaction only; the WAL writer flushes it within ~0.6 s). A crash in between loses
    /// the last batches whole, never part of one, and with them the run's records of them,
    /// committed later: the resumed run finds their leads pending and changes them again. SQLite's
    /// commits already return before a sync (`synchronous = NORMAL` with its WAL).
    pub async fn begin_batch_write(&self) -> Result<Tx, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET LOCAL synchronous_commit = off")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// Closes every connection (both pools on SQLite); the checkpoints stop with them.
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// After rows were inserted with explicit ids, moves PostgreSQL's id sequences past them
    /// (SQLite's rowids need nothing).
    pub async fn sync_id_sequences(&self, tables: &[&str]) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            for table in tables {
                let query = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                );
                sqlx::query(&query).execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// Sends each payload to every Leadline process listening on `channel` when `tx` commits
    /// (PostgreSQL NOTIFY is transactional), up to 100 in one statement (a bulk batch's events
    /// cost one round trip, not one each). SQLite has one process: nothing to send.
    pub async fn notify(
        &self,
        tx: &mut Tx,
        channel: &str,
        payloads: &[String],
    ) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            for chunk in payloads.chunks(100) {
                let mut sql = Sql::new("SELECT ");
                let channel = sql.placeholder(channel.to_string());
                for (i, payload) in chunk.iter().enumerate() {
                    if i > 0 {
                        sql.push(", ");
                    }
                    sql.push(&format!("pg_notify({channel}, "))
                        .bind(payload.clone())
                        .push(")");
                }
                sql.execute(&mut **tx).await?;
            }
        }
        Ok(())
    }

    /// A listener for `channel` on PostgreSQL (`None` on SQLite). It reconnects by itself.
    pub async fn listen(
        &self,
        channel: &str,
    ) -> Result<Option<sqlx::postgres::PgListener>, sqlx::Error> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url).await?;
        listener.listen(channel).await?;
        Ok(Some(listener))
    }

    /// A scalar subquery answering, as JSON text, an array with one array of `items` per row
    /// of `from` (a `FROM … WHERE …` clause, usually correlated with the outer query) in
    /// `order`, `[]` when there is none: a record's list of parts in the record's own row.
    pub fn json_rows(&self, items: &[&str], from: &str, order: &str) -> String {
        let items = items.join(", ");
        match self.backend {
            Backend::Sqlite => {
                format!("(SELECT json_group_array(json_array({items}) ORDER BY {order}) {from})")
            }
            Backend::Postgres => format!(
                "(SELECT COALESCE(json_agg(json_build_array({items}) ORDER BY {order}), '[]')::text {from})"
            ),
        }
    }

    /// `FROM leads l` for a walk over the leads not in the trash by id (newest first), for a
    /// reader who sees every lead: through `leads_live_id` (migrations sqlite 0016 / postgres
    /// 0017), which skips an `OFFSET`'s entries without reading the table. PostgreSQL's planner
    /// takes that index itself; SQLite's prefers walking the table in id order (every column of
    /// every lead), so it is named. A scoped reader's walk tests each lead's owner: SQLite
    /// reads the table then anyway, and is left to choose.
    pub fn live_leads_by_id(&self, sees_all: bool) -> &'static str {
        match (self.backend, sees_all) {
            (Backend::Sqlite, true) => "FROM leads l INDEXED BY leads_live_id",
            _ => "FROM leads l",
        }
    }

    /// The opening of a condition keeping the leads (`l`) whose id a few-row subquery selects
    /// (a page of ids), closed by `few_ids_end` after the subquery: SQLite `l.id IN (…)`;
    /// PostgreSQL `l.id = ANY(ARRAY(…))`, which its planner reads as a short list of keys, where
    /// it takes an `IN` for a join with as many rows as the subquery's estimate (for a windowed
    /// first page, every match) and scans the whole table to hash them.
    pub fn few_ids(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "l.id IN (",
            Backend::Postgres => "l.id = ANY(ARRAY(",
        }
    }

    /// The close of `few_ids`.
    pub fn few_ids_end(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => ")",
            Backend::Postgres => "))",
        }
    }

    /// Folds the tag totals that PostgreSQL appends (migration 0016) into one row per key.
    /// SQLite updates its one row per key in place: with a single writer that cannot deadlock.
    pub async fn fold_tag_totals(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT leadline_fold_tag_totals()")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// During a bulk load on PostgreSQL, statistics of the tables it grows: the totals
    /// triggers' statements are planned for a table as large as its statistics say, and
    /// planned while `leads` looked empty they hashed the whole table for every statement that
    /// added tags (0.9 s each at 600,000 leads). Autovacuum does this where it runs; a server
    /// may have it off. (SQLite plans from the statistics `ANALYZE` kept at the start.)
    pub async fn analyze_growing(&self, tables: &[&str]) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query(&format!("ANALYZE {}", tables.join(", ")))
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// After a bulk load: fresh planner statistics, and on PostgreSQL a vacuum so that counts
    /// can use index-only scans (the visibility map of freshly loaded tables is empty).
    pub async fn refresh_statistics(&self) -> Result<(), sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.analyze_sqlite("").await,
            Backend::Postgres => sqlx::query("VACUUM ANALYZE")
                .execute(&self.pool)
                .await
                .map(|_| ()),
        }
    }
}

/// A pool of SQLite connections to `url` (a file), each set up for a server.
async fn sqlite_pool(options: AnyPoolOptions, url: &str) -> Result<AnyPool, sqlx::Error> {
    options
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL lets readers run beside the one writer; the busy timeout makes a second
                // writer wait instead of failing. Reads go through a memory map (shared with
                // the OS page cache) instead of a read() per page: scans of a million leads
                // spent half their time in the kernel. The log is copied back by `checkpoints`;
                // a commit does it itself only past 64 MB of log (the rest of what the
                // background has not copied yet), and the file is cut back to 64 MB after.
                // Statement journals stay in memory: a bulk batch's multi-row statements
                // spilled theirs to a temporary file, 9 % of a reassignment's time.
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                     PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864;",
                )
                .await?;
                conn.execute(SQLITE_READ_PRAGMAS).await?;
                Ok(())
            })
        })
        .connect(url)
        .await
}

/// How every SQLite connection reads (the pools' and the inline reader's).
const SQLITE_READ_PRAGMAS: &str =
    "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;";

/// The file of a `sqlite://path?query` URL (as `sqlite_url` writes it), `None` in memory.
fn sqlite_file(url: &str) -> Option<&str> {
    let (path, query) = url.trim_start_matches("sqlite://").split_once('?')?;
    let in_memory = path == ":memory:" || query.split('&').any(|pair| pair == "mode=memory");
    (!in_memory).then_some(path)
}

/// Copies SQLite's write-ahead log back into the database file ten times a second, on a
/// reading connection beside the writes, instead of inside the commit that filled the log: a
/// commit's copy and its `fsync` took 14 % of a bulk reassignment's time at a million leads.
async fn checkpoints(pool: AnyPool) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            tracing::warn!(%error, "WAL checkpoint failed");
        }
    }
}

/// `sqlite://data/leadline.db` → the same path with `mode=rwc`, its directory created.
fn sqlite_url(url: &str) -> Result<String, sqlx::Error> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" {
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_string()
    } else if query.is_empty() {
        "mode=rwc".into()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// A query built in pieces, numbering its `$n` placeholders as values are bound
/// (sqlx's own `QueryBuilder` writes `?` under `Any`, which PostgreSQL rejects).
#[derive(Default)]
pub struct Sql {
    pub text: String,
    pub(super) args: AnyArguments<'static>,
    count: usize,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            ..Default::default()
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends `(NULL, $n, …)`: a list for `IN` that stays valid SQL when `ids` is empty.
    pub fn push_ids(&mut self, ids: &[i64]) -> &mut Self {
        self.push("(NULL");
        for id in ids {
            self.push(", ").bind(*id);
        }
        self.push(")")
    }

    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'static + Send + Encode<'static, Any> + Type<Any>,
    {
        let placeholder = self.placeholder(value);
        self.text.push_str(&placeholder);
        self
    }

    /// Binds `value` without writing it into the text: its `$n`, to use as often as needed.
    pub fn placeholder<T>(&mut self, value: T) -> String
    where
        T: 'static + Send + Encode<'static, Any> + Type<Any>,
    {
        self.count += 1;
        self.args
            .add(value)
            .expect("binding a value to AnyArguments cannot fail");
        format!("${}", self.count)
    }

    pub async fn execute<'c, E>(self, executor: E) -> Result<sqlx::any::AnyQueryResult, sqlx::Error>
    where
        E: Executor<'c, Database = Any>,
    {
        sqlx::query_with(&self.text, self.args)
            .execute(executor)
            .await
    }

    pub async fn fetch_all<'c, T, E>(self, executor: E) -> Result<Vec<T>, sqlx::Error>
    where
        E: Executor<'c, Database = Any>,
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        sqlx::query_as_with(&self.text, self.args)
            .fetch_all(executor)
            .await
    }

    pub async fn fetch_optional<'c, T, E>(self, executor: E) -> Result<Option<T>, sqlx::Error>
    where
        E: Executor<'c, Database = Any>,
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        sqlx::query_as_with(&self.text, self.args)
            .fetch_optional(executor)
            .await
    }

    /// The one row a read by key finds (a few pages: the row and its parts), at once. On a
    /// SQLite file it runs on the calling thread (`InlineReader`), the pool being left what
    /// that reader cannot do; elsewhere it is `fetch_optional` on the pool.
    pub async fn fetch_point<T>(self, db: &Db) -> Result<Option<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        if let Some(read) = db
            .inline
            .as_ref()
            .and_then(|inline| inline.fetch_optional(&self.text, &self.args))
        {
            return read.map(|row| T::from_row(&row)).transpose();
        }
        self.fetch_optional(&db.pool).await
    }

    pub async fn fetch_one<'c, T, E>(self, executor: E) -> Result<T, sqlx::Error>
    where
        E: Executor<'c, Database = Any>,
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        sqlx::query_as_with(&self.text, self.args)
            .fetch_one(executor)
            .await
    }

    /// The first row's columns, each an integer (several counts read in one pass).
    pub async fn integers<'c, E>(self, executor: E) -> Result<Vec<i64>, sqlx::Error>
    where
        E: Executor<'c, Database = Any>,
    {
        let row = sqlx::query_with(&self.text, self.args)
            .fetch_one(executor)
            .await?;
        (0..row.len()).map(|i| row.try_get::<i64, _>(i)).collect()
    }

    /// The first column of the first row, e.g. a `COUNT(*)`.
    pub async fn scalar<'c, T, E>(self, executor: E) -> Result<T, sqlx::Error>
    where
        E: Executor<'c, Database = Any>,
        T: for<'r> sqlx::Decode<'r, Any> + Type<Any> + Send + Unpin,
    {
        sqlx::query_scalar_with(&self.text, self.args)
            .fetch_one(executor)
            .await
    }
}

/// Inserts `rows` as multi-row `head VALUES (…), (…)` statements, each row written by
/// `values` as `(…)`: on SQLite about 300 bound values a statement (it finds each `$n` by
/// name, so binding costs grow with the square of a statement's parameters, BENCHMARKS.md),
/// on PostgreSQL up to 6,000 (a bulk batch's rows in one round trip, not four).
pub async fn insert_rows<T>(
    tx: &mut Tx,
    head: &str,
    rows: &[T],
    values_per_row: usize,
    values: impl Fn(&mut Sql, &T),
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(rows_per_statement(tx, values_per_row)) {
        let mut sql = Sql::new(head);
        sql.push(" VALUES ");
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            values(&mut sql, row);
        }
        sql.execute(&mut **tx).await?;
    }
    Ok(())
}

/// How many rows of `values_per_row` bound values one multi-row statement takes (`insert_rows`).
pub fn rows_per_statement(tx: &Tx, values_per_row: usize) -> usize {
    let values_per_statement = if tx.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
        6_000
    } else {
        300
    };
    (values_per_statement / values_per_row.max(1)).max(1)
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
