//! Custom fields: an admin defines them; every lead write checks their values (the same rules
//! in the form and the API); the lead page, the list's chosen columns, the API's
//! `customfields` and the timeline show them; deleting a field deletes its values.

#[macro_use]
mod common;
use app::error::AppError;
use app::models::{CustomFieldForm, LeadInput, Role, TokenForm};
use app::server::leads::{self, Via};
use app::server::{custom_fields, tokens, Actor};
use common::TestApp;
use serde_json::{json, Value};

fn form(label: &str, kind: &str, options: &str, required: bool, in_list: bool) -> CustomFieldForm {
    CustomFieldForm {
        label: label.into(),
        kind: kind.into(),
        options: options.into(),
        required,
        show_in_list: in_list,
    }
}

/// Budget (number, required, in the list), Size (select), Renewal (date), Consent (checkbox).
async fn define(app: &TestApp) -> (i64, i64, i64, i64) {
    let admin = app.admin_actor().await;
    let db = &app.store().db;
    let budget = custom_fields::create(db, &admin, &form("Budget", "number", "", true, true))
        .await
        .unwrap();
    let size = custom_fields::create(
        db,
        &admin,
        &form("Size", "select", "Small\nEnterprise", false, false),
    )
    .await
    .unwrap();
    let renewal = custom_fields::create(db, &admin, &form("Renewal", "date", "", false, false))
        .await
        .unwrap();
    let consent = custom_fields::create(db, &admin, &form("Consent", "checkbox", "", false, false))
        .await
        .unwrap();
    (budget, size, renewal, consent)
}

/// A lead's custom values as "label=value", in field order.
async fn held(app: &TestApp, lead: i64) -> Vec<String> {
    let admin = app.admin_actor().await;
    leads::detail(&app.store().db, &admin, lead)
        .await
        .unwrap()
        .custom
        .into_iter()
        .map(|v| format!("{}={}", v.field.label, v.value))
        .collect()
}

fn custom(pairs: &[(String, &str)]) -> app::models::CustomInput {
    pairs
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect()
}

both!(
    only_admins_define_fields_and_each_definition_is_checked,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let db = &app.store().db;
        let (_, manager) = app.user("Mona Manager", Role::Manager).await;
        assert_eq!(
            custom_fields::create(db, &manager, &form("Budget", "number", "", false, false)).await,
            Err(AppError::Forbidden)
        );
        let Err(AppError::Validation(errors)) =
            custom_fields::create(db, &admin, &form("Size", "select", " \n", false, false)).await
        else {
            panic!("a select without options is refused")
        };
        assert!(errors.contains_key("options"));
        define(app).await;
        let Err(AppError::Validation(errors)) =
            custom_fields::create(db, &admin, &form("budget", "text", "", false, false)).await
        else {
            panic!("a label used twice is refused")
        };
        assert_eq!(errors["label"], "Another field already has this label.");
        let fields = custom_fields::all(db).await.unwrap();
        let labels: Vec<&str> = fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Budget", "Size", "Renewal", "Consent"]);

        // Through the settings page's server function too.
        let client = app.admin().await;
        let (status, _) = app
            .rpc(
                &client,
                "/rpc/settings/custom-fields/edit",
                json!({"command": {"Move": {"id": fields[3].id, "direction": "Up"}}}),
            )
            .await;
        assert_eq!(status, 200);
        let labels: Vec<String> = custom_fields::all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.label)
            .collect();
        assert_eq!(labels, ["Budget", "Size", "Consent", "Renewal"]);
    }
);

