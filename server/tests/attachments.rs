//! Files on a lead: uploaded from the lead page (multipart), listed, downloaded only by users
//! who may see the lead, deleted by whoever may; the size limit refuses without leaving a
//! trace; the API attaches `file[]` on create and lists files on `GET /api/leads/:id`; erasing
//! a lead's personal data removes its files. (The test app takes files up to 1 MiB.)

#[macro_use]
mod common;
use app::error::AppError;
use app::models::{LeadInput, Role, TokenForm};
use app::server::leads::{self, Via};
use app::server::{attachments, privacy, tokens, Actor};
use common::TestApp;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

async fn lead(app: &TestApp, name: &str, public: bool) -> i64 {
    let admin = app.admin_actor().await;
    let input = LeadInput {
        name: Some(name.into()),
        is_public: Some(if public { "1" } else { "0" }.into()),
        ..Default::default()
    };
    leads::create(app.store(), &admin, &input, Via::Ui)
        .await
        .unwrap()
        .id
}

fn file(name: &str, bytes: Vec<u8>, mime: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap()
}

async fn upload(app: &TestApp, client: &reqwest::Client, lead: i64, form: Form) -> (u16, Value) {
    let response = client
        .post(app.url(&format!("/admin/leads/{lead}/attachments")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn listed(app: &TestApp, client: &reqwest::Client, lead: i64) -> Value {
    let response = client
        .post(app.url("/rpc/leads/attachments"))
        .form(&[("lead", lead.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

both!(
    files_are_uploaded_listed_downloaded_and_deleted_by_who_may,
    async |app: &TestApp| {
        let id = lead(app, "Fiona Files", true).await;
        let admin = app.admin().await;
        let pdf = b"%PDF-1.4 offer".to_vec();
        let form = Form::new()
            .part(
                "file",
                file(
                    "C:\\Users\\fiona\\oferta finală.pdf",
                    pdf.clone(),
                    "application/pdf",
                ),
            )
            .part(
                "file",
                file(
                    "notes.txt",
                    b"call back".to_vec(),
                    "application/octet-stream",
                ),
            );
        let (status, added) = upload(app, &admin, id, form).await;
        assert_eq!(status, 200, "{added}");
        let names: Vec<&str> = added
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["file_name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 2);
        assert!(
            names.contains(&"oferta finală.pdf"),
            "the path is dropped, the name kept"
        );
        assert_eq!(app.stored_files(), 2);

        let list = listed(app, &admin, id).await;
        assert_eq!(list["max_bytes"], 1024 * 1024);
        let files = list["attachments"].as_array().unwrap();
        let offer = files
            .iter()
            .find(|f| f["file_name"] == "oferta finală.pdf")
            .unwrap();
        assert_eq!(offer["content_type"], "application/pdf");
        assert_eq!(offer["size_bytes"], pdf.len());
        let notes = files
            .iter()
            .find(|f| f["file_name"] == "notes.txt")
            .unwrap();
        assert_eq!(notes["content_type"], "text/plain", "guessed from the name");

        let download = admin
            .get(app.url(&format!("/admin/attachments/{}", offer["id"])))
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), 200);
        let headers = download.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;"));
        assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);

        // The timeline says who attached what.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM activities WHERE lead_id = {id} AND event = 'attachment_added'"
            ))
            .await,
            2
        );

        // A rep sees the public lead's files but may not delete someone else's.
        let (_, rep) = app.user("Rita Rep", Role::Sales).await;
        let offer_id = offer["id"].as_i64().unwrap();
        assert_eq!(
            attachments::delete(app.store(), &rep, offer_id).await,
            Err(AppError::Forbidden)
        );
        assert_eq!(
            attachments::for_lead(&app.store().db, &rep, id)
                .await
                .unwrap()
                .len(),
            2
        );

        let admin_actor = app.admin_actor().await;
        attachments::delete(app.store(), &admin_actor, offer_id)
            .await
            .unwrap();
        assert_eq!(
            app.stored_files(),
            1,
            "the file leaves the disk with its row"
        );
        let gone = admin
            .get(app.url(&format!("/admin/attachments/{offer_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM activities WHERE lead_id = {id} AND event = 'attachment_removed'"
            ))
            .await,
            1
        );
    }
);

both!(
    files_of_a_lead_a_user_may_not_see_stay_out_of_reach,
    async |app: &TestApp| {
        let id = lead(app, "Private Paula", false).await;
        let admin = app.admin().await;
        let form = Form::new().part(
            "file",
            file("contract.pdf", b"secret".to_vec(), "application/pdf"),
        );
        let (status, added) = upload(app, &admin, id, form).await;
        assert_eq!(status, 200);
        let attachment = added[0]["id"].as_i64().unwrap();

        app.user("Sam Sales", Role::Sales).await;
        let sales = app
            .signed_in("sam.sales@test.local", "user-password-1")
            .await;
        let download = sales
            .get(app.url(&format!("/admin/attachments/{attachment}")))
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), 404);
        let form = Form::new().part("file", file("x.txt", b"x".to_vec(), "text/plain"));
        let (status, _) = upload(app, &sales, id, form).await;
        assert_eq!(status, 404);
        let anonymous = app
            .client()
            .get(app.url(&format!("/admin/attachments/{attachment}")))
            .send()
            .await
            .unwrap();
        assert_ne!(anonymous.status(), 200);
        assert_eq!(
            app.stored_files(),
            1,
            "nothing was written for the refused upload"
        );
    }
);

