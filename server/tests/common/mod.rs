//! The test harness: the real app on a random port against a fresh database — a new SQLite
//! file, or a new PostgreSQL database — per test. `both!` runs one test body on each backend.

#![allow(dead_code)]

use app::i18n::Locale;
use app::models::{CurrentUser, ListQuery, Role};
use app::server::{Actor, AppState, Store};
use leptos::config::LeptosOptions;
use reqwest::redirect::Policy;
use server::Settings;
use std::sync::atomic::{AtomicU32, Ordering};

pub const ADMIN_EMAIL: &str = "admin@test.local";
pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// Buckets where `day_totals` and a count of the leads not in the trash disagree.
pub const DAY_TOTALS_DRIFT: &str = "SELECT COUNT(*) FROM (SELECT stage_id, \
     CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END AS st, COALESCE(source_id, 0) AS src, \
     dateadded - ((dateadded % 86400000) + 86400000) % 86400000 AS d, \
     COUNT(*) AS n, COALESCE(SUM(lead_value), 0) AS v FROM leads WHERE deleted_at IS NULL \
     GROUP BY 1, 2, 3, 4) c FULL OUTER JOIN (SELECT * FROM day_totals WHERE leads <> 0) t \
     ON t.stage_id = c.stage_id AND t.status = c.st AND t.source_id = c.src AND t.day = c.d \
     WHERE c.n IS NULL OR t.leads IS NULL OR c.n <> t.leads OR c.v <> t.value";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub database_url: String,
    backend: Backend,
    pg_database: Option<String>,
    _dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

/// The list's query for `pairs` of URL parameters.
pub fn list_query(pairs: &[(&str, &str)]) -> ListQuery {
    ListQuery::from_query(|key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    })
}

/// Reads the event stream until `needle` shows up (or fails after five seconds).
pub async fn read_until(stream: &mut reqwest::Response, needle: &str) -> String {
    read_until_all(stream, &[needle.to_string()]).await
}

