//! The REST API under /api as an integration uses it: tokens, every endpoint with JSON,
//! urlencoded and multipart bodies, every error path, paging, search, idempotency, rate
//! limits, the OpenAPI document, and writes that reach stage history and open boards.

#[macro_use]
mod common;
use app::error::AppError;
use app::models::{LeadInput, Role, TokenForm};
use app::server::leads::{self, Via};
use app::server::records;
use app::server::tokens;
use app::server::Actor;
use common::{read_until, TestApp};
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::{json, Value};

const ALL: &[&str] = &["get", "search_get", "post", "put", "delete"];

/// A token for `user` (the admin when `None`) with `capabilities`.
async fn token(app: &TestApp, user: Option<i64>, capabilities: &[&str]) -> String {
    let user = match user {
        Some(id) => id,
        None => app.admin_actor().await.user_id.unwrap(),
    };
    let form = TokenForm {
        name: "test".into(),
        user: user.to_string(),
        expires_days: String::new(),
        capabilities: capabilities.iter().map(|c| c.to_string()).collect(),
    };
    tokens::create(&app.store().db, &Actor::system(), &form)
        .await
        .unwrap()
        .token
}

fn call(app: &TestApp, method: Method, path: &str, token: &str) -> RequestBuilder {
    app.client()
        .request(method, app.url(path))
        .header("authtoken", token)
}

async fn json_of(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, body)
}

async fn send(request: RequestBuilder) -> (u16, Value) {
    json_of(deliver(request).await).await
}

/// The server's answer to `request`. A body over the server's limit is answered (413) before
/// it is read and the connection closed, so the client may fail writing the rest of it (a
/// broken pipe) before it reads the answer: such a request is sent again, a few times.
async fn deliver(mut request: RequestBuilder) -> Response {
    // A streamed body (multipart) cannot be sent twice: it is sent once.
    for _ in 0..4 {
        let Some(again) = request.try_clone() else {
            break;
        };
        match request.send().await {
            Ok(response) => return response,
            Err(error) if error.is_request() => request = again,
            Err(error) => panic!("{error}"),
        }
    }
    request.send().await.unwrap()
}

async fn create(app: &TestApp, token: &str, body: Value) -> i64 {
    let (status, answer) = send(call(app, Method::POST, "/api/leads", token).json(&body)).await;
    assert_eq!(status, 200, "{answer}");
    answer["record_id"].as_i64().unwrap()
}

both!(
    tokens_authenticate_act_as_their_user_and_need_each_capability,
    async |app: &TestApp| {
        let client = Client::new();
        let (status, body) = send(client.get(app.url("/api/leads"))).await;
        assert_eq!((status, body["status"].clone()), (401, json!(false)));
        assert_eq!(body["message"], "Token is not defined.");
        let (status, _) = send(call(app, Method::GET, "/api/leads", "ll_not-a-token")).await;
        assert_eq!(status, 401);

        let full = token(app, None, ALL).await;
        assert!(full.starts_with("ll_") && full.len() > 60);
        let stored = app
            .count(&format!(
                "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{full}' OR token_hash LIKE '%{}%'",
                &full[3..20]
            ))
            .await;
        assert_eq!(stored, 0, "only a hash of the token is stored");
        let (status, _) = send(
            client
                .get(app.url("/api/leads"))
                .header("Authorization", format!("Bearer {full}")),
        )
        .await;
        assert_eq!(status, 200, "Authorization: Bearer works too");

        let read_only = token(app, None, &["get"]).await;
        let (status, body) =
            send(call(app, Method::POST, "/api/leads", &read_only).json(&json!({"name": "X"})))
                .await;
        assert_eq!(status, 403);
        assert_eq!(
            body["message"],
            "Your API token does not have the necessary permissions for the requested operation"
        );
        for (method, path) in [
            (Method::GET, "/api/leads/search/x"),
            (Method::PUT, "/api/leads/1"),
            (Method::DELETE, "/api/leads/1"),
            (Method::DELETE, "/api/delete/leads/1"),
        ] {
            let (status, _) =
                send(call(app, method.clone(), path, &read_only).body("name=x")).await;
            assert_eq!(status, 403, "{method} {path}");
        }
        assert_eq!(
            send(call(app, Method::GET, "/api/leads", &read_only))
                .await
                .0,
            200
        );

        // Expired, revoked, and deactivated users' tokens stop working at once.
        let expiring = token(app, None, ALL).await;
        sqlx::query("UPDATE api_tokens SET expires_at = 1 WHERE token_hash = $1")
            .bind(app::server::auth::token_hash(&expiring))
            .execute(&app.store().db.pool)
            .await
            .unwrap();
        assert_eq!(
            send(call(app, Method::GET, "/api/leads", &expiring))
                .await
                .0,
            401
        );
        let listed = tokens::list(&app.store().db, &app.admin_actor().await)
            .await
            .unwrap();
        let id = listed
            .iter()
            .find(|t| t.capabilities == ["get"])
            .unwrap()
            .id;
        tokens::revoke(app.store(), &app.admin_actor().await, id)
            .await
            .unwrap();
        assert_eq!(
            send(call(app, Method::GET, "/api/leads", &read_only))
                .await
                .0,
            401
        );
        let (rep, _) = app.user("Gone Rep", Role::Sales).await;
        let rep_token = token(app, Some(rep.id), ALL).await;
        assert_eq!(
            send(call(app, Method::GET, "/api/leads", &rep_token))
                .await
                .0,
            200
        );
        app::server::users::update_access(
            app.store(),
            &app.admin_actor().await,
            rep.id,
            Role::Sales,
            false,
        )
        .await
        .unwrap();
        assert_eq!(
            send(call(app, Method::GET, "/api/leads", &rep_token))
                .await
                .0,
            401
        );

        // Last use is recorded; only admins manage tokens.
        let listed = tokens::list(&app.store().db, &app.admin_actor().await)
            .await
            .unwrap();
        assert!(listed.iter().any(|t| t.last_used_at.is_some()));
        let (_, sales) = app.user("Nosy Rep", Role::Sales).await;
        assert!(tokens::list(&app.store().db, &sales).await.is_err());
        let bad = TokenForm {
            name: String::new(),
            user: "999999".into(),
            expires_days: "0".into(),
            capabilities: vec!["admin".into()],
        };
        let error = tokens::create(&app.store().db, &Actor::system(), &bad)
            .await
            .unwrap_err();
        let fields = error.field_errors().unwrap();
        for field in ["name", "user", "expires_days", "capabilities"] {
            assert!(fields.contains_key(field), "{field}: {fields:?}");
        }
    }
);

