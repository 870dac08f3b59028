//! Notifications: written where things happen (assigned, moved by someone else), read and
//! cleared by their own user only, counted for the bell.

#[macro_use]
mod common;
use app::models::{LeadInput, Role};
use app::server::leads::{self, StageMove, Via};
use app::server::notifications;
use common::TestApp;

both!(
    assignments_and_moves_notify_the_owner_who_alone_reads_and_clears_them,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (_, bob_actor) = app.user("Bob Rep", Role::Sales).await;
        let lead = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                name: Some("Notified Nora".into()),
                assigned: Some(ana.id.to_string()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        // Ana moving her own lead tells nobody; the admin moving it tells Ana.
        let contacted: i64 = sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Contacted'")
            .fetch_one(&app.store().db.pool)
            .await
            .unwrap();
        let to = |stage| StageMove {
            lead: lead.id,
            to: stage,
            ..Default::default()
        };
        leads::move_to_stage(app.store(), &ana_actor, &to(contacted), Via::Board)
            .await
            .unwrap();
        leads::move_to_stage(app.store(), &admin, &to(lead.stage_id), Via::Board)
            .await
            .unwrap();

        let mine = notifications::list(&app.store().db, &ana_actor)
            .await
            .unwrap();
        let kinds: Vec<&str> = mine.items.iter().map(|n| n.kind.as_str()).collect();
        assert_eq!(kinds, vec!["moved", "assigned"], "newest first");
        assert_eq!(mine.unread, 2);
        assert_eq!(mine.items[0].actor_name.as_deref(), Some("Administrator"));
        assert_eq!(mine.items[0].lead_name.as_deref(), Some("Notified Nora"));

        // Bob can neither see nor clear Ana's.
        assert!(notifications::list(&app.store().db, &bob_actor)
            .await
            .unwrap()
            .items
            .is_empty());
        notifications::mark_read(&app.store().db, &bob_actor, Some(mine.items[0].id))
            .await
            .unwrap();
        assert_eq!(
            notifications::unread(&app.store().db, ana.id)
                .await
                .unwrap(),
            2
        );

        notifications::mark_read(&app.store().db, &ana_actor, Some(mine.items[0].id))
            .await
            .unwrap();
        assert_eq!(
            notifications::unread(&app.store().db, ana.id)
                .await
                .unwrap(),
            1
        );
        notifications::mark_read(&app.store().db, &ana_actor, None)
            .await
            .unwrap();
        let mine = notifications::list(&app.store().db, &ana_actor)
            .await
            .unwrap();
        assert_eq!(mine.unread, 0);
        assert!(mine.items.iter().all(|n| n.read));
    }
);
