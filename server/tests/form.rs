//! The lead form: what it offers, the duplicate check, and saving (create and edit) through
//! the server functions the browser calls.

#[macro_use]
mod common;
use app::models::{DuplicateProbe, LeadInput, Role};
use app::server::form;
use app::server::leads::{self, Via};
use common::TestApp;
use serde_json::json;

fn save(input: serde_json::Value, anyway: bool) -> serde_json::Value {
    json!({ "id": null, "version": null, "input": input, "anyway": anyway })
}

both!(
    the_form_saves_nothing_invalid_and_warns_of_a_lead_with_the_same_email,
    async |app: &TestApp| {
        let client = app.admin().await;
        let before = app.count("SELECT COUNT(*) FROM leads").await;

        let (status, body) = app
            .rpc(
                &client,
                "/rpc/leads/save",
                save(
                    json!({ "email": "not-an-email", "lead_value": "12.345" }),
                    false,
                ),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let text = body.to_string();
        for field in ["name", "email", "lead_value"] {
            assert!(text.contains(field), "{field} has its message: {text}");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM leads").await,
            before,
            "nothing saved"
        );

        let first = json!({ "name": "Dana Dup", "email": "dana@acme.test", "company": "Acme",
            "tags": "vip, new tag", "lead_value": "1500,50", "next_action": "Call back",
            "next_action_at": "2026-12-03T10:30" });
        let (status, body) = app
            .rpc(&client, "/rpc/leads/save", save(first, false))
            .await;
        assert_eq!(status, 200, "{body}");
        let id = body["Saved"].as_i64().expect("saved");
        let admin = app.admin_actor().await;
        let lead = leads::get(&app.store().db, &admin, id).await.unwrap();
        assert_eq!(lead.lead_value, Some(150_050));
        assert_eq!(lead.tags, vec!["new tag".to_string(), "vip".to_string()]);
        assert_eq!(lead.assigned, admin.user_id, "a new lead is its creator's");
        assert!(lead.next_action_at.is_some());

        // The same email in another case is the same person.
        let second = json!({ "name": "Dana Again", "email": "  DANA@acme.TEST " });
        let (status, body) = app
            .rpc(&client, "/rpc/leads/save", save(second.clone(), false))
            .await;
        assert_eq!(status, 200, "{body}");
        let found = body["Duplicates"]
            .as_array()
            .expect("duplicates, not saved");
        assert_eq!(found.len(), 1, "{body}");
        assert_eq!(found[0]["id"], id);
        assert_eq!(found[0]["field"], "email");
        assert_eq!(found[0]["name"], "Dana Dup");
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, before + 1);

        let (status, body) = app
            .rpc(&client, "/rpc/leads/save", save(second, true))
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body["Saved"].as_i64().is_some(), "saved anyway: {body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, before + 2);
    }
);

both!(
    editing_sends_only_changes_and_a_stale_form_is_refused,
    async |app: &TestApp| {
        let client = app.admin().await;
        let admin = app.admin_actor().await;
        let lead = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                name: Some("Edna Edit".into()),
                email: Some("edna@acme.test".into()),
                company: Some("Acme".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        // Its own email is no duplicate of itself.
        let edit = json!({ "id": lead.id, "version": lead.version,
            "input": { "company": "Acme Group", "email": "edna@acme.test" }, "anyway": false });
        let (status, body) = app.rpc(&client, "/rpc/leads/save", edit.clone()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["Saved"], lead.id);
        let now = leads::get(&app.store().db, &admin, lead.id).await.unwrap();
        assert_eq!(now.company.as_deref(), Some("Acme Group"));
        assert_eq!(now.name, "Edna Edit", "fields not sent stay");

        // The same form again: the lead moved on since it was opened.
        let (status, body) = app.rpc(&client, "/rpc/leads/save", edit).await;
        assert_eq!(status, 409, "{body}");

        let cleared = json!({ "id": lead.id, "version": now.version,
            "input": { "name": "   " }, "anyway": false });
        let (status, body) = app.rpc(&client, "/rpc/leads/save", cleared).await;
        assert_eq!(status, 422, "a lead keeps a name: {body}");
    }
);

both!(
    duplicates_respect_the_setting_and_hide_leads_the_user_may_not_see,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (_, ana) = app.user("Ana Rep", Role::Sales).await;
        let hidden = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                name: Some("Private Pat".into()),
                email: Some("pat@private.test".into()),
                phonenumber: Some("+40 721 000 111".into()),
                company: Some("Private SRL".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let probe = DuplicateProbe {
            email: "PAT@private.test".into(),
            phonenumber: "+40 721 000 111".into(),
            company: "private srl".into(),
            ..Default::default()
        };
        let found = form::duplicates(&app.store().db, &ana, &probe)
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, hidden.id);
        assert_eq!(
            found[0].name, None,
            "a sales rep learns it exists, not whose it is"
        );
        assert_eq!(found[0].company, None);

        // Only the email counts until an admin adds the phone.
        let by_phone = DuplicateProbe {
            phonenumber: "+40 721 000 111".into(),
            ..Default::default()
        };
        assert!(form::duplicates(&app.store().db, &admin, &by_phone)
            .await
            .unwrap()
            .is_empty());
        assert!(
            form::set_duplicate_fields(&app.store().db, &ana, &["phonenumber".into()])
                .await
                .is_err(),
            "admins only"
        );
        form::set_duplicate_fields(&app.store().db, &admin, &["phonenumber".into()])
            .await
            .unwrap();
        let found = form::duplicates(&app.store().db, &admin, &by_phone)
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "phonenumber");
        assert_eq!(found[0].name.as_deref(), Some("Private Pat"));
        let by_company = DuplicateProbe {
            company: "Private SRL".into(),
            ..Default::default()
        };
        assert!(
            form::duplicates(&app.store().db, &admin, &by_company)
                .await
                .unwrap()
                .is_empty(),
            "the company is not compared unless chosen"
        );

        // A deleted lead is no duplicate.
        leads::delete(app.store(), &admin, hidden.id, Via::Ui)
            .await
            .unwrap();
        assert!(form::duplicates(&app.store().db, &admin, &probe)
            .await
            .unwrap()
            .is_empty());
    }
);

both!(
    the_form_offers_pipelines_with_their_stages_users_sources_and_tags,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        leads::create(
            app.store(),
            &admin,
            &LeadInput {
                name: Some("Tagged Tim".into()),
                tags: Some("alpha".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let choices = form::choices(&app.store().db, &admin).await.unwrap();
        assert!(!choices.pipelines.is_empty());
        assert!(
            !choices.pipelines[0].stages.is_empty(),
            "the default pipeline comes with its stages"
        );
        assert!(choices.users.iter().any(|u| Some(u.id) == admin.user_id));
        assert_eq!(choices.me, admin.user_id);
        assert!(choices.tags.contains(&"alpha".to_string()));
        assert!(choices.default_source.is_some());
    }
);
