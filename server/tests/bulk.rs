//! Bulk actions: the preview count, every action through the lead door (history, timeline,
//! notifications), stage rules reported per lead, the undo that never overwrites a later
//! edit, selection by filter in the reader's scope, and the trash (restore, purge).

#[macro_use]
mod common;
use app::models::{BulkAction, BulkRun, LeadInput, Role, Selection};
use app::server::leads::{self, Via};
use app::server::{bulk, list, Actor};
use common::{list_query as query, read_until_all, TestApp};

/// Waits for a run to finish (the work happens in a background task).
async fn finished(app: &TestApp, actor: &Actor, run: i64) -> BulkRun {
    for _ in 0..1500 {
        let status = bulk::status(&app.store().db, actor, run).await.unwrap();
        if status.finished {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("bulk run {run} did not finish in 30 s");
}

async fn run(app: &TestApp, actor: &Actor, selection: Selection, action: BulkAction) -> BulkRun {
    let run = bulk::start(app.store(), actor, &selection, &action)
        .await
        .unwrap();
    finished(app, actor, run).await
}

async fn undo(app: &TestApp, actor: &Actor, run: i64) -> BulkRun {
    let undo = bulk::undo(app.store(), actor, run).await.unwrap();
    finished(app, actor, undo).await
}

async fn new_lead(app: &TestApp, actor: &Actor, name: &str, extra: LeadInput) -> i64 {
    let input = LeadInput {
        name: Some(name.into()),
        ..extra
    };
    leads::create(app.store(), actor, &input, Via::Ui)
        .await
        .unwrap()
        .id
}

async fn id_of(app: &TestApp, sql: &str, name: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(name.to_string())
        .fetch_one(&app.store().db.pool)
        .await
        .unwrap()
}

both!(
    reassigning_all_matching_leads_notifies_records_history_and_undoes,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let expo = id_of(app, "SELECT id FROM sources WHERE name = $1", "Trade show").await;
        let unassigned = |source: i64| LeadInput {
            assigned: Some(String::new()),
            source: Some(source.to_string()),
            ..Default::default()
        };
        let mut expo_leads = Vec::new();
        for n in 0..30 {
            expo_leads
                .push(new_lead(app, &admin, &format!("Expo lead {n}"), unassigned(expo)).await);
        }
        for n in 0..2 {
            let hers = LeadInput {
                assigned: Some(ana.id.to_string()),
                source: Some(expo.to_string()),
                ..Default::default()
            };
            new_lead(app, &admin, &format!("Already Ana's {n}"), hers).await;
        }
        let other = id_of(app, "SELECT id FROM sources WHERE name = $1", "Website").await;
        let elsewhere = new_lead(app, &admin, "Web lead", unassigned(other)).await;

        let selection = Selection::Matching(Box::new(query(&[("source", &expo.to_string())])));
        let action = BulkAction::Assign { user: Some(ana.id) };
        let preview = bulk::preview(&app.store().db, &admin, &selection, &action)
            .await
            .unwrap();
        assert_eq!(
            (preview.selected, preview.unchanged, preview.will_change()),
            (32, 2, 30)
        );

        // Ana's open board hears of each lead handed to her, as of one reassignment each.
        let anas_board = app.signed_in(&ana.email, "user-password-1").await;
        let mut stream = anas_board
            .get(app.url("/admin/events"))
            .send()
            .await
            .unwrap();
        assert_eq!(stream.status(), 200);

        let done = run(app, &admin, selection, action).await;
        assert_eq!(
            (done.total, done.done, done.changed, done.unchanged),
            (32, 32, 30, 2)
        );
        let needles: Vec<String> = expo_leads
            .iter()
            .map(|id| format!("\"lead_id\":{id},"))
            .collect();
        let heard = read_until_all(&mut stream, &needles).await;
        assert_eq!(heard.matches("\"kind\":\"Updated\"").count(), 30, "{heard}");
        assert_eq!(
            heard.matches("\"version\":2,").count(),
            30,
            "each event carries the lead as written: {heard}"
        );
        assert!(done.skipped.is_empty(), "{:?}", done.skipped);
        assert!(done.undo_until.is_some(), "undo is offered");
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM leads WHERE assigned = {} AND source_id = {expo}",
                ana.id
            ))
            .await,
            32
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM leads WHERE assigned = {} AND version = 2 \
                 AND dateassigned = updated_at",
                ana.id
            ))
            .await,
            30,
            "each changed lead is one new version, assigned when it changed"
        );
        let untouched = leads::get(&app.store().db, &admin, elsewhere)
            .await
            .unwrap();
        assert_eq!(
            untouched.assigned, None,
            "a lead outside the filter is not touched"
        );
        // The same history, timeline and notification as one reassignment each.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM activities WHERE event = 'assigned' AND via = 'bulk'")
                .await,
            30
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND kind = 'assigned'",
                ana.id
            ))
            .await,
            32,
            "30 from the bulk action, 2 from creating her leads"
        );
        // Ana now sees them: her scope follows.
        let hers = list::page(&app.store().db, &ana_actor, &query(&[]), 100, None)
            .await
            .unwrap();
        assert_eq!(hers.total, 32);

        // Someone edits one lead after the bulk action: undo leaves that one alone.
        let edited = expo_leads[7];
        leads::update(
            app.store(),
            &ana_actor,
            edited,
            &LeadInput {
                company: Some("Edited Later SRL".into()),
                ..Default::default()
            },
            None,
            Via::Ui,
        )
        .await
        .unwrap();
        let undone = undo(app, &admin, done.id).await;
        assert_eq!(undone.undo_of, Some(done.id));
        assert_eq!((undone.total, undone.changed), (30, 29));
        assert_eq!(undone.skipped.len(), 1);
        assert_eq!(undone.skipped[0].count, 1);
        assert_eq!(undone.skipped[0].leads[0].0, edited);
        assert!(
            undone.skipped[0].reason.contains("since"),
            "{}",
            undone.skipped[0].reason
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM leads WHERE assigned IS NULL AND source_id = {expo}"
            ))
            .await,
            29
        );
        assert_eq!(
            leads::get(&app.store().db, &admin, edited)
                .await
                .unwrap()
                .assigned,
            Some(ana.id)
        );
        // Undone once, never twice; an undo is not itself undoable.
        let original = bulk::status(&app.store().db, &admin, done.id)
            .await
            .unwrap();
        assert_eq!(original.undo_until, None);
        assert_eq!(original.undone_by, Some(undone.id));
        assert!(bulk::undo(app.store(), &admin, done.id).await.is_err());
        assert!(bulk::undo(app.store(), &admin, undone.id).await.is_err());
        // A run is its starter's: another user cannot read or undo it.
        assert!(bulk::status(&app.store().db, &ana_actor, done.id)
            .await
            .is_err());
    }
);

