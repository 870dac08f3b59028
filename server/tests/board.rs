//! The board's reads: exact column totals and keyset-paged cards, in the viewer's scope.

#[macro_use]
mod common;
use app::models::{LeadInput, Role};
use app::server::board;
use app::server::leads::{self, StageMove, Via};
use common::TestApp;

fn lead(name: &str, value: &str) -> LeadInput {
    LeadInput {
        name: Some(name.into()),
        lead_value: Some(value.into()),
        ..Default::default()
    }
}

async fn stage(app: &TestApp, name: &str) -> (i64, i64) {
    sqlx::query_as("SELECT id, pipeline_id FROM stages WHERE name = $1")
        .bind(name.to_string())
        .fetch_one(&app.store().db.pool)
        .await
        .unwrap()
}

both!(
    column_totals_are_exact_weighted_and_scoped,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let (new, pipeline) = stage(app, "New").await; // probability 10 %, stalled after 3 days
        let (qualified, _) = stage(app, "Qualified").await; // probability 40 %
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

        let all = board::columns(&app.store().db, &admin, pipeline)
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

        let anas = board::columns(&app.store().db, &ana_actor, pipeline)
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
        let (new, _) = stage(app, "New").await;
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
            let page = board::cards(&app.store().db, &admin, new, after, 10)
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
