//! The list view's reads: the board's filters plus a stage, sorting by any column with empty
//! values last, pages with the exact total, open leads per stage and the lost share — all in
//! the reader's scope; the page size a user picks is remembered.

#[macro_use]
mod common;
use app::models::{Closing, LeadInput, ListQuery, Role, SortKey};
use app::server::leads::{self, Via};
use app::server::list;
use app::server::records::{self, RecordQuery};
use app::server::search::Search;
use common::{list_query as query, TestApp};
use serde_json::json;

fn names(page: &app::models::ListPage) -> Vec<&str> {
    page.rows.iter().map(|row| row.name.as_str()).collect()
}

both!(
    the_list_filters_sorts_pages_and_sums_up,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, ana_actor) = app.user("Ana Rep", Role::Sales).await;
        let contacted = app.stage("Contacted").await;
        let make = |name: &str, value: Option<&str>, stage: Option<i64>, assigned: Option<i64>| {
            LeadInput {
                name: Some(name.into()),
                lead_value: value.map(Into::into),
                stage: stage.map(|s| s.to_string()),
                // No owner: sent empty (left out, the lead would be its creator's).
                assigned: Some(assigned.map(|a| a.to_string()).unwrap_or_default()),
                company: Some(format!("{name} SRL")),
                ..Default::default()
            }
        };
        let store = app.store();
        for input in [
            make("Alpha", Some("300"), None, Some(ana.id)),
            make("Bravo", None, Some(contacted), None),
            make("Charlie", Some("100"), Some(contacted), Some(ana.id)),
            make("Delta", Some("200"), None, None),
        ] {
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let lost = leads::create(
            store,
            &admin,
            &make("Echo", Some("50"), None, None),
            Via::Ui,
        )
        .await
        .unwrap();
        let reason: i64 = app.count("SELECT MIN(id) FROM lost_reasons").await;
        leads::close(
            store,
            &admin,
            lost.id,
            &Closing::Lost {
                reason: Some(reason),
                note: String::new(),
            },
            None,
            Via::Ui,
        )
        .await
        .unwrap();
        let db = &store.db;

        // Value, largest first; a lead without a value comes last either way.
        let page = list::page(db, &admin, &query(&[("sort", "value")]), 50, None)
            .await
            .unwrap();
        assert_eq!(names(&page), ["Alpha", "Delta", "Charlie", "Bravo"]);
        let page = list::page(
            db,
            &admin,
            &query(&[("sort", "value"), ("dir", "asc")]),
            50,
            None,
        )
        .await
        .unwrap();
        assert_eq!(names(&page), ["Charlie", "Delta", "Alpha", "Bravo"]);
        let page = list::page(
            db,
            &admin,
            &query(&[("sort", "name"), ("dir", "desc")]),
            50,
            None,
        )
        .await
        .unwrap();
        assert_eq!(names(&page), ["Delta", "Charlie", "Bravo", "Alpha"]);

        // Open leads per stage and the lost share, whatever page or sort.
        assert_eq!(page.total, 4);
        let counts: Vec<(&str, i64)> = page
            .summary
            .iter()
            .map(|s| (s.name.as_str(), s.leads))
            .collect();
        assert_eq!(&counts[..2], [("New", 2), ("Contacted", 2)]);
        assert_eq!((page.lost, page.all), (1, 5));

        // A stage, the text search, "unassigned", the lost ones.
        let contacted_only = contacted.to_string();
        let page = list::page(
            db,
            &admin,
            &query(&[("stage", &contacted_only), ("sort", "name"), ("dir", "asc")]),
            50,
            None,
        )
        .await
        .unwrap();
        assert_eq!(names(&page), ["Bravo", "Charlie"]);
        let page = list::page(db, &admin, &query(&[("q", "delta")]), 50, None)
            .await
            .unwrap();
        assert_eq!(names(&page), ["Delta"]);
        let page = list::page(
            db,
            &admin,
            &query(&[("assignee", "none"), ("sort", "name"), ("dir", "asc")]),
            50,
            None,
        )
        .await
        .unwrap();
        assert_eq!(names(&page), ["Bravo", "Delta"]);
        let page = list::page(db, &admin, &query(&[("status", "lost")]), 50, None)
            .await
            .unwrap();
        assert_eq!(names(&page), ["Echo"]);

        // Pages of two, with the exact total; a page past the end shows the last one.
        let page = list::page(
            db,
            &admin,
            &query(&[("sort", "name"), ("dir", "asc"), ("page", "2")]),
            2,
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            (names(&page), page.total, page.page),
            (vec!["Charlie", "Delta"], 4, 2)
        );
        let page = list::page(db, &admin, &query(&[("page", "9")]), 2, None)
            .await
            .unwrap();
        assert_eq!(page.page, 2);

        // A sales rep sees and counts only their own leads (and public ones).
        let page = list::page(
            db,
            &ana_actor,
            &query(&[("sort", "name"), ("dir", "asc")]),
            50,
            None,
        )
        .await
        .unwrap();
        assert_eq!(names(&page), ["Alpha", "Charlie"]);
        assert_eq!(page.total, 2);
        assert_eq!(page.summary.iter().map(|s| s.leads).sum::<i64>(), 2);
        assert_eq!(page.me, Some(ana.id));
        assert_eq!(query(&[("sort", "bogus")]).sort, SortKey::Created);
    }
);

