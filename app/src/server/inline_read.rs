//! SQLite reads of one row by key, run on the calling thread.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands the statement and every
//! row across channels: for a read of one lead by id, the thread wake-ups on both sides cost
//! several times the read itself (BENCHMARKS.md, "Where the time goes"). This reader runs
//! such a query directly (rusqlite) on read-only connections to the same file and hands the
//! row back as sqlx's `AnyRow`, converted as sqlx's own SQLite driver converts it, so the
//! types that read a row are the same on both paths. Only for reads that touch a few pages:
//! the calling thread does the work.
//!
//! Whatever this reader cannot do at once (the file is busy, a value it cannot carry, any
//! error) it leaves to the pool (`None`), which then answers or fails as always.

use rusqlite::config::DbConfig;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};
use sqlx::any::{AnyArguments, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue};
use sqlx_core::any::{AnyColumn, AnyValueKind};
use sqlx_core::ext::ustr::UStr;
use std::borrow::Cow;
use std::sync::{Arc, Mutex};

/// Idle connections kept for the next reads (one per thread reading at once is enough).
const KEEP_IDLE: usize = 8;
/// Statements whose columns a connection keeps named (the reads that come here are few).
const KEEP_SHAPES: usize = 32;

/// Read-only connections to one SQLite file, set up with `pragmas`.
pub struct InlineReader {
    path: String,
    pragmas: &'static str,
    idle: Mutex<Vec<Reading>>,
}

/// A connection, and the columns of the statements it has read, by statement text.
struct Reading {
    connection: Connection,
    shapes: sqlx_core::HashMap<String, Shape>,
}

/// A statement's column names as sqlx's rows carry them, made once: every row of the
/// statement shares them (a lead record has 50 columns).
#[derive(Clone)]
struct Shape {
    names: Arc<[UStr]>,
    index: Arc<sqlx_core::HashMap<UStr, usize>>,
}

impl Shape {
    fn of(statement: &rusqlite::Statement<'_>) -> Shape {
        let names: Arc<[UStr]> = statement
            .column_names()
            .into_iter()
            .map(UStr::new)
            .collect();
        let index = names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i))
            .collect();
        Shape {
            names,
            index: Arc::new(index),
        }
    }
}

impl InlineReader {
    pub fn new(path: &str, pragmas: &'static str) -> InlineReader {
        InlineReader {
            path: path.to_string(),
            pragmas,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The first row `text` with `args` finds, or `None` when the pool is to read it.
    pub fn fetch_optional(&self, text: &str, args: &AnyArguments<'_>) -> Option<Option<AnyRow>> {
        let mut reading = self.take()?;
        let row = reading.read(text, args);
        self.give_back(reading);
        row
    }

    fn take(&self) -> Option<Reading> {
        let idle = self.idle.lock().ok()?.pop();
        match idle {
            Some(reading) => Some(reading),
            None => Some(Reading {
                connection: self.connect().ok()?,
                shapes: sqlx_core::HashMap::default(),
            }),
        }
    }

    fn give_back(&self, reading: Reading) {
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < KEEP_IDLE {
                idle.push(reading);
            }
        }
    }

    fn connect(&self) -> rusqlite::Result<Connection> {
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.execute_batch(self.pragmas)?;
        // Never wait on the calling thread: a busy file is the pool's to wait for.
        connection.busy_timeout(std::time::Duration::ZERO)?;
        // Plans made without looking at the bound values (the query planner stability
        // guarantee). With the STAT4 statistics of sqlx's SQLite build, a statement whose plan
        // looked at a bound value is prepared again whenever a new value is bound: the lead
        // read's statement was parsed and planned anew for every id, 56 % of the request's CPU.
        connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        Ok(connection)
    }
}

impl Reading {
    /// One statement's first row; `None` on any error.
    fn read(&mut self, text: &str, args: &AnyArguments<'_>) -> Option<Option<AnyRow>> {
        let mut statement = self.connection.prepare_cached(text).ok()?;
        for index in 1..=statement.parameter_count() {
            // Placeholders are `$n` (`db::Sql`): SQLite numbers named parameters by first use.
            let value = statement
                .parameter_name(index)
                .and_then(|name| name.strip_prefix('$'))
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| args.values.0.get(n.checked_sub(1)?))?;
            statement.raw_bind_parameter(index, Bound(value)).ok()?;
        }
        let shape = match self.shapes.get(text) {
            Some(shape) => shape.clone(),
            None => {
                let shape = Shape::of(&statement);
                if self.shapes.len() < KEEP_SHAPES {
                    self.shapes.insert(text.to_string(), shape.clone());
                }
                shape
            }
        };
        let mut rows = statement.raw_query();
        let Some(row) = rows.next().ok()? else {
            return Some(None);
        };
        let mut out = AnyRow {
            column_names: shape.index,
            columns: Vec::with_capacity(shape.names.len()),
            values: Vec::with_capacity(shape.names.len()),
        };
        for (ordinal, name) in shape.names.iter().enumerate() {
            // As sqlx's SQLite driver: by the value's own type (a `NULL` is of none).
            let (kind, type_kind) = match row.get_ref(ordinal).ok()? {
                ValueRef::Null => (
                    AnyValueKind::Null(AnyTypeInfoKind::Null),
                    AnyTypeInfoKind::Null,
                ),
                ValueRef::Integer(value) => (AnyValueKind::BigInt(value), AnyTypeInfoKind::BigInt),
                ValueRef::Real(value) => (AnyValueKind::Double(value), AnyTypeInfoKind::Double),
                ValueRef::Text(text) => (
                    AnyValueKind::Text(Cow::Owned(std::str::from_utf8(text).ok()?.to_string())),
                    AnyTypeInfoKind::Text,
                ),
                ValueRef::Blob(bytes) => (
                    AnyValueKind::Blob(Cow::Owned(bytes.to_vec())),
                    AnyTypeInfoKind::Blob,
                ),
            };
            out.columns.push(AnyColumn {
                ordinal,
                name: name.clone(),
                type_info: AnyTypeInfo { kind: type_kind },
            });
            out.values.push(AnyValue { kind });
        }
        Some(Some(out))
    }
}

