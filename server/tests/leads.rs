//! The lead domain through its one door: validation, scope, concurrency, stage rules,
//! history and timeline written with every change, live events.

#[macro_use]
mod common;
use app::error::AppError;
use app::models::{LeadInput, Role};
use app::server::leads::{self, StageMove, Via};
use app::server::Actor;
use common::TestApp;

fn named(name: &str) -> LeadInput {
    LeadInput {
        name: Some(name.into()),
        ..Default::default()
    }
}

both!(
    invalid_lead_gets_field_errors_and_nothing_is_saved,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let input = LeadInput {
            name: Some("x".repeat(601)),
            email: Some("not an email".into()),
            lead_value: Some("12.345".into()),
            source: Some("999999".into()),
            ..Default::default()
        };
        let error = leads::create(app.store(), &admin, &input, Via::Ui)
            .await
            .unwrap_err();
        let fields = error.field_errors().expect("a validation error").clone();
        assert!(fields["name"].contains("600"), "{fields:?}");
        assert!(fields.contains_key("email"));
        assert!(fields.contains_key("lead_value"));
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);

        // A reference that does not exist is a field error too, and still nothing is written.
        let input = LeadInput {
            source: Some("999999".into()),
            ..named("Ana")
        };
        let error = leads::create(app.store(), &admin, &input, Via::Ui)
            .await
            .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("source"));
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM lead_stage_history").await,
            0
        );
    }
);

both!(
    created_lead_starts_in_the_default_pipeline_with_history_and_timeline,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let input = LeadInput {
            company: Some("Carpathia Logistics SRL".into()),
            lead_value: Some("1500,50".into()),
            tags: Some("vip, inbound".into()),
            ..named("Ana Popescu")
        };
        let lead = leads::create(app.store(), &admin, &input, Via::Ui)
            .await
            .unwrap();
        assert_eq!(lead.stage_id, app.stage("New").await);
        assert_eq!(lead.lead_value, Some(150_050));
        assert_eq!(
            lead.assigned, admin.user_id,
            "the creator owns a lead nobody was assigned to"
        );
        assert_eq!(lead.tags, vec!["inbound", "vip"]);
        assert!(lead.source_id.is_some(), "the default source");
        assert_eq!(lead.version, 1);
        let history: Vec<(Option<i64>, i64, Option<i64>, String)> =
        sqlx::query_as("SELECT from_stage_id, to_stage_id, left_at, via FROM lead_stage_history WHERE lead_id = $1")
            .bind(lead.id)
            .fetch_all(&app.store().db.pool)
            .await
            .unwrap();
        assert_eq!(history, vec![(None, lead.stage_id, None, "ui".to_string())]);
        let events: Vec<String> =
            sqlx::query_scalar("SELECT event FROM activities WHERE lead_id = $1")
                .bind(lead.id)
                .fetch_all(&app.store().db.pool)
                .await
                .unwrap();
        assert_eq!(events, vec!["created"]);
    }
);

