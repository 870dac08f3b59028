//! The board's reads: exact column totals and keyset-paged cards, in the viewer's scope.

#[macro_use]
mod common;
use app::models::{
    BoardFilter, Closing, ColumnTotals, LeadInput, LeadStatus, ListQuery, ParsedFilter, Role,
};
use app::server::board::{self, Stalled::Counted};
use app::server::leads::{self, StageMove, Via};
use app::server::list;
use common::{list_query, TestApp};
use serde_json::json;

fn lead(name: &str, value: &str) -> LeadInput {
    LeadInput {
        name: Some(name.into()),
        lead_value: Some(value.into()),
        ..Default::default()
    }
}

/// The board with no filters: every open lead the viewer may see.
fn open() -> ParsedFilter {
    ParsedFilter::default()
}

fn filter(pairs: &[(&str, &str)]) -> ParsedFilter {
    BoardFilter::from_query(|key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    })
    .parse(app::i18n::Locale::En)
    .unwrap()
}

/// What a board shows for `pairs`: per column its stage, totals and first cards' names, and the
/// column totals as `board::columns` reads them alone.
type BoardSeen = (Vec<(i64, ColumnTotals, Vec<String>)>, Vec<ColumnTotals>);

async fn board_seen(app: &TestApp, pipeline: i64, pairs: &[(&str, &str)]) -> BoardSeen {
    let (store, admin) = (app.store(), app.admin_actor().await);
    let data = board::board(&store.db, &admin, &filter(pairs))
        .await
        .unwrap();
    let columns = data
        .columns
        .iter()
        .map(|c| {
            let cards = c.page.cards.iter().map(|k| k.name.clone()).collect();
            (c.stage.id, c.totals.clone(), cards)
        })
        .collect();
    let totals = board::columns(&store.db, &admin, &filter(pairs), pipeline, Counted)
        .await
        .unwrap();
    (columns, totals)
}

/// What the list shows for `pairs`: its total, per-stage counts, lost share, all, and the
/// first page's names.
async fn list_seen(
    app: &TestApp,
    pairs: &[(&str, &str)],
) -> (i64, Vec<(i64, i64)>, i64, i64, Vec<String>) {
    let (store, admin) = (app.store(), app.admin_actor().await);
    let page = list::page(&store.db, &admin, &list_query(pairs), 25, None)
        .await
        .unwrap();
    let summary = page.summary.iter().map(|s| (s.stage_id, s.leads)).collect();
    let rows = page.rows.iter().map(|r| r.name.clone()).collect();
    (page.total, summary, page.lost, page.all, rows)
}

both!(
    column_totals_are_exact_weighted_and_scoped,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (new, pipeline) = app.stage_with_pipeline("New").await; // probability 10 %, stalled after 3 days
        let (qualified, _) = app.stage_with_pipeline("Qualified").await; // probability 40 %
        let mine = LeadInput {
            assigned: Some(ana.id.to_string()),
            ..lead("Ana's", "1000")
        };
        let a = leads::create(app.store(), &admin, &mine, Via::Ui)
            .await
            .unwrap();
        leads::create(app.store(), &admin, &lead("Admin's", "250.50"), Via::Ui)
            .await
            .unwrap();
        let gone = leads::create(app.store(), &admin, &lead("Trashed", "999"), Via::Ui)
            .await
            .unwrap();
        leads::delete(app.store(), &admin, gone.id, Via::Ui)
            .await
            .unwrap();
        let moved = StageMove {
            lead: a.id,
            to: qualified,
            ..Default::default()
        };
        leads::move_to_stage(app.store(), &admin, &moved, Via::Board)
            .await
            .unwrap();
        leads::create(
            app.store(),
            &admin,
            &LeadInput {
                assigned: Some(ana.id.to_string()),
                ..lead("Ana's old", "10")
            },
            Via::Ui,
        )
        .await
        .unwrap();
        // Four days without a stage change or activity: stalled in "New" (3 days).
        sqlx::query("UPDATE leads SET last_activity_at = last_activity_at - 4 * 86400000 WHERE name = 'Ana''s old'")
        .execute(&app.store().db.pool)
        .await
        .unwrap();

        let all = board::columns(&app.store().db, &admin, &open(), pipeline, Counted)
            .await
            .unwrap();
        assert_eq!(all.len(), 7, "every stage has a column, empty or not");
        let new_column = all.iter().find(|c| c.stage_id == new).unwrap();
        assert_eq!(
            (new_column.leads, new_column.value, new_column.stalled),
            (2, 25_050 + 1_000, 1)
        );
        assert_eq!(new_column.weighted_value, (25_050 + 1_000) * 10 / 100);
        let qualified_column = all.iter().find(|c| c.stage_id == qualified).unwrap();
        assert_eq!(
            (
                qualified_column.leads,
                qualified_column.value,
                qualified_column.weighted_value
            ),
            (1, 100_000, 40_000)
        );

        let anas = board::columns(&app.store().db, &ana_actor, &open(), pipeline, Counted)
            .await
            .unwrap();
        let new_column = anas.iter().find(|c| c.stage_id == new).unwrap();
        assert_eq!(
            (new_column.leads, new_column.value),
            (1, 1_000),
            "only what Ana may see"
        );
    }
);