/// A bound value, given to SQLite as sqlx's SQLite driver gives it.
struct Bound<'a>(&'a AnyValueKind<'a>);

impl ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let value = match self.0 {
            AnyValueKind::Null(_) => ValueRef::Null,
            AnyValueKind::Bool(value) => ValueRef::Integer(i64::from(*value)),
            AnyValueKind::SmallInt(value) => ValueRef::Integer(i64::from(*value)),
            AnyValueKind::Integer(value) => ValueRef::Integer(i64::from(*value)),
            AnyValueKind::BigInt(value) => ValueRef::Integer(*value),
            AnyValueKind::Real(value) => ValueRef::Real(f64::from(*value)),
            AnyValueKind::Double(value) => ValueRef::Real(*value),
            AnyValueKind::Text(text) => ValueRef::Text(text.as_bytes()),
            AnyValueKind::Blob(bytes) => ValueRef::Blob(bytes),
            _ => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "a value type the inline reader does not carry".into(),
                ))
            }
        };
        Ok(ToSqlOutput::Borrowed(value))
    }
}

#[cfg(test)]
mod tests {
    use crate::server::db::{Db, Sql};
    use sqlx::FromRow;

    #[derive(FromRow, Debug, PartialEq)]
    struct Probe {
        id: i64,
        name: String,
        share: f64,
        note: Option<String>,
        twice: i64,
    }

    /// The query the API's lead read is like: `$n` placeholders bound out of order and one
    /// used twice, every kind of value in the row.
    fn probe(id: i64, name: &str) -> Sql {
        let mut sql = Sql::new("");
        let name = sql.placeholder(name.to_string());
        let key = sql.placeholder(id);
        sql.push(&format!(
            "SELECT id, name, share, note, {key} + {key} AS twice FROM probes \
             WHERE name = {name} AND id = {key}"
        ));
        sql
    }

    #[tokio::test]
    async fn a_point_read_on_a_sqlite_file_runs_inline_and_reads_as_the_pool_does() {
        let dir = std::env::temp_dir().join(format!("leadline-inline-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Db::connect(&format!("sqlite://{}", dir.join("probe.db").display()))
            .await
            .unwrap();
        for statement in [
            "CREATE TABLE probes (id INTEGER PRIMARY KEY, name TEXT, share REAL, note TEXT)",
            "INSERT INTO probes VALUES (7, 'Ana Pop', 0.25, NULL), (8, 'Ion', 1.5, 'n')",
        ] {
            Sql::new(statement).execute(&db.pool).await.unwrap();
        }

        let inline = db
            .inline
            .as_ref()
            .expect("a SQLite file has an inline reader");
        let sql = probe(7, "Ana Pop");
        let read = inline.fetch_optional(&sql.text, &sql.args);
        let row = read
            .expect("read inline, not left to the pool")
            .expect("a row");
        let expected = Probe {
            id: 7,
            name: "Ana Pop".into(),
            share: 0.25,
            note: None,
            twice: 14,
        };
        assert_eq!(Probe::from_row(&row).unwrap(), expected);
        let pooled: Option<Probe> = probe(7, "Ana Pop").fetch_optional(&db.pool).await.unwrap();
        assert_eq!(pooled.as_ref(), Some(&expected));
        assert_eq!(
            probe(7, "Ana Pop").fetch_point::<Probe>(&db).await.unwrap(),
            pooled
        );

        // No row is an answer too, not a reason to ask the pool.
        let sql = probe(8, "Ana Pop");
        assert!(matches!(
            inline.fetch_optional(&sql.text, &sql.args),
            Some(None)
        ));
        // A write by the pool is seen by the next inline read.
        Sql::new("UPDATE probes SET note = 'seen' WHERE id = 8")
            .execute(&db.pool)
            .await
            .unwrap();
        let ion = probe(8, "Ion")
            .fetch_point::<Probe>(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ion.note.as_deref(), Some("seen"));
        // What SQLite refuses is left to the pool, which reports it.
        let broken = Sql::new("SELECT no_such_column FROM probes");
        assert!(inline.fetch_optional(&broken.text, &broken.args).is_none());
        assert!(broken.fetch_point::<Probe>(&db).await.is_err());

        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