both!(
    lead_writes_check_store_and_record_custom_values,
    async |app: &TestApp| {
        let (budget, size, renewal, consent) = define(app).await;
        let admin = app.admin_actor().await;
        let store = app.store();

        // Required on create; every value checked by its kind; nothing saved on error.
        let mut input = LeadInput {
            name: Some("Custom Carla".into()),
            custom: custom(&[
                (size.to_string(), "Huge"),
                (renewal.to_string(), "2027-13-01"),
            ]),
            ..Default::default()
        };
        let Err(AppError::Validation(errors)) = leads::create(store, &admin, &input, Via::Ui).await
        else {
            panic!("invalid custom values are refused")
        };
        assert_eq!(
            errors[&format!("custom_{budget}")],
            "Budget: This field is required."
        );
        assert_eq!(
            errors[&format!("custom_{size}")],
            "Size: Choose one of: Small, Enterprise."
        );
        assert!(errors.contains_key(&format!("custom_{renewal}")));
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);

        input.custom = custom(&[
            (budget.to_string(), "12000,50"),
            (format!("custom_{size}"), "enterprise"),
            ("Renewal".to_string(), "2027-03-01"),
            (consent.to_string(), "on"),
        ]);
        let lead = leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        assert_eq!(
            held(app, lead.id).await,
            [
                "Budget=12000.50",
                "Size=Enterprise",
                "Renewal=2027-03-01",
                "Consent=1"
            ]
        );

        // A partial update changes only what it sends; emptying a required field is refused.
        let update = LeadInput {
            custom: custom(&[(size.to_string(), "Small"), (consent.to_string(), "")]),
            ..Default::default()
        };
        leads::update(store, &admin, lead.id, &update, None, Via::Ui)
            .await
            .unwrap();
        assert_eq!(
            held(app, lead.id).await,
            ["Budget=12000.50", "Size=Small", "Renewal=2027-03-01"]
        );
        let emptied = LeadInput {
            custom: custom(&[(budget.to_string(), "")]),
            ..Default::default()
        };
        assert!(matches!(
            leads::update(store, &admin, lead.id, &emptied, None, Via::Ui).await,
            Err(AppError::Validation(_))
        ));
        let changes: String = sqlx::query_scalar(
            "SELECT changes FROM activities WHERE lead_id = $1 AND event = 'updated' ORDER BY id DESC LIMIT 1",
        )
        .bind(lead.id)
        .fetch_one(&store.db.pool)
        .await
        .unwrap();
        let changes: Value = serde_json::from_str(&changes).unwrap();
        assert!(changes
            .as_array()
            .unwrap()
            .contains(&json!({"field": "custom:Size", "old": "Enterprise", "new": "Small"})));

        // The list shows the fields chosen for it.
        let query = app::models::ListQuery::default();
        let page = app::server::list::page(&store.db, &admin, &query, 50, None)
            .await
            .unwrap();
        let columns: Vec<&str> = page
            .custom_columns
            .iter()
            .map(|f| f.label.as_str())
            .collect();
        assert_eq!(columns, ["Budget"]);
        assert_eq!(page.rows[0].custom, ["12000.50"]);

        // A field's column sorts by its values, a number field's by amount (900 before
        // 12000.50, which text would put first).
        for (name, amount) in [("Low Budget", "900"), ("Mid Budget", "1500")] {
            let input = LeadInput {
                name: Some(name.into()),
                custom: custom(&[(budget.to_string(), amount)]),
                ..Default::default()
            };
            leads::create(store, &admin, &input, Via::Ui).await.unwrap();
        }
        let sorted = |field: i64, dir: &'static str| {
            app::models::ListQuery::from_query(|key| match key {
                "sort" => Some(format!("cf_{field}")),
                "dir" => Some(dir.to_string()),
                _ => None,
            })
        };
        for (dir, expected) in [
            ("asc", ["900", "1500", "12000.50"]),
            ("desc", ["12000.50", "1500", "900"]),
        ] {
            let page = app::server::list::page(&store.db, &admin, &sorted(budget, dir), 50, None)
                .await
                .unwrap();
            let amounts: Vec<&str> = page.rows.iter().map(|row| row.custom[0].as_str()).collect();
            assert_eq!(amounts, expected, "by Budget, {dir}");
            // A choice sorts by its text; leads without one follow, whichever the direction.
            let page = app::server::list::page(&store.db, &admin, &sorted(size, dir), 50, None)
                .await
                .unwrap();
            assert_eq!(page.rows.len(), 3, "by Size, {dir}: every lead listed");
            assert_eq!(
                page.rows[0].id, lead.id,
                "by Size, {dir}: the one Small first"
            );
        }

        // The list (and the board, and the export) filter by a field's value, any case.
        let by_size = |value: &str| {
            app::models::ListQuery::default()
                .with_custom([(format!("cf_{size}"), value.to_string())])
        };
        let small = app::server::list::page(&store.db, &admin, &by_size("SMALL"), 50, None)
            .await
            .unwrap();
        assert_eq!(small.total, 1);
        let enterprise =
            app::server::list::page(&store.db, &admin, &by_size("Enterprise"), 50, None)
                .await
                .unwrap();
        assert_eq!(enterprise.total, 0);
        assert_eq!(
            by_size("small").filter.pairs().last().unwrap(),
            &(format!("cf_{size}"), "small".to_string())
        );

        // Deleting a field deletes its values (the settings page says how many first).
        let fields = custom_fields::all(&store.db).await.unwrap();
        assert_eq!(fields.iter().find(|f| f.id == size).unwrap().used_by, 1);
        custom_fields::delete(&store.db, &admin, size)
            .await
            .unwrap();
        assert_eq!(
            app.count("SELECT COUNT(*) FROM lead_custom_values").await,
            4,
            "three Budgets and a Renewal stay"
        );
    }
);