both!(
    sales_rep_sees_own_assigned_and_public_leads_only,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (_, bob_actor) = app.user("Bob Rep", Role::Sales).await;
        let (_, manager) = app.user("Mara Manager", Role::Manager).await;
        let assigned_to_ana = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                assigned: Some(ana.id.to_string()),
                ..named("For Ana")
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let created_by_ana = leads::create(
            app.store(),
            &ana_actor,
            &LeadInput {
                assigned: Some(String::new()),
                ..named("By Ana")
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let public = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                is_public: Some("on".into()),
                ..named("Public")
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let private = leads::create(app.store(), &admin, &named("Admin's own"), Via::Ui)
            .await
            .unwrap();

        let list = |actor: app::server::Actor| async move {
            let query = app::models::ListQuery::default();
            app::server::list::page(&app.store().db, &actor, &query, 50, None)
                .await
                .unwrap()
        };
        let seen =
            |page: app::models::ListPage| page.rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        let mut ana_sees = seen(list(ana_actor.clone()).await);
        ana_sees.sort();
        assert_eq!(
            ana_sees,
            vec![assigned_to_ana.id, created_by_ana.id, public.id]
        );
        assert_eq!(
            list(ana_actor.clone()).await.total,
            3,
            "the count is scoped too"
        );
        assert_eq!(seen(list(bob_actor.clone()).await), vec![public.id]);
        assert_eq!(list(manager.clone()).await.total, 4);

        // Reading, changing and deleting a lead out of scope all look like "not found".
        assert_eq!(
            leads::get(&app.store().db, &bob_actor, private.id)
                .await
                .unwrap_err(),
            AppError::NotFound
        );
        let error = leads::update(
            app.store(),
            &bob_actor,
            private.id,
            &named("Hijacked"),
            None,
            Via::Ui,
        )
        .await
        .unwrap_err();
        assert_eq!(error, AppError::NotFound);
        assert_eq!(
            leads::delete(app.store(), &bob_actor, private.id, Via::Ui)
                .await
                .unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            leads::get(&app.store().db, &admin, private.id)
                .await
                .unwrap()
                .name,
            "Admin's own"
        );
    }
);

both!(
    a_move_based_on_a_stale_version_is_refused_with_the_current_stage,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let lead = leads::create(app.store(), &admin, &named("Contested"), Via::Ui)
            .await
            .unwrap();
        let contacted = app.stage("Contacted").await;
        let qualified = app.stage("Qualified").await;
        let first = StageMove {
            lead: lead.id,
            to: contacted,
            expected_version: Some(lead.version),
            ..Default::default()
        };
        let moved = leads::move_to_stage(app.store(), &admin, &first, Via::Board)
            .await
            .unwrap();
        assert_eq!(moved.version, lead.version + 1);
        let stale = StageMove {
            lead: lead.id,
            to: qualified,
            expected_version: Some(lead.version),
            ..Default::default()
        };
        let error = leads::move_to_stage(app.store(), &admin, &stale, Via::Board)
            .await
            .unwrap_err();
        match error {
            AppError::Conflict { message } => assert!(message.contains("Contacted"), "{message}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(
            leads::get(&app.store().db, &admin, lead.id)
                .await
                .unwrap()
                .stage_id,
            contacted
        );
    }
);

both!(
    concurrent_moves_of_one_lead_never_lose_an_update,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let lead = leads::create(app.store(), &admin, &named("Raced"), Via::Ui)
            .await
            .unwrap();
        let targets = [app.stage("Contacted").await, app.stage("Qualified").await];
        let moves = targets.map(|to| {
            let store = app.store().clone();
            let admin = admin.clone();
            let stage_move = StageMove {
                lead: lead.id,
                to,
                expected_version: Some(lead.version),
                ..Default::default()
            };
            tokio::spawn(async move {
                leads::move_to_stage(&store, &admin, &stage_move, Via::Board).await
            })
        });
        let mut outcomes = Vec::new();
        for handle in moves {
            outcomes.push(handle.await.unwrap());
        }
        let won: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
        assert_eq!(won.len(), 1, "exactly one move wins: {outcomes:?}");
        assert!(outcomes
            .iter()
            .any(|o| matches!(o, Err(AppError::Conflict { .. }))));
        let now = leads::get(&app.store().db, &admin, lead.id).await.unwrap();
        assert_eq!(now.stage_id, won[0].stage_id);
        assert_eq!(now.version, lead.version + 1);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM lead_stage_history WHERE lead_id = {}",
                lead.id
            ))
            .await,
            2
        );
    }
);

both!(
    every_move_closes_the_old_stay_and_records_time_spent,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let lead = leads::create(app.store(), &admin, &named("Traveller"), Via::Ui)
            .await
            .unwrap();
        let new = lead.stage_id;
        let contacted = app.stage("Contacted").await;
        let stage_move = StageMove {
            lead: lead.id,
            to: contacted,
            ..Default::default()
        };
        leads::move_to_stage(app.store(), &admin, &stage_move, Via::Api)
            .await
            .unwrap();
        let history: Vec<(Option<i64>, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT from_stage_id, to_stage_id, left_at, via FROM lead_stage_history WHERE lead_id = $1 ORDER BY id",
    )
    .bind(lead.id)
    .fetch_all(&app.store().db.pool)
    .await
    .unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!((history[0].0, history[0].1), (None, new));
        assert!(history[0].2.is_some(), "the first stay is closed");
        assert_eq!(
            (history[1].0, history[1].1, history[1].2.is_none()),
            (Some(new), contacted, true)
        );
        assert_eq!(history[1].3, "api");
        let changes: String = sqlx::query_scalar(
            "SELECT changes FROM activities WHERE lead_id = $1 AND event = 'stage_changed'",
        )
        .bind(lead.id)
        .fetch_one(&app.store().db.pool)
        .await
        .unwrap();
        assert!(changes.contains("time_in_stage_ms"), "{changes}");
        let moved = leads::get(&app.store().db, &admin, lead.id).await.unwrap();
        assert!(moved.last_status_change.is_some());
    }
);