both!(
    load_more_pages_through_a_column_without_gaps_or_repeats,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (new, _) = app.stage_with_pipeline("New").await;
        let mut created = Vec::new();
        for i in 0..23 {
            let input = LeadInput {
                tags: Some(if i % 2 == 0 {
                    "vip".into()
                } else {
                    String::new()
                }),
                ..lead(&format!("Lead {i}"), "1")
            };
            created.push(
                leads::create(app.store(), &admin, &input, Via::Ui)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let mut seen = Vec::new();
        let mut after = None;
        let mut pages = 0;
        loop {
            let page = board::cards(&app.store().db, &admin, &open(), new, after, 10)
                .await
                .unwrap();
            pages += 1;
            seen.extend(page.cards.iter().map(|c| c.id));
            if let Some(card) = page.cards.iter().find(|c| c.name == "Lead 0") {
                assert_eq!(card.tags, vec!["vip"]);
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        created.reverse(); // newest on top
        assert_eq!(seen, created);
    }
);

both!(
    a_searched_board_opens_each_column_at_its_first_matches_in_board_order,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (new, _) = app.stage_with_pipeline("New").await;
        let contacted = app.stage("Contacted").await;
        let store = app.store();
        // 55 matches in New among other leads, 3 in Contacted, one of them Ana's.
        for i in 0..60 {
            let name = if i % 12 == 5 {
                format!("Other {i}")
            } else {
                format!("Seeker {i}")
            };
            leads::create(store, &admin, &lead(&name, "100"), Via::Ui)
                .await
                .unwrap();
        }
        for i in 0..3 {
            let input = LeadInput {
                stage: Some(contacted.to_string()),
                assigned: Some(if i == 0 {
                    ana.id.to_string()
                } else {
                    String::new()
                }),
                ..lead(&format!("Seeker in contact {i}"), "10")
            };
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let searched = filter(&[("q", "seeker")]);
        for (actor, in_new, in_contact) in [(&admin, 55, 3), (&ana_actor, 0, 1)] {
            let data = board::board(&store.db, actor, &searched).await.unwrap();
            let column = |stage: i64| data.columns.iter().find(|c| c.stage.id == stage).unwrap();
            // The same cards, in the same order, as the column's own page (one query a stage).
            for (stage, leads) in [(new, in_new), (contacted, in_contact)] {
                let page = &column(stage).page;
                let own = board::cards(&store.db, actor, &searched, stage, None, 50)
                    .await
                    .unwrap();
                assert_eq!(page, &own, "stage {stage}'s first page");
                assert_eq!(page.cards.len(), leads.min(50));
                assert_eq!(column(stage).totals.leads, leads as i64);
                assert!(page
                    .cards
                    .iter()
                    .all(|card| card.name.starts_with("Seeker")));
            }
        }
        let data = board::board(&store.db, &admin, &searched).await.unwrap();
        let first = &data
            .columns
            .iter()
            .find(|c| c.stage.id == new)
            .unwrap()
            .page;
        let rest = board::cards(&store.db, &admin, &searched, new, first.next, 50)
            .await
            .unwrap();
        let mut seen: Vec<i64> = first
            .cards
            .iter()
            .chain(&rest.cards)
            .map(|c| c.id)
            .collect();
        assert_eq!(
            seen.len(),
            55,
            "load more continues where the first page ended"
        );
        assert!(rest.next.is_none());
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 55);
    }
);

/// Names of the cards of a stage under a filter, in board order.
async fn names(
    app: &TestApp,
    actor: &app::server::Actor,
    filter: &ParsedFilter,
    stage: i64,
) -> Vec<String> {
    board::cards(&app.store().db, actor, filter, stage, None, 50)
        .await
        .unwrap()
        .cards
        .into_iter()
        .map(|c| c.name)
        .collect()
}

both!(
    filters_narrow_cards_and_column_totals_alike,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (new, pipeline) = app.stage_with_pipeline("New").await;
        let web: i64 = app
            .count("SELECT id FROM sources WHERE name = 'Referral'")
            .await;
        let admin_ref = &admin;
        let create = |input: LeadInput| async move {
            leads::create(app.store(), admin_ref, &input, Via::Ui)
                .await
                .unwrap()
        };
        create(LeadInput {
            company: Some("Acme Industries".into()),
            assigned: Some(ana.id.to_string()),
            source: Some(web.to_string()),
            tags: Some("VIP, renewal".into()),
            ..lead("Maria Pop", "5000")
        })
        .await;
        create(LeadInput {
            assigned: Some(String::new()),
            company: Some("100%_real SRL".into()),
            ..lead("Ion Unassigned", "20")
        })
        .await;
        let old = create(LeadInput {
            tags: Some("cold".into()),
            ..lead("Old Stalled", "300")
        })
        .await;
        sqlx::query("UPDATE leads SET last_activity_at = last_activity_at - 5 * 86400000, dateadded = 1700000000000 WHERE id = $1")
            .bind(old.id)
            .execute(&app.store().db.pool)
            .await
            .unwrap();

        // (URL filters, the New column's cards they leave)
        type Case<'a> = (Vec<(&'a str, String)>, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            (vec![], vec!["Ion Unassigned", "Maria Pop", "Old Stalled"]),
            (vec![("assignee", ana.id.to_string())], vec!["Maria Pop"]),
            (vec![("assignee", "none".into())], vec!["Ion Unassigned"]),
            (vec![("source", web.to_string())], vec!["Maria Pop"]),
            (vec![("tag", "vip".into())], vec!["Maria Pop"]),
            // Several tags: leads carrying any of them, each once.
            (
                vec![("tag", "VIP, cold,renewal".into())],
                vec!["Maria Pop", "Old Stalled"],
            ),
            (vec![("tag", " cold , COLD ,".into())], vec!["Old Stalled"]),
            (
                vec![("tag", "vip,cold".into()), ("q", "#renewal".into())],
                vec!["Maria Pop"],
            ),
            (vec![("q", "acme".into())], vec!["Maria Pop"]),
            // LIKE wildcards in the search are literal characters.
            (vec![("q", "100%_".into())], vec!["Ion Unassigned"]),
            (vec![("q", "1_0".into())], vec![]),
            (
                vec![("value_min", "100".into()), ("value_max", "1000".into())],
                vec!["Old Stalled"],
            ),
            (
                vec![("created_to", "2023-11-14".into())],
                vec!["Old Stalled"],
            ),
            (
                vec![("created_from", "2024-01-01".into())],
                vec!["Ion Unassigned", "Maria Pop"],
            ),
            (vec![("stalled", "1".into())], vec!["Old Stalled"]),
            (vec![("mine", "1".into())], vec!["Old Stalled"]),
        ];
        for (pairs, expected) in cases {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let parsed = filter(&pairs);
            let mut got = names(app, &admin, &parsed, new).await;
            got.sort();
            assert_eq!(got, expected, "cards for {pairs:?}");
            let totals = board::columns(&app.store().db, &admin, &parsed, pipeline, Counted)
                .await
                .unwrap();
            let column = totals.iter().find(|c| c.stage_id == new).unwrap();
            assert_eq!(column.leads as usize, expected.len(), "count for {pairs:?}");
        }
        // A sales rep's filters never reach past their scope.
        let mut anas = names(app, &ana_actor, &open(), new).await;
        anas.sort();
        assert_eq!(anas, vec!["Maria Pop"]);
        assert_eq!(
            names(app, &ana_actor, &filter(&[("mine", "1")]), new).await,
            vec!["Maria Pop"]
        );

        let too_many_tags = (1..=21)
            .map(|n| format!("t{n}"))
            .collect::<Vec<_>>()
            .join(",");
        let bad = BoardFilter {
            value_min: Some("lots".into()),
            created_from: Some("yesterday".into()),
            tag: Some(too_many_tags),
            ..BoardFilter::default()
        }
        .parse(app::i18n::Locale::En)
        .unwrap_err();
        let fields = bad.field_errors().unwrap();
        assert!(fields.contains_key("value_min") && fields.contains_key("created_from"));
        assert_eq!(fields["tag"], "Filter by at most 20 tags at once.");
    }
);