both!(
    a_bulk_stage_change_applies_stage_rules_per_lead,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let proposal = id_of(app, "SELECT id FROM stages WHERE name = $1", "Proposal").await;
        let valued = new_lead(
            app,
            &admin,
            "Has value",
            LeadInput {
                lead_value: Some("1200".into()),
                ..Default::default()
            },
        )
        .await;
        let bare = new_lead(app, &admin, "No value", LeadInput::default()).await;
        let first_stage = leads::get(&app.store().db, &admin, bare)
            .await
            .unwrap()
            .stage_id;

        let done = run(
            app,
            &admin,
            Selection::Leads(vec![valued, bare]),
            BulkAction::Stage { stage: proposal },
        )
        .await;
        assert_eq!(done.changed, 1);
        assert_eq!(done.skipped.len(), 1);
        let blocked = &done.skipped[0];
        assert_eq!(blocked.leads, vec![(bare, "No value".to_string())]);
        assert!(
            blocked.reason.starts_with("Lead value:"),
            "{}",
            blocked.reason
        );
        assert!(blocked.reason.contains("Proposal"), "{}", blocked.reason);
        assert_eq!(
            leads::get(&app.store().db, &admin, valued)
                .await
                .unwrap()
                .stage_id,
            proposal
        );
        assert_eq!(
            leads::get(&app.store().db, &admin, bare)
                .await
                .unwrap()
                .stage_id,
            first_stage
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM lead_stage_history WHERE lead_id = {valued} AND to_stage_id = {proposal} AND via = 'bulk'"
            ))
            .await,
            1
        );

        let undone = undo(app, &admin, done.id).await;
        assert_eq!(undone.changed, 1);
        assert_eq!(
            leads::get(&app.store().db, &admin, valued)
                .await
                .unwrap()
                .stage_id,
            first_stage
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM lead_stage_history WHERE lead_id = {valued}"
            ))
            .await,
            3,
            "created, moved, moved back"
        );
    }
);

