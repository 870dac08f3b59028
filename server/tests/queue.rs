//! The SDR's daily queue: my due reminders and next actions (overdue first), my leads nobody
//! has contacted, my stalled leads; nobody else's; handled items leave it.

#[macro_use]
mod common;
use app::models::{ActivityInput, LeadInput, QueueKind, ReminderCommand, ReminderInput, Role};
use app::server::leads::{self, Via};
use app::server::{now_ms, queue, reminders};
use common::TestApp;

both!(
    the_queue_lists_what_is_due_most_urgent_first_and_only_mine,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (bob, bob_actor) = app.user("Bob Rep", Role::Sales).await;
        let create = |name: &str, owner: i64, contacted: bool, next: Option<&str>| {
            let input = LeadInput {
                name: Some(name.into()),
                assigned: Some(owner.to_string()),
                lastcontact: contacted.then(|| "2026-01-01".to_string()),
                next_action: next.map(|_| "Send pricing".to_string()),
                next_action_at: next.map(str::to_string),
                ..Default::default()
            };
            let admin = admin.clone();
            async move {
                leads::create(app.store(), &admin, &input, Via::Ui)
                    .await
                    .unwrap()
            }
        };
        let overdue_action = create("Overdue Olga", ana.id, true, Some("2026-01-02 10:00")).await;
        let fresh = create("Fresh Fiona", ana.id, false, None).await;
        let stalled = create("Stalled Sam", ana.id, true, None).await;
        let later = create("Later Larry", ana.id, true, Some("2099-01-01 10:00")).await;
        let bobs = create("Bob's Bella", bob.id, false, None).await;
        sqlx::query("UPDATE stages SET stalled_after_days = 7 WHERE id = $1")
            .bind(stalled.stage_id)
            .execute(&app.store().db.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE leads SET last_activity_at = 1000 WHERE id = $1")
            .bind(stalled.id)
            .execute(&app.store().db.pool)
            .await
            .unwrap();
        let remind = |lead: i64, at: &str| ReminderCommand::Create {
            lead,
            input: ReminderInput {
                remind_at: at.into(),
                user: String::new(),
                body: format!("About {lead}"),
            },
        };
        let due = reminders::command(
            app.store(),
            &ana_actor,
            &remind(fresh.id, "2026-01-01 08:00"),
        )
        .await
        .unwrap();
        reminders::command(
            app.store(),
            &ana_actor,
            &remind(later.id, "2099-01-01 08:00"),
        )
        .await
        .unwrap();

        let mine = queue::today(&app.store().db, &ana_actor).await.unwrap();
        let listed: Vec<(QueueKind, i64, bool)> = mine
            .items
            .iter()
            .map(|i| (i.kind, i.lead_id, i.overdue))
            .collect();
        assert_eq!(
            listed,
            vec![
                (QueueKind::Reminder, fresh.id, true),
                (QueueKind::NextAction, overdue_action.id, true),
                (QueueKind::NewLead, fresh.id, false),
                (QueueKind::Stalled, stalled.id, false),
            ],
            "overdue first by time, then new, then stalled; nothing due later, nothing of Bob's"
        );
        assert_eq!(mine.items[1].text.as_deref(), Some("Send pricing"));
        assert!(mine.overflow.is_empty());
        assert!(mine.tomorrow_at > now_ms());

        let bobs_queue = queue::today(&app.store().db, &bob_actor).await.unwrap();
        assert_eq!(bobs_queue.items.len(), 1);
        assert_eq!(bobs_queue.items[0].lead_id, bobs.id);

        // Handled items leave: a logged call contacts the new lead and wakes the stalled one;
        // a finished reminder and a cleared next action are done.
        for lead in [fresh.id, stalled.id] {
            let call = ActivityInput {
                kind: "call".into(),
                outcome: "connected".into(),
                ..Default::default()
            };
            leads::log_activity(app.store(), &ana_actor, lead, &call, Via::Ui)
                .await
                .unwrap();
        }
        reminders::command(app.store(), &ana_actor, &ReminderCommand::Done { id: due })
            .await
            .unwrap();
        let cleared = LeadInput {
            next_action: Some(String::new()),
            next_action_at: Some(String::new()),
            ..Default::default()
        };
        leads::update(
            app.store(),
            &ana_actor,
            overdue_action.id,
            &cleared,
            None,
            Via::Ui,
        )
        .await
        .unwrap();
        let mine = queue::today(&app.store().db, &ana_actor).await.unwrap();
        assert!(mine.items.is_empty(), "{:?}", mine.items);
    }
);