both!(
    lost_and_junk_leads_leave_the_board_and_reopen_returns_them,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (new, _) = app.stage_with_pipeline("New").await;
        let a = leads::create(app.store(), &admin, &lead("Lost One", "10"), Via::Ui)
            .await
            .unwrap();
        let b = leads::create(app.store(), &admin, &lead("Junk One", "10"), Via::Ui)
            .await
            .unwrap();

        let no_reason = Closing::Lost {
            reason: None,
            note: String::new(),
        };
        let error = leads::close(
            app.store(),
            &admin,
            a.id,
            &no_reason,
            Some(a.version),
            Via::Board,
        )
        .await
        .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("lost_reason"));

        let reason: i64 = app.count("SELECT MIN(id) FROM lost_reasons").await;
        let lost = Closing::Lost {
            reason: Some(reason),
            note: "Went with a competitor".into(),
        };
        leads::close(
            app.store(),
            &admin,
            a.id,
            &lost,
            Some(a.version),
            Via::Board,
        )
        .await
        .unwrap();
        leads::close(app.store(), &admin, b.id, &Closing::Junk, None, Via::Board)
            .await
            .unwrap();

        assert!(names(app, &admin, &open(), new).await.is_empty());
        let lost_view = filter(&[("status", LeadStatus::Lost.as_str())]);
        assert_eq!(names(app, &admin, &lost_view, new).await, vec!["Lost One"]);
        let junk_view = filter(&[("status", "junk")]);
        assert_eq!(names(app, &admin, &junk_view, new).await, vec!["Junk One"]);
        // Closed leads are never "stalled", however long ago they were touched.
        sqlx::query(
            "UPDATE leads SET last_activity_at = last_activity_at - CAST(90 AS BIGINT) * 86400000",
        )
        .execute(&app.store().db.pool)
        .await
        .unwrap();
        let closed = board::cards(&app.store().db, &admin, &lost_view, new, None, 50)
            .await
            .unwrap();
        assert!(!closed.cards[0].stalled);
        let (_, pipeline) = app.stage_with_pipeline("New").await;
        let totals = board::columns(&app.store().db, &admin, &junk_view, pipeline, Counted)
            .await
            .unwrap();
        assert_eq!(
            totals
                .iter()
                .map(|c| (c.leads, c.stalled))
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
            (1, 0)
        );
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM activities WHERE lead_id = {} AND kind = 'note' AND body = 'Went with a competitor'", a.id)).await,
            1
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM activities WHERE lead_id = {} AND event = 'lost'",
                a.id
            ))
            .await,
            1
        );

        let stale = leads::close(
            app.store(),
            &admin,
            a.id,
            &Closing::Reopen,
            Some(a.version),
            Via::Board,
        )
        .await;
        assert!(
            matches!(stale, Err(app::error::AppError::Conflict { .. })),
            "a stale version is refused"
        );
        let back = leads::close(
            app.store(),
            &admin,
            a.id,
            &Closing::Reopen,
            None,
            Via::Board,
        )
        .await
        .unwrap();
        assert!(!back.lost && back.lost_reason_id.is_none());
        assert_eq!(back.stage_id, new, "reopened in the stage it left");
        assert_eq!(names(app, &admin, &open(), new).await, vec!["Lost One"]);
    }
);

both!(
    a_card_dropped_after_the_last_loaded_card_lands_right_after_it,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (new, _) = app.stage_with_pipeline("New").await;
        let (qualified, _) = app.stage_with_pipeline("Qualified").await;
        let mut ids = Vec::new();
        for name in ["C", "B", "A"] {
            ids.push(
                leads::create(app.store(), &admin, &lead(name, "1"), Via::Ui)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let x = leads::create(app.store(), &admin, &lead("X", "1"), Via::Ui)
            .await
            .unwrap();
        leads::move_to_stage(
            app.store(),
            &admin,
            &StageMove {
                lead: x.id,
                to: qualified,
                ..Default::default()
            },
            Via::Board,
        )
        .await
        .unwrap();
        assert_eq!(names(app, &admin, &open(), new).await, vec!["A", "B", "C"]);
        // After "B": between B and C, only X's row changes.
        let b = ids[1];
        leads::move_to_stage(
            app.store(),
            &admin,
            &StageMove {
                lead: x.id,
                to: new,
                after: Some(b),
                ..Default::default()
            },
            Via::Board,
        )
        .await
        .unwrap();
        assert_eq!(
            names(app, &admin, &open(), new).await,
            vec!["A", "B", "X", "C"]
        );
        // After the last card: at the end.
        leads::move_to_stage(
            app.store(),
            &admin,
            &StageMove {
                lead: x.id,
                to: new,
                after: Some(ids[0]),
                ..Default::default()
            },
            Via::Board,
        )
        .await
        .unwrap();
        assert_eq!(
            names(app, &admin, &open(), new).await,
            vec!["A", "B", "C", "X"]
        );
    }
);

both!(
    board_server_functions_move_with_required_fields_and_refuse_stale_versions,
    async |app: &TestApp| {
        let client = app.admin().await;
        let admin = app.admin_actor().await;
        let (new, pipeline) = app.stage_with_pipeline("New").await;
        let (proposal, _) = app.stage_with_pipeline("Proposal").await; // requires a lead value
        let input = LeadInput {
            name: Some("Acme deal".into()),
            ..Default::default()
        };
        let lead = leads::create(app.store(), &admin, &input, Via::Ui)
            .await
            .unwrap();

        let (status, board) = app
            .rpc(&client, "/rpc/board", json!({ "filter": {} }))
            .await;
        assert_eq!(status, 200, "{board}");
        assert_eq!(board["pipeline"], pipeline);
        assert_eq!(board["columns"][0]["stage"]["id"], new);
        assert_eq!(board["columns"][0]["page"]["cards"][0]["name"], "Acme deal");
        assert_eq!(board["columns"][0]["totals"]["leads"], 1);

        let mut request = json!({ "request": { "lead": lead.id, "to": proposal, "before": null, "after": null,
            "version": lead.version, "fields": {} } });
        let (status, body) = app.rpc(&client, "/rpc/board/move", request.clone()).await;
        assert_eq!(status, 422, "the stage asks for its fields: {body}");
        assert!(body.to_string().contains("lead_value"), "{body}");

        request["request"]["fields"] = json!({ "lead_value": "12500" });
        let (status, moved) = app.rpc(&client, "/rpc/board/move", request.clone()).await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["card"]["stage_id"], proposal);
        assert_eq!(moved["card"]["lead_value"], 1_250_000);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM lead_stage_history WHERE lead_id = {} AND to_stage_id = {proposal}", lead.id)).await,
            1
        );

        // The same (now stale) version again: refused, naming where the lead is.
        let (status, body) = app.rpc(&client, "/rpc/board/move", request).await;
        assert_eq!(status, 409, "{body}");
        assert!(body.to_string().contains("Proposal"), "{body}");

        let (status, body) = app
            .rpc(
                &client,
                "/rpc/board",
                json!({ "filter": { "value_min": "abc" } }),
            )
            .await;
        assert_eq!(status, 422, "{body}");

        let anonymous = app.client();
        let (status, _) = app
            .rpc(&anonymous, "/rpc/board", json!({ "filter": {} }))
            .await;
        assert_eq!(status, 401);
    }
);

