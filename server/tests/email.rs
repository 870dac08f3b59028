//! Notifications by email, against a local SMTP sink: each notification reaches its
//! recipient once, in their language, with a link to the lead; a refused send is retried a
//! few times and then given up; without SMTP nothing is sent and the settings page says so.

#[macro_use]
mod common;
use app::models::{LeadInput, Role};
use app::server::leads::{self, Via};
use common::{Backend, TestApp};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the sink received: one entry per accepted message (recipients, then the data), and
/// every RCPT it was offered.
#[derive(Default)]
struct Received {
    messages: Vec<(Vec<String>, String)>,
    offered: Vec<String>,
}

/// A small SMTP server: accepts every message, except to addresses starting with "bounce".
async fn smtp_sink() -> (String, Arc<Mutex<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Received::default()));
    let shared = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let shared = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut recipients = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        let address = line[8..].trim().trim_matches(['<', '>']).to_string();
                        shared.lock().unwrap().offered.push(address.clone());
                        if address.starts_with("bounce") {
                            b"550 no such user\r\n"
                        } else {
                            recipients.push(address);
                            b"250 OK\r\n"
                        }
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go ahead\r\n").await;
                        let mut data = String::new();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            data.push_str(&line);
                            data.push('\n');
                        }
                        shared
                            .lock()
                            .unwrap()
                            .messages
                            .push((std::mem::take(&mut recipients), data));
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        if upper.starts_with("RSET") || upper.starts_with("MAIL") {
                            recipients.clear();
                        }
                        b"250 OK\r\n"
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    (url, received)
}

async fn with_sink(backend: Backend, body: impl AsyncFnOnce(&TestApp, Arc<Mutex<Received>>)) {
    let (url, received) = smtp_sink().await;
    let app = TestApp::start_configured(backend, move |settings| {
        settings.smtp_url = Some(url);
    })
    .await;
    body(&app, received).await;
    app.finish().await;
}

/// Waits (up to 10 s) until `done` holds for what the sink received.
async fn until(received: &Arc<Mutex<Received>>, done: impl Fn(&Received) -> bool) {
    for _ in 0..100 {
        if done(&received.lock().unwrap()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the SMTP sink did not receive what was expected in time");
}

async fn assigned_lead(app: &TestApp, to: i64, name: &str) -> i64 {
    let input = LeadInput {
        name: Some(name.into()),
        assigned: Some(to.to_string()),
        ..Default::default()
    };
    leads::create(app.store(), &app.admin_actor().await, &input, Via::Ui)
        .await
        .unwrap()
        .id
}

async fn a_notification_is_emailed_once_with_a_link(backend: Backend) {
    with_sink(
        backend,
        async |app: &TestApp, received: Arc<Mutex<Received>>| {
            let (rita, _) = app.user("Rita Rep", Role::Sales).await;
            let id = assigned_lead(app, rita.id, "Mailed Mihai").await;
            until(&received, |r| !r.messages.is_empty()).await;
            // Give a second pass the chance to send it again (it must not).
            tokio::time::sleep(Duration::from_millis(2500)).await;
            let received = received.lock().unwrap();
            assert_eq!(received.messages.len(), 1, "sent once");
            let (to, data) = &received.messages[0];
            assert_eq!(to, &vec!["rita.rep@test.local".to_string()]);
            assert!(
                data.contains("Subject: Leadline: Administrator assigned Mailed Mihai to you"),
                "{data}"
            );
            assert!(
                data.contains("From: Leadline <leadline@test.local>"),
                "{data}"
            );
            assert!(
                data.contains(&format!("https://crm.test/admin/leads/{id}")),
                "{data}"
            );
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_is_emailed_once_with_a_link_sqlite() {
    a_notification_is_emailed_once_with_a_link(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_is_emailed_once_with_a_link_postgres() {
    a_notification_is_emailed_once_with_a_link(Backend::Postgres).await;
}

async fn a_refused_email_is_retried_then_given_up(backend: Backend) {
    with_sink(
        backend,
        async |app: &TestApp, received: Arc<Mutex<Received>>| {
            let admin = app.admin_actor().await;
            let input = app::server::users::NewUser {
                email: "bounce@test.local".into(),
                name: "Bo Bounce".into(),
                role: "sales".into(),
                password: "user-password-1".into(),
                language: "ro".into(),
            };
            let bounce = app::server::users::create(&app.store().db, &admin, input)
                .await
                .unwrap();
            assigned_lead(app, bounce, "Bounced Bianca").await;
            let tries = |r: &Received| r.offered.iter().filter(|a| a.starts_with("bounce")).count();
            until(&received, |r| tries(r) >= 5).await;
            tokio::time::sleep(Duration::from_millis(2500)).await;
            assert_eq!(
                tries(&received.lock().unwrap()),
                5,
                "five tries, then no more"
            );
            assert!(received.lock().unwrap().messages.is_empty());
            let error: String =
                sqlx::query_scalar("SELECT email_error FROM notifications WHERE user_id = $1")
                    .bind(bounce)
                    .fetch_one(&app.store().db.pool)
                    .await
                    .unwrap();
            assert!(error.contains("no such user"), "{error}");
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_email_is_retried_then_given_up_sqlite() {
    a_refused_email_is_retried_then_given_up(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_email_is_retried_then_given_up_postgres() {
    a_refused_email_is_retried_then_given_up(Backend::Postgres).await;
}

both!(
    without_smtp_nothing_is_sent_and_the_settings_say_so,
    async |app: &TestApp| {
        let client = app.admin().await;
        let response = client
            .post(app.url("/rpc/settings/email"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let status: Value = response.json().await.unwrap();
        assert_eq!(status["server"], Value::Null);
        let test = client
            .post(app.url("/rpc/settings/email/test"))
            .send()
            .await
            .unwrap();
        assert_eq!(test.status(), 409, "no SMTP server to send through");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sends_a_test_email() {
    with_sink(
        Backend::Sqlite,
        async |app: &TestApp, received: Arc<Mutex<Received>>| {
            let client = app.admin().await;
            let status: Value = client
                .post(app.url("/rpc/settings/email"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert!(status["server"].as_str().unwrap().starts_with("127.0.0.1:"));
            let response = client
                .post(app.url("/rpc/settings/email/test"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            until(&received, |r| !r.messages.is_empty()).await;
            let received = received.lock().unwrap();
            assert_eq!(
                received.messages[0].0,
                vec![common::ADMIN_EMAIL.to_string()]
            );
            assert!(received.messages[0]
                .1
                .contains("Subject: Leadline: test email"));
        },
    )
    .await;
}