both!(
    every_bulk_action_changes_its_field_and_undo_puts_it_back,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let a = new_lead(
            app,
            &admin,
            "Alpha",
            LeadInput {
                tags: Some("vip".into()),
                ..Default::default()
            },
        )
        .await;
        let b = new_lead(app, &admin, "Bravo", LeadInput::default()).await;
        let picked = || Selection::Leads(vec![a, b]);
        let snapshot = |app: &TestApp| {
            let (store, admin) = (app.store().clone(), admin.clone());
            async move {
                let mut out = Vec::new();
                for id in [a, b] {
                    let lead = leads::get(&store.db, &admin, id).await.unwrap();
                    out.push(format!(
                        "{:?} {:?} {} {:?} {} {}",
                        lead.source_id,
                        lead.tags,
                        lead.is_public,
                        lead.lastcontact,
                        lead.lost,
                        lead.junk
                    ));
                }
                out
            }
        };
        let source = id_of(app, "SELECT id FROM sources WHERE name = $1", "Partner").await;
        let reason = app.count("SELECT MIN(id) FROM lost_reasons").await;
        let actions = [
            BulkAction::Source {
                source: Some(source),
            },
            BulkAction::AddTags {
                tags: "hot, VIP".into(),
            },
            BulkAction::RemoveTags { tags: "VIP".into() },
            BulkAction::LastContact {
                at: "2026-11-30 09:15".into(),
            },
            BulkAction::Public { public: true },
            BulkAction::Lost {
                reason: Some(reason),
                note: "Budget gone".into(),
            },
            BulkAction::Junk,
        ];
        for action in actions {
            let before = snapshot(app).await;
            let done = run(app, &admin, picked(), action.clone()).await;
            assert!(done.skipped.is_empty(), "{action:?}: {:?}", done.skipped);
            assert!(
                done.changed + done.unchanged == 2 && done.changed > 0,
                "{action:?}: {done:?}"
            );
            let after = snapshot(app).await;
            assert_ne!(before, after, "{action:?} changed something");
            undo(app, &admin, done.id).await;
            assert_eq!(snapshot(app).await, before, "{action:?} undone");
        }
        // Adding a tag one lead has already: that lead is left as it is.
        let preview = bulk::preview(
            &app.store().db,
            &admin,
            &picked(),
            &BulkAction::AddTags { tags: "vip".into() },
        )
        .await
        .unwrap();
        assert_eq!((preview.selected, preview.unchanged), (2, 1));
        // A lost reason is required, and a nonexistent user is a field error: nothing starts.
        let no_reason = BulkAction::Lost {
            reason: None,
            note: String::new(),
        };
        let error = bulk::start(app.store(), &admin, &picked(), &no_reason)
            .await
            .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("lost_reason"));
        let ghost = BulkAction::Assign {
            user: Some(999_999),
        };
        let error = bulk::start(app.store(), &admin, &picked(), &ghost)
            .await
            .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("assigned"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM bulk_runs WHERE undo_of IS NULL")
                .await,
            7
        );
        // The lost reason and note are on the timeline as for a single lead.
        assert!(
            app.count(
                "SELECT COUNT(*) FROM activities WHERE kind = 'note' AND body = 'Budget gone'"
            )
            .await
                >= 2
        );
    }
);

