//! Settings through the server functions the pages call: pipelines and stages, sources,
//! lost reasons, users — and who may change them.

#[macro_use]
mod common;
use app::models::{Closing, LeadInput, Role};
use app::server::leads::{self, Via};
use common::TestApp;
use serde_json::{json, Value};

async fn rpc(client: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    app.rpc(client, path, body).await
}

async fn pipelines(client: &reqwest::Client, app: &TestApp) -> Value {
    let response = client
        .post(app.url("/rpc/settings/pipelines"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

both!(
    a_new_workspace_has_a_default_pipeline_sources_and_lost_reasons,
    async |app: &TestApp| {
        let admin = app.admin().await;
        let all = pipelines(&admin, app).await;
        assert_eq!(all.as_array().unwrap().len(), 1);
        assert_eq!(all[0]["is_default"], true);
        let stages: Vec<&str> = all[0]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(stages.len(), 7);
        assert_eq!(stages[0], "New");
        let (status, sources) = rpc(
            &admin,
            app,
            "/rpc/settings/list",
            json!({"list": "Sources"}),
        )
        .await;
        assert_eq!(status, 200);
        assert!(sources.as_array().unwrap().len() >= 5);
        let (_, reasons) = rpc(
            &admin,
            app,
            "/rpc/settings/list",
            json!({"list": "LostReasons"}),
        )
        .await;
        assert!(reasons
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "Too expensive"));
    }
);

both!(
    stages_can_be_added_edited_reordered_and_deleted_when_unused,
    async |app: &TestApp| {
        let admin = app.admin().await;
        let pipeline = pipelines(&admin, app).await[0]["id"].as_i64().unwrap();
        let form = json!({"name": "Demo booked", "color": "#22c55e", "probability": "55", "stalled_after_days": "5", "required_fields": ["email"]});
        let (status, _) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"AddStage": {"pipeline": pipeline, "form": form}}}),
        )
        .await;
        assert_eq!(status, 200);
        let all = pipelines(&admin, app).await;
        let stages = all[0]["stages"].as_array().unwrap();
        let added = stages.last().unwrap();
        assert_eq!(
            (
                added["name"].as_str(),
                added["probability"].as_i64(),
                added["stalled_after_days"].as_i64()
            ),
            (Some("Demo booked"), Some(55), Some(5))
        );
        assert_eq!(added["required_fields"], json!(["email"]));
        let id = added["id"].as_i64().unwrap();

        // Field errors come back per field, with 422, and nothing changes.
        let bad = json!({"name": "", "color": "green", "probability": "150", "stalled_after_days": "", "required_fields": ["shoe_size"]});
        let (status, error) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"UpdateStage": {"id": id, "form": bad}}}),
        )
        .await;
        assert_eq!(status, 422);
        let fields = &error["Validation"];
        for field in ["name", "color", "probability", "required_fields"] {
            assert!(fields.get(field).is_some(), "{field}: {error}");
        }

        let (status, _) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"MoveStage": {"id": id, "direction": "Up"}}}),
        )
        .await;
        assert_eq!(status, 200);
        let all = pipelines(&admin, app).await;
        let names: Vec<&str> = all[0]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(&names[names.len() - 2..], &["Demo booked", "On hold"]);

        let (status, _) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"DeleteStage": {"id": id}}}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            pipelines(&admin, app).await[0]["stages"]
                .as_array()
                .unwrap()
                .len(),
            7
        );
    }
);

both!(
    deleting_what_leads_still_use_is_refused_or_asks_where_they_go,
    async |app: &TestApp| {
        let admin_actor = app.admin_actor().await;
        let lead = leads::create(
            app.store(),
            &admin_actor,
            &LeadInput {
                name: Some("User of things".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let admin = app.admin().await;
        let (status, error) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"DeleteStage": {"id": lead.stage_id}}}),
        )
        .await;
        assert_eq!(status, 422, "a stage with leads asks where they go");
        assert!(
            error["Validation"]["move_to"]
                .as_str()
                .unwrap()
                .contains("1 leads"),
            "{error}"
        );
        let source = lead.source_id.unwrap();
        let (status, error) = rpc(
            &admin,
            app,
            "/rpc/settings/list/edit",
            json!({"list": "Sources", "command": {"Delete": {"id": source}}}),
        )
        .await;
        assert_eq!(status, 409, "{error}");
        let pipeline = lead.pipeline_id;
        let (status, _) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"Delete": {"id": pipeline}}}),
        )
        .await;
        assert_eq!(status, 409, "the default pipeline stays");

        // An unused source can go.
        let (_, id) = rpc(
            &admin,
            app,
            "/rpc/settings/list/edit",
            json!({"list": "Sources", "command": {"Create": {"name": "Podcast"}}}),
        )
        .await;
        assert_eq!(id, Value::Null);
        let (_, sources) = rpc(
            &admin,
            app,
            "/rpc/settings/list",
            json!({"list": "Sources"}),
        )
        .await;
        let podcast = sources
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "Podcast")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (status, _) = rpc(
            &admin,
            app,
            "/rpc/settings/list/edit",
            json!({"list": "Sources", "command": {"Delete": {"id": podcast}}}),
        )
        .await;
        assert_eq!(status, 200);
    }
);