both!(
    the_api_reads_and_writes_customfields,
    async |app: &TestApp| {
        let (budget, size, _, _) = define(app).await;
        let admin = app.admin_actor().await;
        let token = tokens::create(
            &app.store().db,
            &Actor::system(),
            &TokenForm {
                name: "custom".into(),
                user: admin.user_id.unwrap().to_string(),
                expires_days: String::new(),
                capabilities: vec!["get".into(), "post".into(), "put".into()],
            },
        )
        .await
        .unwrap()
        .token;
        let client = app.client();
        let post = |body: reqwest::RequestBuilder| body.header("authtoken", token.clone()).send();

        // Perfex's form names.
        let (budget_key, size_key) = (
            format!("custom_fields[leads][{budget}]"),
            format!("custom_fields[leads][{size}]"),
        );
        let response = post(client.post(app.url("/api/leads")).form(&[
            ("name", "Form Felix"),
            (budget_key.as_str(), "900"),
            (size_key.as_str(), "small"),
        ]))
        .await
        .unwrap();
        assert_eq!(response.status(), 200);
        let id = response.json::<Value>().await.unwrap()["record_id"]
            .as_i64()
            .unwrap();
        let row: Value = post(client.get(app.url(&format!("/api/leads/{id}"))))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            row["customfields"],
            json!([
                {"label": "Budget", "value": "900"},
                {"label": "Size", "value": "Small"},
                {"label": "Renewal", "value": ""},
                {"label": "Consent", "value": ""},
            ])
        );

        // JSON, as rows carry them; a missing required field and an unknown label are errors.
        let response = post(client.post(app.url("/api/leads")).json(&json!({
            "name": "Json Jana",
            "customfields": [{"label": "Size", "value": "Enterprise"}, {"label": "Colour", "value": "red"}],
        })))
        .await
        .unwrap();
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["error"][format!("custom_{budget}")],
            "Budget: This field is required."
        );
        assert_eq!(
            body["error"]["customfields"],
            "There is no custom field Colour."
        );

        let response = post(
            client
                .put(app.url(&format!("/api/leads/{id}")))
                .json(&json!({
                    "customfields": [{"label": "budget", "value": 1500}],
                })),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 200);
        let row: Value = post(client.get(app.url(&format!("/api/leads/{id}"))))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            row["customfields"][0],
            json!({"label": "Budget", "value": "1500"})
        );
        assert_eq!(
            row["customfields"][1],
            json!({"label": "Size", "value": "Small"})
        );
    }
);
