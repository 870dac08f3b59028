//! A lead's timeline: logged activities and system entries, newest first, names instead of
//! ids, "I contacted this lead", validation, scope.

#[macro_use]
mod common;
use app::models::{ActivityInput, LeadInput, Role};
use app::server::leads::{self, StageMove, Via};
use app::server::timeline::timeline;
use common::TestApp;
use serde_json::json;

fn activity(kind: &str, body: &str, outcome: &str, minutes: &str) -> ActivityInput {
    ActivityInput {
        kind: kind.into(),
        body: body.into(),
        outcome: outcome.into(),
        duration_minutes: minutes.into(),
    }
}

both!(
    logged_activities_and_system_entries_make_the_timeline,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let lead = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                name: Some("Timeline Tom".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let contacted: i64 = sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Contacted'")
            .fetch_one(&app.store().db.pool)
            .await
            .unwrap();
        let moved = StageMove {
            lead: lead.id,
            to: contacted,
            ..Default::default()
        };
        leads::move_to_stage(app.store(), &admin, &moved, Via::Board)
            .await
            .unwrap();
        leads::assign(app.store(), &admin, lead.id, Some(ana.id), None, Via::Ui)
            .await
            .unwrap();
        // A stale lead: logging a call is activity and contact.
        sqlx::query("UPDATE leads SET last_activity_at = 1000, lastcontact = NULL WHERE id = $1")
            .bind(lead.id)
            .execute(&app.store().db.pool)
            .await
            .unwrap();
        let mut events = app.store().events.subscribe();
        leads::log_activity(
            app.store(),
            &ana_actor,
            lead.id,
            &activity("call", "Asked for a demo next week", "connected", "12"),
            Via::Ui,
        )
        .await
        .unwrap();
        let event = events.recv().await.unwrap();
        assert_eq!(event.lead_id, lead.id, "open boards hear of it");
        let now = leads::get(&app.store().db, &admin, lead.id).await.unwrap();
        assert!(now.last_activity_at > 1000 && now.lastcontact.is_some());
        assert_eq!(now.version, event.version);

        leads::log_activity(
            app.store(),
            &admin,
            lead.id,
            &activity("note", "Prefers email", "", ""),
            Via::Ui,
        )
        .await
        .unwrap();
        let before = leads::get(&app.store().db, &admin, lead.id).await.unwrap();
        sqlx::query("UPDATE leads SET lastcontact = NULL WHERE id = $1")
            .bind(lead.id)
            .execute(&app.store().db.pool)
            .await
            .unwrap();
        leads::mark_contacted(app.store(), &admin, lead.id, Via::Ui)
            .await
            .unwrap();
        let after = leads::get(&app.store().db, &admin, lead.id).await.unwrap();
        assert!(after.lastcontact.is_some() && after.version == before.version + 1);

        let entries = timeline(&app.store().db, &admin, lead.id).await.unwrap();
        let kinds: Vec<(String, Option<String>)> = entries
            .iter()
            .map(|e| (e.kind.clone(), e.event.clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("system".into(), Some("contacted".into())),
                ("note".into(), None),
                ("call".into(), None),
                ("system".into(), Some("assigned".into())),
                ("system".into(), Some("stage_changed".into())),
                ("system".into(), Some("created".into())),
            ],
            "newest first"
        );
        let call = &entries[2];
        assert_eq!(call.body.as_deref(), Some("Asked for a demo next week"));
        assert_eq!(
            (call.outcome.as_deref(), call.duration_minutes),
            (Some("connected"), Some(12))
        );
        assert_eq!(call.user_name.as_deref(), Some("Ana Rep"));
        let stage = entries[4]
            .changes
            .iter()
            .find(|c| c.field == "stage")
            .unwrap();
        assert_eq!(
            (stage.old.as_deref(), stage.new.as_deref()),
            (Some("New"), Some("Contacted")),
            "ids become names"
        );
        let assigned = entries[3]
            .changes
            .iter()
            .find(|c| c.field == "assigned")
            .unwrap();
        assert_eq!(assigned.new.as_deref(), Some("Ana Rep"));

        // Bad input: field errors and nothing written.
        let error = leads::log_activity(
            app.store(),
            &admin,
            lead.id,
            &activity("call", "", "maybe", "-5"),
            Via::Ui,
        )
        .await
        .unwrap_err();
        let fields = error.field_errors().unwrap();
        assert!(fields.contains_key("outcome") && fields.contains_key("duration_minutes"));
        let error = leads::log_activity(
            app.store(),
            &admin,
            lead.id,
            &activity("note", " ", "", ""),
            Via::Ui,
        )
        .await
        .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("body"));
        assert_eq!(
            timeline(&app.store().db, &admin, lead.id)
                .await
                .unwrap()
                .len(),
            6
        );

        // Another rep sees neither the lead nor its timeline, and cannot log on it.
        let (_, bob) = app.user("Bob Rep", Role::Sales).await;
        assert!(timeline(&app.store().db, &bob, lead.id).await.is_err());
        assert!(leads::log_activity(
            app.store(),
            &bob,
            lead.id,
            &activity("note", "x", "", ""),
            Via::Ui
        )
        .await
        .is_err());

        // The page's server functions.
        let client = app.admin().await;
        let (status, body) = app
            .rpc(&client, "/rpc/leads/activity", json!({"lead": lead.id, "input": {"kind": "meeting", "body": "Demo", "outcome": "", "duration_minutes": "45"}}))
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = app
            .rpc(&client, "/rpc/leads/activity", json!({"lead": lead.id, "input": {"kind": "note", "body": "", "outcome": "", "duration_minutes": ""}}))
            .await;
        assert_eq!(status, 422, "{body}");
        let response = client
            .post(app.url("/rpc/leads/timeline"))
            .form(&[("lead", lead.id.to_string())])
            .send()
            .await
            .unwrap();
        let entries: serde_json::Value = response.json().await.unwrap();
        assert_eq!(entries[0]["kind"], "meeting");
        assert_eq!(entries[0]["duration_minutes"], 45);
    }
);