both!(
    managed_lists_rename_reorder_and_keep_one_default,
    async |app: &TestApp| {
        let admin = app.admin().await;
        let list = |value: Value| value.as_array().unwrap().clone();
        let (_, reasons) = rpc(
            &admin,
            app,
            "/rpc/settings/list",
            json!({"list": "LostReasons"}),
        )
        .await;
        let second = list(reasons)[1]["id"].as_i64().unwrap();
        rpc(&admin, app, "/rpc/settings/list/edit", json!({"list": "LostReasons", "command": {"Rename": {"id": second, "name": "Went quiet"}}})).await;
        rpc(
            &admin,
            app,
            "/rpc/settings/list/edit",
            json!({"list": "LostReasons", "command": {"Move": {"id": second, "direction": "Up"}}}),
        )
        .await;
        let (_, reasons) = rpc(
            &admin,
            app,
            "/rpc/settings/list",
            json!({"list": "LostReasons"}),
        )
        .await;
        assert_eq!(list(reasons)[0]["name"], "Went quiet");

        let (_, sources) = rpc(
            &admin,
            app,
            "/rpc/settings/list",
            json!({"list": "Sources"}),
        )
        .await;
        let last = list(sources).last().unwrap()["id"].as_i64().unwrap();
        rpc(
            &admin,
            app,
            "/rpc/settings/list/edit",
            json!({"list": "Sources", "command": {"MakeDefault": {"id": last}}}),
        )
        .await;
        let (_, sources) = rpc(
            &admin,
            app,
            "/rpc/settings/list",
            json!({"list": "Sources"}),
        )
        .await;
        let defaults: Vec<i64> = list(sources)
            .iter()
            .filter(|s| s["is_default"] == true)
            .map(|s| s["id"].as_i64().unwrap())
            .collect();
        assert_eq!(defaults, vec![last]);

        let (status, error) = rpc(
            &admin,
            app,
            "/rpc/settings/list/edit",
            json!({"list": "Sources", "command": {"Create": {"name": "   "}}}),
        )
        .await;
        assert_eq!(status, 422, "{error}");
    }
);