both!(
    the_list_filters_by_visibility_last_contact_next_action_and_overdue_reminders,
    async |app: &TestApp| {
        use app::models::{ReminderCommand, ReminderInput};
        use app::server::reminders;
        let admin = app.admin_actor().await;
        let store = app.store();
        let today = chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string();
        let mut ids = Vec::new();
        for (name, public, lastcontact, next_action) in [
            ("Pub", "1", Some(today.as_str()), Some("Call back")),
            ("Old", "0", Some("2024-03-10 10:00"), None),
            ("Later", "0", None, None),
            ("Done", "0", Some("2024-03-11 08:00"), None),
        ] {
            let input = LeadInput {
                name: Some(name.into()),
                is_public: Some(public.into()),
                lastcontact: lastcontact.map(Into::into),
                next_action: next_action.map(Into::into),
                ..Default::default()
            };
            ids.push(
                leads::create(store, &admin, &input, Via::Ui)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let remind = |lead: i64, at: &str| ReminderCommand::Create {
            lead,
            input: ReminderInput {
                remind_at: at.into(),
                user: String::new(),
                body: "Follow up".into(),
            },
        };
        // Old: due long ago. Later: due in the future. Done: due long ago but done.
        reminders::command(store, &admin, &remind(ids[1], "2020-01-01 09:00"))
            .await
            .unwrap();
        reminders::command(store, &admin, &remind(ids[2], "2999-01-01 09:00"))
            .await
            .unwrap();
        let done = reminders::command(store, &admin, &remind(ids[3], "2020-01-01 09:00"))
            .await
            .unwrap();
        reminders::command(store, &admin, &ReminderCommand::Done { id: done })
            .await
            .unwrap();
        // Later was created long ago.
        sqlx::query("UPDATE leads SET dateadded = 1700000000000 WHERE id = $1")
            .bind(ids[2])
            .execute(&store.db.pool)
            .await
            .unwrap();

        let db = &store.db;
        let actor = &admin;
        let listed = |pairs: Vec<(&'static str, &'static str)>| async move {
            let mut pairs = pairs;
            pairs.extend([("sort", "name"), ("dir", "asc")]);
            let page = list::page(db, actor, &query(&pairs), 50, None)
                .await
                .unwrap();
            let names: Vec<String> = page.rows.iter().map(|r| r.name.clone()).collect();
            assert_eq!(
                names.len() as i64,
                page.total,
                "{pairs:?}: the total counts the rows"
            );
            names
        };
        assert_eq!(listed(vec![("public", "1")]).await, ["Pub"]);
        assert_eq!(
            listed(vec![("public", "0")]).await,
            ["Done", "Later", "Old"]
        );
        // Visibility is kept in the totals; with a filter they do not keep, the count agrees.
        assert_eq!(
            listed(vec![("public", "0"), ("created_from", "1970-01-01")]).await,
            ["Done", "Later", "Old"]
        );
        assert_eq!(listed(vec![("contacted_today", "1")]).await, ["Pub"]);
        assert_eq!(
            listed(vec![
                ("contacted_from", "2024-03-01"),
                ("contacted_to", "2024-03-10")
            ])
            .await,
            ["Old"],
            "the last day is inclusive"
        );
        assert_eq!(
            listed(vec![("contacted_from", "2024-03-11")]).await,
            ["Done", "Pub"]
        );
        assert_eq!(
            listed(vec![("no_next_action", "1")]).await,
            ["Done", "Later", "Old"]
        );
        assert_eq!(listed(vec![("overdue", "1")]).await, ["Old"]);
        assert_eq!(
            listed(vec![("created_today", "1")]).await,
            ["Done", "Old", "Pub"]
        );
        assert_eq!(
            listed(vec![("overdue", "1"), ("public", "1")]).await,
            Vec::<String>::new()
        );

        // The board's columns count alike.
        let filter =
            app::models::BoardFilter::from_query(|key| (key == "public").then(|| "0".to_string()))
                .parse(admin.locale)
                .unwrap();
        let pipeline: i64 = app.count("SELECT MIN(id) FROM pipelines").await;
        let columns = app::server::board::columns(
            db,
            &admin,
            &filter,
            pipeline,
            app::server::board::Stalled::Counted,
        )
        .await
        .unwrap();
        assert_eq!(columns.iter().map(|c| c.leads).sum::<i64>(), 3);

        // A value the filter does not know is a field error, not an empty list.
        let error = list::page(
            db,
            &admin,
            &query(&[("public", "maybe"), ("contacted_to", "soon")]),
            50,
            None,
        )
        .await
        .unwrap_err();
        let fields = error.field_errors().unwrap();
        assert!(
            fields.contains_key("public") && fields.contains_key("contacted_to"),
            "{fields:?}"
        );
    }
);

both!(
    the_page_size_a_user_picks_is_remembered,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        for n in 0..30 {
            let input = LeadInput {
                name: Some(format!("Lead {n:02}")),
                ..Default::default()
            };
            leads::create(app.store(), &admin, &input, Via::Ui)
                .await
                .unwrap();
        }
        let client = app.admin().await;
        let read = |query: serde_json::Value| {
            app.rpc(&client, "/rpc/leads/list", json!({ "query": query }))
        };
        let default_query = serde_json::to_value(ListQuery::default()).unwrap();
        let (status, page) = read(default_query.clone()).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(
            (
                page["per_page"].as_i64(),
                page["rows"].as_array().unwrap().len()
            ),
            (Some(50), 30)
        );
        let mut small = default_query.clone();
        small["per_page"] = json!(25);
        let (_, page) = read(small).await;
        assert_eq!(page["rows"].as_array().unwrap().len(), 25);
        let (_, page) = read(default_query.clone()).await;
        assert_eq!(page["per_page"], 25, "remembered");
        assert_eq!(page["total"], 30);
        // Picked again, changed, picked again: the last pick holds.
        for size in [25, 100, 100, 25] {
            let mut picked = default_query.clone();
            picked["per_page"] = json!(size);
            read(picked).await;
            let (_, page) = read(default_query.clone()).await;
            assert_eq!(page["per_page"], size, "remembered after picking {size}");
        }

        // So are the columns picked: in the list's order, whatever order they were ticked in.
        assert_eq!(
            page["columns"].as_array().unwrap().len(),
            8,
            "the default columns"
        );
        let (status, _) = app
            .rpc(
                &client,
                "/rpc/leads/list/columns",
                json!({ "columns": ["value", "email"] }),
            )
            .await;
        assert_eq!(status, 200);
        let (_, page) = read(default_query.clone()).await;
        assert_eq!(page["columns"], json!(["Email", "Value"]));
        let (status, _) = app
            .rpc(
                &client,
                "/rpc/leads/list/columns",
                json!({ "columns": ["value", "salary"] }),
            )
            .await;
        assert_ne!(status, 200, "an unknown column is refused");
        let (_, page) = read(default_query).await;
        assert_eq!(
            page["columns"],
            json!(["Email", "Value"]),
            "and changes nothing"
        );
    }
);

both!(
    views_are_saved_private_or_shared_and_deleted_by_their_owner,
    async |app: &TestApp| {
        use app::server::views;
        let db = &app.store().db;
        let admin = app.admin_actor().await;
        let (_, ana) = app.user("Ana Rep", Role::Sales).await;
        let big = views::save(db, &admin, "Big deals", true, "?view=list&value_min=1000")
            .await
            .unwrap();
        views::save(db, &admin, "Admin only", false, "view=list&status=lost")
            .await
            .unwrap();
        views::save(db, &ana, "Mine", false, "view=list&mine=1")
            .await
            .unwrap();

        let seen = views::list(db, &ana).await.unwrap();
        let names: Vec<&str> = seen.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Big deals", "Mine"], "her own and the shared one");
        assert_eq!(seen[0].href(), "/admin/leads?view=list&value_min=1000");
        assert!(!seen[0].mine && seen[0].shared);
        assert_eq!(seen[0].owner, "Administrator");
        assert!(seen[1].mine);
        let admins: Vec<String> = views::list(db, &admin)
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.name)
            .collect();
        assert_eq!(
            admins,
            ["Admin only", "Big deals"],
            "a private view stays private"
        );

        // Saving under a name one already has replaces that view.
        let hers = views::save(db, &ana, "mine", false, "view=list&mine=1&stalled=1")
            .await
            .unwrap();
        let seen = views::list(db, &ana).await.unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[1].query, "view=list&mine=1&stalled=1");

        let error = views::save(db, &ana, "  ", false, "view=list")
            .await
            .unwrap_err();
        assert!(error.field_errors().unwrap().contains_key("name"));
        let long = "x".repeat(81);
        let error = views::save(db, &ana, &long, false, "view=list")
            .await
            .unwrap_err();
        assert!(
            error.field_errors().unwrap()["name"].contains("81"),
            "never cut"
        );

        assert!(views::delete(db, &ana, big).await.is_err(), "not hers");
        assert!(
            views::delete(db, &admin, hers).await.is_err(),
            "private, even for an admin"
        );
        views::delete(db, &admin, big).await.unwrap();
        assert_eq!(views::list(db, &ana).await.unwrap().len(), 1);
    }
);