/// Reads the event stream until every one of `needles` has shown up (or fails when five
/// seconds pass without a new chunk).
pub async fn read_until_all(stream: &mut reqwest::Response, needles: &[String]) -> String {
    let mut seen = String::new();
    while let Some(missing) = needles
        .iter()
        .find(|needle| !seen.contains(needle.as_str()))
    {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {missing:?} within 5 s; got {seen:?}"))
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    seen
}

/// The PostgreSQL server tests create their databases on. Unreachable is a failure, not a skip.
pub fn pg_admin_url() -> String {
    std::env::var("LEADLINE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestApp {
    pub async fn start(backend: Backend) -> TestApp {
        TestApp::start_with(backend, 600).await
    }

    /// An app whose API allows `api_per_minute` requests per token.
    pub async fn start_with(backend: Backend, api_per_minute: u32) -> TestApp {
        TestApp::start_configured(backend, move |settings| {
            settings.api_per_minute = api_per_minute;
        })
        .await
    }

    /// An app with settings changed from the tests' defaults by `configure`.
    pub async fn start_configured(
        backend: Backend,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg_database) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("leadline.db").display()),
                None,
            ),
            Backend::Postgres => {
                let name = format!(
                    "leadline_test_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let admin = pg_admin_url();
                let db = app::server::Db::connect(&admin).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL at {admin} is required for the tests (set LEADLINE_TEST_PG): {e}")
                });
                drop_leftovers(&db).await;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                    .execute(&db.pool)
                    .await
                    .unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&db.pool)
                    .await
                    .unwrap();
                db.close().await;
                (replace_database(&admin, &name), Some(name))
            }
        };
        TestApp::launch(backend, database_url, pg_database, dir, configure).await
    }

    /// A second Leadline process on this app's database (as two instances behind a load
    /// balancer). Finishing it leaves the database to the first.
    pub async fn second_instance(&self) -> TestApp {
        TestApp::launch(
            self.backend,
            self.database_url.clone(),
            None,
            tempfile::tempdir().unwrap(),
            |_| {},
        )
        .await
    }

    async fn launch(
        backend: Backend,
        database_url: String,
        pg_database: Option<String>,
        dir: tempfile::TempDir,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let mut settings = Settings {
            database_url: database_url.clone(),
            site_addr: "127.0.0.1:0".parse().unwrap(),
            admin_email: Some(ADMIN_EMAIL.into()),
            admin_password: Some(ADMIN_PASSWORD.into()),
            secure_cookies: false,
            login_per_minute: 10,
            api_per_minute: 600,
            // The reminder job looks every second, so a test sees it fire without waiting long.
            reminder_seconds: 1,
            data_dir: dir.path().to_path_buf(),
            max_upload_mb: 1,
            smtp_url: None,
            smtp_from: "Leadline <leadline@test.local>".into(),
            public_url: Some("https://crm.test".into()),
        };
        configure(&mut settings);
        let options = LeptosOptions::builder()
            .output_name("leadline")
            .site_root("target/site")
            .build();
        let running = server::start(&settings, options)
            .await
            .expect("the app starts");
        TestApp {
            base: format!("http://{}", running.addr),
            state: running.state,
            database_url,
            backend,
            pg_database,
            _dir: dir,
            task: running.task,
        }
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// How many attached files are kept on disk (under the data directory).
    pub fn stored_files(&self) -> usize {
        std::fs::read_dir(self._dir.path().join("attachments"))
            .map(|dir| dir.count())
            .unwrap_or(0)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            // A hung response fails its test instead of stalling the run.
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap()
    }

    /// The HTML of a page as `client` (with its session, if any) gets it.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Calls a JSON server function as the page does; returns the status and the body (JSON,
    /// or the text as a JSON string).
    pub async fn rpc(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// One attempt at the sign-in server function, as the sign-in form sends it.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/rpc/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    /// Signs in through the real sign-in server function and returns the client holding the session.
    pub async fn signed_in(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.client();
        let response = self.sign_in(&client, email, password).await;
        assert_eq!(
            response.status(),
            200,
            "sign-in of {email} failed: {}",
            response.text().await.unwrap()
        );
        client
    }

    pub async fn admin(&self) -> reqwest::Client {
        self.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Creates a staff user through the domain and returns them as the domain's `Actor` sees them.
    pub async fn user(&self, name: &str, role: Role) -> (CurrentUser, Actor) {
        let email = format!("{}@test.local", name.to_lowercase().replace(' ', "."));
        let input = app::server::users::NewUser {
            email: email.clone(),
            name: name.into(),
            role: role.as_str().into(),
            password: "user-password-1".into(),
            language: "en".into(),
        };
        let id = app::server::users::create(&self.store().db, &Actor::system(), input)
            .await
            .unwrap();
        let user = CurrentUser {
            id,
            email,
            name: name.into(),
            role,
            locale: Locale::En,
        };
        let actor = Actor::user(&user);
        (user, actor)
    }

    pub async fn admin_actor(&self) -> Actor {
        let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(ADMIN_EMAIL)
            .fetch_one(&self.store().db.pool)
            .await
            .unwrap();
        Actor {
            user_id: Some(id),
            role: Role::Admin,
            locale: Locale::En,
        }
    }

    /// The id of the stage called `name` (stage names of the default pipeline are unique).
    pub async fn stage(&self, name: &str) -> i64 {
        self.stage_with_pipeline(name).await.0
    }

    /// The stage called `name` and its pipeline.
    pub async fn stage_with_pipeline(&self, name: &str) -> (i64, i64) {
        sqlx::query_as("SELECT id, pipeline_id FROM stages WHERE name = $1")
            .bind(name.to_string())
            .fetch_one(&self.store().db.pool)
            .await
            .unwrap()
    }

    pub async fn count(&self, query: &str) -> i64 {
        sqlx::query_scalar(query)
            .fetch_one(&self.store().db.pool)
            .await
            .unwrap()
    }

    /// Stops the server and removes the test database.
    pub async fn finish(self) {
        self.task.abort();
        self.state.store.db.close().await;
        if let Some(name) = &self.pg_database {
            if let Ok(db) = app::server::Db::connect(&pg_admin_url()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&db.pool)
                    .await;
                db.close().await;
            }
        }
        let _ = self.backend;
    }
}

/// Drops test databases left by test processes that died before cleaning up (their name
/// carries the process id), once per process.
async fn drop_leftovers(db: &app::server::Db) {
    static DONE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    DONE.get_or_init(|| async {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT datname FROM pg_database WHERE datname LIKE 'leadline_test_%'",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap_or_default();
        for name in names {
            let pid = name
                .trim_start_matches("leadline_test_")
                .split('_')
                .next()
                .unwrap_or("");
            if !pid.is_empty() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&db.pool)
                    .await;
            }
        }
    })
    .await;
}

/// The same server URL with another database name.
pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rfind('/') {
        Some(slash) if slash > base.find("://").map_or(0, |s| s + 2) => &base[..slash],
        _ => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// `both!(name, |app| async move { … })` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = common::TestApp::start(common::Backend::Sqlite).await;
                let body = $body;
                body(&app).await;
                app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = common::TestApp::start(common::Backend::Postgres).await;
                let body = $body;
                body(&app).await;
                app.finish().await;
            }
        }
    };
}