both!(only_admins_change_settings, async |app: &TestApp| {
    app.user("Mara Manager", Role::Manager).await;
    let manager = app
        .signed_in("mara.manager@test.local", "user-password-1")
        .await;
    let (status, _) = rpc(
        &manager,
        app,
        "/rpc/settings/list/edit",
        json!({"list": "Sources", "command": {"Create": {"name": "Sneaky"}}}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = rpc(
        &manager,
        app,
        "/rpc/settings/pipelines/edit",
        json!({"command": {"Create": {"name": "Sneaky"}}}),
    )
    .await;
    assert_eq!(status, 403);
    let response = manager
        .post(app.url("/rpc/settings/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sources WHERE name = 'Sneaky'")
            .await,
        0
    );
});

both!(
    admins_add_users_who_can_then_sign_in,
    async |app: &TestApp| {
        let admin = app.admin().await;
        let form = [
            ("email", "Rep@Example.com"),
            ("name", "New Rep"),
            ("role", "sales"),
            ("password", "long-enough-1"),
            ("language", "ro"),
        ];
        let response = admin
            .post(app.url("/rpc/settings/users/create"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        let again = admin
            .post(app.url("/rpc/settings/users/create"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 422);
        let error: Value = again.json().await.unwrap();
        assert!(error["Validation"]["email"]
            .as_str()
            .unwrap()
            .contains("already exists"));
        let short = [
            ("email", "x@example.com"),
            ("name", "X"),
            ("role", "sales"),
            ("password", "short"),
            ("language", "en"),
        ];
        let response = admin
            .post(app.url("/rpc/settings/users/create"))
            .form(&short)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);

        let rep = app.signed_in("rep@example.com", "long-enough-1").await;
        let html = app.page(&rep, "/admin/leads").await;
        assert!(html.contains("Lead-uri"), "the rep's own language");
        assert!(
            !html.contains("/admin/settings\""),
            "no settings link for a sales rep"
        );
    }
);

both!(leadline_keeps_an_active_admin, async |app: &TestApp| {
    let admin = app.admin().await;
    let id = app.admin_actor().await.user_id.unwrap();
    let (status, error) = rpc(
        &admin,
        app,
        "/rpc/settings/users/access",
        json!({"id": id, "role": "Sales", "active": true}),
    )
    .await;
    assert_eq!(status, 409, "{error}");
    let (status, _) = rpc(
        &admin,
        app,
        "/rpc/settings/users/access",
        json!({"id": id, "role": "Admin", "active": false}),
    )
    .await;
    assert_eq!(status, 409);
    let (user, _) = app.user("Temp Rep", Role::Sales).await;
    let rep = app.signed_in(&user.email, "user-password-1").await;
    let (status, _) = rpc(
        &admin,
        app,
        "/rpc/settings/users/access",
        json!({"id": user.id, "role": "Sales", "active": false}),
    )
    .await;
    assert_eq!(status, 200);
    let page = rep.get(app.url("/admin/leads")).send().await.unwrap();
    assert_eq!(page.status(), 303, "a deactivated user's session ends");
});

both!(
    deleting_a_stage_moves_its_leads_with_their_history,
    async |app: &TestApp| {
        let admin_actor = app.admin_actor().await;
        let new_lead = |name: &str| LeadInput {
            name: Some(name.into()),
            lead_value: Some("1000".into()),
            ..Default::default()
        };
        let first = leads::create(app.store(), &admin_actor, &new_lead("Stays put"), Via::Ui)
            .await
            .unwrap();
        let doomed = first.stage_id;
        let second = leads::create(app.store(), &admin_actor, &new_lead("Second"), Via::Ui)
            .await
            .unwrap();
        let admin = app.admin().await;
        let all = pipelines(&admin, app).await;
        let stages = all[0]["stages"].as_array().unwrap();
        let target = stages[2]["id"].as_i64().unwrap();
        let other_pipeline_stage = {
            let (status, _) = rpc(
                &admin,
                app,
                "/rpc/settings/pipelines/edit",
                json!({"command": {"Create": {"name": "Partners"}}}),
            )
            .await;
            assert_eq!(status, 200);
            let all = pipelines(&admin, app).await;
            all[1]["stages"][0]["id"].as_i64().unwrap()
        };
        let (status, error) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"DeleteStage": {"id": doomed, "move_to": other_pipeline_stage}}}),
        )
        .await;
        assert_eq!(status, 422, "only a stage of the same pipeline: {error}");
        assert!(error["Validation"]["move_to"].is_string());

        let (status, error) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"DeleteStage": {"id": doomed, "move_to": target}}}),
        )
        .await;
        assert_eq!(status, 200, "{error}");
        let all = pipelines(&admin, app).await;
        let stages = all[0]["stages"].as_array().unwrap();
        assert_eq!(stages.len(), 6, "the stage is gone from settings");
        assert!(stages.iter().all(|s| s["id"] != doomed));
        let moved = stages.iter().find(|s| s["id"] == target).unwrap();
        assert_eq!(moved["lead_count"], 2);

        for lead in [&first, &second] {
            let now = leads::get(&app.store().db, &admin_actor, lead.id)
                .await
                .unwrap();
            assert_eq!(now.stage_id, target);
            assert_eq!(now.version, lead.version + 1);
            let history = app
                .count(&format!(
                    "SELECT COUNT(*) FROM lead_stage_history WHERE lead_id = {} AND from_stage_id = {doomed} \
                     AND to_stage_id = {target} AND via = 'settings' AND left_at IS NULL",
                    lead.id
                ))
                .await;
            assert_eq!(history, 1, "a new open stay in the target stage");
            let closed = app
                .count(&format!(
                    "SELECT COUNT(*) FROM lead_stage_history WHERE lead_id = {} AND to_stage_id = {doomed} \
                     AND left_at IS NOT NULL",
                    lead.id
                ))
                .await;
            assert_eq!(closed, 1, "the stay in the deleted stage is closed");
            let timeline = leads::detail(&app.store().db, &admin_actor, lead.id)
                .await
                .unwrap();
            assert!(
                timeline.stays.iter().any(|s| s.stage_name == "New"),
                "history still names the deleted stage"
            );
        }
        let activities = app
            .count(&format!(
                "SELECT COUNT(*) FROM activities WHERE event = 'stage_changed' AND via = 'settings' \
                 AND lead_id IN ({}, {})",
                first.id, second.id
            ))
            .await;
        assert_eq!(activities, 2);

        // The board of the pipeline shows both leads in the target column, in their old order.
        let (status, board) = rpc(&admin, app, "/rpc/board", json!({"filter": {}})).await;
        assert_eq!(status, 200, "{board}");
        let columns = board["columns"].as_array().unwrap();
        assert_eq!(columns.len(), 6);
        let column = columns.iter().find(|c| c["stage"]["id"] == target).unwrap();
        assert_eq!(column["totals"]["leads"], 2);
        assert_eq!(column["totals"]["value"], 200_000, "in cents");
        let names: Vec<&str> = column["page"]["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Second", "Stays put"], "newest first, as they were");

        // Neither a deleted stage nor the last stage can be deleted.
        let (status, _) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"DeleteStage": {"id": doomed, "move_to": target}}}),
        )
        .await;
        assert_eq!(status, 404);
        // An empty stage goes without asking; the last stage of a pipeline stays.
        let pipeline_id = pipelines(&admin, app).await[1]["id"].as_i64().unwrap();
        let form = json!({"name": "Extra", "color": "#123456", "probability": "5", "stalled_after_days": "", "required_fields": []});
        let (status, body) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"AddStage": {"pipeline": pipeline_id, "form": form}}}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let stages = pipelines(&admin, app).await[1]["stages"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(stages.len(), 2);
        let (status, body) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"DeleteStage": {"id": stages[1]["id"]}}}),
        )
        .await;
        assert_eq!(status, 200, "an empty stage goes without asking: {body}");
        let (status, error) = rpc(
            &admin,
            app,
            "/rpc/settings/pipelines/edit",
            json!({"command": {"DeleteStage": {"id": stages[0]["id"]}}}),
        )
        .await;
        assert_eq!(status, 409);
        assert!(
            error["Refused"]
                .as_str()
                .unwrap()
                .contains("at least one stage"),
            "{error}"
        );
    }
);