both!(
    the_csv_export_streams_every_selected_lead_safely_in_scope,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (ana, _) = app.user("Ana Rep", Role::Sales).await;
        let store = app.store();
        let tricky = LeadInput {
            name: Some("Smith, \"Bob\"".into()),
            company: Some("=HYPERLINK(\"http://evil\")".into()),
            description: Some("two\nlines".into()),
            assigned: Some(ana.id.to_string()),
            lead_value: Some("1200.5".into()),
            tags: Some("vip,hot".into()),
            ..Default::default()
        };
        let tricky = leads::create(store, &admin, &tricky, Via::Ui)
            .await
            .unwrap();
        // More than one chunk (1,000 leads) to stream.
        for n in 0..1_001 {
            let input = LeadInput {
                name: Some(format!("Bulk {n:04}")),
                ..Default::default()
            };
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }

        let client = app.admin().await;
        let response = client
            .get(app.url("/admin/leads/export.csv?view=list"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        let text = response.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[1], "Name");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1_002, "every lead, across chunks");
        let ids: std::collections::HashSet<&str> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(ids.len(), 1_002, "none twice");
        let row = rows.iter().find(|r| r[0] == tricky.id.to_string()).unwrap();
        assert_eq!(&row[1], "Smith, \"Bob\"");
        assert_eq!(
            &row[3], "'=HYPERLINK(\"http://evil\")",
            "a formula is neutralised"
        );
        assert_eq!(&row[10], "1200.50");
        assert_eq!(&row[11], "hot, vip");

        // A rep's export holds their leads only; filters apply.
        let rep = app.signed_in("ana.rep@test.local", "user-password-1").await;
        let text = rep
            .get(app.url("/admin/leads/export.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(text.lines().count(), 2, "the header and Ana's one lead");
        let text = client
            .get(app.url("/admin/leads/export.csv?q=smith"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            csv::Reader::from_reader(text.as_bytes()).records().count(),
            1
        );
        let anonymous = app
            .client()
            .get(app.url("/admin/leads/export.csv"))
            .send()
            .await
            .unwrap();
        assert_ne!(anonymous.status(), 200);
    }
);

/// The order a sort must give, stated plainly: by the key, ties by id, both in the sort's
/// direction; leads without a value last, whichever the direction.
fn expected_order(
    rows: &[app::models::ListRow],
    stage_order: &[i64],
    key: SortKey,
    desc: bool,
) -> Vec<i64> {
    use std::cmp::Ordering;
    #[derive(PartialEq, PartialOrd)]
    enum Key {
        Text(String),
        Number(i64),
    }
    let key_of = |row: &app::models::ListRow| -> Option<Key> {
        match key {
            // Text case aside: "alice" beside "Alice", not after "Zoe".
            SortKey::Name => Some(Key::Text(row.name.to_lowercase())),
            SortKey::Company => row.company.as_deref().map(str::to_lowercase).map(Key::Text),
            SortKey::Email => row.email.as_deref().map(str::to_lowercase).map(Key::Text),
            SortKey::Phone => row.phonenumber.clone().map(Key::Text),
            SortKey::Tags => row
                .tags
                .iter()
                .map(|tag| tag.to_lowercase())
                .min()
                .map(Key::Text),
            SortKey::Stage => stage_order
                .iter()
                .position(|s| *s == row.stage_id)
                .map(|p| Key::Number(p as i64)),
            SortKey::Assigned => row.assigned_name.clone().map(Key::Text),
            SortKey::Source => row.source_name.clone().map(Key::Text),
            SortKey::Value => row.lead_value.map(Key::Number),
            SortKey::LastContact => row.lastcontact.map(Key::Number),
            SortKey::Created => Some(Key::Number(row.dateadded)),
            SortKey::NextAction => row.next_action_at.map(Key::Number),
            SortKey::TimeInStage => Some(Key::Number(row.in_stage_since)),
            SortKey::Relevance | SortKey::Field(_) => {
                unreachable!("not one of the list's own columns")
            }
        }
    };
    // Longest in stage first is the earliest stage change first (ties likewise).
    let desc = if key == SortKey::TimeInStage {
        !desc
    } else {
        desc
    };
    let mut sorted: Vec<&app::models::ListRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        let ordered = |ordering: Ordering| if desc { ordering.reverse() } else { ordering };
        match (key_of(a), key_of(b)) {
            (Some(x), Some(y)) => ordered(
                x.partial_cmp(&y)
                    .expect("keys of one kind")
                    .then(a.id.cmp(&b.id)),
            ),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => ordered(a.id.cmp(&b.id)),
        }
    });
    sorted.into_iter().map(|row| row.id).collect()
}