both!(
    the_board_renders_on_the_server_with_the_links_filters_and_the_view_is_remembered,
    async |app: &TestApp| {
        let client = app.admin().await;
        let admin = app.admin_actor().await;
        for (name, company) in [("Maria Pop", "Acme"), ("Ion Ionescu", "Globex")] {
            let input = LeadInput {
                name: Some(name.into()),
                company: Some(company.into()),
                ..Default::default()
            };
            leads::create(app.store(), &admin, &input, Via::Ui)
                .await
                .unwrap();
        }
        let page = app.page(&client, "/admin/leads").await;
        assert!(
            page.contains("data-stage="),
            "the board is the default view"
        );
        assert!(page.contains("Maria Pop") && page.contains("Ion Ionescu"));
        assert!(page.contains("Negotiation"), "every stage has its column");

        let filtered = app.page(&client, "/admin/leads?q=globex").await;
        assert!(filtered.contains("Ion Ionescu") && !filtered.contains("Maria Pop"));

        let list = app.page(&client, "/admin/leads?view=list").await;
        assert!(list.contains("<table") && !list.contains("data-stage="));
        let again = app.page(&client, "/admin/leads").await;
        assert!(again.contains("<table"), "the list stays chosen");
        let (status, view) = app
            .rpc(&client, "/rpc/leads/view", json!({ "requested": "Board" }))
            .await;
        assert_eq!((status, view), (200, json!("Board")));
        assert!(app
            .page(&client, "/admin/leads")
            .await
            .contains("data-stage="));
    }
);

both!(
    a_cards_lead_page_shows_its_profile_and_stage_history_to_those_who_may_see_it,
    async |app: &TestApp| {
        let client = app.admin().await;
        let admin = app.admin_actor().await;
        let (qualified, _) = app.stage_with_pipeline("Qualified").await;
        let input = LeadInput {
            email: Some("maria@acme.test".into()),
            ..lead("Maria Pop", "1500")
        };
        let created = leads::create(app.store(), &admin, &input, Via::Ui)
            .await
            .unwrap();
        let to_qualified = StageMove {
            lead: created.id,
            to: qualified,
            ..Default::default()
        };
        leads::move_to_stage(app.store(), &admin, &to_qualified, Via::Board)
            .await
            .unwrap();

        let page = app
            .page(&client, &format!("/admin/leads/{}", created.id))
            .await;
        assert!(
            page.contains("Maria Pop")
                && page.contains("maria@acme.test")
                && page.contains("1,500.00")
        );
        assert!(
            page.contains("Stage history") && page.contains("Qualified") && page.contains("board")
        );

        let (_, ana) = app.user("Ana Rep", Role::Sales).await;
        assert!(matches!(
            leads::detail(&app.store().db, &ana, created.id).await,
            Err(app::error::AppError::NotFound)
        ));
    }
);