both!(
    a_stage_requiring_fields_refuses_the_move_until_they_come_with_it,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let lead = leads::create(app.store(), &admin, &named("Needs value"), Via::Ui)
            .await
            .unwrap();
        let proposal = app.stage("Proposal").await; // requires lead_value by default
        let bare = StageMove {
            lead: lead.id,
            to: proposal,
            ..Default::default()
        };
        let error = leads::move_to_stage(app.store(), &admin, &bare, Via::Board)
            .await
            .unwrap_err();
        assert!(error.field_errors().unwrap()["lead_value"].contains("Proposal"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM lead_stage_history").await,
            1,
            "nothing written"
        );

        let with_value = StageMove {
            fields: LeadInput {
                lead_value: Some("2500".into()),
                ..Default::default()
            },
            ..bare
        };
        let moved = leads::move_to_stage(app.store(), &admin, &with_value, Via::Board)
            .await
            .unwrap();
        assert_eq!(
            (moved.stage_id, moved.lead_value),
            (proposal, Some(250_000))
        );

        // The same rule holds on a plain update: the value cannot be cleared while in Proposal.
        let clear = LeadInput {
            lead_value: Some(String::new()),
            ..Default::default()
        };
        let error = leads::update(app.store(), &admin, lead.id, &clear, None, Via::Api)
            .await
            .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("lead_value"));
    }
);

both!(
    partial_update_changes_only_what_was_sent_and_logs_old_and_new,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let input = LeadInput {
            email: Some("ana@example.com".into()),
            address: Some("Str. Lunga 1".into()),
            country: Some("Romania".into()),
            is_public: Some("1".into()),
            ..named("Ana")
        };
        let lead = leads::create(app.store(), &admin, &input, Via::Ui)
            .await
            .unwrap();
        let patch = LeadInput {
            company: Some("Danube Foods".into()),
            ..Default::default()
        };
        let updated = leads::update(app.store(), &admin, lead.id, &patch, None, Via::Api)
            .await
            .unwrap();
        assert_eq!(updated.company.as_deref(), Some("Danube Foods"));
        assert_eq!(updated.email.as_deref(), Some("ana@example.com"));
        assert_eq!(updated.address.as_deref(), Some("Str. Lunga 1"));
        assert_eq!(updated.country.as_deref(), Some("Romania"));
        assert!(updated.is_public);
        let changes: String = sqlx::query_scalar(
            "SELECT changes FROM activities WHERE lead_id = $1 AND event = 'updated'",
        )
        .bind(lead.id)
        .fetch_one(&app.store().db.pool)
        .await
        .unwrap();
        let changes: serde_json::Value = serde_json::from_str(&changes).unwrap();
        assert_eq!(
            changes,
            serde_json::json!([{"field": "company", "old": null, "new": "Danube Foods"}])
        );
    }
);

both!(
    assigning_notifies_the_new_owner_and_records_it,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, _) = app.user("Ana Rep", Role::Sales).await;
        let lead = leads::create(app.store(), &admin, &named("Handover"), Via::Ui)
            .await
            .unwrap();
        let assigned = leads::assign(
            app.store(),
            &admin,
            lead.id,
            Some(ana.id),
            Some(lead.version),
            Via::Bulk,
        )
        .await
        .unwrap();
        assert_eq!(assigned.assigned, Some(ana.id));
        assert!(assigned.dateassigned.is_some());
        let notified = app
            .count(&format!(
                "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND kind = 'assigned'",
                ana.id
            ))
            .await;
        assert_eq!(notified, 1);
        let error = leads::assign(app.store(), &admin, lead.id, Some(987_654), None, Via::Ui)
            .await
            .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("assigned"));
    }
);

both!(
    a_card_dropped_before_another_lands_between_its_neighbours,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let new = app.stage("New").await;
        let mut ids = Vec::new();
        for name in ["C", "B", "A"] {
            ids.push(
                leads::create(app.store(), &admin, &named(name), Via::Ui)
                    .await
                    .unwrap()
                    .id,
            );
        }
        // Newest first: A, B, C. Put C between A and B.
        let (c, b) = (ids[0], ids[1]);
        let stage_move = StageMove {
            lead: c,
            to: new,
            before: Some(b),
            ..Default::default()
        };
        leads::move_to_stage(app.store(), &admin, &stage_move, Via::Board)
            .await
            .unwrap();
        let order: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM leads WHERE stage_id = $1 AND deleted_at IS NULL ORDER BY position, id",
    )
    .bind(new)
    .fetch_all(&app.store().db.pool)
    .await
    .unwrap();
        assert_eq!(order, vec!["A", "C", "B"]);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM lead_stage_history").await,
            3,
            "reordering is not a stage change"
        );
    }
);

