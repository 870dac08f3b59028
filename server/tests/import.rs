//! CSV imports over `POST /admin/leads/import`: the preview guesses each column from its
//! header (either language); every row goes through the lead door (custom fields, stage
//! history "via import", the owner's notification); a refused row stops an all-or-nothing
//! import, is skipped when the importer says so, and a check writes nothing.

#[macro_use]
mod common;
use app::models::{CustomFieldForm, Role};
use app::server::custom_fields;
use common::TestApp;
use serde_json::{json, Value};

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    csv: &[u8],
    plan: Option<Value>,
) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.to_vec()).file_name("leads.csv"),
    );
    if let Some(plan) = plan {
        form = form.text("plan", plan.to_string());
    }
    let response = client
        .post(app.url("/admin/leads/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn team_size(app: &TestApp) -> i64 {
    custom_fields::create(
        &app.store().db,
        &app.admin_actor().await,
        &CustomFieldForm {
            label: "Team size".into(),
            kind: "select".into(),
            options: "1-10\n11-50\n51+".into(),
            required: false,
            show_in_list: false,
        },
    )
    .await
    .unwrap()
}

fn plan(mapping: &[&str], stage: i64, extra: Value) -> Value {
    let mut plan = json!({
        "mapping": mapping,
        "stage": stage.to_string(),
        "source": "",
        "assigned": "",
        "tags": "",
        "skip_refused": false,
        "check_only": false,
    });
    for (key, value) in extra.as_object().unwrap() {
        plan[key] = value.clone();
    }
    plan
}

both!(
    a_file_is_previewed_with_guessed_columns_then_imported_through_the_lead_door,
    async |app: &TestApp| {
        let size = team_size(app).await;
        let (sam, _) = app.user("Sam Sales", Role::Sales).await;
        let client = app.admin().await;
        // Excel in Romanian: a byte-order mark, semicolons, Romanian headers.
        let csv = "\u{feff}Nume;E-mail;Companie;Sursă;Responsabil;Etapă;Team size;Etichete;Shoe size\n\
                   Ana Pop;ana@pop.ro;Pop SRL;Referral;sam.sales@test.local;Qualified;11-50;vip, fair;44\n\
                   \n\
                   Ion Ionescu;ion@ionescu.ro;;;;;;;\n";
        let (status, preview) = post(app, &client, csv.as_bytes(), None).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!(preview["rows"], 2, "the empty line is not a row");
        let targets: Vec<&str> = preview["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["target"].as_str().unwrap())
            .collect();
        let custom = format!("custom_{size}");
        assert_eq!(
            targets,
            [
                "name",
                "email",
                "company",
                "source",
                "assigned",
                "stage",
                custom.as_str(),
                "tags",
                ""
            ]
        );
        assert_eq!(
            preview["columns"][0]["samples"],
            json!(["Ana Pop", "Ion Ionescu"])
        );

        let mut mapping = targets.clone();
        mapping[8] = "";
        let (status, report) = post(
            app,
            &client,
            csv.as_bytes(),
            Some(plan(
                &mapping,
                app.stage("New").await,
                json!({"tags": "import-nov"}),
            )),
        )
        .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["imported"], 2, "{report}");
        assert_eq!(report["refused_count"], 0);

        let db = &app.store().db.pool;
        let (ana, ana_stage, ana_owner, ana_source): (i64, i64, Option<i64>, String) = sqlx::query_as(
            "SELECT l.id, l.stage_id, l.assigned, s.name FROM leads l JOIN sources s ON s.id = l.source_id \
             WHERE l.email = 'ana@pop.ro'",
        )
        .fetch_one(db)
        .await
        .unwrap();
        assert_eq!(ana_stage, app.stage("Qualified").await);
        assert_eq!(ana_owner, Some(sam.id));
        assert_eq!(ana_source, "Referral");
        let mut tags: Vec<String> = sqlx::query_scalar(
            "SELECT t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = $1",
        )
        .bind(ana)
        .fetch_all(db)
        .await
        .unwrap();
        tags.sort();
        assert_eq!(tags, ["fair", "import-nov", "vip"]);
        let value: String = sqlx::query_scalar(
            "SELECT value FROM lead_custom_values WHERE lead_id = $1 AND field_id = $2",
        )
        .bind(ana)
        .bind(size)
        .fetch_one(db)
        .await
        .unwrap();
        assert_eq!(value, "11-50");
        // Ion's row names no stage or owner: the plan's stage, and nobody.
        let (ion_stage, ion_owner): (i64, Option<i64>) =
            sqlx::query_as("SELECT stage_id, assigned FROM leads WHERE email = 'ion@ionescu.ro'")
                .fetch_one(db)
                .await
                .unwrap();
        assert_eq!(ion_stage, app.stage("New").await);
        assert_eq!(ion_owner, None);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM lead_stage_history WHERE via = 'import'")
                .await,
            2
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM activities WHERE event = 'created' AND via = 'import'")
                .await,
            2
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND kind = 'assigned'",
                sam.id
            ))
            .await,
            1
        );
    }
);

