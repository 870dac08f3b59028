//! Web-to-lead forms: an admin defines one; a visitor's submission on its public page becomes
//! a lead through the lead door (custom fields, stage history, the owner's "web-form lead for
//! you" notification); a refused one keeps what was typed and stores nothing.

#[macro_use]
mod common;
use app::error::AppError;
use app::models::{CustomFieldForm, FormField, Role, WebFormInput};
use app::server::{custom_fields, notifications, web_forms, Actor};
use common::TestApp;

fn asked(fields: &[(&str, bool)]) -> Vec<FormField> {
    fields
        .iter()
        .map(|&(field, required)| FormField {
            field: field.into(),
            required,
        })
        .collect()
}

/// A form asking for name, email (required), company and a "Team size" select (required),
/// filling the Contacted stage, owned by a sales rep, tagged `website`.
async fn contact_form(app: &TestApp, owner: i64) -> (i64, String, i64) {
    let admin = app.admin_actor().await;
    let db = &app.store().db;
    let size = custom_fields::create(
        db,
        &admin,
        &CustomFieldForm {
            label: "Team size".into(),
            kind: "select".into(),
            options: "1-10\n11-50\n51+".into(),
            required: false,
            show_in_list: false,
        },
    )
    .await
    .unwrap();
    let source: i64 = sqlx::query_scalar("SELECT id FROM sources ORDER BY id LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let input = WebFormInput {
        name: "Contact us".into(),
        fields: asked(&[
            ("name", true),
            ("email", true),
            ("company", false),
            (&format!("custom_{size}"), true),
        ]),
        stage: app.stage("Contacted").await.to_string(),
        source: source.to_string(),
        assigned: owner.to_string(),
        tags: "website".into(),
        language: "en".into(),
        success_message: "Thanks, talk soon!".into(),
        active: true,
        ..WebFormInput::default()
    };
    let id = web_forms::create(db, &admin, &input).await.unwrap();
    let key: String = sqlx::query_scalar("SELECT form_key FROM web_forms WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    (id, key, size)
}

both!(
    a_submission_becomes_a_lead_in_the_forms_stage_and_its_owner_is_told,
    async |app: &TestApp| {
        let (sam, sam_actor) = app.user("Sam Sales", Role::Sales).await;
        let (form, key, size) = contact_form(app, sam.id).await;
        let client = reqwest::Client::new();
        let page = client
            .get(app.url(&format!("/forms/wtl/{key}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(
            page.headers().get("x-frame-options").is_none(),
            "embeddable"
        );
        let html = page.text().await.unwrap();
        for shown in ["Contact us", "Email", "Company", "Team size", "51+"] {
            assert!(html.contains(shown), "{shown} on the form");
        }
        // Posted from the website that embeds the form; fields not on it are ignored.
        let sent = client
            .post(app.url(&format!("/forms/wtl/{key}")))
            .header("origin", "https://www.example.org")
            .form(&[
                ("name", "Wanda Web"),
                ("email", "wanda@example.org"),
                ("company", "Webby SRL"),
                (&format!("custom_{size}"), "11-50"),
                ("lead_value", "999999"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
        assert!(sent.text().await.unwrap().contains("Thanks, talk soon!"));

        let db = &app.store().db.pool;
        let (lead, stage_id, assigned, from_form, value): (i64, i64, Option<i64>, Option<i64>, Option<i64>) =
            sqlx::query_as(
                "SELECT id, stage_id, assigned, from_form_id, lead_value FROM leads WHERE email = 'wanda@example.org'",
            )
            .fetch_one(db)
            .await
            .unwrap();
        assert_eq!(stage_id, app.stage("Contacted").await);
        assert_eq!(assigned, Some(sam.id));
        assert_eq!(from_form, Some(form));
        assert_eq!(
            value, None,
            "a field the form does not ask for is not taken"
        );
        let custom: String = sqlx::query_scalar(
            "SELECT value FROM lead_custom_values WHERE lead_id = $1 AND field_id = $2",
        )
        .bind(lead)
        .bind(size)
        .fetch_one(db)
        .await
        .unwrap();
        assert_eq!(custom, "11-50");
        let tags: Vec<String> = sqlx::query_scalar(
            "SELECT t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = $1",
        )
        .bind(lead)
        .fetch_all(db)
        .await
        .unwrap();
        assert_eq!(tags, vec!["website".to_string()]);
        let via: String =
            sqlx::query_scalar("SELECT via FROM lead_stage_history WHERE lead_id = $1")
                .bind(lead)
                .fetch_one(db)
                .await
                .unwrap();
        assert_eq!(via, "web_form");

        let bell = notifications::list(&app.store().db, &sam_actor)
            .await
            .unwrap();
        assert_eq!(bell.unread, 1);
        assert_eq!(bell.items[0].kind, "web_form");
        assert_eq!(
            bell.items[0].text(sam_actor.locale),
            "New web-form lead for you: Wanda Web"
        );
        let listed = web_forms::list(&app.store().db, &app.admin_actor().await)
            .await
            .unwrap();
        assert_eq!(listed[0].submissions, 1);
    }
);

both!(
    a_refused_submission_keeps_what_was_typed_and_stores_nothing,
    async |app: &TestApp| {
        let (sam, _) = app.user("Sam Sales", Role::Sales).await;
        let (_, key, _) = contact_form(app, sam.id).await;
        let before = app.count("SELECT COUNT(*) FROM leads").await;
        let refused = reqwest::Client::new()
            .post(app.url(&format!("/forms/wtl/{key}")))
            .form(&[
                ("name", "Half Filled"),
                ("email", "not-an-email"),
                ("company", "Kept & Co"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Please check the fields marked below."));
        assert!(html.contains("value=\"Half Filled\""), "the name is kept");
        assert!(html.contains("Kept &amp; Co"), "the company is kept");
        assert!(html.contains("Enter a valid email"), "{html}");
        assert!(
            html.contains("This field is required"),
            "the select is required"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, before);
        assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 0);
    }
);

both!(
    switched_off_and_unknown_forms_are_not_found_and_bots_are_thanked_but_ignored,
    async |app: &TestApp| {
        let (sam, _) = app.user("Sam Sales", Role::Sales).await;
        let (form, key, size) = contact_form(app, sam.id).await;
        let client = reqwest::Client::new();
        let url = app.url(&format!("/forms/wtl/{key}"));
        let bot = client
            .post(&url)
            .form(&[
                ("name", "Spam Bot"),
                ("email", "bot@spam.example"),
                (&format!("custom_{size}"), "51+"),
                ("website_url", "http://spam.example"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(bot.status(), 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);

        // A custom field deleted after the form was saved leaves it; the form keeps working.
        custom_fields::delete(&app.store().db, &app.admin_actor().await, size)
            .await
            .unwrap();
        let sent = client
            .post(&url)
            .form(&[("name", "After Delete"), ("email", "after@example.org")])
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 1);

        let missing = client
            .get(app.url("/forms/wtl/no-such-form"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
        let admin = app.admin_actor().await;
        let db = &app.store().db;
        let mut input = WebFormInput::from_form(&web_forms::list(db, &admin).await.unwrap()[0]);
        input.active = false;
        web_forms::update(db, &admin, form, &input).await.unwrap();
        assert_eq!(client.get(&url).send().await.unwrap().status(), 404);
        assert_eq!(
            client
                .post(&url)
                .form(&[("name", "Late")])
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        // Every other page refuses to be framed.
        let login = client.get(app.url("/admin/login")).send().await.unwrap();
        assert_eq!(login.headers()["x-frame-options"], "DENY");
    }
);

both!(
    a_client_address_sending_too_many_submissions_is_told_to_wait,
    async |app: &TestApp| {
        let (sam, _) = app.user("Sam Sales", Role::Sales).await;
        let (_, key, _) = contact_form(app, sam.id).await;
        let client = reqwest::Client::new();
        let url = app.url(&format!("/forms/wtl/{key}"));
        for _ in 0..web_forms::SUBMISSIONS_PER_MINUTE {
            let refused = client
                .post(&url)
                .form(&[("name", "Flood")])
                .send()
                .await
                .unwrap();
            assert_eq!(
                refused.status(),
                422,
                "missing email and size: refused, but counted"
            );
        }
        let over = client
            .post(&url)
            .form(&[("name", "Flood")])
            .send()
            .await
            .unwrap();
        assert_eq!(over.status(), 429);
        assert!(over.headers().contains_key("retry-after"));
        assert!(
            over.text().await.unwrap().contains("value=\"Flood\""),
            "what was typed is kept"
        );
        // Showing the form is not limited.
        assert_eq!(client.get(&url).send().await.unwrap().status(), 200);
    }
);

both!(
    a_form_must_ask_for_what_every_lead_and_its_stage_require,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let db = &app.store().db;
        let budget = custom_fields::create(
            db,
            &admin,
            &CustomFieldForm {
                label: "Budget".into(),
                kind: "number".into(),
                options: String::new(),
                required: true,
                show_in_list: false,
            },
        )
        .await
        .unwrap();
        let mut input = WebFormInput {
            name: "Quote".into(),
            fields: asked(&[("name", true), ("email", false)]),
            stage: app.stage("Proposal").await.to_string(), // requires a lead value
            language: "en".into(),
            active: true,
            ..WebFormInput::default()
        };
        let Err(AppError::Validation(errors)) = web_forms::create(db, &admin, &input).await else {
            panic!("refused")
        };
        assert!(errors["fields"].contains("Budget"), "{errors:?}");
        assert!(errors["stage"].contains("Proposal"), "{errors:?}");

        input.fields.push(FormField {
            field: format!("custom_{budget}"),
            required: true,
        });
        input.stage = app.stage("New").await.to_string();
        let (_, sales) = app.user("Sam Sales", Role::Sales).await;
        assert_eq!(
            web_forms::create(db, &sales, &input).await,
            Err(AppError::Forbidden)
        );
        let manager = Actor {
            role: Role::Manager,
            ..admin.clone()
        };
        assert_eq!(
            web_forms::list(db, &manager).await,
            Err(AppError::Forbidden)
        );
        web_forms::create(db, &admin, &input).await.unwrap();
    }
);
