//! The `leadline` binary's commands against real databases.

#[macro_use]
mod common;
use common::{Backend, TestApp};
use std::process::Command;

fn leadline(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_leadline"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("leadline runs")
}

async fn demo_and_user_commands(backend: Backend) {
    let app = TestApp::start(backend).await;
    let url = app.database_url.clone();
    let out = leadline(
        &url,
        &[
            "user",
            "add",
            "--email",
            "cli@test.local",
            "--name",
            "Cli User",
            "--role",
            "manager",
            "--password",
            "cli-password-1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = leadline(
        &url,
        &[
            "user",
            "add",
            "--email",
            "bad",
            "--name",
            "",
            "--role",
            "boss",
            "--password",
            "x",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("email:") && stderr.contains("role:") && stderr.contains("password:"),
        "{stderr}"
    );

    let out = leadline(&url, &["demo", "--leads", "1000", "--seed", "7"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 1000);
    assert!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'sales'")
            .await
            >= 5
    );
    // Every lead has exactly one open stay, in the stage it is in.
    let mismatched = app
        .count(
            "SELECT COUNT(*) FROM leads l WHERE 1 <> (SELECT COUNT(*) FROM lead_stage_history h \
             WHERE h.lead_id = l.id AND h.left_at IS NULL AND h.to_stage_id = l.stage_id)",
        )
        .await;
    assert_eq!(mismatched, 0);
    assert!(
        app.count("SELECT COUNT(*) FROM lead_stage_history").await > 1000,
        "leads moved through stages"
    );
    assert!(
        app.count("SELECT COUNT(*) FROM activities WHERE kind = 'note'")
            .await
            > 100
    );
    assert!(app.count("SELECT COUNT(*) FROM leads WHERE lost = 1").await > 50);

    // The search index holds the loaded leads: open ones across the load are found by email.
    let admin = app.admin_actor().await;
    let open: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, email FROM leads WHERE lost = 0 AND junk = 0 AND email IS NOT NULL ORDER BY id",
    )
    .fetch_all(&app.store().db.pool)
    .await
    .unwrap();
    assert!(open.len() > 500);
    for (id, email) in open.iter().step_by(97).chain(open.last()) {
        let query = app::models::ListQuery::from_query(|key| (key == "q").then(|| email.clone()));
        let page = app::server::list::page(&app.store().db, &admin, &query, 100, None)
            .await
            .unwrap();
        assert!(
            page.rows.iter().any(|row| row.id == *id),
            "lead {id} found by {email}"
        );
    }

    // After bulk rows with explicit ids, new leads still get fresh ids.
    let input = app::models::LeadInput {
        name: Some("After demo".into()),
        ..Default::default()
    };
    let lead = app::server::leads::create(app.store(), &admin, &input, app::server::leads::Via::Ui)
        .await
        .unwrap();
    assert_eq!(lead.id, 1001);

    // The kept stage totals agree with a full count after the bulk load and the edits since.
    let drift = app
        .count(
            "SELECT COUNT(*) FROM (SELECT stage_id, COALESCE(assigned, 0) AS a, COALESCE(addedfrom, 0) AS f, is_public AS p, \
             CASE WHEN lost = 1 THEN 1 WHEN junk = 1 THEN 2 ELSE 0 END AS st, COALESCE(source_id, 0) AS src, \
             COUNT(*) AS n, COALESCE(SUM(lead_value), 0) AS v \
             FROM leads WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6) c FULL OUTER JOIN \
             (SELECT * FROM stage_totals WHERE leads <> 0) t ON t.stage_id = c.stage_id AND t.assigned = c.a \
             AND t.addedfrom = c.f AND t.is_public = c.p AND t.status = c.st AND t.source_id = c.src \
             WHERE c.n IS NULL OR t.leads IS NULL OR c.n <> t.leads OR c.v <> t.value",
        )
        .await;
    assert_eq!(drift, 0, "stage_totals match the leads");
    let tag_drift = app
        .count(
            "SELECT COUNT(*) FROM (SELECT lt.tag_id, l.stage_id, COALESCE(l.assigned, 0) AS a, \
             COALESCE(l.addedfrom, 0) AS f, l.is_public AS p, \
             CASE WHEN l.lost = 1 THEN 1 WHEN l.junk = 1 THEN 2 ELSE 0 END AS st, COALESCE(l.source_id, 0) AS src, \
             COUNT(*) AS n, COALESCE(SUM(l.lead_value), 0) AS v \
             FROM lead_tags lt JOIN leads l ON l.id = lt.lead_id WHERE l.deleted_at IS NULL \
             GROUP BY 1, 2, 3, 4, 5, 6, 7) c FULL OUTER JOIN \
             (SELECT tag_id, stage_id, assigned, addedfrom, is_public, status, source_id, \
              SUM(leads) AS leads, SUM(value) AS value FROM tag_totals \
              GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(leads) <> 0) t ON t.tag_id = c.tag_id AND t.stage_id = c.stage_id \
             AND t.assigned = c.a AND t.addedfrom = c.f AND t.is_public = c.p AND t.status = c.st \
             AND t.source_id = c.src \
             WHERE c.n IS NULL OR t.leads IS NULL OR c.n <> t.leads OR c.v <> t.value",
        )
        .await;
    assert_eq!(tag_drift, 0, "tag_totals match the leads' tags");
    let day_drift = app.count(common::DAY_TOTALS_DRIFT).await;
    assert_eq!(day_drift, 0, "day_totals match the leads");
    assert!(
        app.count("SELECT COUNT(*) FROM tag_totals WHERE leads > 0")
            .await
            > 10
    );

    // `leadline token create` prints the token alone; it works with its capabilities only.
    let out = leadline(
        &url,
        &[
            "token",
            "create",
            "--user",
            "CLI@test.local",
            "--name",
            "Reporting",
            "--capabilities",
            "get,search_get",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.trim();
    assert!(
        token.starts_with("ll_") && !token.contains(char::is_whitespace),
        "{stdout:?}"
    );
    let client = reqwest::Client::new();
    let get = client
        .get(app.url("/api/leads?per_page=1"))
        .header("authtoken", token)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
    assert_eq!(get.headers()["x-total-count"], "1001");
    let post = client
        .post(app.url("/api/leads"))
        .header("authtoken", token)
        .json(&serde_json::json!({"name": "Not allowed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);
    let out = leadline(
        &url,
        &[
            "token",
            "create",
            "--user",
            "nobody@test.local",
            "--name",
            "X",
        ],
    );
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let out = leadline(
        &url,
        &[
            "token",
            "create",
            "--user",
            "cli@test.local",
            "--name",
            "X",
            "--capabilities",
            "get,fly",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("capabilities"));

    let out = leadline(&url, &["migrate"]);
    assert!(out.status.success());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_and_user_commands_on_sqlite() {
    demo_and_user_commands(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_and_user_commands_on_postgres() {
    demo_and_user_commands(Backend::Postgres).await;
}

/// SQLite's planner statistics: exact ones survive a restart (a sample would put ~1,000 leads
/// in every stage and make the list sort every lead), missing or outgrown ones are taken again.
#[tokio::test]
async fn planner_statistics_survive_a_restart_and_are_taken_again_when_missing_on_sqlite() {
    // No app running beside: the database as the demo leaves it, opened as a start opens it.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("stats.db").display());
    let out = leadline(&url, &["demo", "--leads", "3000", "--seed", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = &app::server::db::Db::connect(&url).await.unwrap();
    let stats = || async {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'leads' AND idx IS NOT NULL ORDER BY idx",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        rows
    };
    let measured = stats().await;
    let fresh = app::server::db::Db::connect(&url).await.unwrap();
    fresh.refresh_statistics().await.unwrap(); // a full ANALYZE, by a process that ran no migration
    assert_eq!(
        stats().await,
        measured,
        "the demo leaves exact statistics, not samples"
    );
    let per_stage = |stats: &[(String, String)]| -> i64 {
        let (_, stat) = stats
            .iter()
            .find(|(idx, _)| idx == "leads_sort_stage")
            .unwrap();
        stat.split(' ').nth(1).unwrap().parse().unwrap()
    };
    // 3,000 leads over the demo's stages: as many per stage as counted (SQLite rounds up),
    // not a sample's guess.
    let (rows, stages): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT stage_id) FROM leads WHERE deleted_at IS NULL",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        per_stage(&measured),
        (rows + stages - 1) / stages,
        "{measured:?}"
    );

    db.migrate().await.unwrap(); // what every start does
    assert_eq!(stats().await, measured, "a restart keeps exact statistics");

    sqlx::query("DELETE FROM sqlite_stat1 WHERE tbl = 'leads'")
        .execute(&db.pool)
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let retaken = stats().await;
    assert_eq!(
        retaken.len(),
        measured.len(),
        "missing statistics are taken again"
    );
    db.refresh_statistics().await.unwrap(); // a full ANALYZE
    assert_eq!(retaken, stats().await, "in full, not sampled");
}