both!(
    kept_column_totals_match_a_full_count_after_every_kind_of_change,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (bob, bob_actor) = app.user("Bob Rep", Role::Sales).await;
        let (_, pipeline) = app.stage_with_pipeline("New").await;
        let stages: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM stages WHERE pipeline_id = $1 ORDER BY position")
                .bind(pipeline)
                .fetch_all(&app.store().db.pool)
                .await
                .unwrap();
        let reason: i64 = app.count("SELECT MIN(id) FROM lost_reasons").await;
        let sources: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM sources ORDER BY position LIMIT 2")
                .fetch_all(&app.store().db.pool)
                .await
                .unwrap();
        // Two sources and none: every lead is in one of the kept source buckets.
        let source_of = |i: usize| {
            sources
                .get(i % 3)
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        let owners = [Some(ana.id), Some(bob.id), None];
        // Tags kept per lead and tag; "Big" and "big" name two tags, which only a count over
        // the leads can tell apart from one.
        let tags_of =
            |i: usize| ["vip", "vip, hot", "", "hot, Big", "big", "cold, hot, vip"][i % 6];
        let mut rng = fastrand::Rng::with_seed(7);
        let mut ids = Vec::new();
        for i in 0..40 {
            let creator = [&admin, &ana_actor, &bob_actor][i % 3];
            let input = LeadInput {
                assigned: Some(owners[i % 3].map(|o| o.to_string()).unwrap_or_default()),
                is_public: Some((i % 5 == 0).to_string()),
                lead_value: Some(format!("{}", rng.u32(1..5000))),
                source: Some(source_of(i / 3)),
                tags: Some(tags_of(i).into()),
                ..lead(&format!("Lead {i}"), "0")
            };
            let input = LeadInput {
                lead_value: if i % 7 == 0 {
                    None
                } else {
                    input.lead_value.clone()
                },
                ..input
            };
            ids.push(
                leads::create(app.store(), creator, &input, Via::Ui)
                    .await
                    .unwrap()
                    .id,
            );
        }
        for (step, &id) in ids.iter().enumerate() {
            let store = app.store();
            match step % 8 {
                0 | 1 => {
                    let to = stages[rng.usize(..3)]; // stages without required fields
                    let moved = StageMove {
                        lead: id,
                        to,
                        ..Default::default()
                    };
                    leads::move_to_stage(store, &admin, &moved, Via::Board)
                        .await
                        .unwrap();
                }
                2 => {
                    let lost = Closing::Lost {
                        reason: Some(reason),
                        note: String::new(),
                    };
                    leads::close(store, &admin, id, &lost, None, Via::Board)
                        .await
                        .unwrap();
                }
                3 => {
                    leads::close(store, &admin, id, &Closing::Junk, None, Via::Board)
                        .await
                        .unwrap();
                    leads::close(store, &admin, id, &Closing::Reopen, None, Via::Board)
                        .await
                        .unwrap();
                }
                4 => {
                    let owner = owners[rng.usize(..3)];
                    leads::assign(store, &admin, id, owner, None, Via::Ui)
                        .await
                        .unwrap();
                }
                5 => {
                    let edit = LeadInput {
                        lead_value: Some(String::new()),
                        is_public: Some("true".into()),
                        source: Some(source_of(step + 1)),
                        tags: Some(tags_of(step + 1).into()),
                        ..Default::default()
                    };
                    leads::update(store, &admin, id, &edit, None, Via::Ui)
                        .await
                        .unwrap();
                }
                6 => {
                    // In the trash a lead counts nowhere; restored, where it was; purged, gone.
                    leads::delete(store, &admin, id, Via::Ui).await.unwrap();
                    if step % 3 == 0 {
                        leads::restore(store, &admin, id, Via::Ui).await.unwrap();
                        let retagged = LeadInput {
                            tags: Some("hot".into()),
                            ..Default::default()
                        };
                        leads::update(store, &admin, id, &retagged, None, Via::Ui)
                            .await
                            .unwrap();
                    } else if step % 3 == 1 {
                        leads::purge(store, &admin, id).await.unwrap();
                    }
                }
                _ => {
                    leads::close(store, &admin, id, &Closing::Junk, None, Via::Board)
                        .await
                        .unwrap();
                }
            }
        }
        // Backdate some leads so stalled counts differ from zero.
        sqlx::query("UPDATE leads SET last_activity_at = last_activity_at - CAST(40 AS BIGINT) * 86400000 WHERE id % 3 = 0")
            .execute(&app.store().db.pool)
            .await
            .unwrap();
        let everything = ("created_from", "1970-01-01"); // selects every lead, by reading them all
        let none = "none".to_string();
        let (ana_id, bob_id) = (ana.id.to_string(), bob.id.to_string());
        let (first_source, second_source) = (sources[0].to_string(), sources[1].to_string());
        let cases: Vec<Vec<(&str, &str)>> = vec![
            vec![],
            vec![("assignee", &ana_id)],
            vec![("assignee", &none)],
            vec![("mine", "1")],
            vec![("assignee", &bob_id), ("mine", "1")],
            vec![("status", "lost")],
            vec![("status", "junk"), ("assignee", &ana_id)],
            vec![("source", &first_source)],
            vec![("source", &second_source), ("assignee", &bob_id)],
            vec![("stalled", "1")],
            vec![("stalled", "1"), ("source", &first_source), ("mine", "1")],
            vec![("stalled", "1"), ("status", "lost")],
            vec![("tag", "vip")],
            vec![("tag", "HOT"), ("assignee", &ana_id)],
            vec![("tag", "hot"), ("stalled", "1"), ("source", &first_source)],
            vec![("tag", "vip"), ("status", "junk")],
            vec![("tag", "big")],
            vec![("tag", "nobody-has-this")],
            vec![("q", "#vip"), ("mine", "1")],
            vec![("q", "#VIP"), ("tag", "vip"), ("stalled", "1")],
            vec![("q", "#vip"), ("tag", "hot")],
            vec![("tag", "vip,hot"), ("assignee", &ana_id)],
            // Either of two tags: both tags' kept totals less the leads carrying both.
            vec![("tag", "vip,hot")],
            vec![("tag", "hot,VIP"), ("status", "lost")],
            vec![
                ("tag", "vip,hot"),
                ("status", "junk"),
                ("source", &first_source),
            ],
            vec![("tag", "vip,hot"), ("stalled", "1")],
            vec![("tag", "hot,vip"), ("mine", "1"), ("stalled", "1")],
            vec![("tag", "vip,VIP")],
            vec![("tag", "vip,nobody-has-this")],
            vec![("tag", "hot,big")],
            vec![("tag", "vip,hot,big")],
            // Any of three: a lead carrying two or three of them is one lead.
            vec![("tag", "vip,hot,cold")],
            vec![("tag", "cold,HOT,vip"), ("status", "lost")],
            vec![("tag", "hot,cold,vip"), ("stalled", "1"), ("mine", "1")],
            vec![
                ("tag", "cold,vip,nobody-has-this,hot"),
                ("source", &first_source),
            ],
        ];
        for viewer in [&admin, &ana_actor, &bob_actor] {
            for pairs in &cases {
                let kept =
                    board::columns(&app.store().db, viewer, &filter(pairs), pipeline, Counted)
                        .await
                        .unwrap();
                let mut scanned_pairs = pairs.clone();
                scanned_pairs.push(everything);
                let scanned_filter = filter(&scanned_pairs);
                let scanned =
                    board::columns(&app.store().db, viewer, &scanned_filter, pipeline, Counted)
                        .await
                        .unwrap();
                assert_eq!(kept, scanned, "{pairs:?} as user {:?}", viewer.user_id);
                // The list's counts (per stage, lost share, every status) agree alike.
                let counts = |query: ListQuery| async move {
                    let page = list::page(&app.store().db, viewer, &query, 10, None)
                        .await
                        .unwrap();
                    let summary: Vec<(i64, i64)> =
                        page.summary.iter().map(|s| (s.stage_id, s.leads)).collect();
                    (page.total, summary, page.lost, page.all)
                };
                assert_eq!(
                    counts(list_query(pairs)).await,
                    counts(list_query(&scanned_pairs)).await,
                    "list counts, {pairs:?} as user {:?}",
                    viewer.user_id
                );
            }
        }
        // Folded (PostgreSQL appends tag totals), one row per key, and the totals still agree.
        app.store().db.fold_tag_totals().await.unwrap();
        let keys_with_several_rows = app
            .count(
                "SELECT COUNT(*) FROM (SELECT tag_id FROM tag_totals \
                 GROUP BY tag_id, stage_id, assigned, addedfrom, is_public, status, source_id \
                 HAVING COUNT(*) > 1) k",
            )
            .await;
        assert_eq!(keys_with_several_rows, 0);
        for pairs in cases
            .iter()
            .filter(|pairs| pairs.iter().any(|(k, _)| *k == "tag"))
        {
            let kept = board::columns(
                &app.store().db,
                &ana_actor,
                &filter(pairs),
                pipeline,
                Counted,
            )
            .await
            .unwrap();
            let mut scanned_pairs = pairs.clone();
            scanned_pairs.push(everything);
            let scanned = board::columns(
                &app.store().db,
                &ana_actor,
                &filter(&scanned_pairs),
                pipeline,
                Counted,
            )
            .await
            .unwrap();
            assert_eq!(kept, scanned, "{pairs:?} after folding");
        }
        let all = board::columns(&app.store().db, &admin, &open(), pipeline, Counted)
            .await
            .unwrap();
        assert!(all.iter().map(|c| c.leads).sum::<i64>() > 10, "{all:?}");
        assert!(all.iter().map(|c| c.stalled).sum::<i64>() > 0, "{all:?}");
        let stalled = board::columns(
            &app.store().db,
            &admin,
            &filter(&[("stalled", "1")]),
            pipeline,
            Counted,
        )
        .await
        .unwrap();
        let stalled_value: i64 = stalled.iter().map(|c| c.value).sum();
        assert!(stalled_value > 0 && stalled_value < all.iter().map(|c| c.value).sum::<i64>());
    }
);

