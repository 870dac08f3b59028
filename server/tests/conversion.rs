//! Converting a lead: one transaction makes the client, its primary contact and the
//! opportunity; the lead links to them and keeps its history; twice is refused.

#[macro_use]
mod common;
use app::error::AppError;
use app::models::{Closing, ConvertInput, DuplicateProbe, LeadInput, Role};
use app::server::leads::{self, Via};
use app::server::{conversion, form};
use common::TestApp;
use serde_json::json;

both!(
    a_lead_converts_once_into_a_client_contact_and_opportunity,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let lead = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                name: Some("Ana Maria Popescu".into()),
                company: Some("Popescu Logistics".into()),
                email: Some("ana@popescu.test".into()),
                phonenumber: Some("+40 700 000 001".into()),
                city: Some("Cluj".into()),
                lead_value: Some("4200".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let draft = conversion::draft(&app.store().db, &admin, lead.id)
            .await
            .unwrap();
        assert_eq!(draft.input.first_name, "Ana Maria");
        assert_eq!(draft.input.last_name, "Popescu");
        assert_eq!(draft.input.company, "Popescu Logistics");
        assert_eq!(draft.input.value, "4200.00");
        assert!(draft.matches.is_empty());

        // Invalid input converts nothing.
        let mut bad = draft.input.clone();
        bad.company = String::new();
        bad.value = "lots".into();
        let error = conversion::convert(
            app.store(),
            &admin,
            lead.id,
            Some(lead.version),
            &bad,
            Via::Ui,
        )
        .await
        .unwrap_err();
        assert!(error
            .field_errors()
            .is_some_and(|f| f.contains_key("company") && f.contains_key("value")));
        assert_eq!(app.count("SELECT COUNT(*) FROM clients").await, 0);

        // A stale form is refused.
        assert!(matches!(
            conversion::convert(
                app.store(),
                &admin,
                lead.id,
                Some(lead.version + 7),
                &draft.input,
                Via::Ui
            )
            .await,
            Err(AppError::Conflict { .. })
        ));

        let done = conversion::convert(
            app.store(),
            &admin,
            lead.id,
            Some(lead.version),
            &draft.input,
            Via::Ui,
        )
        .await
        .unwrap();
        let client = conversion::client(&app.store().db, &admin, done.client_id)
            .await
            .unwrap();
        assert_eq!(client.company, "Popescu Logistics");
        assert_eq!(client.address.as_deref(), Some("Cluj"));
        assert_eq!(client.contacts.len(), 1);
        assert!(client.contacts[0].is_primary);
        assert_eq!(
            client.contacts[0].email.as_deref(),
            Some("ana@popescu.test")
        );
        assert_eq!(client.opportunities.len(), 1);
        assert_eq!(client.opportunities[0].id, done.opportunity_id);
        assert_eq!(client.opportunities[0].value, Some(420_000));
        assert_eq!(client.opportunities[0].stage, "qualification");
        assert_eq!(
            client.leads,
            vec![(lead.id, "Ana Maria Popescu".to_string())]
        );

        let now = leads::get(&app.store().db, &admin, lead.id).await.unwrap();
        assert_eq!(now.client_id, Some(done.client_id));
        assert!(now.date_converted.is_some());
        assert_eq!(now.version, lead.version + 1);
        // It stays on the board, in its stage, labelled converted (as the board's live
        // update reads its card).
        let client = app.admin().await;
        let (status, live) = app
            .rpc(
                &client,
                "/rpc/board/card",
                json!({ "filter": {}, "pipeline": now.pipeline_id, "lead": lead.id }),
            )
            .await;
        assert_eq!(status, 200, "{live}");
        assert_eq!(live["card"]["stage_id"], now.stage_id);
        assert_eq!(live["card"]["converted"], true);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM activities WHERE lead_id = {} AND event = 'converted'",
                lead.id
            ))
            .await,
            1
        );

        // Twice is refused, and changes nothing.
        let again =
            conversion::convert(app.store(), &admin, lead.id, None, &draft.input, Via::Ui).await;
        assert!(matches!(again, Err(AppError::Refused(_))), "{again:?}");
        assert_eq!(app.count("SELECT COUNT(*) FROM opportunities").await, 1);

        // A second lead from the same company finds the client and joins it with its own contact.
        let colleague = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                name: Some("Ion Pop".into()),
                company: Some("popescu logistics".into()),
                email: Some("ion@popescu.test".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let draft = conversion::draft(&app.store().db, &admin, colleague.id)
            .await
            .unwrap();
        assert_eq!(draft.matches.len(), 1);
        assert_eq!(draft.matches[0].id, done.client_id);
        let joined = ConvertInput {
            client: Some(done.client_id),
            ..draft.input.clone()
        };
        let second = conversion::convert(app.store(), &admin, colleague.id, None, &joined, Via::Ui)
            .await
            .unwrap();
        assert_eq!(second.client_id, done.client_id);
        let client = conversion::client(&app.store().db, &admin, done.client_id)
            .await
            .unwrap();
        assert_eq!(client.contacts.len(), 2);
        assert_eq!(client.contacts.iter().filter(|c| c.is_primary).count(), 1);
        assert_eq!(client.opportunities.len(), 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM clients").await, 1);

        // The duplicate check of a new lead finds the client too, by its contact's email.
        let probe = DuplicateProbe {
            email: "ION@popescu.test".into(),
            ..Default::default()
        };
        let found = form::duplicates(&app.store().db, &admin, &probe)
            .await
            .unwrap();
        let client = found
            .iter()
            .find(|d| d.client)
            .expect("the client is a duplicate");
        assert_eq!(
            (client.id, client.field.as_str()),
            (done.client_id, "email")
        );
        assert_eq!(client.name.as_deref(), Some("Popescu Logistics"));
        assert!(found.iter().any(|d| !d.client && d.id == colleague.id));
    }
);

both!(
    lost_and_unseen_leads_are_not_converted,
    async |app: &TestApp| {
        let admin = app.admin_actor().await;
        let (_, ana) = app.user("Ana Rep", Role::Sales).await;
        let lead = leads::create(
            app.store(),
            &admin,
            &LeadInput {
                name: Some("Closed Carl".into()),
                ..Default::default()
            },
            Via::Ui,
        )
        .await
        .unwrap();
        let input = conversion::draft(&app.store().db, &admin, lead.id)
            .await
            .unwrap()
            .input;
        assert_eq!(
            conversion::convert(app.store(), &ana, lead.id, None, &input, Via::Ui).await,
            Err(AppError::NotFound),
            "a sales rep cannot convert a lead they may not see"
        );
        leads::close(app.store(), &admin, lead.id, &Closing::Junk, None, Via::Ui)
            .await
            .unwrap();
        assert!(matches!(
            conversion::convert(app.store(), &admin, lead.id, None, &input, Via::Ui).await,
            Err(AppError::Refused(_))
        ));
        assert_eq!(app.count("SELECT COUNT(*) FROM clients").await, 0);
    }
);
