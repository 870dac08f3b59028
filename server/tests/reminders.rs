//! Reminders: set for oneself or a colleague, edited, snoozed, finished, deleted, scoped; and
//! the background job that fires each due reminder exactly once, across restarts.

#[macro_use]
mod common;
use app::error::AppError;
use app::models::{LeadInput, ReminderCommand, ReminderInput, Role};
use app::server::leads::{self, Via};
use app::server::reminders;
use common::TestApp;

fn input(at: &str, user: Option<i64>, body: &str) -> ReminderInput {
    ReminderInput {
        remind_at: at.into(),
        user: user.map(|u| u.to_string()).unwrap_or_default(),
        body: body.into(),
    }
}

async fn lead(app: &TestApp, name: &str, public: bool) -> i64 {
    let admin = app.admin_actor().await;
    leads::create(
        app.store(),
        &admin,
        &LeadInput {
            name: Some(name.into()),
            is_public: Some(if public { "1" } else { "0" }.into()),
            ..Default::default()
        },
        Via::Ui,
    )
    .await
    .unwrap()
    .id
}

async fn wait_for(app: &TestApp, query: &str, expected: i64) {
    for _ in 0..100 {
        if app.count(query).await == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{query} never became {expected}");
}

both!(
    a_due_reminder_fires_once_even_across_a_restart,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, _) = app.user("Ana Rep", Role::Sales).await;
        let lead = lead(app, "Reminder Rita", false).await;
        let create = ReminderCommand::Create {
            lead,
            input: input("2026-01-05T09:00", Some(ana.id), "Send the proposal"),
        };
        let id = reminders::command(app.store(), &admin, &create)
            .await
            .unwrap();
        let notified = format!(
            "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND kind = 'reminder' AND lead_id = {lead}",
            ana.id
        );
        // The server's own job fires it.
        wait_for(app, &notified, 1).await;
        let fired: Option<i64> = sqlx::query_scalar("SELECT fired_at FROM reminders WHERE id = $1")
            .bind(id)
            .fetch_one(&app.store().db.pool)
            .await
            .unwrap();
        assert!(fired.is_some());

        // A restarted (second) process on the same database, with its own job, fires nothing again.
        let second = app.second_instance().await;
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert_eq!(
            reminders::fire_due(second.store(), app::server::now_ms())
                .await
                .unwrap(),
            0
        );
        second.finish().await;
        assert_eq!(app.count(&notified).await, 1, "exactly once");

        // Snoozed, it is due again later and fires again then, once.
        reminders::command(
            app.store(),
            &admin,
            &ReminderCommand::Snooze { id, minutes: 60 },
        )
        .await
        .unwrap();
        let later = app::server::now_ms() + 61 * 60_000;
        assert_eq!(reminders::fire_due(app.store(), later).await.unwrap(), 1);
        assert_eq!(reminders::fire_due(app.store(), later).await.unwrap(), 0);
        assert_eq!(app.count(&notified).await, 2);
    }
);

both!(
    reminders_are_edited_finished_deleted_and_scoped,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (_, bob) = app.user("Bob Rep", Role::Sales).await;
        let public = lead(app, "Public Paula", true).await;
        let private = lead(app, "Private Pete", false).await;

        // Invalid input stores nothing and says why per field.
        let error = reminders::command(
            app.store(),
            &ana_actor,
            &ReminderCommand::Create {
                lead: public,
                input: input("", None, ""),
            },
        )
        .await
        .unwrap_err();
        let fields = error.field_errors().expect("field errors");
        assert!(fields.contains_key("remind_at") && fields.contains_key("body"));
        assert_eq!(app.count("SELECT COUNT(*) FROM reminders").await, 0);

        // Ana sets one for herself on the public lead; Bob sees it but may not change it.
        let id = reminders::command(
            app.store(),
            &ana_actor,
            &ReminderCommand::Create {
                lead: public,
                input: input("2030-03-01 10:00", None, "Follow up"),
            },
        )
        .await
        .unwrap();
        let seen = reminders::for_lead(&app.store().db, &bob, public)
            .await
            .unwrap();
        assert_eq!(seen.reminders.len(), 1);
        assert_eq!(seen.reminders[0].user_name, "Ana Rep");
        assert!(!seen.reminders[0].editable);
        assert_eq!(
            reminders::command(app.store(), &bob, &ReminderCommand::Done { id }).await,
            Err(AppError::Forbidden)
        );
        // A lead Ana may not see has no reminders for her, and she cannot add one.
        assert_eq!(
            reminders::for_lead(&app.store().db, &ana_actor, private)
                .await
                .unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            reminders::command(
                app.store(),
                &ana_actor,
                &ReminderCommand::Create {
                    lead: private,
                    input: input("2030-03-01 10:00", None, "x")
                },
            )
            .await
            .unwrap_err(),
            AppError::NotFound
        );

        // Edited: a new time and owner; done; then deleted.
        reminders::command(
            app.store(),
            &ana_actor,
            &ReminderCommand::Edit {
                id,
                input: input("2030-03-02T11:30", Some(ana.id), "Call back"),
            },
        )
        .await
        .unwrap();
        let now = reminders::for_lead(&app.store().db, &ana_actor, public)
            .await
            .unwrap();
        assert_eq!(now.reminders[0].body, "Call back");
        assert_eq!(now.reminders[0].remind_at, 1_898_681_400_000);
        assert_eq!(now.me, Some(ana.id));
        reminders::command(app.store(), &ana_actor, &ReminderCommand::Done { id })
            .await
            .unwrap();
        let now = reminders::for_lead(&app.store().db, &admin, public)
            .await
            .unwrap();
        assert!(now.reminders[0].done_at.is_some());
        assert!(!now.reminders[0].overdue);
        assert_eq!(
            reminders::command(
                app.store(),
                &ana_actor,
                &ReminderCommand::Snooze { id, minutes: 0 }
            )
            .await
            .unwrap_err()
            .field_errors()
            .map(|f| f.contains_key("minutes")),
            Some(true)
        );
        reminders::command(app.store(), &admin, &ReminderCommand::Delete { id })
            .await
            .unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM reminders").await, 0);
    }
);