both!(
    a_tag_finds_the_same_leads_tested_per_lead_or_read_from_the_tag,
    async |app: &TestApp| {
        use app::server::db::Sql;
        use app::server::search::{push_search, Reach, Search};
        let admin = app.admin_actor().await;
        for (i, tags) in ["vip", "VIP, hot", "", "hot", "vip, big"]
            .iter()
            .cycle()
            .take(25)
            .enumerate()
        {
            let input = LeadInput {
                tags: Some(tags.to_string()),
                ..lead(&format!("Tagged {i}"), "10")
            };
            leads::create(app.store(), &admin, &input, Via::Ui)
                .await
                .unwrap();
        }
        let db = &app.store().db;
        for tag in ["vip", "Vip", "hot", "big", "none-such"] {
            let mut found = Vec::new();
            for reach in [Reach::AllMatches, Reach::FirstPage] {
                let mut sql = Sql::new("SELECT l.id FROM leads l WHERE l.deleted_at IS NULL");
                push_search(&mut sql, db.backend, &Search::Tags(vec![tag.into()]), reach);
                sql.push(" ORDER BY l.position, l.id LIMIT 100");
                let ids: Vec<(i64,)> = sql.fetch_all(&db.pool).await.unwrap();
                found.push(ids);
            }
            assert_eq!(found[0], found[1], "#{tag}");
            let expected = match tag {
                "vip" | "Vip" => 15, // "vip" and "VIP" are two tags; the filter folds case
                "hot" => 10,
                "big" => 5,
                _ => 0,
            };
            assert_eq!(found[0].len(), expected, "#{tag}");
        }
    }
);

both!(
    concurrent_tag_edits_of_leads_in_one_bucket_all_succeed_with_exact_totals,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (_, pipeline) = app.stage_with_pipeline("New").await;
        let mut ids = Vec::new();
        for i in 0..8 {
            let input = LeadInput {
                tags: Some("red".into()),
                ..lead(&format!("Busy {i}"), "100")
            };
            let lead = leads::create(app.store(), &admin, &input, Via::Ui)
                .await
                .unwrap();
            ids.push(lead.id);
        }
        // Each edit changes the lead's bucket (public or not) and its tags in one transaction:
        // several statements each, crossing the others' kept rows.
        let palettes = ["red, blue", "blue, green", "green, red"];
        let mut tasks = Vec::new();
        for (i, id) in ids.iter().copied().enumerate() {
            let (store, admin) = (app.store().clone(), admin.clone());
            tasks.push(tokio::spawn(async move {
                for round in 0..6 {
                    let edit = LeadInput {
                        tags: Some(palettes[(i + round) % 3].into()),
                        is_public: Some(((i + round) % 2 == 0).to_string()),
                        lead_value: Some(format!("{}", 100 + round * 10 + i)),
                        ..Default::default()
                    };
                    leads::update(&store, &admin, id, &edit, None, Via::Ui).await?;
                }
                Ok::<(), app::error::AppError>(())
            }));
        }
        for task in tasks {
            task.await.unwrap().expect("every concurrent edit is saved");
        }
        for tag in ["red", "blue", "green"] {
            let kept = board::columns(
                &app.store().db,
                &admin,
                &filter(&[("tag", tag)]),
                pipeline,
                Counted,
            )
            .await
            .unwrap();
            let scanned = board::columns(
                &app.store().db,
                &admin,
                &filter(&[("tag", tag), ("created_from", "1970-01-01")]),
                pipeline,
                Counted,
            )
            .await
            .unwrap();
            assert_eq!(kept, scanned, "#{tag}");
            assert!(kept.iter().map(|c| c.leads).sum::<i64>() > 0, "#{tag}");
        }
    }
);

both!(
    a_searched_board_and_list_follow_moves_status_value_and_activity,
    async |app: &TestApp| {
        // A word search's totals, first cards and list counts read each match's stage, status,
        // value, last activity and position — on PostgreSQL from the word table's copy of
        // them. Every change must reach that copy: the same search narrowed by a filter that
        // leaves no lead out but reads the leads themselves is the reference.
        let admin = app.admin_actor().await;
        let store = app.store();
        let (new, pipeline) = app.stage_with_pipeline("New").await; // stalled after 3 days
        let qualified = app.stage("Qualified").await;
        let mut made = Vec::new();
        for (name, value) in [
            ("Seeker Ana", "100"),
            ("Seeker Bob", "200"),
            ("Seeker Cid", "300"),
            ("Seeker Dan", "400"),
        ] {
            let created = leads::create(store, &admin, &lead(name, value), Via::Ui)
                .await
                .unwrap();
            made.push(created.id);
        }
        let [ana, bob, cid, dan] = made[..] else {
            unreachable!()
        };
        let searched = [("q", "seek")];
        let reference = [("q", "seek"), ("created_from", "1970-01-01")];
        let board_of = async |pairs: &[(&str, &str)]| board_seen(app, pipeline, pairs).await;
        let list_of = async |pairs: &[(&str, &str)]| list_seen(app, pairs).await;
        // The searched board as the reference reads it, and the "New" column's numbers and cards.
        let check = async |when: &str| {
            // With each filter the word table can answer too: a value range, stalled, a status.
            for extra in [
                None,
                Some(("value_min", "250")),
                Some(("stalled", "1")),
                Some(("status", "lost")),
            ] {
                let searched: Vec<_> = searched.iter().copied().chain(extra).collect();
                let reference: Vec<_> = reference.iter().copied().chain(extra).collect();
                assert_eq!(
                    board_of(&searched).await,
                    board_of(&reference).await,
                    "{when}: the board, {extra:?}"
                );
                assert_eq!(
                    list_of(&searched).await,
                    list_of(&reference).await,
                    "{when}: the list, {extra:?}"
                );
            }
            let seen = board_of(&searched).await;
            let (columns, _) = seen;
            let (_, totals, cards) = columns.into_iter().find(|c| c.0 == new).unwrap();
            (totals.leads, totals.value, totals.stalled, cards)
        };
        let (leads, value, _, _) = check("created").await;
        assert_eq!((leads, value), (4, 100_000)); // in cents

        let to_qualified = StageMove {
            lead: ana,
            to: qualified,
            ..Default::default()
        };
        leads::move_to_stage(store, &admin, &to_qualified, Via::Board)
            .await
            .unwrap();
        let (leads, value, _, _) = check("moved to another stage").await;
        assert_eq!((leads, value), (3, 90_000));

        let first = check("before the reorder").await.3[0].clone();
        assert_ne!(first, "Seeker Bob");
        let first = if first == "Seeker Cid" { cid } else { dan };
        let to_top = StageMove {
            lead: bob,
            to: new,
            before: Some(first),
            ..Default::default()
        };
        leads::move_to_stage(store, &admin, &to_top, Via::Board)
            .await
            .unwrap();
        let cards = check("reordered in its column").await.3;
        assert_eq!(cards[0], "Seeker Bob", "{cards:?}");

        let dearer = LeadInput {
            lead_value: Some("5000".into()),
            ..Default::default()
        };
        leads::update(store, &admin, cid, &dearer, None, Via::Ui)
            .await
            .unwrap();
        let (_, value, _, _) = check("its value changed").await;
        assert_eq!(value, 560_000);

        let reason: i64 = app.count("SELECT MIN(id) FROM lost_reasons").await;
        let lost = Closing::Lost {
            reason: Some(reason),
            note: String::new(),
        };
        leads::close(store, &admin, bob, &lost, None, Via::Board)
            .await
            .unwrap();
        let (leads, value, _, _) = check("marked lost").await;
        assert_eq!((leads, value), (2, 540_000));
        let lost_list = list_of(&[("q", "seek"), ("status", "lost")]).await;
        assert_eq!(lost_list.4, ["Seeker Bob"]);

        sqlx::query(
            "UPDATE leads SET last_activity_at = last_activity_at - 4 * 86400000 WHERE id = $1",
        )
        .bind(dan)
        .execute(&store.db.pool)
        .await
        .unwrap();
        let (_, _, stalled, _) = check("left without activity").await;
        assert_eq!(stalled, 1);
        leads::mark_contacted(store, &admin, dan, Via::Ui)
            .await
            .unwrap();
        let (_, _, stalled, _) = check("contacted").await;
        assert_eq!(stalled, 0);
    }
);

