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

    // After bulk rows with explicit ids, new leads still get fresh ids.
    let admin = app.admin_actor().await;
    let input = app::models::LeadInput {
        name: Some("After demo".into()),
        ..Default::default()
    };
    let lead = app::server::leads::create(app.store(), &admin, &input, app::server::leads::Via::Ui)
        .await
        .unwrap();
    assert_eq!(lead.id, 1001);

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