both!(
    deleted_leads_go_to_the_trash_and_out_of_sight,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let lead = leads::create(app.store(), &admin, &named("Gone"), Via::Ui)
            .await
            .unwrap();
        leads::delete(app.store(), &admin, lead.id, Via::Ui)
            .await
            .unwrap();
        assert_eq!(
            leads::get(&app.store().db, &admin, lead.id)
                .await
                .unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            app::server::list::page(&app.store().db, &admin, &Default::default(), 50, None)
                .await
                .unwrap()
                .total,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM leads WHERE deleted_at IS NOT NULL")
                .await,
            1,
            "kept in the trash"
        );
    }
);

both!(
    every_change_is_announced_after_commit,
    async |app: &TestApp| {
        use app::server::events::LeadEventKind;
        let admin = app.admin_actor().await;
        let mut events = app.store().events.subscribe();
        let lead = leads::create(app.store(), &admin, &named("Live"), Via::Ui)
            .await
            .unwrap();
        let contacted = app.stage("Contacted").await;
        leads::move_to_stage(
            app.store(),
            &admin,
            &StageMove {
                lead: lead.id,
                to: contacted,
                ..Default::default()
            },
            Via::Board,
        )
        .await
        .unwrap();
        leads::update(
            app.store(),
            &admin,
            lead.id,
            &LeadInput {
                city: Some("Iași".into()),
                ..Default::default()
            },
            None,
            Via::Ui,
        )
        .await
        .unwrap();
        leads::delete(app.store(), &admin, lead.id, Via::Ui)
            .await
            .unwrap();
        let kinds: Vec<LeadEventKind> = (0..4).map(|_| events.try_recv().unwrap().kind).collect();
        assert_eq!(
            kinds,
            vec![
                LeadEventKind::Created,
                LeadEventKind::Moved,
                LeadEventKind::Updated,
                LeadEventKind::Deleted
            ]
        );
        // A refused change announces nothing.
        let _ = leads::update(app.store(), &admin, 999_999, &named("x"), None, Via::Ui).await;
        assert!(events.try_recv().is_err());
        let _ = Actor::system();
    }
);

both!(
    leads_page_lists_what_the_user_may_see,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (_, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        leads::create(
            app.store(),
            &admin,
            &LeadInput {
                company: Some("Nova Labs".into()),
                ..named("Visible To Admin")
            },
            Via::Ui,
        )
        .await
        .unwrap();
        leads::create(app.store(), &ana_actor, &named("Ana Own Lead"), Via::Ui)
            .await
            .unwrap();
        let html = app.page(&app.admin().await, "/admin/leads").await;
        assert!(
            html.contains("Visible To Admin")
                && html.contains("Nova Labs")
                && html.contains("Ana Own Lead"),
            "{html}"
        );
        let ana = app.signed_in("ana.rep@test.local", "user-password-1").await;
        let html = app.page(&ana, "/admin/leads").await;
        assert!(html.contains("Ana Own Lead"));
        assert!(
            !html.contains("Visible To Admin"),
            "a sales rep does not see another's private lead"
        );
    }
);

both!(
    a_lead_keeps_an_owner_who_was_deactivated_while_other_fields_change,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, _) = app.user("Ana Rep", Role::Sales).await;
        let input = LeadInput {
            assigned: Some(ana.id.to_string()),
            ..named("Kept")
        };
        let lead = leads::create(app.store(), &admin, &input, Via::Ui)
            .await
            .unwrap();
        app::server::users::update_access(app.store(), &admin, ana.id, Role::Sales, false)
            .await
            .unwrap();
        let patch = LeadInput {
            company: Some("Still Here SRL".into()),
            ..Default::default()
        };
        let updated = leads::update(app.store(), &admin, lead.id, &patch, None, Via::Ui)
            .await
            .unwrap();
        assert_eq!(updated.assigned, Some(ana.id));
        // Assigning anew to the deactivated user is refused.
        let other = leads::create(app.store(), &admin, &named("Other"), Via::Ui)
            .await
            .unwrap();
        let error = leads::assign(app.store(), &admin, other.id, Some(ana.id), None, Via::Ui)
            .await
            .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("assigned"));
    }
);