both!(
    a_refused_row_stops_the_import_unless_the_importer_skips_it,
    async |app: &TestApp| {
        let client = app.admin().await;
        let csv = "Name,Email,Source,Lead value\n\
                   Good Row,good@example.com,Website,1200\n\
                   Bad Email,not-an-email,Website,\n\
                   Bad Source,src@example.com,Carrier pigeon,\n\
                   ,nameless@example.com,,\n";
        let mapping = ["name", "email", "source", "lead_value"];
        let new = app.stage("New").await;

        let (_, checked) = post(
            app,
            &client,
            csv.as_bytes(),
            Some(plan(&mapping, new, json!({"check_only": true}))),
        )
        .await;
        assert_eq!(checked["checked_only"], true);
        assert_eq!(checked["imported"], 0);
        assert_eq!(checked["refused_count"], 3, "{checked}");
        let lines: Vec<u64> = checked["refused"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [3, 4, 5]);
        assert_eq!(
            checked["refused"][0]["problems"][0][0], "Email",
            "named by its column"
        );
        assert!(checked["refused"][1]["problems"][0][1]
            .as_str()
            .unwrap()
            .contains("Carrier pigeon"));
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);

        let (_, all_or_none) = post(
            app,
            &client,
            csv.as_bytes(),
            Some(plan(&mapping, new, json!({}))),
        )
        .await;
        assert_eq!(all_or_none["imported"], 0);
        assert_eq!(all_or_none["refused_count"], 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);

        let (_, skipped) = post(
            app,
            &client,
            csv.as_bytes(),
            Some(plan(&mapping, new, json!({"skip_refused": true}))),
        )
        .await;
        assert_eq!(skipped["imported"], 1, "{skipped}");
        assert_eq!(skipped["refused_count"], 3);
        let value: Option<i64> =
            sqlx::query_scalar("SELECT lead_value FROM leads WHERE email = 'good@example.com'")
                .fetch_one(&app.store().db.pool)
                .await
                .unwrap();
        assert_eq!(value, Some(120_000), "money in minor units");
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 1);
    }
);

both!(
    files_and_plans_it_cannot_use_are_field_errors,
    async |app: &TestApp| {
        let client = app.admin().await;
        let (status, error) = post(app, &client, b"Name,Email\n\xff\xfe broken\n", None).await;
        assert_eq!(status, 422);
        assert!(error.to_string().contains("UTF-8"), "{error}");
        let (status, error) = post(app, &client, b"Name,Email\n", None).await;
        assert_eq!(status, 422);
        assert!(error.to_string().contains("no rows"), "{error}");
        let csv = b"Name,Email\nAna,ana@example.com\n";
        let new = app.stage("New").await;
        for mapping in [
            vec!["email", ""],
            vec!["name", "name"],
            vec!["name"],
            vec!["name", "password"],
        ] {
            let (status, error) =
                post(app, &client, csv, Some(plan(&mapping, new, json!({})))).await;
            assert_eq!(status, 422, "{mapping:?}");
            assert!(error.to_string().contains("mapping"), "{error}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);
        // A NUL pasted into a cell (PostgreSQL cannot store it) is that row's error, not the file's.
        let nul = b"Name,Company\nAna,Acme\nBin,Ac\x00me\n";
        let (status, report) = post(
            app,
            &client,
            nul,
            Some(plan(
                &["name", "company"],
                new,
                json!({"skip_refused": true}),
            )),
        )
        .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            (
                report["imported"].as_u64(),
                report["refused_count"].as_u64()
            ),
            (Some(1), Some(1))
        );
        assert_eq!(report["refused"][0]["problems"][0][0], "Company");
        let (status, _) = post(app, &app.client(), csv, None).await;
        assert_eq!(status, 401);
    }
);