/// The `i`th of a run of leads whose names, companies, e-mail addresses, phones and values
/// spread so that every sort by them has ties, empty values and upper and lower case mixed (a
/// sort by code points would put "Lead c" after "Lead K").
fn varied_lead(i: usize) -> LeadInput {
    LeadInput {
        name: Some(format!("Lead {}", ["K", "c", "A", "h", "B"][i % 5])),
        company: (!i.is_multiple_of(3))
            .then(|| format!("{} {}", ["Firm", "firm"][i % 2], 10 - i % 4)),
        email: (i % 4 != 2).then(|| format!("{}{i:02}@firm.example", ["k", "C", "a"][i % 3])),
        phonenumber: (i % 3 != 1).then(|| format!("07{:02}", (i * 37) % 100)),
        lead_value: (i % 4 != 1).then(|| ((i % 3) * 100).to_string()),
        ..Default::default()
    }
}

both!(
    every_column_sorts_both_ways_with_empty_values_last_across_pages,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (zoe, _) = app.user("Zoe Rep", Role::Sales).await;
        let (bob, _) = app.user("Bob Rep", Role::Sales).await;
        let store = app.store();
        let db = &store.db;
        let stages: Vec<i64> = sqlx::query_scalar(
            "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
             WHERE p.is_default = 1 ORDER BY s.position, s.id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let sources: Vec<i64> = sqlx::query_scalar("SELECT id FROM sources ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        // Values, companies, emails, phones, tags, owners, stages and sources spread so that
        // every sort has ties, empty values and several runs.
        for i in 0..11_usize {
            let input = LeadInput {
                tags: (i % 4 != 0)
                    .then(|| ["Delta, bravo", "alpha", "charlie, Bravo"][i % 3].into()),
                stage: Some(stages[i % 3].to_string()),
                source: (i % 5 != 4).then(|| sources[i % sources.len()].to_string()),
                assigned: Some(match i % 3 {
                    0 => zoe.id.to_string(),
                    1 => bob.id.to_string(),
                    _ => String::new(),
                }),
                ..varied_lead(i)
            };
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let all = list::page(db, &admin, &query(&[]), 100, None)
            .await
            .unwrap();
        assert_eq!(all.rows.len(), 11);
        for key in SortKey::ALL {
            if key == SortKey::Relevance {
                continue;
            }
            for desc in [false, true] {
                let dir = if desc { "desc" } else { "asc" };
                let mut got = Vec::new();
                for page in 1..=4 {
                    let page = page.to_string();
                    let q = query(&[("sort", &key.param()), ("dir", dir), ("page", &page)]);
                    let page = list::page(db, &admin, &q, 3, None).await.unwrap();
                    got.extend(page.rows.iter().map(|row| row.id));
                }
                assert_eq!(
                    got,
                    expected_order(&all.rows, &stages, key, desc),
                    "sorted by {} {dir}, three a page",
                    key.param()
                );
            }
        }
    }
);

both!(
    an_owners_sorted_pages_follow_one_order_whichever_way_each_page_is_found,
    async |app: &TestApp| {
        // Zoe holds most leads and Bob a few: on SQLite the first pages of Zoe's leads walk the
        // sort's index (`INDEXED BY`, see `list::walk_pays`), her later pages and all of Bob's
        // are read through the owner's index and sorted. Either way, one order across pages.
        let admin = app.admin_actor().await;
        let (zoe, _) = app.user("Zoe Rep", Role::Sales).await;
        let (bob, _) = app.user("Bob Rep", Role::Sales).await;
        let store = app.store();
        let db = &store.db;
        for i in 0..30_usize {
            let input = LeadInput {
                assigned: Some(if i % 5 == 4 { bob.id } else { zoe.id }.to_string()),
                ..varied_lead(i)
            };
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let sorts = [
            SortKey::Relevance,
            SortKey::Name,
            SortKey::Created,
            SortKey::TimeInStage,
            SortKey::Company,
            SortKey::Email,
            SortKey::Phone,
            SortKey::Value,
            SortKey::LastContact,
            SortKey::NextAction,
        ];
        for (owner, leads) in [(zoe.id, 24), (bob.id, 6)] {
            let owner = owner.to_string();
            let all = list::page(db, &admin, &query(&[("assignee", &owner)]), 100, None)
                .await
                .unwrap();
            assert_eq!(all.rows.len(), leads);
            for key in sorts {
                for desc in [false, true] {
                    let dir = if desc { "desc" } else { "asc" };
                    let mut got = Vec::new();
                    for page in 1..=leads / 3 {
                        let page = page.to_string();
                        let q = query(&[
                            ("assignee", &owner),
                            ("sort", &key.param()),
                            ("dir", dir),
                            ("page", &page),
                        ]);
                        let page = list::page(db, &admin, &q, 3, None).await.unwrap();
                        assert_eq!(page.total, leads as i64);
                        got.extend(page.rows.iter().map(|row| row.id));
                    }
                    // Newest first, whichever the direction, when no words are searched.
                    let expected = match key {
                        SortKey::Relevance => {
                            expected_order(&all.rows, &[], SortKey::Created, true)
                        }
                        key => expected_order(&all.rows, &[], key, desc),
                    };
                    assert_eq!(got, expected, "owner {owner}, by {} {dir}", key.param());
                }
            }
        }
    }
);

both!(
    a_sort_by_tags_holds_with_more_tag_names_in_use_than_it_walks_one_by_one,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let store = app.store();
        let lead = |name: &str, tags: String| LeadInput {
            name: Some(name.into()),
            tags: (!tags.is_empty()).then_some(tags),
            ..Default::default()
        };
        // 203 tag names in use: past the per-name runs, each lead's first tag is found.
        let many = (0..200)
            .map(|i| format!("t{i:03}"))
            .collect::<Vec<_>>()
            .join(", ");
        for input in [
            lead("Zeta tagged", "zeta".into()),
            lead("Untagged", String::new()),
            lead("Many tags", many),
            lead("Alpha tagged", "Alpha, zeta".into()),
            lead("Beta tagged", "beta".into()),
        ] {
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let admin = &admin;
        let sorted = |dir: &'static str| async move {
            let q = query(&[("sort", "tags"), ("dir", dir)]);
            let first = list::page(&store.db, admin, &q, 2, None).await.unwrap();
            let q = query(&[("sort", "tags"), ("dir", dir), ("page", "2")]);
            let second = list::page(&store.db, admin, &q, 2, None).await.unwrap();
            let q = query(&[("sort", "tags"), ("dir", dir), ("page", "3")]);
            let third = list::page(&store.db, admin, &q, 2, None).await.unwrap();
            [names(&first), names(&second), names(&third)]
                .concat()
                .join(" | ")
        };
        assert_eq!(
            sorted("asc").await,
            "Alpha tagged | Beta tagged | Many tags | Zeta tagged | Untagged"
        );
        assert_eq!(
            sorted("desc").await,
            "Zeta tagged | Many tags | Beta tagged | Alpha tagged | Untagged"
        );
    }
);

both!(
    a_sort_by_tags_within_a_tag_filter_keeps_the_filter_and_the_order,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let store = app.store();
        for (name, tags) in [
            ("Alpha and zeta", "alpha, zeta"),
            ("Zeta only", "zeta"),
            ("Beta only", "beta"),
            ("Untagged", ""),
            ("Zeta and Beta", "zeta, Beta"),
            ("Omega only", "omega"),
        ] {
            let input = LeadInput {
                name: Some(name.into()),
                tags: (!tags.is_empty()).then(|| tags.into()),
                ..Default::default()
            };
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let sorted = async |filter: (&str, &str), dir: &str| {
            let q = query(&[filter, ("sort", "tags"), ("dir", dir)]);
            let page = list::page(&store.db, &admin, &q, 50, None).await.unwrap();
            names(&page).join(" | ")
        };
        for filter in [("tag", "zeta"), ("q", "#zeta"), ("tag", "ZETA,nosuch")] {
            assert_eq!(
                sorted(filter, "asc").await,
                "Alpha and zeta | Zeta and Beta | Zeta only",
                "{filter:?}"
            );
            assert_eq!(
                sorted(filter, "desc").await,
                "Zeta only | Zeta and Beta | Alpha and zeta",
                "{filter:?}"
            );
        }
        assert_eq!(
            sorted(("tag", "beta,omega"), "asc").await,
            "Beta only | Zeta and Beta | Omega only"
        );
        assert_eq!(sorted(("tag", "nosuch"), "asc").await, "");
    }
);

both!(
    a_ranked_search_finds_its_page_past_the_best_matches_the_filters_leave_out,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let store = app.store();
        let contacted = app.stage("Contacted").await;
        let lead = |name: String, address: Option<&str>, stage: Option<i64>, tags: Option<&str>| {
            LeadInput {
                name: Some(name),
                address: address.map(Into::into),
                stage: stage.map(|s| s.to_string()),
                tags: tags.map(Into::into),
                ..Default::default()
            }
        };
        // 520 leads named for the word rank above every lead with it in the address only; a
        // stage filter leaves the 520 out, so the page lies past the best 500 matches.
        // The oldest is also tagged with a matching tag: found twice, counted and listed once.
        for i in 0..520 {
            let tags = (i == 0).then_some("Probes");
            let input = lead(format!("Probe {i}"), None, None, tags);
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let mut expected = Vec::new();
        for i in 0..3 {
            let name = format!("Street {i}");
            let input = lead(name.clone(), Some("Probe Street 1"), Some(contacted), None);
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
            expected.insert(0, name);
        }
        // Found by its tag alone: after every full-text match.
        let input = lead("Tag only".into(), None, Some(contacted), Some("Probes"));
        leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        expected.push("Tag only".into());

        let contacted = contacted.to_string();
        let searched = query(&[("q", "probe"), ("stage", &contacted)]);
        let page = list::page(&store.db, &admin, &searched, 25, None)
            .await
            .unwrap();
        assert_eq!(page.total, 4);
        assert_eq!(
            names(&page),
            expected,
            "best match first, the tag-only lead last"
        );

        // Unfiltered, the names rank first and the tag-only lead ends the last page.
        let page = list::page(&store.db, &admin, &query(&[("q", "probe")]), 100, None)
            .await
            .unwrap();
        assert_eq!(page.total, 524);
        assert!(names(&page).iter().all(|name| name.starts_with("Probe ")));
        let last = query(&[("q", "probe"), ("page", "6")]);
        let page = list::page(&store.db, &admin, &last, 100, None)
            .await
            .unwrap();
        assert_eq!(page.rows.len(), 24);
        assert_eq!(names(&page)[19], "Probe 0");
        assert_eq!(
            names(&page)[20..],
            expected.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
);

both!(
    a_word_search_lists_the_best_matches_first,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let store = app.store();
        let lead = |name: &str, company: &str, address: &str| LeadInput {
            name: Some(name.into()),
            company: (!company.is_empty()).then(|| company.into()),
            address: (!address.is_empty()).then(|| address.into()),
            ..Default::default()
        };
        // Created in the reverse of the expected order, so newest first would be wrong.
        for input in [
            lead("Maria Ionescu", "", "Strada Popescu 4"),
            lead("Ion Vasile", "Popescu Trans SRL", ""),
            lead("Ana Popescu", "", ""),
            lead("Dan Radu", "Acme", ""),
        ] {
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let searched = query(&[("q", "popescu")]);
        assert_eq!(
            searched.sort,
            SortKey::Relevance,
            "words sort by best match"
        );
        let page = list::page(&store.db, &admin, &searched, 50, None)
            .await
            .unwrap();
        assert_eq!(
            names(&page),
            ["Ana Popescu", "Ion Vasile", "Maria Ionescu"],
            "name, then company, then address"
        );
        // As you type: the last word is a prefix; diacritics fold.
        let page = list::page(&store.db, &admin, &query(&[("q", "Popésc")]), 50, None)
            .await
            .unwrap();
        assert_eq!(names(&page)[0], "Ana Popescu");
        // Several words: all in the name, then each in the name, company, email or phone,
        // then anywhere; newest first within each.
        for (name, email, city) in [
            ("Ana Pop", "", ""),
            ("Ana Marin", "pop@example.ro", ""),
            ("Ana Dinu", "", "Popești"),
            ("Popa Ana", "", ""),
        ] {
            let input = LeadInput {
                name: Some(name.into()),
                email: (!email.is_empty()).then(|| email.into()),
                city: (!city.is_empty()).then(|| city.into()),
                ..Default::default()
            };
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let page = list::page(&store.db, &admin, &query(&[("q", "ana pop")]), 50, None)
            .await
            .unwrap();
        assert_eq!(
            names(&page),
            [
                "Popa Ana",
                "Ana Pop",
                "Ana Popescu",
                "Ana Marin",
                "Ana Dinu"
            ],
            "every word in the name, then in the contact fields, then anywhere"
        );
        // A column sort still wins when picked; a #tag search keeps newest first.
        let by_name = query(&[("q", "popescu"), ("sort", "name"), ("dir", "desc")]);
        let page = list::page(&store.db, &admin, &by_name, 50, None)
            .await
            .unwrap();
        assert_eq!(names(&page), ["Maria Ionescu", "Ion Vasile", "Ana Popescu"]);
        assert_eq!(query(&[("q", "#vip")]).sort, SortKey::Created);
        assert!(!by_name.sorts_by_default());
        assert!(by_name.href(&[]).contains("sort=name"));
        assert!(!searched.href(&[]).contains("sort="));
    }
);

both!(
    a_word_search_follows_edits_the_trash_and_restores,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let store = app.store();
        // Found by the list and by the API's search (on PostgreSQL, its word table).
        let found = async |q: &str| {
            let page = list::page(&store.db, &admin, &query(&[("q", q)]), 50, None)
                .await
                .unwrap();
            assert_eq!(page.total, page.rows.len() as i64, "{q}: total and rows");
            let listed: Vec<String> = names(&page).into_iter().map(String::from).collect();
            let search = Search::parse(q);
            let api = RecordQuery {
                search: search.clone(),
                page: 1,
                per_page: 50,
                before: None,
            };
            let records = records::records(&store.db, &admin, &api).await.unwrap();
            let mut by_api: Vec<String> = records.into_iter().map(|r| r.lead.name).collect();
            let total = records::count(&store.db, &admin, search.as_ref())
                .await
                .unwrap();
            assert_eq!(total, by_api.len() as i64, "{q}: API total and rows");
            let mut sorted = listed.clone();
            sorted.sort();
            by_api.sort();
            assert_eq!(by_api, sorted, "{q}: the API finds what the list finds");
            listed
        };
        let input = LeadInput {
            name: Some("Elena Vlad".into()),
            company: Some("Orion Grup".into()),
            city: Some("Sibiu".into()),
            ..Default::default()
        };
        let lead = leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        leads::create(
            store,
            &admin,
            &LeadInput {
                name: Some("Orionel Dan".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        assert_eq!(found("orion").await, ["Orionel Dan", "Elena Vlad"]);
        assert_eq!(found("sibiu").await, ["Elena Vlad"]);
        // An edit replaces the lead's words: the old ones find it no more.
        let edit = LeadInput {
            company: Some("Sirius Trans".into()),
            city: Some("Cluj".into()),
            ..Default::default()
        };
        leads::update(store, &admin, lead.id, &edit, None, Via::Ui)
            .await
            .unwrap();
        assert_eq!(found("orion").await, ["Orionel Dan"]);
        assert_eq!(found("sibiu").await, Vec::<String>::new());
        assert_eq!(found("elena sir").await, ["Elena Vlad"]);
        // A change of no searched field keeps them.
        leads::mark_contacted(store, &admin, lead.id, Via::Ui)
            .await
            .unwrap();
        assert_eq!(found("sirius").await, ["Elena Vlad"]);
        // The trash hides them; a restore brings them back, each once.
        leads::delete(store, &admin, lead.id, Via::Ui)
            .await
            .unwrap();
        assert_eq!(found("sirius").await, Vec::<String>::new());
        assert_eq!(found("elena").await, Vec::<String>::new());
        leads::restore(store, &admin, lead.id, Via::Ui)
            .await
            .unwrap();
        assert_eq!(found("sirius").await, ["Elena Vlad"]);
        assert_eq!(found("cluj").await, ["Elena Vlad"]);
        // Purged from the trash, it is gone for good.
        leads::delete(store, &admin, lead.id, Via::Ui)
            .await
            .unwrap();
        leads::purge(store, &admin, lead.id).await.unwrap();
        assert_eq!(found("vlad").await, Vec::<String>::new());
        assert_eq!(found("orion").await, ["Orionel Dan"]);
        // A lead holding several words a prefix covers, or a word and a tag starting with it, is
        // found once; so is one found by its tag alone. `z` covers more words than PostgreSQL
        // reads one by one, `carp` a few.
        for (name, company, tags) in [
            ("Ilie Carpathian", "Carpathia Trans", "carpathia-club"),
            ("Radu Munte", "", "carpathia-club"),
            ("Zaharia Zamfir", "Zorile Zefir Zimbru", ""),
            (
                "Zeno Zota",
                "Zuzu Zarva Zadar Zbor Zgura Zmeu Zloty Zvon Zulu Zig",
                "",
            ),
        ] {
            let input = LeadInput {
                name: Some(name.into()),
                company: (!company.is_empty()).then(|| company.into()),
                tags: (!tags.is_empty()).then(|| tags.into()),
                ..Default::default()
            };
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        // Best match first: a word of the name, then of the company, then a tag alone.
        assert_eq!(found("carp").await, ["Ilie Carpathian", "Radu Munte"]);
        assert_eq!(found("carpathia").await, ["Ilie Carpathian", "Radu Munte"]);
        assert_eq!(found("carpathian").await, ["Ilie Carpathian"]);
        assert_eq!(found("z").await, ["Zeno Zota", "Zaharia Zamfir"]);
        assert_eq!(found("zo").await, ["Zeno Zota", "Zaharia Zamfir"]);
    }
);