both!(
    a_file_over_the_limit_is_refused_and_leaves_nothing_behind,
    async |app: &TestApp| {
        let id = lead(app, "Big Ben", true).await;
        let admin = app.admin().await;
        let form = Form::new()
            .part("file", file("small.txt", b"fine".to_vec(), "text/plain"))
            .part(
                "file",
                file(
                    "huge.bin",
                    vec![7; 1024 * 1024 + 1],
                    "application/octet-stream",
                ),
            );
        let (status, error) = upload(app, &admin, id, form).await;
        assert_eq!(status, 422);
        assert_eq!(
            error["Validation"]["file"],
            "huge.bin is larger than 1.0 MB, the largest file Leadline takes."
        );
        assert_eq!(
            app.stored_files(),
            0,
            "not even the small file of the same upload"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);

        let (status, error) = upload(app, &admin, id, Form::new().text("note", "no file")).await;
        assert_eq!(status, 422);
        assert_eq!(error["Validation"]["file"], "This field is required.");
    }
);

both!(
    the_api_attaches_files_on_create_and_lists_them,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let form = TokenForm {
            name: "files".into(),
            user: admin.user_id.unwrap().to_string(),
            expires_days: String::new(),
            capabilities: vec!["get".into(), "post".into()],
        };
        let token = tokens::create(&app.store().db, &Actor::system(), &form)
            .await
            .unwrap()
            .token;
        let create = |form: Form| {
            app.client()
                .post(app.url("/api/leads"))
                .header("authtoken", token.clone())
                .multipart(form)
                .send()
        };
        let response = create(
            Form::new()
                .text("name", "Api Andrei")
                .part(
                    "file[]",
                    file("brief.pdf", b"%PDF brief".to_vec(), "application/pdf"),
                )
                .part(
                    "file[]",
                    file("logo.png", vec![137, 80, 78, 71], "image/png"),
                ),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 200);
        let created: Value = response.json().await.unwrap();
        let id = created["record_id"].as_i64().unwrap();

        let lead: Value = app
            .client()
            .get(app.url(&format!("/api/leads/{id}")))
            .header("authtoken", token.clone())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let files = lead["attachments"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        let brief = files
            .iter()
            .find(|f| f["file_name"] == "brief.pdf")
            .unwrap();
        assert_eq!(brief["filetype"], "application/pdf");
        assert_eq!(brief["filesize"], "10");
        assert!(brief["dateadded"].as_str().unwrap().len() == 19);

        // A file over the limit: a field error, and neither the lead nor any file is kept.
        let leads_before = app.count("SELECT COUNT(*) FROM leads").await;
        let response = create(
            Form::new()
                .text("name", "Too Big")
                .part("file[]", file("ok.txt", b"ok".to_vec(), "text/plain"))
                .part(
                    "file[]",
                    file(
                        "big.bin",
                        vec![0; 1024 * 1024 + 10],
                        "application/octet-stream",
                    ),
                ),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.unwrap();
        assert!(body["error"]["file"].as_str().unwrap().contains("big.bin"));
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, leads_before);
        assert_eq!(app.stored_files(), 2);

        // A lead that fails validation keeps none of its files either.
        let response = create(
            Form::new()
                .text("name", "x".repeat(601))
                .part("file[]", file("ok.txt", b"ok".to_vec(), "text/plain")),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 422);
        assert_eq!(app.stored_files(), 2);
    }
);

both!(erasing_a_lead_removes_its_files, async |app: &TestApp| {
    let id = lead(app, "Erin Erase", true).await;
    let admin = app.admin().await;
    let form = Form::new().part("file", file("id-card.jpg", vec![1, 2, 3], "image/jpeg"));
    assert_eq!(upload(app, &admin, id, form).await.0, 200);
    assert_eq!(app.stored_files(), 1);
    privacy::erase(app.store(), &app.admin_actor().await, id)
        .await
        .unwrap();
    assert_eq!(app.stored_files(), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
});