both!(
    a_sales_rep_selects_only_what_they_see_and_the_trash_restores_or_purges,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let mine = |n: usize| LeadInput {
            name: Some(format!("Ana's {n}")),
            assigned: Some(ana.id.to_string()),
            ..Default::default()
        };
        let mut hers = Vec::new();
        for n in 0..3 {
            hers.push(
                leads::create(app.store(), &admin, &mine(n), Via::Ui)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let hidden = new_lead(
            app,
            &admin,
            "Not Ana's",
            LeadInput {
                assigned: Some(String::new()),
                ..Default::default()
            },
        )
        .await;

        // All matching, as Ana: only her three; a hidden lead named by id is not selected.
        let everything = Selection::Matching(Box::new(query(&[])));
        let preview = bulk::preview(
            &app.store().db,
            &ana_actor,
            &everything,
            &BulkAction::Delete,
        )
        .await
        .unwrap();
        assert_eq!(preview.selected, 3);
        let named = Selection::Leads(vec![hers[0], hidden]);
        let preview = bulk::preview(&app.store().db, &ana_actor, &named, &BulkAction::Delete)
            .await
            .unwrap();
        assert_eq!(preview.selected, 1);

        let done = run(app, &ana_actor, everything, BulkAction::Delete).await;
        assert_eq!(done.changed, 3);
        assert!(
            leads::get(&app.store().db, &admin, hidden).await.is_ok(),
            "the hidden lead stays"
        );
        let trash = list::trash(&app.store().db, &ana_actor, 1).await.unwrap();
        assert_eq!(trash.total, 3);
        assert!(!trash.can_purge);
        assert_eq!(trash.rows[0].deleted_by.as_deref(), Some("Ana Rep"));
        assert!(
            leads::get(&app.store().db, &ana_actor, hers[0])
                .await
                .is_err(),
            "deleted leads leave the list"
        );

        // Restore one; purging is for administrators.
        leads::restore(app.store(), &ana_actor, hers[0], Via::Ui)
            .await
            .unwrap();
        assert!(leads::get(&app.store().db, &ana_actor, hers[0])
            .await
            .is_ok());
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM activities WHERE lead_id = {} AND event = 'restored'",
                hers[0]
            ))
            .await,
            1
        );
        assert!(leads::purge(app.store(), &ana_actor, hers[1])
            .await
            .is_err());
        leads::purge(app.store(), &admin, hers[1]).await.unwrap();
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM leads WHERE id = {}",
                hers[1]
            ))
            .await,
            0
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'purge' AND entity_id = {}",
                hers[1]
            ))
            .await,
            1
        );
        // A live lead cannot be purged, nor a lead restored twice.
        assert!(leads::purge(app.store(), &admin, hers[0]).await.is_err());
        assert!(leads::restore(app.store(), &admin, hers[0], Via::Ui)
            .await
            .is_err());

        // Undoing the bulk delete brings back what is still in the trash (the purged one is gone).
        let undone = undo(app, &ana_actor, done.id).await;
        assert_eq!(undone.changed, 1, "{undone:?}");
        assert_eq!(
            list::trash(&app.store().db, &admin, 1).await.unwrap().total,
            0
        );
    }
);