both!(
    stage_user_and_source_lead_counts_include_closed_leads_and_leave_out_the_trash,
    async |app: &TestApp| {
        let admin_actor = app.admin_actor().await;
        let (rep, _) = app.user("Counted Rep", Role::Sales).await;
        let source = app.count("SELECT MAX(id) FROM sources").await;
        let mut ids = Vec::new();
        for name in ["Open one", "Open two", "Junk one", "Trashed one"] {
            let input = LeadInput {
                name: Some(name.into()),
                assigned: Some(rep.id.to_string()),
                source: Some(source.to_string()),
                ..Default::default()
            };
            let lead = leads::create(app.store(), &admin_actor, &input, Via::Ui)
                .await
                .unwrap();
            ids.push(lead);
        }
        leads::close(
            app.store(),
            &admin_actor,
            ids[2].id,
            &Closing::Junk,
            None,
            Via::Ui,
        )
        .await
        .unwrap();
        leads::delete(app.store(), &admin_actor, ids[3].id, Via::Ui)
            .await
            .unwrap();

        let admin = app.admin().await;
        let all = pipelines(&admin, app).await;
        let stage = all[0]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == ids[0].stage_id)
            .unwrap();
        assert_eq!(stage["lead_count"], 3, "open and junk, not the trashed one");
        let response = admin
            .post(app.url("/rpc/settings/users"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let users: Value = response.json().await.unwrap();
        let counted = users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == rep.id)
            .unwrap();
        assert_eq!(counted["assigned_leads"], 3);
        let (status, sources) = rpc(
            &admin,
            app,
            "/rpc/settings/list",
            json!({"list": "Sources"}),
        )
        .await;
        assert_eq!(status, 200);
        let entry = sources
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == source)
            .unwrap();
        assert_eq!(entry["lead_count"], 3);
    }
);