both!(
    create_reads_back_with_json_urlencoded_and_multipart_bodies,
    async |app: &TestApp| {
        let token = token(app, None, ALL).await;
        let proposal: i64 = app
            .count("SELECT id FROM stages WHERE name = 'Proposal'")
            .await;
        let id = create(
            app,
            &token,
            json!({"name": "Ana Pop", "email": "ana@acme.example", "company": "Acme", "lead_value": 1200.5,
                   "tags": ["vip", "renewal"], "status": proposal, "unknown_field": {"x": 1}}),
        )
        .await;
        let (status, row) = send(call(app, Method::GET, &format!("/api/leads/{id}"), &token)).await;
        assert_eq!(status, 200);
        assert_eq!(row["id"], id.to_string());
        assert_eq!(row["name"], "Ana Pop");
        assert_eq!(row["lead_value"], "1200.50");
        assert_eq!(row["status"], proposal.to_string());
        assert_eq!(row["status_name"], "Proposal");
        assert_eq!(row["tags"], json!(["renewal", "vip"]));
        assert_eq!(row["is_public"], "0");
        assert_eq!(row["lost"], "0");
        assert!(row["dateadded"].as_str().unwrap().len() == 19, "{row}");
        assert_eq!(row["customfields"], json!([]));
        let admin = app.admin_actor().await.user_id.unwrap();
        assert_eq!(
            row["assigned"],
            admin.to_string(),
            "defaults to the token's user"
        );

        let (status, answer) = send(
            call(app, Method::POST, "/api/leads", &token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("name=Ion+Ionescu&is_public=on&contacted_today=on&phonenumber=%2B40+712+345+678"),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["message"], "Lead add successful.");
        let id = answer["record_id"].as_i64().unwrap();
        let (_, row) = send(call(app, Method::GET, &format!("/api/leads/{id}"), &token)).await;
        assert_eq!(row["is_public"], "1");
        assert!(row["lastcontact"].is_string(), "contacted today: {row}");
        assert_eq!(row["phonenumber"], "+40 712 345 678");

        let form = reqwest::multipart::Form::new()
            .text("name", "Multi Part")
            .text("city", "Cluj")
            .part(
                "file[]",
                reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("note.txt"),
            );
        let (status, answer) =
            send(call(app, Method::POST, "/api/leads", &token).multipart(form)).await;
        assert_eq!(status, 200, "{answer}");
        let id = answer["record_id"].as_i64().unwrap();
        let (_, row) = send(call(app, Method::GET, &format!("/api/leads/{id}"), &token)).await;
        assert_eq!(
            (row["name"].clone(), row["city"].clone()),
            (json!("Multi Part"), json!("Cluj"))
        );
        let history = app
            .count(&format!(
                "SELECT COUNT(*) FROM lead_stage_history WHERE lead_id = {id} AND via = 'api'"
            ))
            .await;
        assert_eq!(history, 1, "creation by API opens its first stage stay");

        // A token is no ambient credential: a browser integration on another site may use it.
        let (status, answer) = send(
            call(app, Method::POST, "/api/leads", &token)
                .header("Origin", "https://shop.example")
                .header("Sec-Fetch-Site", "cross-site")
                .json(&json!({"name": "From the shop"})),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
    }
);

both!(
    bad_input_gets_field_errors_and_never_a_500,
    async |app: &TestApp| {
        let token = token(app, None, ALL).await;
        let post = |body: &'static str, content_type: &'static str| {
            call(app, Method::POST, "/api/leads", &token)
                .header("Content-Type", content_type)
                .body(body)
        };
        let (status, body) = send(post("{}", "application/json")).await;
        assert_eq!(status, 422);
        assert_eq!(body["status"], false);
        assert!(body["error"]["name"].is_string(), "{body}");
        assert!(body["message"].as_str().unwrap().contains("required"));

        let long = "x".repeat(601);
        let (status, body) = send(call(app, Method::POST, "/api/leads", &token).json(&json!({
            "name": long, "email": "not an email", "lead_value": "lots", "status": 999_999,
            "source": "abc", "assigned": 424_242,
        })))
        .await;
        assert_eq!(status, 422, "{body}");
        for field in ["name", "email", "lead_value", "source"] {
            assert!(body["error"][field].is_string(), "{field}: {body}");
        }
        let (status, body) = send(
            call(app, Method::POST, "/api/leads", &token)
                .json(&json!({"name": "Fine", "status": 999_999, "assigned": 424_242})),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body["error"]["status"].is_string() && body["error"]["assigned"].is_string(),
            "{body}"
        );

        for (raw, content_type, expected) in [
            ("{\"name\":", "application/json", 400),
            ("[1, 2]", "application/json", 400),
            ("name=x", "text/plain", 415),
            ("--x\r\nbroken", "multipart/form-data; boundary=x", 400),
        ] {
            let (status, body) = send(post(raw, content_type)).await;
            assert_eq!(status, expected, "{raw} as {content_type}: {body}");
            assert_eq!(body["status"], false);
        }
        let huge = "a".repeat(3 * 1024 * 1024);
        let response = deliver(
            call(app, Method::POST, "/api/leads", &token)
                .header("Content-Type", "application/json")
                .body(format!("{{\"name\":\"{huge}\"}}")),
        )
        .await;
        assert_eq!(response.status().as_u16(), 413);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM leads").await,
            0,
            "nothing was saved"
        );

        let (status, body) = send(call(app, Method::GET, "/api/nope", &token)).await;
        assert_eq!((status, body["status"].clone()), (404, json!(false)));
        for path in [
            "/api/leads/abc",
            "/api/leads/-4",
            "/api/leads/99999999999999999999",
        ] {
            let (status, body) = send(call(app, Method::GET, path, &token)).await;
            assert_eq!(
                (status, body["message"].clone()),
                (404, json!("No data were found")),
                "{path}"
            );
        }
    }
);

both!(
    put_is_a_true_partial_update_and_follows_stage_rules,
    async |app: &TestApp| {
        let token = token(app, None, ALL).await;
        let id = create(
            app,
            &token,
            json!({"name": "Partial", "email": "p@x.example", "address": "Str. 1", "country": "RO", "is_public": 1}),
        )
        .await;
        let path = format!("/api/leads/{id}");
        let (status, body) = send(
            call(app, Method::PUT, &path, &token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("phonenumber=0712"),
        )
        .await;
        assert_eq!(
            (status, body["message"].clone()),
            (200, json!("Lead Update Successful."))
        );
        let (_, row) = send(call(app, Method::GET, &path, &token)).await;
        assert_eq!(row["phonenumber"], "0712");
        assert_eq!(row["email"], "p@x.example");
        assert_eq!(row["address"], "Str. 1");
        assert_eq!(row["country"], "RO");
        assert_eq!(row["is_public"], "1", "fields not sent stay as they are");

        let (status, body) =
            send(call(app, Method::PUT, &path, &token).json(&json!({"nothing": 1}))).await;
        assert_eq!(
            (status, body["message"].clone()),
            (406, json!("Data Not Acceptable OR Not Provided"))
        );
        let (status, body) =
            send(call(app, Method::PUT, "/api/leads/987654", &token).json(&json!({"name": "x"})))
                .await;
        assert_eq!(
            (status, body["message"].clone()),
            (404, json!("Lead Update Fail."))
        );
        let (status, body) =
            send(call(app, Method::PUT, "/api/leads/abc", &token).json(&json!({"name": "x"})))
                .await;
        assert_eq!(
            (status, body["message"].clone()),
            (404, json!("Invalid Lead ID"))
        );

        // "Proposal" requires a value: the API cannot skip the rule the board prompts for.
        let proposal: i64 = app
            .count("SELECT id FROM stages WHERE name = 'Proposal'")
            .await;
        let (status, body) =
            send(call(app, Method::PUT, &path, &token).json(&json!({"status": proposal}))).await;
        assert_eq!(status, 422);
        assert!(body["error"]["lead_value"].is_string(), "{body}");

        // A board open in a browser follows the API's move on its event stream.
        let board = app.admin().await;
        let mut stream = board.get(app.url("/admin/events")).send().await.unwrap();
        assert_eq!(stream.status(), 200);
        let form = reqwest::multipart::Form::new()
            .text("status", proposal.to_string())
            .text("lead_value", "500");
        let (status, _) = send(call(app, Method::PUT, &path, &token).multipart(form)).await;
        assert_eq!(status, 200, "a multipart PUT");
        let seen = read_until(&mut stream, "\"kind\":\"Moved\"").await;
        assert!(
            seen.contains(&format!("\"lead_id\":{id}"))
                && seen.contains(&format!("\"stage_id\":{proposal}")),
            "{seen}"
        );

        // With the version its row gave, a client's update is refused once the lead has changed.
        let (_, row) = send(call(app, Method::GET, &path, &token)).await;
        let read = row["version"].as_i64().unwrap();
        let (status, _) = send(
            call(app, Method::PUT, &path, &token).json(&json!({"city": "Iași", "version": read})),
        )
        .await;
        assert_eq!(status, 200);
        let (status, body) = send(
            call(app, Method::PUT, &path, &token).json(&json!({"city": "Cluj", "version": read})),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("Proposal"),
            "{body}"
        );
        let (status, body) = send(
            call(app, Method::PUT, &path, &token)
                .json(&json!({"city": "Cluj", "version": "latest"})),
        )
        .await;
        assert_eq!(status, 422);
        assert!(body["error"]["version"].is_string(), "{body}");
        let stays = app
            .count(&format!(
                "SELECT COUNT(*) FROM lead_stage_history WHERE lead_id = {id} AND to_stage_id = {proposal} \
                 AND via = 'api' AND left_at IS NULL"
            ))
            .await;
        assert_eq!(stays, 1, "the API's stage change is in stage history");
        let (_, row) = send(call(app, Method::GET, &path, &token)).await;
        assert_eq!(
            (
                row["status"].clone(),
                row["lead_value"].clone(),
                row["city"].clone()
            ),
            (json!(proposal.to_string()), json!("500.00"), json!("Iași"))
        );
    }
);

both!(
    lists_page_in_sql_with_totals_and_links_or_stream_everything,
    async |app: &TestApp| {
        let token = token(app, None, ALL).await;
        let (status, body) = send(call(app, Method::GET, "/api/leads", &token)).await;
        assert_eq!((status, body), (200, json!([])), "an empty list is 200 []");
        let mut ids = Vec::new();
        for i in 0..7 {
            ids.push(create(app, &token, json!({"name": format!("Paged {i}")})).await);
        }
        let response = call(app, Method::GET, "/api/leads?nr_page=2&per_page=3", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-total-count"], "7");
        let link = response.headers()["link"].to_str().unwrap().to_string();
        assert!(
            link.contains("nr_page=3&per_page=3>; rel=\"next\""),
            "{link}"
        );
        assert!(
            link.contains("nr_page=1&per_page=3>; rel=\"prev\""),
            "{link}"
        );
        let (_, rows) = json_of(response).await;
        // A row's id is a string, as the product doc's rows have it.
        let ids_of = |rows: &serde_json::Value| -> Vec<i64> {
            rows.as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().parse().unwrap())
                .collect()
        };
        assert_eq!(ids_of(&rows), vec![ids[3], ids[2], ids[1]], "newest first");
        // A lead in the trash leaves the pages: the next one moves up.
        let trashed = format!("/api/leads/{}", ids[2]);
        let (status, _) = send(call(app, Method::DELETE, &trashed, &token)).await;
        assert_eq!(status, 200);
        let response = call(app, Method::GET, "/api/leads?nr_page=2&per_page=3", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-total-count"], "6");
        let (_, rows) = json_of(response).await;
        assert_eq!(
            ids_of(&rows),
            vec![ids[3], ids[1], ids[0]],
            "the trashed lead is skipped"
        );
        let (status, rows) = send(call(
            app,
            Method::GET,
            "/api/leads?page=9&per_page=3",
            &token,
        ))
        .await;
        assert_eq!((status, rows), (200, json!([])));
        for bad in ["per_page=0", "per_page=101", "nr_page=x", "nr_page=0"] {
            let (status, body) =
                send(call(app, Method::GET, &format!("/api/leads?{bad}"), &token)).await;
            assert_eq!(status, 422, "{bad}: {body}");
        }
        // Without paging parameters every row comes (6 kept + 1,204: more than one read of 1,000),
        // none silently cut off.
        for i in 7..1211 {
            let input = LeadInput {
                name: Some(format!("Bulk {i}")),
                ..Default::default()
            };
            leads::create(app.store(), &app.admin_actor().await, &input, Via::Import)
                .await
                .unwrap();
        }
        let response = call(app, Method::GET, "/api/leads", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-total-count"], "1210");
        let (_, rows) = json_of(response).await;
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 1210);
        let mut seen: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
        seen.dedup();
        assert_eq!(seen.len(), 1210, "no row twice");

        // Pages deeper than a block of ids (PostgreSQL starts them from its kept counts per
        // block) hold what the whole list holds there, after leads went to the trash in both
        // blocks, one came back, one was purged and new ones came first.
        let mut expected: Vec<i64> = rows
            .iter()
            .map(|r| r["id"].as_str().unwrap().parse().unwrap())
            .collect();
        let admin = app.admin_actor().await;
        for at in [1150, 1100, 700, 5] {
            leads::delete(app.store(), &admin, expected[at], Via::Api)
                .await
                .unwrap();
        }
        leads::restore(app.store(), &admin, expected[700], Via::Api)
            .await
            .unwrap();
        leads::purge(app.store(), &admin, expected[1150])
            .await
            .unwrap();
        for at in [1150, 1100, 5] {
            expected.remove(at);
        }
        for name in ["Newer", "Newest"] {
            expected.insert(0, create(app, &token, json!({"name": name})).await);
        }
        for page in [10, 11, 12, 13] {
            let path = format!("/api/leads?nr_page={page}&per_page=100");
            let (status, rows) = send(call(app, Method::GET, &path, &token)).await;
            assert_eq!(status, 200);
            let start = (page - 1) * 100;
            let want = &expected[start..(start + 100).min(expected.len())];
            assert_eq!(ids_of(&rows), want, "page {page}");
        }
        let (status, rows) = send(call(
            app,
            Method::GET,
            "/api/leads?nr_page=14&per_page=100",
            &token,
        ))
        .await;
        assert_eq!((status, rows), (200, json!([])), "past the last lead");
    }
);

both!(
    a_sales_token_sees_and_changes_only_what_its_user_may,
    async |app: &TestApp| {
        let admin_token = token(app, None, ALL).await;
        let (ana, _) = app.user("Ana Rep", Role::Sales).await;
        let ana_token = token(app, Some(ana.id), ALL).await;
        let hidden = create(app, &admin_token, json!({"name": "Not Ana's"})).await;
        let public = create(
            app,
            &admin_token,
            json!({"name": "Everyone's", "is_public": "1"}),
        )
        .await;
        let own = create(app, &ana_token, json!({"name": "Ana's own"})).await;

        let (_, rows) = send(call(app, Method::GET, "/api/leads?per_page=50", &ana_token)).await;
        let mut names: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["Ana's own", "Everyone's"]);
        let response = call(app, Method::GET, "/api/leads?per_page=50", &ana_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-total-count"], "2");
        let path = format!("/api/leads/{hidden}");
        assert_eq!(
            send(call(app, Method::GET, &path, &ana_token)).await,
            (
                404,
                json!({"status": false, "message": "No data were found"})
            )
        );
        assert_eq!(
            send(call(app, Method::PUT, &path, &ana_token).json(&json!({"name": "Mine now"})))
                .await
                .0,
            404
        );
        assert_eq!(
            send(call(app, Method::DELETE, &path, &ana_token)).await.0,
            404
        );
        let (_, found) = send(call(app, Method::GET, "/api/leads/search/not", &ana_token)).await;
        assert_eq!(found, json!([]), "search stays in scope");
        assert_eq!(
            send(call(
                app,
                Method::GET,
                &format!("/api/leads/{public}"),
                &ana_token
            ))
            .await
            .0,
            200
        );
        assert_eq!(
            send(call(
                app,
                Method::GET,
                &format!("/api/leads/{own}"),
                &ana_token
            ))
            .await
            .0,
            200
        );
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM leads WHERE id = {hidden} AND name = 'Not Ana''s' AND deleted_at IS NULL")).await, 1);
    }
);

both!(
    search_uses_the_index_with_prefixes_folded_accents_and_tags,
    async |app: &TestApp| {
        let token = token(app, None, ALL).await;
        let stefan = create(
            app,
            &token,
            json!({"name": "Ștefan Popescu", "company": "Carpați Trading SRL", "email": "stefan@carpati.example",
                   "phonenumber": "+40 744 100 200", "city": "Brașov", "tags": "vip"}),
        )
        .await;
        let other = create(app, &token, json!({"name": "Maria Ionescu", "company": "Delta Foods", "zip": "400123", "tags": "VIP,cold"})).await;
        let ids = |rows: &Value| -> Vec<i64> {
            let mut ids: Vec<i64> = rows
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().parse().unwrap())
                .collect();
            ids.sort();
            ids
        };
        let cases: Vec<(&str, Vec<i64>)> = vec![
            ("stefan", vec![stefan]),
            ("Ștefan", vec![stefan]),
            ("pope", vec![stefan]),
            ("ionescu", vec![other]),
            ("escu", vec![]),
            ("carpati trad", vec![stefan]),
            ("brasov", vec![stefan]),
            ("stefan@carpati.example", vec![stefan]),
            ("744 100", vec![stefan]),
            ("400123", vec![other]),
            ("%23vip", vec![stefan, other]),
            ("%23cold", vec![other]),
            ("cold", vec![other]),
            ("%22%2A%3A", vec![]),
        ];
        for (keyword, expected) in cases {
            let (status, rows) = send(call(
                app,
                Method::GET,
                &format!("/api/leads/search/{keyword}"),
                &token,
            ))
            .await;
            assert_eq!(status, 200, "{keyword}: {rows}");
            assert_eq!(ids(&rows), expected, "search {keyword}");
        }
        let response = call(
            app,
            Method::GET,
            "/api/leads/search/escu?per_page=1",
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(response.headers()["x-total-count"], "0");
        let response = call(
            app,
            Method::GET,
            "/api/leads/search/%23vip?per_page=1",
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(response.headers()["x-total-count"], "2");
        assert_eq!(json_of(response).await.1.as_array().unwrap().len(), 1);
        // Edits reach the index in the same transaction.
        send(
            call(app, Method::PUT, &format!("/api/leads/{other}"), &token)
                .json(&json!({"company": "Zenit Labs"})),
        )
        .await;
        let (_, rows) = send(call(app, Method::GET, "/api/leads/search/zenit", &token)).await;
        assert_eq!(ids(&rows), vec![other]);
        let (_, rows) = send(call(app, Method::GET, "/api/leads/search/delta", &token)).await;
        assert_eq!(ids(&rows), Vec::<i64>::new());
        // A word's total counts the matches out of the trash.
        let total = |keyword: &'static str| {
            let request = call(
                app,
                Method::GET,
                &format!("/api/leads/search/{keyword}?per_page=1"),
                &token,
            );
            async move {
                let response = request.send().await.unwrap();
                response.headers()["x-total-count"]
                    .to_str()
                    .unwrap()
                    .to_string()
            }
        };
        assert_eq!(total("stefan").await, "1");
        let trashed = create(app, &token, json!({"name": "Stefan Trash"})).await;
        assert_eq!(total("stefan").await, "2");
        send(call(
            app,
            Method::DELETE,
            &format!("/api/leads/{trashed}"),
            &token,
        ))
        .await;
        assert_eq!(total("stefan").await, "1");
        // So do the leads a tag finds.
        let chilly = create(app, &token, json!({"name": "Chilly", "tags": "cold"})).await;
        assert_eq!(total("cold").await, "2");
        send(call(
            app,
            Method::DELETE,
            &format!("/api/leads/{chilly}"),
            &token,
        ))
        .await;
        assert_eq!(total("cold").await, "1");
        let (_, rows) = send(call(app, Method::GET, "/api/leads/search/cold", &token)).await;
        assert_eq!(ids(&rows), vec![other]);
    }
);

both!(
    delete_by_either_path_and_idempotent_retries,
    async |app: &TestApp| {
        let token = token(app, None, ALL).await;
        let a = create(app, &token, json!({"name": "Delete A"})).await;
        let b = create(app, &token, json!({"name": "Delete B"})).await;
        let (status, body) = send(call(
            app,
            Method::DELETE,
            &format!("/api/delete/leads/{a}"),
            &token,
        ))
        .await;
        assert_eq!(
            (status, body["message"].clone()),
            (200, json!("Lead Delete Successful."))
        );
        assert_eq!(
            send(call(
                app,
                Method::DELETE,
                &format!("/api/leads/{b}"),
                &token
            ))
            .await
            .0,
            200
        );
        assert_eq!(
            send(call(app, Method::GET, &format!("/api/leads/{a}"), &token))
                .await
                .0,
            404
        );
        let (status, body) = send(call(
            app,
            Method::DELETE,
            &format!("/api/leads/{a}"),
            &token,
        ))
        .await;
        assert_eq!(
            (status, body["message"].clone()),
            (404, json!("Lead Delete Fail."))
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM leads WHERE id = {a} AND deleted_at IS NOT NULL"
            ))
            .await,
            1,
            "in the trash"
        );

        let keyed = |body: Value| {
            call(app, Method::POST, "/api/leads", &token)
                .header("Idempotency-Key", "order-1234")
                .json(&body)
        };
        let (status, first) = send(keyed(json!({"name": "Only once"}))).await;
        assert_eq!(status, 200);
        let response = keyed(json!({"name": "Only once"})).send().await.unwrap();
        assert_eq!(response.headers()["idempotent-replayed"], "true");
        let (status, again) = json_of(response).await;
        assert_eq!(
            (status, &again),
            (200, &first),
            "a retry gets the first answer"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM leads WHERE name = 'Only once'")
                .await,
            1
        );
        let (status, body) = send(keyed(json!({"name": "Something else"}))).await;
        assert_eq!(status, 422);
        assert!(body["error"]["Idempotency-Key"].is_string());
        // A failed validation is an answer too: its retry fails the same way.
        let bad = |_: ()| {
            call(app, Method::POST, "/api/leads", &token)
                .header("Idempotency-Key", "bad-1")
                .json(&json!({"name": ""}))
        };
        assert_eq!(send(bad(())).await.0, 422);
        assert_eq!(send(bad(())).await.0, 422);
    }
);

both!(
    the_openapi_document_describes_every_route_and_answer,
    async |app: &TestApp| {
        let (status, spec) = send(Client::new().get(app.url("/api/openapi.json"))).await;
        assert_eq!(status, 200);
        assert_eq!(spec["openapi"], "3.0.3");
        let token = token(app, None, ALL).await;
        let lead = create(app, &token, json!({"name": "Spec Lead", "tags": "spec"})).await;
        let schemas = spec["components"]["schemas"].clone();
        let paths = spec["paths"].as_object().unwrap();
        let mut operations = 0;
        for (path, methods) in paths {
            for (method, operation) in methods.as_object().unwrap() {
                operations += 1;
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let paged = operation["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["name"] == "per_page");
                for (status, documented) in operation["responses"].as_object().unwrap() {
                    let status: u16 = status.parse().unwrap();
                    if status == 429 {
                        // Needs a server with a low limit: a_token_over_its_rate_limit_is_told_when_to_retry.
                        continue;
                    }
                    let context = format!("{method} {path} → {status}");
                    let case = Case {
                        app,
                        token: &token,
                        lead,
                        operation,
                        paged,
                    };
                    let request = case.provoke(&method, path, status).await;
                    let (answered, body) = send(request).await;
                    assert_eq!(answered, status, "{context}: {body}");
                    let schema = &documented["content"]["application/json"]["schema"];
                    conforms(&body, schema, &schemas, &context);
                }
            }
        }
        assert_eq!(operations, server::api::openapi::ENDPOINTS.len());
    }
);

/// What the OpenAPI test needs to provoke each documented answer of one operation.
struct Case<'a> {
    app: &'a TestApp,
    token: &'a str,
    lead: i64,
    operation: &'a Value,
    paged: bool,
}

impl Case<'_> {
    /// A request that the API must answer with `status`, as an integration could send it.
    async fn provoke(&self, method: &Method, path: &str, status: u16) -> RequestBuilder {
        let app = self.app;
        let mut lead = self.lead;
        if status == 200 && *method == Method::DELETE {
            lead = create(app, self.token, json!({"name": "To delete"})).await;
        }
        if status == 404 {
            lead = 987_654_321;
        }
        let mut concrete = path
            .replace("{id}", &lead.to_string())
            .replace("{keyword}", "spec");
        if self.paged {
            let per_page = if status == 422 { "0" } else { "10" };
            concrete = format!("{concrete}?nr_page=1&per_page={per_page}");
        }
        let secret = match status {
            403 => {
                let capability = self.operation["x-capability"].as_str().unwrap();
                let others: Vec<&str> = ALL.iter().copied().filter(|c| *c != capability).collect();
                token(app, None, &others).await
            }
            _ => self.token.to_string(),
        };
        let request = if status == 401 {
            Client::new().request(method.clone(), app.url(&concrete))
        } else {
            call(app, method.clone(), &concrete, &secret)
        };
        if self.operation.get("requestBody").is_none() {
            return request;
        }
        let raw = |body: String, content_type: &str| {
            request
                .try_clone()
                .unwrap()
                .header("Content-Type", content_type)
                .body(body)
        };
        match status {
            400 => raw("{\"name\":".into(), "application/json"),
            406 => request.json(&json!({"nothing": 1})),
            409 if *method == Method::PUT => {
                request.json(&json!({"city": "Cluj", "version": 987_654}))
            }
            409 => {
                // The first request with this key is still running (its answer not stored).
                let key = format!("spec-{lead}");
                let body = json!({"name": "Spec Lead"});
                let first = call(app, Method::POST, "/api/leads", self.token)
                    .header("Idempotency-Key", &key)
                    .json(&body);
                assert_eq!(send(first).await.0, 200);
                sqlx::query("UPDATE api_idempotency SET status = 0, body = NULL WHERE key = $1")
                    .bind(&key)
                    .execute(&app.store().db.pool)
                    .await
                    .unwrap();
                request.header("Idempotency-Key", &key).json(&body)
            }
            413 => raw(
                format!("{{\"name\":\"{}\"}}", "a".repeat(3 * 1024 * 1024)),
                "application/json",
            ),
            415 => raw("name=x".into(), "text/plain"),
            422 => request.json(&json!({"name": "", "email": "not an email"})),
            _ => request.json(&json!({"name": "Spec Lead", "city": "Iași"})),
        }
    }
}