both!(
    a_run_of_many_batches_changes_each_lead_once_and_keeps_the_totals,
    async |app: &TestApp| {
        // 1,050 leads, half of them Bo's: six batches, which PostgreSQL changes two at a
        // time; the undo puts each lead back to its own owner (two owners in every batch).
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (bo, _) = app.user("Bo Rep", Role::Sales).await;
        let expo = id_of(app, "SELECT id FROM sources WHERE name = $1", "Trade show").await;
        let inputs: Vec<LeadInput> = (0..1050)
            .map(|n| LeadInput {
                name: Some(format!("Expo lead {n}")),
                assigned: Some(if n % 2 == 0 {
                    String::new()
                } else {
                    bo.id.to_string()
                }),
                source: Some(expo.to_string()),
                ..Default::default()
            })
            .collect();
        let created = leads::create_many(
            app.store(),
            &admin,
            &inputs,
            Via::Import,
            leads::Commit::IfAllPass,
        )
        .await
        .unwrap();
        assert!(created.iter().all(Result::is_ok));
        let kept_for = |user: i64| {
            format!(
                "SELECT CAST(COALESCE(SUM(leads), 0) AS BIGINT) FROM stage_totals WHERE assigned = {user}"
            )
        };
        let counted_for = |user: i64| {
            format!("SELECT COUNT(*) FROM leads WHERE assigned = {user} AND deleted_at IS NULL")
        };

        let selection = Selection::Matching(Box::new(query(&[("source", &expo.to_string())])));
        let done = run(
            app,
            &admin,
            selection,
            BulkAction::Assign { user: Some(ana.id) },
        )
        .await;
        assert_eq!((done.total, done.done, done.changed), (1050, 1050, 1050));
        assert!(done.skipped.is_empty(), "{:?}", done.skipped);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM leads WHERE assigned = {} AND version = 2",
                ana.id
            ))
            .await,
            1050,
            "every lead changed exactly once"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(DISTINCT lead_id) FROM activities WHERE event = 'assigned' AND via = 'bulk'"
            )
            .await,
            1050
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM activities WHERE event = 'assigned' AND via = 'bulk'")
                .await,
            1050,
            "one timeline entry per lead"
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(DISTINCT lead_id) FROM notifications WHERE user_id = {} AND kind = 'assigned'",
                ana.id
            ))
            .await,
            1050
        );
        // The board's kept totals moved with every lead, batches side by side or not.
        assert_eq!(app.count(&kept_for(ana.id)).await, 1050);
        assert_eq!(app.count(&counted_for(ana.id)).await, 1050);
        let hers = list::page(&app.store().db, &ana_actor, &query(&[]), 25, None)
            .await
            .unwrap();
        assert_eq!(hers.total, 1050);

        let undone = undo(app, &admin, done.id).await;
        assert_eq!((undone.total, undone.changed), (1050, 1050));
        assert!(undone.skipped.is_empty(), "{:?}", undone.skipped);
        assert_eq!(app.count(&kept_for(ana.id)).await, 0);
        assert_eq!(app.count(&counted_for(ana.id)).await, 0);
        assert_eq!(app.count(&kept_for(bo.id)).await, 525);
        assert_eq!(app.count(&counted_for(bo.id)).await, 525);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM leads WHERE source_id = {expo} AND version = 3 \
                 AND ((assigned IS NULL AND dateassigned IS NULL) OR (assigned = {} AND dateassigned = updated_at))",
                bo.id
            ))
            .await,
            1050,
            "every lead back with its own owner, in one more version"
        );
        assert_eq!(
            app.count("SELECT CAST(COALESCE(SUM(leads), 0) AS BIGINT) FROM stage_totals WHERE assigned = 0")
                .await,
            app.count("SELECT COUNT(*) FROM leads WHERE assigned IS NULL AND deleted_at IS NULL")
                .await
        );
    }
);

both!(
    a_batch_setting_each_lead_its_own_owner_changes_them_together,
    async |app: &TestApp| {
        // What an undo does: the same column, a different value per lead, in one transaction
        // (one statement); no lead is refused and each gets its own value.
        let admin = app.admin_actor().await;
        let (ana, _) = app.user("Ana Rep", Role::Sales).await;
        let (bo, _) = app.user("Bo Rep", Role::Sales).await;
        let mut ids = Vec::new();
        for n in 0..6 {
            ids.push(
                new_lead(
                    app,
                    &admin,
                    &format!("Mixed lead {n}"),
                    LeadInput::default(),
                )
                .await,
            );
        }
        let owner_of = |id: i64| if id % 2 == 0 { ana.id } else { bo.id };
        let results = leads::change_batch(
            app.store(),
            &admin,
            &ids,
            |lead| {
                Ok((
                    LeadInput {
                        assigned: Some(owner_of(lead.id).to_string()),
                        company: Some(format!("Company of {}", lead.id)),
                        ..Default::default()
                    },
                    None,
                ))
            },
            Via::Bulk,
        )
        .await
        .expect("one transaction for the batch");
        assert_eq!(results.len(), 6);
        for (id, result) in results {
            let (_, after) = result.expect("every lead changes");
            assert_eq!(after.assigned, Some(owner_of(id)));
            assert_eq!(after.version, 2);
            let stored = leads::get(&app.store().db, &admin, id).await.unwrap();
            assert_eq!(stored.assigned, Some(owner_of(id)));
            assert_eq!(
                stored.company.as_deref(),
                Some(format!("Company of {id}").as_str())
            );
            assert_eq!(stored.version, 2);
        }
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM leads WHERE name LIKE 'Mixed lead %' AND dateassigned = updated_at \
                 AND assigned IN ({}, {})",
                ana.id, bo.id
            ))
            .await,
            6
        );
    }
);
