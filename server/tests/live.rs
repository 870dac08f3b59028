//! Live events: the stream a signed-in user follows, its scope, and events crossing
//! Leadline processes that share a PostgreSQL database.

#[macro_use]
mod common;
use app::models::{LeadInput, Role};
use app::server::leads::{self, Via};
use common::{read_until, Backend, TestApp};
use std::time::Duration;

fn named(name: &str) -> LeadInput {
    LeadInput {
        name: Some(name.into()),
        ..Default::default()
    }
}

both!(
    a_sales_rep_follows_live_changes_of_leads_they_may_see_only,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, _) = app.user("Ana Rep", Role::Sales).await;
        let client = app.signed_in(&ana.email, "user-password-1").await;
        let mut stream = client.get(app.url("/admin/events")).send().await.unwrap();
        assert_eq!(stream.status(), 200);
        assert_eq!(stream.headers()["content-type"], "text/event-stream");

        let hidden = leads::create(
            app.store(),
            &admin,
            &named("Admin's private lead"),
            Via::Api,
        )
        .await
        .unwrap();
        let input = LeadInput {
            assigned: Some(ana.id.to_string()),
            ..named("For Ana")
        };
        let shown = leads::create(app.store(), &admin, &input, Via::Api)
            .await
            .unwrap();
        let seen = read_until(&mut stream, &format!("\"lead_id\":{}", shown.id)).await;
        assert!(seen.contains("event: lead"), "{seen}");
        assert!(seen.contains("\"kind\":\"Created\""), "{seen}");
        assert!(
            !seen.contains(&format!("\"lead_id\":{},", hidden.id)),
            "a private lead of another user leaked: {seen}"
        );

        // A later change to the same lead follows on the same stream.
        leads::update(
            app.store(),
            &admin,
            shown.id,
            &LeadInput {
                city: Some("Cluj".into()),
                ..Default::default()
            },
            None,
            Via::Ui,
        )
        .await
        .unwrap();
        let seen = read_until(&mut stream, "\"kind\":\"Updated\"").await;
        assert!(seen.contains(&format!("\"lead_id\":{}", shown.id)));
    }
);

both!(the_event_stream_needs_a_session, async |app: &TestApp| {
    let response = app
        .client()
        .get(app.url("/admin/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_database_see_each_others_changes() {
    let first = TestApp::start(Backend::Postgres).await;
    let second = first.second_instance().await;
    let mut heard_by_second = second.store().events.subscribe();
    let mut heard_by_first = first.store().events.subscribe();
    let admin = first.admin_actor().await;

    let lead = leads::create(first.store(), &admin, &named("Across instances"), Via::Api)
        .await
        .unwrap();
    let event = tokio::time::timeout(Duration::from_secs(5), heard_by_second.recv())
        .await
        .expect("the second process hears the first one's change within 5 s")
        .unwrap();
    assert_eq!(event.lead_id, lead.id);

    // The first process hears its own change once, not a second time through PostgreSQL.
    assert_eq!(heard_by_first.recv().await.unwrap().lead_id, lead.id);
    leads::delete(second.store(), &admin, lead.id, Via::Api)
        .await
        .unwrap();
    let deleted = tokio::time::timeout(Duration::from_secs(5), heard_by_first.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (deleted.lead_id, deleted.kind),
        (lead.id, app::server::events::LeadEventKind::Deleted)
    );
    assert!(
        heard_by_first.try_recv().is_err(),
        "no duplicate deliveries"
    );

    second.finish().await;
    first.finish().await;
}