/// Checks `value` against the parts of an OpenAPI schema the document uses: `$ref`, type,
/// required properties, array items and property types.
fn conforms(value: &Value, schema: &Value, schemas: &Value, context: &str) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return conforms(value, &schemas[name], schemas, context);
    }
    let nullable = schema["nullable"] == true;
    match schema["type"].as_str() {
        Some("object") => {
            let object = value
                .as_object()
                .unwrap_or_else(|| panic!("{context}: not an object: {value}"));
            for key in schema["required"].as_array().into_iter().flatten() {
                assert!(
                    object.contains_key(key.as_str().unwrap()),
                    "{context}: missing {key} in {value}"
                );
            }
            if let Some(properties) = schema["properties"].as_object() {
                for (key, property) in properties {
                    if let Some(member) = object.get(key) {
                        conforms(member, property, schemas, &format!("{context}.{key}"));
                    }
                }
            }
        }
        Some("array") => {
            let items = value
                .as_array()
                .unwrap_or_else(|| panic!("{context}: not an array: {value}"));
            for item in items {
                conforms(item, &schema["items"], schemas, context);
            }
        }
        Some("string") => assert!(
            value.is_string() || (nullable && value.is_null()),
            "{context}: {value} is not a string"
        ),
        Some("integer") => assert!(value.is_i64(), "{context}: {value} is not an integer"),
        Some("boolean") => assert!(value.is_boolean(), "{context}: {value} is not a boolean"),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_over_its_rate_limit_is_told_when_to_retry() {
    let app = TestApp::start_with(common::Backend::Sqlite, 3).await;
    let token = token(&app, None, ALL).await;
    for _ in 0..3 {
        assert_eq!(
            send(call(&app, Method::GET, "/api/leads", &token)).await.0,
            200
        );
    }
    let response = call(&app, Method::GET, "/api/leads", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    // The answer is the one the OpenAPI document gives for 429.
    let spec = server::api::openapi::spec();
    let documented = &spec["paths"]["/api/leads"]["get"]["responses"]["429"];
    assert!(documented["headers"]["Retry-After"].is_object());
    let (_, body) = json_of(response).await;
    conforms(
        &body,
        &documented["content"]["application/json"]["schema"],
        &spec["components"]["schemas"],
        "429",
    );
    let other = token_for_other(&app).await;
    assert_eq!(
        send(call(&app, Method::GET, "/api/leads", &other)).await.0,
        200,
        "the limit is per token"
    );
    app.finish().await;
}

async fn token_for_other(app: &TestApp) -> String {
    token(app, None, &["get"]).await
}

/// Tokens are cached per process; revoking one in a process must refuse it in the others too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_by_one_process_is_refused_by_another_at_once() {
    let first = TestApp::start(common::Backend::Postgres).await;
    let second = first.second_instance().await;
    let secret = token(&first, None, &["get"]).await;
    // Both processes have now seen (and cached) the token.
    for app in [&first, &second] {
        assert_eq!(
            send(call(app, Method::GET, "/api/leads", &secret)).await.0,
            200
        );
    }
    let admin = first.admin_actor().await;
    let id = tokens::list(&first.store().db, &admin).await.unwrap()[0].id;
    tokens::revoke(first.store(), &admin, id).await.unwrap();
    assert_eq!(
        send(call(&first, Method::GET, "/api/leads", &secret))
            .await
            .0,
        401
    );
    // The other process hears of it through PostgreSQL, within moments.
    let mut status = 200;
    for _ in 0..50 {
        status = send(call(&second, Method::GET, "/api/leads", &secret))
            .await
            .0;
        if status == 401 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, 401, "the second process refuses the revoked token");
    second.finish().await;
    first.finish().await;
}

both!(
    many_reads_of_records_at_once_each_answer_their_own_in_the_readers_scope,
    async |app: &TestApp| {
        // On PostgreSQL reads that arrive together are read together (`record_batches`):
        // each must still get its own record, in its own reader's scope.
        let admin = app.admin_actor().await;
        let (ana, ana_sees) = app.user("Batch Ana", Role::Sales).await;
        let (_, bo_sees) = app.user("Batch Bo", Role::Sales).await;
        let mut ids = Vec::new();
        for i in 0..24 {
            let input = LeadInput {
                name: Some(format!("Batch {i}")),
                tags: Some(format!("t{i}")),
                assigned: (i % 2 == 0).then(|| ana.id.to_string()),
                ..Default::default()
            };
            let lead = leads::create(app.store(), &admin, &input, Via::Import)
                .await
                .unwrap();
            ids.push(lead.id);
        }
        let missing = ids.iter().max().unwrap() + 1_000;
        // Each lead twice and one that is not there, for three readers, all at once.
        let asks: Vec<(&Actor, i64)> = [&admin, &ana_sees, &bo_sees]
            .into_iter()
            .flat_map(|actor| {
                ids.iter()
                    .chain(&ids)
                    .chain([&missing])
                    .map(move |&id| (actor, id))
            })
            .collect();
        let answers = futures_util::future::join_all(
            asks.iter()
                .map(|&(actor, id)| records::record_with_files(&app.store().db, actor, id)),
        )
        .await;
        for (&(actor, id), answer) in asks.iter().zip(answers) {
            let index = ids.iter().position(|&known| known == id);
            let visible = index
                .is_some_and(|i| actor.sees_all() || (actor.user_id == Some(ana.id) && i % 2 == 0));
            match (answer, index) {
                (Ok((record, files)), Some(i)) => {
                    assert!(visible, "{actor:?} must not see lead {id}");
                    assert_eq!(record.lead.id, id);
                    assert_eq!(record.lead.name, format!("Batch {i}"));
                    assert_eq!(record.lead.tags, vec![format!("t{i}")]);
                    assert!(files.is_empty());
                }
                (Err(error), _) => {
                    assert!(!visible, "{actor:?} must see lead {id}: {error}");
                    assert_eq!(error, AppError::NotFound);
                }
                (Ok(_), None) => panic!("a lead that is not there was found"),
            }
        }
    }
);