both!(
    a_value_range_board_and_list_count_every_lead_in_range_as_values_change,
    async |app: &TestApp| {
        // A value range's totals add up kept value bands (the values sharing
        // their first two digits) and count the leads of the bands the range cuts. Ranges
        // starting and ending on a band's edge, inside it and across several are compared
        // with the same filter plus one that leaves no lead out but reads the leads themselves.
        let admin = app.admin_actor().await;
        let store = app.store();
        let (new, pipeline) = app.stage_with_pipeline("New").await;
        let qualified = app.stage("Qualified").await;
        let source: i64 = app.count("SELECT MIN(id) FROM sources").await;
        let mut made = Vec::new();
        // Values in cents: 5, 10, 119, 120, 1234, 1299, 1300, 10000, 12345, 1234567, none.
        for (i, value) in [
            "0.05", "0.10", "1.19", "1.20", "12.34", "12.99", "13.00", "100", "123.45", "12345.67",
            "",
        ]
        .into_iter()
        .enumerate()
        {
            let input = LeadInput {
                name: Some(format!("Valued {i}")),
                lead_value: (!value.is_empty()).then(|| value.to_string()),
                source: (i % 2 == 0).then(|| source.to_string()),
                ..Default::default()
            };
            made.push(
                leads::create(store, &admin, &input, Via::Ui)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let board_of = async |pairs: &[(&str, &str)]| board_seen(app, pipeline, pairs).await;
        let list_of = async |pairs: &[(&str, &str)]| list_seen(app, pairs).await;
        let ranges: [&[(&str, &str)]; 9] = [
            &[("value_min", "1.20")],
            &[("value_min", "1.21")],
            &[("value_max", "12.99")],
            &[("value_max", "13")],
            &[("value_min", "12.30"), ("value_max", "12.99")],
            &[("value_min", "0.05"), ("value_max", "0.10")],
            &[("value_min", "1.19"), ("value_max", "123.45")],
            &[("value_min", "100"), ("value_max", "100")],
            &[("value_min", "0")],
        ];
        let source_text = source.to_string();
        let check = async |when: &str| {
            for range in ranges {
                for extra in [
                    None,
                    Some(("status", "lost")),
                    Some(("status", "junk")),
                    Some(("stalled", "1")),
                    Some(("source", source_text.as_str())),
                ] {
                    let kept: Vec<_> = range.iter().copied().chain(extra).collect();
                    let mut counted = kept.clone();
                    counted.push(("created_from", "1970-01-01"));
                    assert_eq!(
                        board_of(&kept).await,
                        board_of(&counted).await,
                        "{when}: the board, {kept:?}"
                    );
                    assert_eq!(
                        list_of(&kept).await,
                        list_of(&counted).await,
                        "{when}: the list, {kept:?}"
                    );
                }
            }
            let (_, totals) = board_of(&[("value_min", "1.20"), ("value_max", "123.45")]).await;
            let in_new = totals.iter().find(|t| t.stage_id == new).unwrap();
            (in_new.leads, in_new.value)
        };
        assert_eq!(
            check("created").await,
            (6, 120 + 1234 + 1299 + 1300 + 10000 + 12345)
        );

        let cheaper = LeadInput {
            lead_value: Some("1.25".into()),
            ..Default::default()
        };
        leads::update(store, &admin, made[7], &cheaper, None, Via::Ui)
            .await
            .unwrap();
        assert_eq!(
            check("a value changed band").await,
            (6, 120 + 1234 + 1299 + 1300 + 125 + 12345)
        );

        let to_qualified = StageMove {
            lead: made[4],
            to: qualified,
            ..Default::default()
        };
        leads::move_to_stage(store, &admin, &to_qualified, Via::Board)
            .await
            .unwrap();
        leads::close(store, &admin, made[5], &Closing::Junk, None, Via::Board)
            .await
            .unwrap();
        leads::delete(store, &admin, made[6], Via::Ui)
            .await
            .unwrap();
        assert_eq!(
            check("moved, junked, trashed").await,
            (3, 120 + 125 + 12345)
        );
        leads::restore(store, &admin, made[6], Via::Ui)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE leads SET last_activity_at = last_activity_at - 4 * 86400000 WHERE id = $1",
        )
        .bind(made[3])
        .execute(&store.db.pool)
        .await
        .unwrap();
        assert_eq!(
            check("restored, one stalled").await,
            (4, 120 + 125 + 1300 + 12345)
        );
    }
);

both!(
    a_created_range_board_and_list_add_up_kept_days_as_leads_change,
    async |app: &TestApp| {
        // A created range's totals add up kept days (leads per stage, status, source and day
        // of creation). Ranges of one day, several, open on either side, before 1970, today
        // and empty are compared with the same filter narrowed besides to the one owner every
        // lead has, which the days do not keep: that one counts the leads themselves.
        const DAY: i64 = 86_400_000;
        let admin = app.admin_actor().await;
        let owner = admin.user_id.unwrap().to_string();
        let store = app.store();
        let (new, pipeline) = app.stage_with_pipeline("New").await;
        let qualified = app.stage("Qualified").await;
        let source: i64 = app.count("SELECT MIN(id) FROM sources").await;
        let midnight = app::server::db::now_ms() / DAY * DAY;
        // Created: today, the last and the first instant of yesterday, three and ten days ago,
        // an hour before 1970, at 1970's first instant, two days ago without a value.
        let created = [
            midnight + 3_600_000,
            midnight - 1,
            midnight - DAY,
            midnight - 3 * DAY + 5 * 3_600_000,
            midnight - 10 * DAY,
            -3_600_000,
            0,
            midnight - 2 * DAY,
        ];
        let mut made = Vec::new();
        for (i, at) in created.into_iter().enumerate() {
            let input = LeadInput {
                name: Some(format!("Dated {i}")),
                lead_value: (i != 7).then(|| format!("{}", 10 * (i + 1))),
                source: (i % 2 == 0).then(|| source.to_string()),
                assigned: Some(owner.clone()),
                ..Default::default()
            };
            let id = leads::create(store, &admin, &input, Via::Ui)
                .await
                .unwrap()
                .id;
            sqlx::query("UPDATE leads SET dateadded = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(&store.db.pool)
                .await
                .unwrap();
            made.push(id);
        }
        let date = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .unwrap()
                .format("%Y-%m-%d")
                .to_string()
        };
        let (today, yesterday) = (date(midnight), date(midnight - DAY));
        let (three_ago, ten_ago) = (date(midnight - 3 * DAY), date(midnight - 10 * DAY));
        let ranges: Vec<Vec<(&str, &str)>> = vec![
            vec![("created_from", &yesterday), ("created_to", &yesterday)],
            vec![("created_from", &three_ago), ("created_to", &yesterday)],
            vec![("created_from", &ten_ago)],
            vec![("created_to", &three_ago)],
            vec![("created_today", "1")],
            vec![("created_from", &three_ago), ("created_today", "1")],
            vec![("created_from", "1969-12-31"), ("created_to", "1969-12-31")],
            vec![("created_to", "1970-01-01")],
            vec![("created_from", "1970-01-02"), ("created_to", &ten_ago)],
            vec![("created_from", &today), ("created_to", &yesterday)],
        ];
        let board_of = async |pairs: &[(&str, &str)]| board_seen(app, pipeline, pairs).await;
        let list_of = async |pairs: &[(&str, &str)]| list_seen(app, pairs).await;
        let source_text = source.to_string();
        let check = async |when: &str| {
            for range in &ranges {
                for extra in [
                    None,
                    Some(("status", "lost")),
                    Some(("status", "junk")),
                    Some(("stalled", "1")),
                    Some(("source", source_text.as_str())),
                ] {
                    let kept: Vec<_> = range.iter().copied().chain(extra).collect();
                    let mut counted = kept.clone();
                    counted.push(("assignee", &owner));
                    assert_eq!(
                        board_of(&kept).await,
                        board_of(&counted).await,
                        "{when}: the board, {kept:?}"
                    );
                    assert_eq!(
                        list_of(&kept).await,
                        list_of(&counted).await,
                        "{when}: the list, {kept:?}"
                    );
                }
            }
            let drift = app.count(common::DAY_TOTALS_DRIFT).await;
            assert_eq!(drift, 0, "{when}: day_totals match the leads");
            let (_, totals) =
                board_of(&[("created_from", &three_ago), ("created_to", &yesterday)]).await;
            let in_new = totals.iter().find(|t| t.stage_id == new).unwrap();
            (in_new.leads, in_new.value)
        };
        // Yesterday's two, three days ago, two days ago (no value); values in cents.
        assert_eq!(check("created").await, (4, 2000 + 3000 + 4000));
        // The cards too (on SQLite a page starts from a range this small).
        for (range, expected) in [
            (&ranges[0], vec!["Dated 1", "Dated 2"]),
            (&ranges[4], vec!["Dated 0"]),
            (&ranges[6], vec!["Dated 5"]),
        ] {
            let (columns, _) = board_of(range).await;
            let mut cards = columns.into_iter().find(|c| c.0 == new).unwrap().2;
            cards.sort();
            assert_eq!(cards, expected, "{range:?}");
        }

        let dearer = LeadInput {
            lead_value: Some("55".into()),
            ..Default::default()
        };
        leads::update(store, &admin, made[1], &dearer, None, Via::Ui)
            .await
            .unwrap();
        sqlx::query("UPDATE leads SET dateadded = $1 WHERE id = $2")
            .bind(midnight - 2 * DAY + 1)
            .bind(made[0])
            .execute(&store.db.pool)
            .await
            .unwrap();
        assert_eq!(
            check("a value changed, a lead dated back").await,
            (5, 5500 + 3000 + 4000 + 1000)
        );

        let to_qualified = StageMove {
            lead: made[2],
            to: qualified,
            ..Default::default()
        };
        leads::move_to_stage(store, &admin, &to_qualified, Via::Board)
            .await
            .unwrap();
        leads::close(store, &admin, made[3], &Closing::Junk, None, Via::Board)
            .await
            .unwrap();
        let reason: i64 = app.count("SELECT MIN(id) FROM lost_reasons").await;
        let lost = Closing::Lost {
            reason: Some(reason),
            note: String::new(),
        };
        leads::close(store, &admin, made[4], &lost, None, Via::Board)
            .await
            .unwrap();
        leads::delete(store, &admin, made[1], Via::Ui)
            .await
            .unwrap();
        assert_eq!(check("moved, junked, lost, trashed").await, (2, 1000));
        leads::restore(store, &admin, made[1], Via::Ui)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE leads SET last_activity_at = last_activity_at - 4 * 86400000 WHERE id = $1",
        )
        .bind(made[7])
        .execute(&store.db.pool)
        .await
        .unwrap();
        assert_eq!(check("restored, one stalled").await, (3, 1000 + 5500));

        // Another source, a lost lead reopened, a purge, and one statement moving several
        // leads a day back (PostgreSQL's trigger sees them together).
        let other_source: i64 = app.count("SELECT MAX(id) FROM sources").await;
        let resourced = LeadInput {
            source: Some(other_source.to_string()),
            ..Default::default()
        };
        leads::update(store, &admin, made[0], &resourced, None, Via::Ui)
            .await
            .unwrap();
        leads::close(store, &admin, made[4], &Closing::Reopen, None, Via::Board)
            .await
            .unwrap();
        leads::delete(store, &admin, made[6], Via::Ui)
            .await
            .unwrap();
        leads::purge(store, &admin, made[6]).await.unwrap();
        sqlx::query("UPDATE leads SET dateadded = dateadded - 86400000 WHERE id IN ($1, $2, $3)")
            .bind(made[1])
            .bind(made[2])
            .bind(made[5])
            .execute(&store.db.pool)
            .await
            .unwrap();
        // Yesterday's last instant went to two days ago; the lead of yesterday's first instant
        // is in Qualified.
        assert_eq!(
            check("another source, reopened, purged, several dated back").await,
            (3, 1000 + 5500)
        );
    }
);
